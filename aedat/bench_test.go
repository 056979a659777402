package aedat

import (
	"bytes"
	"testing"
)

// BenchmarkDecode decodes the polarity events of the real DAVIS346 recording in each
// version: the 4.0 file as recorded (LZ4), and the same events re-encoded as 3.1 and as
// 2.0 with DAVIS addresses. It reports events/s per core.
func BenchmarkDecode(b *testing.B) {
	f := bytes.NewReader(realV4(b))
	r, err := NewReader(f, v4RealFile)
	if err != nil {
		b.Fatal(err)
	}
	evs := readAll(r)
	if r.Err() != nil {
		b.Fatal(r.Err())
	}

	var v3 bytes.Buffer
	w, err := NewWriter(&v3, r.Info())
	if err != nil {
		b.Fatal(err)
	}
	var recs []rec2
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			b.Fatal(err)
		}
		addr := davisAddr(346, 260, uint32(e.X), uint32(e.Y), e.On)
		recs = append(recs, rec2{addr, uint32(e.Time)})
	}
	if err := w.Close(); err != nil {
		b.Fatal(err)
	}
	v2 := build2([]byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.DAVIS346B\r\n"),
		recs...)

	for _, c := range []struct {
		version string
		data    []byte
	}{{"2.0", v2}, {"3.1", v3.Bytes()}, {"4.0", realV4(b)}} {
		b.Run(c.version, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			var n int
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(c.data), "bench.aedat")
				if err != nil {
					b.Fatal(err)
				}
				for r.Next() {
					n++
				}
				if err := r.Err(); err != nil {
					b.Fatal(err)
				}
			}
			if n%len(evs) != 0 {
				b.Fatalf("decoded %d events, not a multiple of %d", n, len(evs))
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

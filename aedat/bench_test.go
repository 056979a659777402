package aedat

import (
	"bytes"
	"testing"
)

// benchFiles returns the events of the real DAVIS346 recording and the recording in each
// version: the 4.0 file as recorded (LZ4), and the same events re-encoded as 3.1 and as
// 2.0 with DAVIS addresses.
func benchFiles(b *testing.B) (evs []Event, files []benchFile) {
	f := bytes.NewReader(realV4(b))
	r, err := NewReader(f, v4RealFile)
	if err != nil {
		b.Fatal(err)
	}
	evs = readAll(r)
	if r.Err() != nil {
		b.Fatal(r.Err())
	}

	v3, _ := encode3(b, r.Info(), evs)
	var recs []rec2
	for _, e := range evs {
		addr := davisAddr(346, 260, uint32(e.X), uint32(e.Y), e.On)
		recs = append(recs, rec2{addr, uint32(e.Time)})
	}
	v2 := build2([]byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.DAVIS346B\r\n"),
		recs...)
	return evs, []benchFile{{"2.0", v2}, {"3.1", v3}, {"4.0", realV4(b)}}
}

type benchFile struct {
	version string
	data    []byte
}

// benchDecode runs drain, which returns the number of events it read from r, over each
// file, and reports events/s per core.
func benchDecode(b *testing.B, drain func(r Reader) int) {
	evs, files := benchFiles(b)
	for _, c := range files {
		b.Run(c.version, func(b *testing.B) {
			b.SetBytes(int64(len(c.data)))
			b.ReportAllocs()
			var n int
			for b.Loop() {
				r, err := NewReader(bytes.NewReader(c.data), "bench.aedat")
				if err != nil {
					b.Fatal(err)
				}
				n += drain(r)
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

// BenchmarkDecode decodes the polarity events of the real DAVIS346 recording in each
// version with Read, 4096 events at a time, the fastest way to stream them. It reports
// events/s per core.
func BenchmarkDecode(b *testing.B) {
	buf := make([]Event, 4096)
	benchDecode(b, func(r Reader) int {
		n := 0
		for k := r.Read(buf); k > 0; k = r.Read(buf) {
			n += k
		}
		return n
	})
}

// BenchmarkDecodeNext is BenchmarkDecode with Next and Event, one event at a time.
func BenchmarkDecodeNext(b *testing.B) {
	benchDecode(b, func(r Reader) int {
		n := 0
		for r.Next() {
			_ = r.Event()
			n++
		}
		return n
	})
}

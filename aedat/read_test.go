package aedat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"reflect"
	"testing"
	"testing/iotest"
)

// decoded is everything a Reader told about a file.
type decoded struct {
	evs     []Event
	err     string // Err().Error(), or ""
	skipped map[string]int64
	back    int64
}

func (d decoded) equal(e decoded) bool {
	return reflect.DeepEqual(d.evs, e.evs) && d.err == e.err &&
		reflect.DeepEqual(d.skipped, e.skipped) && d.back == e.back
}

// finish completes d from r, which has returned its last event, and checks that r
// stays stopped.
func finish(t *testing.T, r Reader, d decoded) decoded {
	t.Helper()
	if err := r.Err(); err != nil {
		d.err = err.Error()
	}
	d.skipped = r.Skipped()
	d.back, _ = Backwards(r)
	buf := make([]Event, 8)
	if r.Read(buf) != 0 || r.Next() || r.Read(buf) != 0 {
		t.Error("the reader returned events after it stopped")
	}
	if err := r.Err(); (err == nil) != (d.err == "") || err != nil && err.Error() != d.err {
		t.Errorf("Err changed after the reader stopped: %v, was %q", err, d.err)
	}
	return d
}

func newTestReader(t *testing.T, data []byte) Reader {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), "test.aedat")
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// viaNext decodes data with Next.
func viaNext(t *testing.T, data []byte) decoded {
	t.Helper()
	r := newTestReader(t, data)
	return finish(t, r, decoded{evs: readAll(r)})
}

// viaRead decodes data with Read into a buffer of size events, checking that Err stays
// nil until Read returns 0.
func viaRead(t *testing.T, data []byte, size int) decoded {
	t.Helper()
	r := newTestReader(t, data)
	var d decoded
	buf := make([]Event, size)
	for {
		n := r.Read(buf)
		if n == 0 {
			break
		}
		if n > size {
			t.Fatalf("Read returned %d events into a buffer of %d", n, size)
		}
		if r.Err() != nil {
			t.Fatalf("Err = %v while Read returned %d events", r.Err(), n)
		}
		d.evs = append(d.evs, buf[:n]...)
	}
	return finish(t, r, d)
}

// viaMixed decodes data with Next and Read in turn, Read into buffers of 1 to 5 events.
func viaMixed(t *testing.T, data []byte) decoded {
	t.Helper()
	r := newTestReader(t, data)
	var d decoded
	var buf [5]Event
	for i := 0; ; i++ {
		if i%2 == 0 {
			if !r.Next() {
				break
			}
			d.evs = append(d.evs, r.Event())
			continue
		}
		n := r.Read(buf[:1+i%5])
		if n == 0 {
			break
		}
		d.evs = append(d.evs, buf[:n]...)
	}
	return finish(t, r, d)
}

// checkReadMatchesNext decodes data with Next, with Read in batches of several sizes
// and with both mixed, and fails unless all agree. It returns what Next gave.
func checkReadMatchesNext(t *testing.T, name string, data []byte) decoded {
	t.Helper()
	want := viaNext(t, data)
	for _, size := range []int{1, 3, 4096, 200_000} {
		if got := viaRead(t, data, size); !got.equal(want) {
			t.Errorf("%s: Read(%d): %d events, err %q, skipped %v, backwards %d; Next: "+
				"%d events, err %q, skipped %v, backwards %d", name, size, len(got.evs),
				got.err, got.skipped, got.back, len(want.evs), want.err, want.skipped,
				want.back)
		}
	}
	if got := viaMixed(t, data); !got.equal(want) {
		t.Errorf("%s: Next and Read mixed: %d events, err %q, skipped %v; Next: %d events,"+
			" err %q, skipped %v", name, len(got.evs), got.err, got.skipped, len(want.evs),
			want.err, want.skipped)
	}
	return want
}

// realFiles returns the real 4.0 recording and its events re-encoded in the other
// versions, with records of other kinds among them: 3.1 by the Writer, with a special
// packet, a frame packet and invalid events added; 2.0 DAVIS with APS, IMU and external
// events; 2.0 and 1.0 DVS128, the events folded onto 128x128, with special events.
func realFiles(t *testing.T) (evs []Event, files map[string][]byte) {
	r := newTestReader(t, realV4(t))
	evs = readAll(r)
	if r.Err() != nil || len(evs) == 0 {
		t.Fatalf("%d events, %v", len(evs), r.Err())
	}
	// Timestamps that go back now and then.
	for i := 250; i < len(evs); i += 500 {
		evs[i].Time, evs[i-1].Time = evs[i-1].Time, evs[i].Time+1
	}
	v3, _ := encode3(t, r.Info(), evs)
	v3b := appendPacket(v3, pkt3{0, 1, 8, 4, 0, 2, 2, 2}, make([]byte, 16))
	v3b = appendPacket(v3b, pkt3{2, 1, 100, 12, 0, 1, 1, 1}, make([]byte, 100))
	v3b = appendPacket(v3b, pkt3{1, 1, 8, 4, 0, 4, 3, 1},
		polPayload(evs[:4], 0, 2)) // two invalid events, and unused capacity

	var davis, dvs []rec2
	for i, e := range evs {
		davis = append(davis, rec2{davisAddr(346, 260, uint32(e.X), uint32(e.Y), e.On),
			uint32(e.Time)})
		dvs = append(dvs, rec2{dvs128Addr(uint32(e.X%128), uint32(e.Y%128), e.On),
			uint32(e.Time)})
		switch i % 1000 {
		case 10:
			davis = append(davis, rec2{1<<31 | 5, 1}, rec2{1<<31 | 3<<10, 1},
				rec2{1 << 10, 1})
			dvs = append(dvs, rec2{1 << 15, 1})
		}
	}
	davisHdr := []byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.DAVIS346B\r\n")
	v1 := []byte("# jAER file without a version line\r\n")
	for _, rec := range dvs {
		v1 = binary.BigEndian.AppendUint16(v1, uint16(rec.addr))
		v1 = binary.BigEndian.AppendUint32(v1, rec.ts)
	}
	return evs, map[string][]byte{
		"4.0":        realV4(t),
		"3.1":        v3b,
		"2.0 DAVIS":  build2(davisHdr, davis...),
		"2.0 DVS128": build2(jaerHeader(t, "dvs128_jaer_header_only.aedat"), dvs...),
		"1.0":        v1,
	}
}

// TestReadMatchesNext checks that Read returns the events of Next, with the same
// counts, on the real recording in every version.
func TestReadMatchesNext(t *testing.T) {
	evs, files := realFiles(t)
	for name, data := range files {
		d := checkReadMatchesNext(t, name, data)
		if d.err != "" || len(d.evs) < len(evs) {
			t.Errorf("%s: %d events, err %q; want %d or more, no error", name, len(d.evs),
				d.err, len(evs))
		}
		var back int64
		for i := 1; i < len(d.evs); i++ {
			if d.evs[i].Time < d.evs[i-1].Time {
				back++
			}
		}
		if d.back != back || name != "4.0" && back < int64(len(evs)/500) {
			t.Errorf("%s: Backwards = %d; the events go back %d times", name, d.back, back)
		}
	}
	// The counts of skipped records are those the files were made with.
	for name, want := range map[string]map[string]int64{
		"3.1":        {"special": 2, "frame": 1, "invalid": 2},
		"2.0 DAVIS":  {"aps": 118, "imu": 118, "special": 118},
		"2.0 DVS128": {"special": 118},
	} {
		if got := viaRead(t, files[name], 4096).skipped; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: skipped %v, want %v", name, got, want)
		}
	}
}

// TestReadFaults checks that Read returns the events before a fault, then 0 with the
// fault that Next reports, for faults in the middle of a batch.
func TestReadFaults(t *testing.T) {
	_, files := realFiles(t)
	v3 := files["3.1"]
	h := int(newTestReader(t, v3).Info().HeaderBytes)
	const pkt = v3HeaderSize + writerPacketEvents*v3PolaritySize
	for k := range 4 { // the Writer fills its packets
		if n := binary.LittleEndian.Uint32(v3[h+k*pkt+20:]); n != writerPacketEvents {
			t.Fatalf("packet %d holds %d events, want %d", k, n, writerPacketEvents)
		}
	}

	// A 3.1 file cut inside the events of its third packet keeps the whole events
	// before the cut.
	for _, cut := range []int{h + 2*pkt + v3HeaderSize + 8*1000 + 5, h + 2*pkt + 10,
		h + 2*pkt + v3HeaderSize} {
		d := checkReadMatchesNext(t, "3.1 cut", v3[:cut])
		want := 2 * writerPacketEvents
		if cut > h+2*pkt+v3HeaderSize {
			want += (cut - h - 2*pkt - v3HeaderSize) / 8
		}
		if len(d.evs) != want || d.err == "" {
			t.Errorf("3.1 cut at %d: %d events, err %q; want %d and a fault", cut,
				len(d.evs), d.err, want)
		}
	}

	// Faulty events in the middle of a packet.
	bad := bytes.Clone(v3)
	at := h + pkt + v3HeaderSize + 8*77
	binary.LittleEndian.PutUint32(bad[at:], 347<<17|1) // x = 347 on a DAVIS346
	if d := checkReadMatchesNext(t, "3.1 outside", bad); len(d.evs) != writerPacketEvents+77 ||
		d.err == "" {
		t.Errorf("3.1 outside: %d events, err %q", len(d.evs), d.err)
	}
	bad = bytes.Clone(v3)
	binary.LittleEndian.PutUint32(bad[at+4:], 1<<31)
	if d := checkReadMatchesNext(t, "3.1 negative", bad); len(d.evs) != writerPacketEvents+77 ||
		d.err == "" {
		t.Errorf("3.1 negative time: %d events, err %q", len(d.evs), d.err)
	}

	// 2.0: a pixel outside the sensor, and a cut record.
	// Record 5000 is event 4985, after 15 records of other kinds; record 7000 is event
	// 6979, after 21.
	davis := files["2.0 DAVIS"]
	dh := int(newTestReader(t, davis).Info().HeaderBytes)
	bad = bytes.Clone(davis)
	binary.BigEndian.PutUint32(bad[dh+8*5000:], 346<<12)
	if d := checkReadMatchesNext(t, "2.0 outside", bad); len(d.evs) != 5000-15 ||
		d.err == "" {
		t.Errorf("2.0 outside: %d events, err %q", len(d.evs), d.err)
	}
	if d := checkReadMatchesNext(t, "2.0 cut", davis[:dh+8*7000+3]); len(d.evs) != 7000-21 ||
		d.err == "" {
		t.Errorf("2.0 cut: %d events, err %q", len(d.evs), d.err)
	}
	v1 := files["1.0"]
	if d := checkReadMatchesNext(t, "1.0 cut", v1[:len(v1)-2]); d.err == "" {
		t.Errorf("1.0 cut: err %q", d.err)
	}

	// 4.0: the real file cut at several places, and an event outside the sensor.
	v4 := realV4(t)
	_, _, _, layout := v4Layout(t, v4)
	for i := len(layout) / 2; i < len(layout); i += 3 {
		p := layout[i]
		for _, cut := range []int64{p.off + 3, p.off + 8 + int64(p.size)/2} {
			if d := checkReadMatchesNext(t, "4.0 cut", v4[:cut]); d.err == "" {
				t.Errorf("4.0 cut at %d: err %q", cut, d.err)
			}
		}
	}
	evs := make([]Event, 5000)
	for i := range evs {
		evs[i] = Event{Time: int64(i), X: uint16(i % 346), Y: uint16(i % 260)}
	}
	evs[4321].X = 346
	f := buildV4(t, v4CompressLZ4, v4Info(346, 260), true, []v4Packet{
		{0, fbEventPacket(evs[:1000])}, {0, fbEventPacket(evs[1000:])}})
	if d := checkReadMatchesNext(t, "4.0 outside", f); len(d.evs) != 4321 || d.err == "" {
		t.Errorf("4.0 outside: %d events, err %q", len(d.evs), d.err)
	}

	// An error of the underlying reader after many events, 9 of them in a packet that
	// breaks off.
	boom := errors.New("boom")
	in := io.MultiReader(bytes.NewReader(v3[:h+3*pkt+100]), iotest.ErrReader(boom))
	r, err := NewReader(in, "boom")
	if err != nil {
		t.Fatal(err)
	}
	buf := make([]Event, 1000)
	total := 0
	for n := r.Read(buf); n > 0; n = r.Read(buf) {
		total += n
	}
	if want := 3*writerPacketEvents + (100-v3HeaderSize)/8; total != want ||
		!errors.Is(r.Err(), boom) {
		t.Errorf("%d events, err %v; want %d and boom", total, r.Err(), want)
	}
}

// TestReadEmpty checks that Read into an empty slice returns 0 and changes nothing.
func TestReadEmpty(t *testing.T) {
	_, files := realFiles(t)
	for name, data := range files {
		r := newTestReader(t, data)
		if r.Read(nil) != 0 || !r.Next() || r.Read([]Event{}) != 0 || r.Err() != nil {
			t.Errorf("%s: Read(nil) stopped the reader: %v", name, r.Err())
		}
		if want := viaNext(t, data).evs[1]; !r.Next() || r.Event() != want {
			t.Errorf("%s: event %+v after Read(nil), want %+v", name, r.Event(), want)
		}
	}
}

// FuzzReadMatchesNext checks that Read and Next agree on any input.
func FuzzReadMatchesNext(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if _, err := NewReader(bytes.NewReader(data), "fuzz"); err != nil {
			return
		}
		checkReadMatchesNext(t, "fuzz", data)
	})
}

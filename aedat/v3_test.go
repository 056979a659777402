package aedat

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
)

func TestV3Events(t *testing.T) {
	p1 := []Event{
		{Time: 1, X: 0, Y: 0, On: true},
		{Time: 2, X: 127, Y: 127, On: false},
		{Time: 1<<31 - 1, X: 5, Y: 6, On: true},
	}
	p2 := []Event{{Time: 1<<31 | 7, X: 9, Y: 10, On: false}}
	b := v3Header("DVS128")
	hdrLen := int64(len(b))
	b = appendPacket(b, pkt3{0, 1, 8, 4, 0, 2, 2, 2}, make([]byte, 16)) // special
	b = polPacket(b, 0, p1)
	b = appendPacket(b, pkt3{2, 1, 100, 12, 0, 1, 1, 1}, make([]byte, 100)) // frame
	b = appendPacket(b, pkt3{3, 1, 36, 4, 0, 2, 2, 2}, make([]byte, 72))    // imu6
	b = appendPacket(b, pkt3{42, 1, 4, 0, 0, 3, 3, 3}, make([]byte, 12))    // unknown
	// One invalid event, and capacity beyond eventNumber.
	inv := []Event{{Time: 1<<31 | 6, X: 1, Y: 1, On: true}, p2[0], {}}
	b = appendPacket(b, pkt3{1, 1, 8, 4, 1, 3, 2, 1}, polPayload(inv, 0))
	r, got, err := decode(t, b)
	if err != nil {
		t.Fatal(err)
	}
	want := Info{Version: "3.1", Chip: "DVS128", Width: 128, Height: 128, HeaderBytes: hdrLen}
	if r.Info() != want {
		t.Errorf("Info = %+v, want %+v", r.Info(), want)
	}
	if w := append(append([]Event(nil), p1...), p2...); !reflect.DeepEqual(got, w) {
		t.Errorf("events\n got %v\nwant %v", got, w)
	}
	wantSkip := map[string]int64{"special": 2, "frame": 1, "imu6": 2, "type 42": 3,
		"invalid": 1}
	if s := r.Skipped(); !reflect.DeepEqual(s, wantSkip) {
		t.Errorf("Skipped = %v, want %v", s, wantSkip)
	}
}

func TestV3Sources(t *testing.T) {
	tests := []struct {
		name, header  string
		chip          string
		width, height int
	}{
		{"DVS128", "#Source 1: DVS128\r\n", "DVS128", 128, 128},
		{"DAVIS346B", "#Source 2: DAVIS346B\r\n", "DAVIS346B", 346, 260},
		{"old source ignored", "#-Source 0: DVS128\r\n#Source 1: DAVIS240C\r\n",
			"DAVIS240C", 240, 180},
		{"unknown", "#Source 1: Prophesee\r\n", "", 0, 0},
		{"none", "", "", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := "#!AER-DAT3.1\r\n#Format: RAW\r\n" + tt.header + "#!END-HEADER\r\n"
			r, err := NewReader(strings.NewReader(h), "s")
			if err != nil {
				t.Fatal(err)
			}
			i := r.Info()
			if i.Chip != tt.chip || i.Width != tt.width || i.Height != tt.height {
				t.Errorf("Info = %+v", i)
			}
		})
	}
}

// TestV3Backwards checks that events whose time goes back are returned in file order
// and counted.
func TestV3Backwards(t *testing.T) {
	evs := []Event{
		{Time: 100, X: 1, Y: 1, On: true},
		{Time: 90, X: 2, Y: 2, On: true},
		{Time: 95, X: 3, Y: 3, On: false},
		{Time: 95, X: 4, Y: 4, On: false},
	}
	b := polPacket(v3Header("DVS128"), 0, evs[:2])
	b = polPacket(b, 0, evs[2:])
	b = polPacket(b, 0, []Event{{Time: 10, X: 5, Y: 5}})
	r, got, err := decode(t, b)
	if err != nil {
		t.Fatal(err)
	}
	want := append(evs, Event{Time: 10, X: 5, Y: 5})
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v (file order)", got, want)
	}
	if n, ok := Backwards(r); !ok || n != 2 {
		t.Errorf("Backwards = %d, %v; want 2, true", n, ok)
	}
}

func TestV3Bad(t *testing.T) {
	hdr := v3Header("DVS128")
	h := int64(len(hdr))
	ev := []Event{{Time: 1, X: 1, Y: 2, On: true}, {Time: 2, X: 3, Y: 4}}
	good := polPacket(nil, 0, ev)
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	tests := []struct {
		name   string
		data   []byte
		kind   string // "format" or "unsupported"
		events int
		off    int64
		msg    string
	}{
		{"truncated last packet", cat(hdr, good, good[:28+8+5]), "format", 3,
			h + 28 + 16 + 28 + 8, "truncated"},
		{"truncated packet header", cat(hdr, good, good[:10]), "format", 2, h + 44,
			"truncated"},
		{"skipped packet past end of file",
			cat(hdr, good, appendPacket(nil, pkt3{2, 1, 1000, 4, 0, 1000, 1000, 1000},
				make([]byte, 50))), "format", 2, h + 44, "past the end"},
		{"capacity 2^31 wraps negative",
			cat(hdr, good, appendPacket(nil, pkt3{1, 1, 8, 4, 0, -1 << 31, 0, 0}, nil)),
			"format", 2, h + 44, "negative"},
		{"size product over the cap",
			cat(hdr, appendPacket(nil, pkt3{2, 1, 1 << 20, 4, 0, 1 << 30, 1, 1}, nil)),
			"format", 0, h, "limit"},
		{"largest int32 product",
			cat(hdr, appendPacket(nil, pkt3{5, 1, 1<<31 - 1, 4, 0, 1<<31 - 1, 0, 0}, nil)),
			"format", 0, h, "limit"},
		{"polarity eventSize 12",
			cat(hdr, appendPacket(nil, pkt3{1, 1, 12, 4, 0, 1, 1, 1}, make([]byte, 12))),
			"format", 0, h, "eventSize 12"},
		{"polarity eventTSOffset 0",
			cat(hdr, appendPacket(nil, pkt3{1, 1, 8, 0, 0, 1, 1, 1}, make([]byte, 8))),
			"format", 0, h, "eventTSOffset 0"},
		{"eventSize 0", cat(hdr, appendPacket(nil, pkt3{2, 1, 0, 0, 0, 1, 1, 1}, nil)),
			"format", 0, h, "eventSize 0"},
		{"number over capacity",
			cat(hdr, appendPacket(nil, pkt3{1, 1, 8, 4, 0, 1, 2, 2}, make([]byte, 16))),
			"format", 0, h, "out of order"},
		{"x outside DVS128",
			cat(hdr, good, polPacket(nil, 0, []Event{ev[0], {Time: 5, X: 128, Y: 0}})),
			"format", 3, h + 44 + 28 + 8, "outside"},
		{"y outside DVS128",
			cat(hdr, polPacket(nil, 0, []Event{{Time: 5, X: 0, Y: 300}})),
			"format", 0, h + 28, "outside"},
		{"negative timestamp",
			cat(hdr, appendPacket(nil, pkt3{1, 1, 8, 4, 0, 1, 1, 1},
				[]byte{1, 0, 0, 0, 0, 0, 0, 0x80})), "format", 0, h + 28, "negative timestamp"},
		{"no end of header", []byte("#!AER-DAT3.1\r\n#Format: RAW\r\n"), "format", 0, 28,
			"END-HEADER"},
		{"binary before end of header", []byte("#!AER-DAT3.1\r\n\x01\x02"), "format", 0, 14,
			"END-HEADER"},
		{"format not RAW",
			[]byte("#!AER-DAT3.1\r\n#Format: SerializedTS\r\n#!END-HEADER\r\n"),
			"unsupported", 0, 0, "SerializedTS"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := decode(t, tt.data)
			if errKind(err) != tt.kind || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want %s error with %q", err, tt.kind, tt.msg)
			}
			if len(got) != tt.events {
				t.Errorf("%d events before the fault, want %d", len(got), tt.events)
			}
			if off := errOffset(err); off != tt.off {
				t.Errorf("offset %d, want %d", off, tt.off)
			}
		})
	}
}

// TestV3FlatMemory checks that reading allocates nothing per packet or event.
func TestV3FlatMemory(t *testing.T) {
	evs := make([]Event, 200_000)
	for i := range evs {
		evs[i] = Event{Time: int64(i) * 50000, X: uint16(i % 128), Y: 7}
	}
	data, _ := encode3(t, Info{Chip: "DVS128"}, evs)
	var n int
	allocs := testing.AllocsPerRun(3, func() {
		r, _ := NewReader(bytes.NewReader(data), "big")
		n = 0
		for r.Next() {
			n++
		}
		if r.Err() != nil {
			t.Fatal(r.Err())
		}
	})
	if n != 200_000 {
		t.Fatalf("%d events", n)
	}
	if allocs > 40 {
		t.Errorf("%v allocations to read %d bytes; want a bounded number", allocs, len(data))
	}
}

// TestV3SkipCountsWhatArrived checks that a skipped packet that breaks off is not counted
// with the records its header promised.
func TestV3SkipCountsWhatArrived(t *testing.T) {
	data := polPacket(v3Header("DVS128"), 0, []Event{{Time: 1, X: 3, Y: 4, On: true}})
	data = appendPacket(data, pkt3{0, 1, 8, 4, 0, 1000000, 1000000, 1000000},
		make([]byte, 80))
	r, evs, err := decode(t, data)
	if len(evs) != 1 || errKind(err) != "format" || !strings.Contains(err.Error(), "trunc") {
		t.Fatalf("%d events, error %v; want 1 event and a truncation", len(evs), err)
	}
	if n := r.Skipped()["special"]; n != 0 {
		t.Errorf("Skipped()[special] = %d for a packet that broke off", n)
	}
}

// TestV3UndeclaredSource checks that events of a source the header does not declare are
// held to the file's sensor.
func TestV3UndeclaredSource(t *testing.T) {
	ev := []Event{{Time: 5, X: 500, Y: 500, On: true}}
	data := appendPacket(v3Header("DVS128"), pkt3{1, 7, 8, 4, 0, 1, 1, 1}, polPayload(ev))
	_, evs, err := decode(t, data)
	if len(evs) != 0 || errKind(err) != "format" || !strings.Contains(err.Error(), "outside") {
		t.Errorf("%d events, error %v; want a pixel-outside-sensor fault", len(evs), err)
	}
}

package aedat

import (
	"encoding/binary"
	"reflect"
	"strings"
	"testing"
)

func TestRealJAERHeaders(t *testing.T) {
	tests := []struct {
		file          string
		chip          string
		width, height int
		placeholder   int64 // "$" records the placeholder line decodes to, all "special"
	}{
		{"dvs128_jaer_header_only.aedat", "DVS128", 128, 128, 4},
		{"davis240c_jaer_header_only.aedat", "DAVIS240C", 240, 180, 3},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			hdr := jaerHeader(t, tt.file)
			r, evs, err := decode(t, hdr)
			if err != nil {
				t.Fatalf("header alone: %v", err)
			}
			want := Info{Version: "2.0", Chip: tt.chip, Width: tt.width, Height: tt.height,
				HeaderBytes: int64(len(hdr))}
			if got := r.Info(); got != want {
				t.Errorf("Info = %+v, want %+v", got, want)
			}
			if len(evs) != 0 || len(r.Skipped()) != 0 {
				t.Errorf("%d events, skipped %v; want none", len(evs), r.Skipped())
			}

			// The whole file: its placeholder line of '$' bytes is not a whole number of
			// records. The records decode as special events; the tail is truncation.
			full := readTestdata(t, tt.file)
			r, evs, err = decode(t, full)
			if errKind(err) != "format" || !strings.Contains(err.Error(), "truncated") {
				t.Fatalf("whole file: err = %v, want truncation", err)
			}
			if off := errOffset(err); off != int64(len(hdr))+8*tt.placeholder {
				t.Errorf("offset %d, want %d", off, int64(len(hdr))+8*tt.placeholder)
			}
			if len(evs) != 0 || r.Skipped()["special"] != tt.placeholder {
				t.Errorf("%d events, skipped %v", len(evs), r.Skipped())
			}
		})
	}
}

func TestV2DVS128Events(t *testing.T) {
	hdr := jaerHeader(t, "dvs128_jaer_header_only.aedat")
	want := []Event{
		{Time: 10, X: 0, Y: 0, On: true},
		{Time: 11, X: 127, Y: 0, On: false},
		{Time: 12, X: 0, Y: 127, On: true},
		{Time: 13, X: 5, Y: 100, On: false},
		{Time: 1 << 30, X: 64, Y: 64, On: true},
	}
	var recs []rec2
	for i, e := range want {
		recs = append(recs, rec2{dvs128Addr(uint32(e.X), uint32(e.Y), e.On), uint32(e.Time)})
		if i == 2 {
			recs = append(recs, rec2{1 << 15, 12}) // external sync event
		}
	}
	r, got, err := decode(t, build2(hdr, recs...))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
	if s := r.Skipped(); !reflect.DeepEqual(s, map[string]int64{"special": 1}) {
		t.Errorf("Skipped = %v", s)
	}
}

func TestV2DVS128RawLayout(t *testing.T) {
	// Raw address 0: raw x = raw y = 0, polarity bit clear. jAER: x = 127, y = 0 from
	// the bottom, ON. Top-left: (127, 127), ON.
	hdr := jaerHeader(t, "dvs128_jaer_header_only.aedat")
	_, got, err := decode(t, build2(hdr, rec2{0, 5}, rec2{0x7F<<8 | 0x7F<<1 | 1, 6}))
	if err != nil {
		t.Fatal(err)
	}
	want := []Event{{Time: 5, X: 127, Y: 127, On: true}, {Time: 6, X: 0, Y: 0, On: false}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestV2DAVISEvents(t *testing.T) {
	hdr := jaerHeader(t, "davis240c_jaer_header_only.aedat")
	w, h := uint32(240), uint32(180)
	want := []Event{
		{Time: 100, X: 0, Y: 0, On: true},
		{Time: 101, X: 239, Y: 179, On: false},
		{Time: 102, X: 17, Y: 33, On: true},
	}
	recs := []rec2{
		{davisAddr(w, h, 0, 0, true), 100},
		{1<<31 | 5, 100},     // APS sample
		{1<<31 | 3<<10, 100}, // IMU sample
		{1<<31 | 1<<10, 100}, // APS, readout cycle 1
		{davisAddr(w, h, 239, 179, false), 101},
		{1 << 10, 101}, // external input event
		{davisAddr(w, h, 17, 33, true), 102},
	}
	r, got, err := decode(t, build2(hdr, recs...))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("events\n got %v\nwant %v", got, want)
	}
	wantSkip := map[string]int64{"aps": 2, "imu": 1, "special": 1}
	if s := r.Skipped(); !reflect.DeepEqual(s, wantSkip) {
		t.Errorf("Skipped = %v, want %v", s, wantSkip)
	}
	// Raw (0, 0) with bit 11 set is the bottom-right pixel in top-left coordinates, ON.
	_, got, _ = decode(t, build2(hdr, rec2{1 << 11, 7}))
	if want := []Event{{Time: 7, X: 239, Y: 179, On: true}}; !reflect.DeepEqual(got, want) {
		t.Errorf("raw 0x800: got %v, want %v", got, want)
	}
}

func TestV2ChipDetection(t *testing.T) {
	tests := []struct {
		name, chipLine string
		chip           string
		w, h           int
		err            string
	}{
		{"none is DVS128", "", "DVS128", 128, 128, "nil"},
		{"DVS128", "# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128", "DVS128", 128, 128, "nil"},
		{"Tmpdiff128", "# AEChip: ch.unizh.ini.jaer.chip.retina.Tmpdiff128",
			"TMPDIFF128", 128, 128, "nil"},
		{"DAVIS240C", "# AEChip: eu.seebetter.ini.chips.davis.DAVIS240C",
			"DAVIS240C", 240, 180, "nil"},
		{"Davis346B", "# AEChip: eu.seebetter.ini.chips.davis.Davis346B",
			"DAVIS346B", 346, 260, "nil"},
		{"no space", "#AEChip: eu.seebetter.ini.chips.davis.Davis346red",
			"DAVIS346RED", 346, 260, "nil"},
		{"unknown chip", "# AEChip: eu.seebetter.ini.chips.davis.Davis640", "", 0, 0,
			"unsupported"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hdr := "#!AER-DAT2.0\n# This is a raw AE data file\n"
			if tt.chipLine != "" {
				hdr += tt.chipLine + "\n"
			}
			r, err := NewReader(strings.NewReader(hdr), "x.aedat")
			if errKind(err) != tt.err {
				t.Fatalf("err = %v, want %s", err, tt.err)
			}
			if err != nil {
				return
			}
			i := r.Info()
			if i.Chip != tt.chip || i.Width != tt.w || i.Height != tt.h {
				t.Errorf("Info = %+v", i)
			}
		})
	}
}

func TestV2HeaderEnd(t *testing.T) {
	ev := rec2{dvs128Addr(1, 2, true), 9}
	want := []Event{{Time: 9, X: 1, Y: 2, On: true}}
	tests := []struct {
		name   string
		header string
		recs   []rec2
		want   []Event
		skip   int64 // special events
	}{
		{"LF", "#!AER-DAT2.0\n# a\n", []rec2{ev}, want, 0},
		{"CRLF", "#!AER-DAT2.0\r\n# a\r\n", []rec2{ev}, want, 0},
		// A special event 0x23xxxxxx starts with '#'. After the jAER end line it is data.
		{"hash after end line", "#!AER-DAT2.0\r\n#End Of ASCII Header\r\n",
			[]rec2{{0x230A0000, 1}, ev}, want, 1},
		// Without the end line, the control bytes mark it as binary.
		{"binary hash", "#!AER-DAT2.0\r\n# a\r\n", []rec2{{0x23010203, 1}, ev}, want, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := build2([]byte(tt.header), tt.recs...)
			r, got, err := decode(t, data)
			if err != nil {
				t.Fatal(err)
			}
			if r.Info().HeaderBytes != int64(len(tt.header)) {
				t.Errorf("HeaderBytes = %d, want %d", r.Info().HeaderBytes, len(tt.header))
			}
			if !reflect.DeepEqual(got, tt.want) || r.Skipped()["special"] != tt.skip {
				t.Errorf("got %v skipped %v, want %v", got, r.Skipped(), tt.want)
			}
		})
	}
}

func TestV2LongHeaderLine(t *testing.T) {
	long := "#" + strings.Repeat("x", 3*hdrBufSize) + "\r\n"
	hdr := "#!AER-DAT2.0\r\n" + long + "# AEChip: eu.seebetter.ini.chips.davis.DAVIS240C\r\n"
	r, err := NewReader(strings.NewReader(hdr), "long")
	if err != nil {
		t.Fatal(err)
	}
	if i := r.Info(); i.Chip != "DAVIS240C" || i.HeaderBytes != int64(len(hdr)) {
		t.Errorf("Info = %+v", i)
	}
}

func TestV1(t *testing.T) {
	var b []byte
	b = append(b, "# jAER file without a version line\r\n# more\r\n"...)
	want := []Event{{Time: 3, X: 10, Y: 20, On: true}, {Time: 4, X: 127, Y: 0, On: false}}
	for _, e := range want {
		b = binary.BigEndian.AppendUint16(b, uint16(dvs128Addr(uint32(e.X), uint32(e.Y), e.On)))
		b = binary.BigEndian.AppendUint32(b, uint32(e.Time))
	}
	b = binary.BigEndian.AppendUint16(b, 0x8000) // sync event
	b = binary.BigEndian.AppendUint32(b, 5)
	r, got, err := decode(t, b)
	if err != nil {
		t.Fatal(err)
	}
	if i := r.Info(); i.Version != "1.0" || i.Chip != "DVS128" || i.Width != 128 {
		t.Errorf("Info = %+v", i)
	}
	if !reflect.DeepEqual(got, want) || r.Skipped()["special"] != 1 {
		t.Errorf("got %v, skipped %v", got, r.Skipped())
	}
	// Truncated last record.
	_, got, err = decode(t, b[:len(b)-3])
	if errKind(err) != "format" || len(got) != 2 {
		t.Errorf("truncated: %d events, err %v", len(got), err)
	}
}

func TestV2Bad(t *testing.T) {
	dvs := []byte("#!AER-DAT2.0\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n")
	davis := []byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.DAVIS240C\r\n")
	good := rec2{dvs128Addr(3, 4, true), 1}
	gDavis := rec2{davisAddr(240, 180, 3, 4, true), 1}
	tests := []struct {
		name   string
		data   []byte
		events int
		off    int64 // offset of the fault
		msg    string
	}{
		{"truncated record", build2(dvs, good, good)[:len(dvs)+13], 1, int64(len(dvs)) + 8,
			"truncated"},
		{"one byte of record", append(build2(dvs, good), 0), 1, int64(len(dvs)) + 8,
			"truncated"},
		{"x outside DAVIS240", build2(davis, gDavis, rec2{240 << 12, 2}), 1,
			int64(len(davis)) + 8, "outside"},
		{"y outside DAVIS240", build2(davis, gDavis, gDavis, rec2{180 << 22, 2}), 2,
			int64(len(davis)) + 16, "outside"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, got, err := decode(t, tt.data)
			if errKind(err) != "format" || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want a FormatError with %q", err, tt.msg)
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

func TestV2Backwards(t *testing.T) {
	hdr := jaerHeader(t, "dvs128_jaer_header_only.aedat")
	a := dvs128Addr(1, 1, true)
	r, got, err := decode(t, build2(hdr, rec2{a, 5}, rec2{a, 3}, rec2{a, 3}, rec2{a, 1}))
	if err != nil {
		t.Fatal(err)
	}
	if n, ok := Backwards(r); !ok || n != 2 {
		t.Errorf("Backwards = %d, %v; want 2", n, ok)
	}
	if got[0].Time != 5 || got[3].Time != 1 {
		t.Errorf("events reordered: %v", got)
	}
}

package aedat

import (
	"bytes"
	"errors"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// roundTrip writes evs as an AEDAT 3.1 file described by info and reads it back.
// encode3 writes evs as an AEDAT 3.1 file with a Writer for info, and returns the file
// and the Writer.
func encode3(tb testing.TB, info Info, evs []Event) ([]byte, *Writer) {
	tb.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, info)
	if err != nil {
		tb.Fatal(err)
	}
	for _, e := range evs {
		if err := w.Write(e); err != nil {
			tb.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes(), w
}

func roundTrip(t *testing.T, info Info, evs []Event) (*Writer, Reader, []Event) {
	t.Helper()
	data, w := encode3(t, info, evs)
	r, got, err := decode(t, data)
	if err != nil {
		t.Fatal(err)
	}
	return w, r, got
}

func TestWriterRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		info Info
		want Info
	}{
		{"DVS128 by name", Info{Chip: "DVS128"}, Info{Chip: "DVS128", Width: 128, Height: 128}},
		{"DAVIS346 by size", Info{Width: 346, Height: 260},
			Info{Chip: "DAVIS346", Width: 346, Height: 260}},
		{"DAVIS240C by name and size", Info{Chip: "DAVIS240C", Width: 240, Height: 180},
			Info{Chip: "DAVIS240C", Width: 240, Height: 180}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var evs []Event
			// More than one packet, a timestamp that goes back, and times across
			// several 2^31 µs overflows.
			for i := range 9000 {
				evs = append(evs, Event{
					Time: int64(i) * 997,
					X:    uint16(i*7) % uint16(tt.want.Width),
					Y:    uint16(i*13) % uint16(tt.want.Height),
					On:   i%3 == 0,
				})
			}
			evs[5000].Time = 3
			evs = append(evs,
				Event{Time: 1<<31 - 1, X: 1, Y: 2, On: true},
				Event{Time: 1 << 31, X: uint16(tt.want.Width - 1), Y: uint16(tt.want.Height - 1)},
				Event{Time: 5<<31 + 12345, X: 0, Y: 0, On: true},
				Event{Time: 1<<31 + 1, X: 3, Y: 3},
			)
			w, r, got := roundTrip(t, tt.info, evs)
			if !reflect.DeepEqual(got, evs) {
				t.Fatalf("round trip changed the events (%d in, %d out)", len(evs), len(got))
			}
			i := r.Info()
			want := tt.want
			want.Version, want.HeaderBytes = "3.1", w.Info().HeaderBytes
			if i != want || w.Info() != want {
				t.Errorf("Info = %+v, writer %+v, want %+v", i, w.Info(), want)
			}
			if len(r.Skipped()) != 0 {
				t.Errorf("Skipped = %v", r.Skipped())
			}
		})
	}
}

func TestWriterErrors(t *testing.T) {
	for _, info := range []Info{{}, {Chip: "Prophesee"}, {Width: 100, Height: 100},
		{Chip: "DVS128", Width: 240, Height: 180}, {Chip: "DVS128\n#!END-HEADER"}} {
		if _, err := NewWriter(&bytes.Buffer{}, info); err == nil ||
			!strings.HasPrefix(err.Error(), "aedat: writer:") {
			t.Errorf("NewWriter(%+v): err = %v", info, err)
		}
	}
	w, err := NewWriter(&bytes.Buffer{}, Info{Chip: "DVS128"})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Event{{Time: -1}, {X: 128}, {Y: 128}, {Time: 1 << 62}} {
		if err := w.Write(e); err == nil {
			t.Errorf("Write(%+v) accepted", e)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if err := w.Write(Event{}); err == nil {
		t.Error("Write after Close accepted")
	}
}

type failWriter struct{ n int }

func (f *failWriter) Write(p []byte) (int, error) {
	if f.n -= len(p); f.n < 0 {
		return 0, errors.New("disk full")
	}
	return len(p), nil
}

func TestWriterIOError(t *testing.T) {
	w, err := NewWriter(&failWriter{n: 100}, Info{Chip: "DVS128"})
	if err != nil {
		t.Fatal(err)
	}
	for range 10000 {
		if err = w.Write(Event{Time: 1}); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil || err.Error() != "disk full" {
		t.Fatalf("err = %v, want disk full", err)
	}
	if err := w.Close(); err == nil {
		t.Error("Close after a failed write returned nil")
	}
}

// TestWriterRealRoundTrip re-encodes the real AEDAT 4.0 recording as AEDAT 3.1 and reads
// it back: the same 117,667 events, in the same order, on the same sensor.
func TestWriterRealRoundTrip(t *testing.T) {
	f, err := Open(filepath.Join("testdata", "davis346_aestream.aedat4"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := readAll(f)
	if err := f.Err(); err != nil || len(want) != 117667 {
		t.Fatalf("reading the 4.0 file: %d events, %v", len(want), err)
	}

	_, r, got := roundTrip(t, f.Info(), want)
	if info := r.Info(); info.Version != "3.1" || info.Width != 346 || info.Height != 260 {
		t.Errorf("3.1 copy: Info = %+v, want 3.1 346x260", info)
	}
	if !slices.Equal(got, want) {
		t.Errorf("3.1 copy holds %d events that differ from the %d of the 4.0 file",
			len(got), len(want))
	}
}

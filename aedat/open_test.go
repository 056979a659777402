package aedat

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
)

func TestNewReaderVersions(t *testing.T) {
	tests := []struct {
		name, in string
		kind     string // error kind, "nil" for none
		version  string
		msg      string
	}{
		{"2.0", "#!AER-DAT2.0\r\n", "nil", "2.0", ""},
		{"2.0 LF", "#!AER-DAT2.0\n# x\n", "nil", "2.0", ""},
		{"2.0 without line end", "#!AER-DAT2.0", "nil", "2.0", ""},
		{"3.1", "#!AER-DAT3.1\r\n#!END-HEADER\r\n", "nil", "3.1", ""},
		{"1.0", "# header of a 1.0 file\r\n", "nil", "1.0", ""},
		{"3.0", "#!AER-DAT3.0\r\n", "unsupported", "", `unknown version line "#!AER-DAT3.0"`},
		{"9.9", "#!AER-DAT9.9\r\n", "unsupported", "", "unknown version line"},
		{"2.0 with trailing text", "#!AER-DAT2.0x\r\n", "unsupported", "", "unknown version"},
		{"shebang", "#!/bin/sh\n", "format", "", "not an AEDAT file"},
		{"empty", "", "format", "", "empty"},
		{"text", "hello\n", "format", "", "not an AEDAT file"},
		{"binary", "\x00\x01\x02", "format", "", "not an AEDAT file"},
		{"empty first line", "\n#!AER-DAT2.0\n", "format", "", "not an AEDAT file"},
		{"4.0 corrupt IOHeader", "#!AER-DAT4.0\r\n\x01", "format", "", ""},
		{"4.0 cut short", "#!AER-DAT4", "format", "",
			`truncated: the file ends within its version line "#!AER-DAT4"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := NewReader(strings.NewReader(tt.in), "v.aedat")
			if errKind(err) != tt.kind {
				t.Fatalf("err = %v, want kind %s", err, tt.kind)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tt.msg) ||
					!strings.HasPrefix(err.Error(), "aedat: v.aedat: byte ") {
					t.Errorf("err = %q, want it to name the file and hold %q", err, tt.msg)
				}
				return
			}
			if r.Info().Version != tt.version {
				t.Errorf("version %q, want %q", r.Info().Version, tt.version)
			}
			if r.Next() || r.Err() != nil {
				t.Errorf("Next on an empty body: err %v", r.Err())
			}
		})
	}
}

// TestNewReaderOneByteReads checks that decoding does not depend on read sizes.
func TestNewReaderOneByteReads(t *testing.T) {
	hdr := jaerHeader(t, "davis240c_jaer_header_only.aedat")
	data := build2(hdr, rec2{davisAddr(240, 180, 1, 2, true), 5})
	r, err := NewReader(iotest.OneByteReader(bytes.NewReader(data)), "one")
	if err != nil {
		t.Fatal(err)
	}
	evs := readAll(r)
	if r.Err() != nil || len(evs) != 1 || evs[0] != (Event{Time: 5, X: 1, Y: 2, On: true}) {
		t.Errorf("events %v, err %v", evs, r.Err())
	}
}

func TestReadErrorPassesThrough(t *testing.T) {
	hdr := jaerHeader(t, "dvs128_jaer_header_only.aedat")
	boom := errors.New("boom")
	in := io.MultiReader(bytes.NewReader(build2(hdr, rec2{0, 1})), iotest.ErrReader(boom))
	r, err := NewReader(in, "x")
	if err != nil {
		t.Fatal(err)
	}
	if evs := readAll(r); len(evs) != 1 || !errors.Is(r.Err(), boom) {
		t.Errorf("%d events, err %v; want 1 and boom", len(evs), r.Err())
	}
}

func TestOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.aedat")
	data := polPacket(v3Header("DAVIS346"), 0, []Event{{Time: 4, X: 345, Y: 259, On: true}})
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	evs := readAll(f)
	if f.Err() != nil || len(evs) != 1 || f.Info().Width != 346 {
		t.Errorf("events %v, err %v, info %+v", evs, f.Err(), f.Info())
	}
	if n, ok := Backwards(f); !ok || n != 0 {
		t.Errorf("Backwards = %d, %v", n, ok)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	if _, err := Open(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: err = %v", err)
	}
	bad := filepath.Join(t.TempDir(), "bad.aedat")
	if err := os.WriteFile(bad, []byte("#!AER-DAT7.0\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(bad); errKind(err) != "unsupported" ||
		!strings.Contains(err.Error(), bad) {
		t.Errorf("unknown version: err = %v", err)
	}
}

// fuzzSeeds are the inputs FuzzNewReader starts from.
func fuzzSeeds(t testing.TB) [][]byte {
	dvs := jaerHeader(t, "dvs128_jaer_header_only.aedat")
	davis := []byte("#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.DAVIS240C\r\n")
	ev := []Event{{Time: 1, X: 1, Y: 2, On: true}, {Time: 2, X: 3, Y: 4}}
	seeds := [][]byte{
		readTestdata(t, "dvs128_jaer_header_only.aedat"),
		dvs,
		build2(dvs, rec2{dvs128Addr(1, 2, true), 3}, rec2{1 << 15, 4}),
		build2(davis, rec2{davisAddr(240, 180, 1, 2, true), 3}, rec2{1 << 31, 4}),
		polPacket(v3Header("DVS128"), 0, ev),
		appendPacket(polPacket(v3Header("DAVIS346B"), 1, ev),
			pkt3{2, 1, 16, 4, 0, 1, 1, 1}, make([]byte, 16)),
		appendPacket(v3Header("DVS128"), pkt3{1, 1, 8, 4, 0, 3, 2, 1}, polPayload(ev)),
		[]byte("# 1.0\r\n\x00\x02\x00\x00\x00\x05"),
		[]byte("#!AER-DAT4.0\r\n"),
		[]byte("#!AER-DAT3.0\r\n"),
	}
	if b, err := os.ReadFile(filepath.Join("testdata", "davis346_aestream.aedat4")); err == nil {
		seeds = append(seeds, b[:min(len(b), 4096)])
	}
	return seeds
}

func FuzzNewReader(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := NewReader(bytes.NewReader(data), "fuzz")
		if err != nil {
			if k := errKind(err); k != "format" && k != "unsupported" {
				t.Fatalf("NewReader error of kind %s: %v", k, err)
			}
			if off := errOffset(err); off < 0 || off > int64(len(data)) {
				t.Fatalf("error offset %d outside the %d-byte input: %v", off, len(data), err)
			}
			return
		}
		n := 0
		for r.Next() {
			if n++; n > len(data) {
				t.Fatalf("more events (%d) than input bytes", n)
			}
		}
		if err := r.Err(); err != nil {
			if k := errKind(err); k != "format" && k != "unsupported" {
				t.Fatalf("Err of kind %s: %v", k, err)
			}
			if off := errOffset(err); off < 0 || off > int64(len(data)) {
				t.Fatalf("error offset %d outside the %d-byte input: %v", off, len(data), err)
			}
		}
		if r.Next() {
			t.Fatal("Next returned true after returning false")
		}
	})
}

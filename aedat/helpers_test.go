package aedat

import (
	"bytes"
	"encoding/binary"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// readTestdata returns the contents of testdata/name.
func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// jaerHeader returns the text header of a real jAER file, without the placeholder line
// that replaced its events.
func jaerHeader(t testing.TB, name string) []byte {
	t.Helper()
	b := readTestdata(t, name)
	const end = "#End Of ASCII Header\r\n"
	i := bytes.Index(b, []byte(end))
	if i < 0 {
		t.Fatalf("%s: no %q line", name, end)
	}
	return b[:i+len(end)]
}

// rec2 is one AEDAT 2.0 record.
type rec2 struct{ addr, ts uint32 }

// build2 appends big-endian 2.0 records to a copy of header.
func build2(header []byte, recs ...rec2) []byte {
	b := append([]byte(nil), header...)
	for _, r := range recs {
		b = binary.BigEndian.AppendUint32(b, r.addr)
		b = binary.BigEndian.AppendUint32(b, r.ts)
	}
	return b
}

// dvs128Addr encodes e as a raw DVS128 address (see the orientation notes in v2.go).
func dvs128Addr(x, y uint32, on bool) uint32 {
	a := (127-y)<<8 | (127-x)<<1
	if !on {
		a |= 1
	}
	return a
}

// davisAddr encodes e as a raw DAVIS address for a w×h sensor.
func davisAddr(w, h, x, y uint32, on bool) uint32 {
	a := (h-1-y)<<22 | (w-1-x)<<12
	if on {
		a |= 1 << 11
	}
	return a
}

// v3Header is a minimal AEDAT 3.1 header for chip.
func v3Header(chip string) []byte {
	return []byte("#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: " + chip +
		"\r\n#Start-Time: 2017-01-01 10:00:00 (TZ+0100)\r\n#!END-HEADER\r\n")
}

// pkt3 is an AEDAT 3.1 packet header.
type pkt3 struct {
	typ, src                                       int16
	size, tsOff, overflow, capacity, number, valid int32
}

// appendPacket appends a packet header and payload to b.
func appendPacket(b []byte, h pkt3, payload []byte) []byte {
	le := binary.LittleEndian
	b = le.AppendUint16(b, uint16(h.typ))
	b = le.AppendUint16(b, uint16(h.src))
	for _, v := range []int32{h.size, h.tsOff, h.overflow, h.capacity, h.number, h.valid} {
		b = le.AppendUint32(b, uint32(v))
	}
	return append(b, payload...)
}

// polPayload encodes polarity events; valid[i] false marks event i invalid.
func polPayload(evs []Event, invalid ...int) []byte {
	var b []byte
	for i, e := range evs {
		d := uint32(e.Y)<<2 | uint32(e.X)<<17 | 1
		for _, j := range invalid {
			if i == j {
				d &^= 1
			}
		}
		if e.On {
			d |= 2
		}
		b = binary.LittleEndian.AppendUint32(b, d)
		b = binary.LittleEndian.AppendUint32(b, uint32(e.Time&(1<<31-1)))
	}
	return b
}

// polPacket is a full, valid polarity packet of source 1.
func polPacket(b []byte, overflow int32, evs []Event) []byte {
	n := int32(len(evs))
	return appendPacket(b, pkt3{1, 1, 8, 4, overflow, n, n, n}, polPayload(evs))
}

// readAll drains r.
func readAll(r Reader) []Event {
	var evs []Event
	for r.Next() {
		evs = append(evs, r.Event())
	}
	return evs
}

// decode runs NewReader on data and drains it.
func decode(t testing.TB, data []byte) (Reader, []Event, error) {
	t.Helper()
	r, err := NewReader(bytes.NewReader(data), "test.aedat")
	if err != nil {
		return nil, nil, err
	}
	evs := readAll(r)
	return r, evs, r.Err()
}

// errKind names the type of err: "format", "unsupported", "nil" or "other".
func errKind(err error) string {
	var fe *FormatError
	var ue *UnsupportedError
	switch {
	case err == nil:
		return "nil"
	case errors.As(err, &fe):
		return "format"
	case errors.As(err, &ue):
		return "unsupported"
	}
	return "other"
}

// errOffset returns the byte offset of a *FormatError or *UnsupportedError, or -1.
func errOffset(err error) int64 {
	var fe *FormatError
	var ue *UnsupportedError
	switch {
	case errors.As(err, &fe):
		return fe.Offset
	case errors.As(err, &ue):
		return ue.Offset
	}
	return -1
}

package aedat

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

const v4RealFile = "davis346_aestream.aedat4"

// readV4 returns a Reader for the AEDAT 4.0 file in data, after checking and consuming
// its version line as Open does.
func readV4(name string, data []byte) (Reader, error) {
	br := bufio.NewReader(bytes.NewReader(data))
	line := make([]byte, len(v4VersionLine))
	if _, err := br.Read(line); err != nil || string(line) != v4VersionLine {
		return nil, &FormatError{File: name, Offset: 0, Msg: "not AEDAT 4.0"}
	}
	return newV4Reader(br, name, int64(len(v4VersionLine)))
}

func realV4(tb testing.TB) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", v4RealFile))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// drain reads all events of r.
func drain(r Reader) []Event {
	var evs []Event
	for r.Next() {
		evs = append(evs, r.Event())
	}
	return evs
}

// v4Info is an info node declaring an event stream 0 of w×h pixels, frames on 1, IMU
// samples on 2 and triggers on 3, as the DV software writes it.
func v4Info(w, h int) string {
	stream := func(id int, kind, info string) string {
		return fmt.Sprintf(`<node name="%d" path="/o/%d/">
<attr key="compression" type="string">LZ4</attr>
<attr key="typeIdentifier" type="string">%s</attr>%s</node>`, id, id, kind, info)
	}
	return `<dv version="2.0"><node name="outInfo" path="/o/">` +
		stream(0, "EVTS", fmt.Sprintf(`<node name="info" path="/o/0/info/">
<attr key="sizeX" type="int">%d</attr><attr key="sizeY" type="int">%d</attr>
<attr key="source" type="string">DAVIS346_00000001</attr></node>`, w, h)) +
		stream(1, "FRME", "") + stream(2, "IMUS", "") + stream(3, "TRIG", "") +
		`</node></dv>`
}

// fbIOHeader builds a size-prefixed IOHeader flatbuffer.
func fbIOHeader(comp int32, tablePos int64, info string) []byte {
	b := make([]byte, 44, 48+len(info))
	binary.LittleEndian.PutUint32(b[0:], 20) // root table at 20
	copy(b[4:], "IOHE")
	// vtable at 8: its length, the table's length, then the fields' offsets.
	for i, v := range []uint16{10, 20, 4, 8, 16} {
		binary.LittleEndian.PutUint16(b[8+2*i:], v)
	}
	binary.LittleEndian.PutUint32(b[20:], 12) // soffset: vtable = 20 - 12
	binary.LittleEndian.PutUint32(b[24:], uint32(comp))
	binary.LittleEndian.PutUint64(b[28:], uint64(tablePos))
	binary.LittleEndian.PutUint32(b[36:], 4) // string at 40
	binary.LittleEndian.PutUint32(b[40:], uint32(len(info)))
	b = append(b, info...)
	b = append(b, 0)
	return sizePrefix(b)
}

// fbEventPacket builds a size-prefixed EventPacket flatbuffer.
func fbEventPacket(evs []Event) []byte {
	b := make([]byte, 28, 28+16*len(evs))
	binary.LittleEndian.PutUint32(b[0:], 16) // root table at 16
	copy(b[4:], "EVTS")
	binary.LittleEndian.PutUint16(b[8:], 6)  // vtable length
	binary.LittleEndian.PutUint16(b[10:], 8) // table length
	binary.LittleEndian.PutUint16(b[12:], 4) // elements at table+4
	binary.LittleEndian.PutUint32(b[16:], 8) // soffset: vtable = 16 - 8
	binary.LittleEndian.PutUint32(b[20:], 4) // vector at 24
	binary.LittleEndian.PutUint32(b[24:], uint32(len(evs)))
	for _, e := range evs {
		var s [16]byte
		binary.LittleEndian.PutUint64(s[0:], uint64(e.Time))
		binary.LittleEndian.PutUint16(s[8:], e.X)
		binary.LittleEndian.PutUint16(s[10:], e.Y)
		if e.On {
			s[12] = 1
		}
		b = append(b, s[:]...)
	}
	return sizePrefix(b)
}

func sizePrefix(b []byte) []byte {
	out := binary.LittleEndian.AppendUint32(nil, uint32(len(b)))
	return append(out, b...)
}

type v4Packet struct {
	stream int32
	data   []byte // uncompressed
}

func compress(tb testing.TB, comp int32, data []byte) []byte {
	tb.Helper()
	var out bytes.Buffer
	switch comp {
	case v4CompressNone:
		return data
	case v4CompressLZ4, v4CompressLZ4High:
		w := lz4.NewWriter(&out)
		if _, err := w.Write(data); err != nil {
			tb.Fatal(err)
		}
		if err := w.Close(); err != nil {
			tb.Fatal(err)
		}
	case v4CompressZstd, v4CompressZstdHigh:
		w, err := zstd.NewWriter(nil)
		if err != nil {
			tb.Fatal(err)
		}
		defer w.Close()
		return w.EncodeAll(data, nil)
	default:
		return data
	}
	return out.Bytes()
}

// buildV4 writes a whole AEDAT 4.0 file. With table set it appends a stand-in data table
// and points dataTablePosition at it; otherwise dataTablePosition is -1.
func buildV4(tb testing.TB, comp int32, info string, table bool, pkts []v4Packet) []byte {
	tb.Helper()
	var body []byte
	for _, p := range pkts {
		d := compress(tb, comp, p.data)
		body = binary.LittleEndian.AppendUint32(body, uint32(p.stream))
		body = binary.LittleEndian.AppendUint32(body, uint32(len(d)))
		body = append(body, d...)
	}
	hlen := int64(len(v4VersionLine) + len(fbIOHeader(comp, 0, info)))
	pos := int64(-1)
	if table {
		pos = hlen + int64(len(body))
	}
	out := append([]byte(v4VersionLine), fbIOHeader(comp, pos, info)...)
	out = append(out, body...)
	if table {
		out = append(out, compress(tb, comp, []byte("stand-in FileDataTable"))...)
	}
	return out
}

// realPacket is a packet header found in the real file.
type realPacket struct {
	off          int64 // of the packet header
	stream, size int32
}

// v4Layout returns the real file's header length, dataTablePosition, the offset of
// that field's value in the file and the packets.
func v4Layout(tb testing.TB, data []byte) (hdrEnd, tablePos, tablePosAt int64,
	pkts []realPacket) {
	tb.Helper()
	hsize := int64(binary.LittleEndian.Uint32(data[14:]))
	hdrEnd = 18 + hsize
	t, ok := fbRoot(data[14:hdrEnd])
	if !ok {
		tb.Fatal("bad IOHeader")
	}
	p, ok := t.field(1, 8)
	if !ok || p == 0 {
		tb.Fatal("no dataTablePosition")
	}
	tablePosAt = 18 + int64(p)
	tablePos = int64(binary.LittleEndian.Uint64(data[tablePosAt:]))
	for off := hdrEnd; off < tablePos; {
		id := int32(binary.LittleEndian.Uint32(data[off:]))
		size := int32(binary.LittleEndian.Uint32(data[off+4:]))
		pkts = append(pkts, realPacket{off, id, size})
		off += 8 + int64(size)
	}
	return hdrEnd, tablePos, tablePosAt, pkts
}

// withoutTable returns the real file as an interrupted recording leaves it: no data
// table, dataTablePosition -1.
func withoutTable(tb testing.TB, data []byte) []byte {
	_, pos, at, _ := v4Layout(tb, data)
	out := bytes.Clone(data[:pos])
	binary.LittleEndian.PutUint64(out[at:], ^uint64(0))
	return out
}

func TestV4RealFile(t *testing.T) {
	data := realV4(t)
	for _, tc := range []struct {
		name string
		data []byte
	}{{"with data table", data}, {"without data table", withoutTable(t, data)}} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := readV4(v4RealFile, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			info := r.Info()
			if info.Version != "4.0" || info.Width != 346 || info.Height != 260 ||
				info.Chip != "DAVIS346" {
				t.Errorf("Info = %+v, want 4.0 DAVIS346 346x260", info)
			}
			if info.HeaderBytes != 14+4+3108 {
				t.Errorf("HeaderBytes = %d, want %d", info.HeaderBytes, 14+4+3108)
			}
			evs := drain(r)
			if err := r.Err(); err != nil {
				t.Fatal(err)
			}
			if len(evs) != 117667 {
				t.Errorf("%d events, want 117667", len(evs))
			}
			on := 0
			lo, hi := evs[0].Time, evs[0].Time
			for _, e := range evs {
				if e.On {
					on++
				}
				lo, hi = min(lo, e.Time), max(hi, e.Time)
				if e.X >= 346 || e.Y >= 260 {
					t.Fatalf("event %+v outside the sensor", e)
				}
			}
			if on != 72363 {
				t.Errorf("%d ON events, want 72363", on)
			}
			var back int64
			for k := 1; k < len(evs); k++ {
				if evs[k].Time < evs[k-1].Time {
					back++
				}
			}
			if n, ok := Backwards(r); !ok || n != back {
				t.Errorf("Backwards = %d, %v; the events go back %d times", n, ok, back)
			}
			if span := hi - lo; span < 120_000 || span > 140_000 {
				t.Errorf("timestamps span %d µs, want about 0.13 s", span)
			}
			sk := r.Skipped()
			for _, k := range []string{"frame", "imu", "trigger"} {
				if sk[k] <= 0 {
					t.Errorf("Skipped()[%q] = %d, want > 0 (%v)", k, sk[k], sk)
				}
			}
		})
	}
}

// TestV4Compressions re-encodes the real events with each compression and checks that
// they decode unchanged, with frame and trigger packets skipped.
func TestV4Compressions(t *testing.T) {
	r, err := readV4(v4RealFile, realV4(t))
	if err != nil {
		t.Fatal(err)
	}
	want := drain(r)
	var pkts []v4Packet
	for i := 0; i < len(want); i += 20000 {
		pkts = append(pkts, v4Packet{0, fbEventPacket(want[i:min(i+20000, len(want))])},
			v4Packet{1, []byte("frame data")}, v4Packet{0, fbEventPacket(nil)},
			v4Packet{3, []byte("trigger")}, v4Packet{9, nil})
	}
	for comp := int32(0); comp <= 4; comp++ {
		for _, table := range []bool{false, true} {
			t.Run(fmt.Sprintf("comp%d/table=%v", comp, table), func(t *testing.T) {
				f := buildV4(t, comp, v4Info(346, 260), table, pkts)
				r, err := readV4("re.aedat4", f)
				if err != nil {
					t.Fatal(err)
				}
				got := drain(r)
				if err := r.Err(); err != nil {
					t.Fatal(err)
				}
				if len(got) != len(want) {
					t.Fatalf("%d events, want %d", len(got), len(want))
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("event %d = %+v, want %+v", i, got[i], want[i])
					}
				}
				sk := r.Skipped()
				n := int64(len(pkts) / 5)
				if sk["frame"] != n || sk["trigger"] != n || sk["unknown"] != n {
					t.Errorf("Skipped() = %v, want %d frame, trigger and unknown", sk, n)
				}
			})
		}
	}
}

// TestV4EmptyInfoNode checks a file whose info node declares no streams: stream 0 is
// read as events, of unknown sensor size.
func TestV4EmptyInfoNode(t *testing.T) {
	evs := []Event{{Time: 5, X: 1000, Y: 7, On: true}, {Time: 6, X: 2, Y: 3}}
	f := buildV4(t, v4CompressLZ4, `<dv version="4.0"><node name="outInfo"></node></dv>`,
		true, []v4Packet{{0, fbEventPacket(evs)}})
	r, err := readV4("empty.aedat4", f)
	if err != nil {
		t.Fatal(err)
	}
	if i := r.Info(); i.Width != 0 || i.Height != 0 {
		t.Errorf("Info = %+v, want unknown size", i)
	}
	got := drain(r)
	if r.Err() != nil || len(got) != 2 || got[0] != evs[0] || got[1] != evs[1] {
		t.Errorf("got %v, %v; want %v", got, r.Err(), evs)
	}
}

// wantFault checks that r yields exactly n events and then the error that isErr
// accepts, at byte offset off (off < 0: any).
func wantFault(t *testing.T, r Reader, n int, off int64) {
	t.Helper()
	got := drain(r)
	if len(got) != n {
		t.Errorf("%d events before the fault, want %d", len(got), n)
	}
	var fe *FormatError
	if !errors.As(r.Err(), &fe) {
		t.Fatalf("Err() = %v, want a *FormatError", r.Err())
	}
	if off >= 0 && fe.Offset != off {
		t.Errorf("fault at byte %d, want %d: %v", fe.Offset, off, fe)
	}
	if r.Next() {
		t.Error("Next() = true after the fault")
	}
}

func TestV4BadRealFile(t *testing.T) {
	data := withoutTable(t, realV4(t))
	_, _, _, pkts := v4Layout(t, realV4(t))
	// The last event packet, and the number of events before it.
	var last realPacket
	for _, p := range pkts {
		if p.stream == 0 {
			last = p
		}
	}
	r, err := readV4("prefix", data[:last.off])
	if err != nil {
		t.Fatal(err)
	}
	before := len(drain(r))
	if r.Err() != nil || before == 0 {
		t.Fatalf("prefix: %d events, %v", before, r.Err())
	}
	patch := func(at int64, v uint32) []byte {
		d := bytes.Clone(data[:last.off+8+int64(last.size)])
		binary.LittleEndian.PutUint32(d[at:], v)
		return d
	}
	for _, tc := range []struct {
		name string
		data []byte
		off  int64
	}{
		{"truncated last packet", data[:last.off+8+int64(last.size)/2], -1},
		{"truncated packet header", data[:last.off+5], -1},
		{"size past end of file", patch(last.off+4, uint32(last.size)+1000), -1},
		{"huge size", patch(last.off+4, 1<<31-1), last.off},
		{"negative size", patch(last.off+4, 1<<31), last.off},
		{"corrupt LZ4 magic", patch(last.off+8, 0x12345678), last.off},
		{"corrupt LZ4 block", patch(last.off+8+int64(last.size)/2, 0xdeadbeef), last.off},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := readV4(tc.name, tc.data)
			if err != nil {
				t.Fatal(err)
			}
			wantFault(t, r, before, tc.off)
		})
	}
	t.Run("file ends before data table", func(t *testing.T) {
		full := realV4(t)
		r, err := readV4("cut", full[:last.off])
		if err != nil {
			t.Fatal(err)
		}
		wantFault(t, r, before, last.off)
	})
}

func TestV4BadFlatbuffer(t *testing.T) {
	good := fbEventPacket([]Event{{Time: 1, X: 1, Y: 1}, {Time: 2, X: 2, Y: 2}})
	patch := func(at int, v uint32) []byte {
		d := bytes.Clone(good)
		binary.LittleEndian.PutUint32(d[at:], v)
		return d
	}
	first := []v4Packet{{0, fbEventPacket([]Event{{Time: 0, X: 3, Y: 4}})}}
	pktOff := int64(len(buildV4(t, v4CompressNone, v4Info(346, 260), false, first)))
	for _, tc := range []struct {
		name string
		pkt  []byte
	}{
		{"one byte", []byte{0}},
		{"short", []byte{1, 2}},
		{"root out of range", patch(4, 1<<30)},
		{"vtable out of range", patch(20, 0x80000000)},
		{"vtable before buffer", patch(20, 1000)},
		{"vtable length odd", patch(12, 0x00080007)},
		{"field past table", patch(16, 0xfff0)},
		{"vector out of range", patch(24, 0xfffffff0)},
		{"vector too long", patch(28, 3)},
		{"vector count huge", patch(28, 0xffffffff)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pkts := append(first[:1:1], v4Packet{0, tc.pkt})
			for _, comp := range []int32{v4CompressNone, v4CompressLZ4, v4CompressZstd} {
				f := buildV4(t, comp, v4Info(346, 260), false, pkts)
				r, err := readV4(tc.name, f)
				if err != nil {
					t.Fatal(err)
				}
				off := pktOff
				if comp != v4CompressNone {
					off = -1 // the first packet's compressed length differs
				}
				wantFault(t, r, 1, off)
			}
		})
	}
}

// TestV4DecompressedCap checks that a packet that decompresses past the cap is a
// FormatError, for both compressions.
func TestV4DecompressedCap(t *testing.T) {
	evs := make([]Event, 1000)
	for _, comp := range []int32{v4CompressLZ4, v4CompressZstd} {
		f := buildV4(t, comp, v4Info(346, 260), false, []v4Packet{
			{0, fbEventPacket(evs[:10])}, {0, fbEventPacket(evs)}})
		r, err := readV4("bomb", f)
		if err != nil {
			t.Fatal(err)
		}
		r.(*v4Reader).maxDecoded = 4096
		wantFault(t, r, 10, -1)
	}
}

func TestV4OutsideSensor(t *testing.T) {
	for _, e := range []Event{{X: 346}, {Y: 260}, {X: 0xffff}, {Y: 0x8000}} {
		evs := []Event{{Time: 1, X: 345, Y: 259}, {Time: 2}, e, {Time: 4}}
		f := buildV4(t, v4CompressLZ4, v4Info(346, 260), true,
			[]v4Packet{{0, fbEventPacket(evs)}})
		r, err := readV4("out", f)
		if err != nil {
			t.Fatal(err)
		}
		wantFault(t, r, 2, -1)
	}
}

func TestV4BadHeader(t *testing.T) {
	evs := []v4Packet{{0, fbEventPacket([]Event{{Time: 1}})}}
	good := buildV4(t, v4CompressLZ4, v4Info(346, 260), false, evs)
	hdr := fbIOHeader(v4CompressLZ4, -1, v4Info(346, 260))
	t.Run("unknown compression", func(t *testing.T) {
		f := append([]byte(v4VersionLine), fbIOHeader(7, -1, v4Info(346, 260))...)
		_, err := readV4("c7", f)
		var ue *UnsupportedError
		if !errors.As(err, &ue) || ue.Offset != 18 {
			t.Errorf("err = %v, want an *UnsupportedError at byte 18", err)
		}
	})
	for _, tc := range []struct {
		name string
		data []byte
	}{
		{"no header", []byte(v4VersionLine)},
		{"truncated size", good[:16]},
		{"truncated header", good[:14+len(hdr)-3]},
		{"huge header", append([]byte(v4VersionLine), 0xff, 0xff, 0xff, 0x7f)},
		{"bad root", append(append([]byte(v4VersionLine), 4, 0, 0, 0), 0xff, 0, 0, 0)},
		{"bad XML", append([]byte(v4VersionLine), fbIOHeader(1, -1, "<dv><node")...)},
		{"table inside header", append([]byte(v4VersionLine), fbIOHeader(1, 3, "")...)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := readV4(tc.name, tc.data)
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Errorf("err = %v, want a *FormatError", err)
			}
		})
	}
}

func FuzzV4(f *testing.F) {
	// Seeds stay small, since the fuzzer slows down on long inputs: the real file's
	// header and first packets, and its first real events re-encoded under its own
	// info node.
	real := realV4(f)
	hdrEnd, _, _, pkts := v4Layout(f, real)
	f.Add(real[:pkts[1].off])
	info, _ := fbRoot(real[14:hdrEnd])
	node, _ := info.stringField(2)
	r, err := readV4(v4RealFile, real)
	if err != nil {
		f.Fatal(err)
	}
	var head []Event
	for len(head) < 200 && r.Next() {
		head = append(head, r.Event())
	}
	f.Add(buildV4(f, v4CompressLZ4, node, false, []v4Packet{
		{0, fbEventPacket(head[:100])}, {2, []byte("imu")}, {0, fbEventPacket(head[100:])}}))
	evs := []Event{{Time: 1, X: 3, Y: 4, On: true}, {Time: 2, X: 300, Y: 200}}
	for comp := int32(0); comp <= 3; comp++ {
		f.Add(buildV4(f, comp, v4Info(346, 260), comp%2 == 0, []v4Packet{
			{0, fbEventPacket(evs)}, {1, []byte("frame")}, {0, fbEventPacket(evs)}}))
	}
	f.Add(buildV4(f, 0, "", false, []v4Packet{{0, fbEventPacket(evs)}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if !bytes.HasPrefix(data, []byte(v4VersionLine)) {
			data = append([]byte(v4VersionLine), data...)
		}
		r, err := readV4("fuzz", data)
		if err != nil {
			checkErrType(t, err)
			return
		}
		for i := 0; r.Next() && i < 1<<20; i++ {
			e := r.Event()
			if w := r.Info().Width; w > 0 && int(e.X) >= w {
				t.Fatalf("event %+v outside width %d", e, w)
			}
		}
		if err := r.Err(); err != nil {
			checkErrType(t, err)
		}
	})
}

func checkErrType(t *testing.T, err error) {
	var fe *FormatError
	var ue *UnsupportedError
	if !errors.As(err, &fe) && !errors.As(err, &ue) {
		t.Fatalf("error %v (%T) is neither FormatError nor UnsupportedError", err, err)
	}
}

// TestV4NewReader reads the real file through NewReader, which detects the version.
func TestV4NewReader(t *testing.T) {
	r, err := NewReader(bytes.NewReader(realV4(t)), v4RealFile)
	if err != nil {
		t.Fatal(err)
	}
	if v := r.Info().Version; v != "4.0" {
		t.Errorf("Version = %q, want 4.0", v)
	}
	if n := len(drain(r)); n != 117667 || r.Err() != nil {
		t.Errorf("%d events, %v; want 117667, nil", n, r.Err())
	}
}

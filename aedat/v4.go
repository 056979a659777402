package aedat

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// AEDAT 4.0 layout, after the 14-byte version line "#!AER-DAT4.0\r\n":
//
//   - an IOHeader flatbuffer (IOHeader.fbs), size-prefixed: a little-endian uint32
//     length, then the table with compression (CompressionType, int32),
//     dataTablePosition (int64, -1 when the file has no data table) and infoNode (an
//     XML string that describes the streams);
//   - packets, each a PacketHeader struct (FileDataTable.fbs: streamID int32, size int32,
//     both little-endian) followed by size bytes: a size-prefixed flatbuffer of the
//     stream's type, compressed with the header's compression;
//   - at dataTablePosition, when it is not -1, the compressed FileDataTable, up to the
//     end of the file.
//
// Event streams (typeIdentifier "EVTS") hold EventPacket tables (Events.fbs), whose
// only field, elements, is a vector of Event structs of 16 bytes each: timestamp int64
// at 0, x int16 at 8, y int16 at 10, polarity bool at 12, then 3 bytes of padding.

// CompressionType values of IOHeader.fbs.
const (
	v4CompressNone     = 0
	v4CompressLZ4      = 1
	v4CompressLZ4High  = 2
	v4CompressZstd     = 3
	v4CompressZstdHigh = 4
)

const (
	v4VersionLine   = "#!AER-DAT4.0\r\n"
	v4MaxHeader     = 1 << 24 // bytes of IOHeader flatbuffer
	v4MaxPacket     = 1 << 24 // bytes of one packet as stored
	v4MaxDecoded    = 1 << 24 // bytes of one packet once decompressed: a million events
	v4EventSize     = 16      // sizeof(Event) in Events.fbs
	v4PacketHdrSize = 8       // sizeof(PacketHeader) in FileDataTable.fbs
)

// v4Stream is one output stream declared in the info node.
type v4Stream struct {
	kind          string // typeIdentifier, such as "EVTS"
	width, height int
	source        string
}

// v4Reader decodes the polarity events of an AEDAT 4.0 file, one packet at a time.
type v4Reader struct {
	readerBase // off counts the bytes consumed from the start of the file
	br         *bufio.Reader

	comp       int32
	maxDecoded int64 // cap on a decompressed packet: v4MaxDecoded, lowered in tests
	tablePos   int64 // dataTablePosition, or -1
	streams    map[int32]v4Stream
	xMax       int // exclusive coordinate bounds, or 0 when unknown
	yMax       int
	pktOff     int64 // offset of the current packet's header
	elems      []byte
	idx, n     int
	raw        bytes.Buffer // the current packet as stored, reused
	src        bytes.Reader
	lim        io.LimitedReader
	zd         *zstd.Decoder
	zbuf       []byte

	// LZ4 (see v4lz4.go): lzBuf, used to its capacity, holds the history, lzBuf[:lzHist],
	// then the packet that lz4Fast decompressed, up to lzEnd when it extends the
	// history. Once lz4Fast has met a frame it does not decode, lz is the frame reader,
	// which decodes into dec.
	lzBuf         []byte
	lzHist, lzEnd int
	lz            *lz4.Reader
	dec           []byte
}

// newV4Reader returns a Reader for an AEDAT 4.0 file whose version line, offset bytes
// long, br has already consumed. It reads and checks the IOHeader.
func newV4Reader(br *bufio.Reader, name string, offset int64) (Reader, error) {
	r := &v4Reader{
		readerBase: readerBase{name: name, off: offset, skipped: make(map[string]int64)},
		br:         br,
		tablePos:   -1,
		maxDecoded: v4MaxDecoded,
	}
	r.info.Version = "4.0"
	if err := r.readHeader(); err != nil {
		return nil, err
	}
	return r, nil
}

func (r *v4Reader) formatErr(off int64, format string, args ...any) error {
	return &FormatError{File: r.name, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

func (r *v4Reader) unsupportedErr(off int64, format string, args ...any) error {
	return &UnsupportedError{File: r.name, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// readHeader reads the size-prefixed IOHeader and its info node.
func (r *v4Reader) readHeader() error {
	start := r.off
	var pre [4]byte
	n, err := io.ReadFull(r.br, pre[:])
	r.off += int64(n)
	if err != nil {
		return r.formatErr(r.off, "truncated IOHeader size")
	}
	size := binary.LittleEndian.Uint32(pre[:])
	if size > v4MaxHeader {
		return r.formatErr(start, "IOHeader size %d exceeds %d bytes", size, v4MaxHeader)
	}
	// The buffer grows as bytes arrive, so a size field on a short file allocates little.
	var hb bytes.Buffer
	got, err := hb.ReadFrom(io.LimitReader(r.br, int64(size)))
	r.off += got
	if err != nil || got < int64(size) {
		return r.formatErr(r.off, "truncated IOHeader: %d of %d bytes", got, size)
	}
	buf := hb.Bytes()
	body := start + 4
	// As for the text headers, HeaderBytes counts the version line: it is the offset of
	// the first packet.
	r.info.HeaderBytes = r.off

	t, ok := fbRoot(buf)
	if !ok {
		return r.formatErr(body, "IOHeader: bad root table")
	}
	// IOHeader field 0: compression, CompressionType (int32), default NONE.
	comp, ok := t.int32Field(0, v4CompressNone)
	if !ok {
		return r.formatErr(body, "IOHeader: bad compression field")
	}
	// IOHeader field 1: dataTablePosition, int64, default -1.
	pos, ok := t.int64Field(1, -1)
	if !ok {
		return r.formatErr(body, "IOHeader: bad dataTablePosition field")
	}
	// IOHeader field 2: infoNode, string.
	node, ok := t.stringField(2)
	if !ok {
		return r.formatErr(body, "IOHeader: bad infoNode field")
	}
	switch comp {
	case v4CompressNone, v4CompressLZ4, v4CompressLZ4High, v4CompressZstd, v4CompressZstdHigh:
	default:
		return r.unsupportedErr(body, "compression type %d", comp)
	}
	r.comp = comp
	if pos != -1 && pos < r.off {
		return r.formatErr(body, "dataTablePosition %d inside the header", pos)
	}
	r.tablePos = pos
	if err := r.parseInfoNode(node); err != nil {
		return r.formatErr(body, "infoNode: %v", err)
	}
	return nil
}

// xmlNode is a node of the info node XML: <node name="…"> holding <attr key="…"> values
// and child nodes.
type xmlNode struct {
	Name  string    `xml:"name,attr"`
	Attrs []xmlAttr `xml:"attr"`
	Nodes []xmlNode `xml:"node"`
}

type xmlAttr struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

func (n *xmlNode) attr(key string) string {
	for _, a := range n.Attrs {
		if a.Key == key {
			return strings.TrimSpace(a.Value)
		}
	}
	return ""
}

func (n *xmlNode) child(name string) *xmlNode {
	for i := range n.Nodes {
		if n.Nodes[i].Name == name {
			return &n.Nodes[i]
		}
	}
	return nil
}

// parseInfoNode reads the streams of the outInfo node: each child node is named by its
// stream ID and has a typeIdentifier attr; event streams have an info child node with
// sizeX, sizeY and source attrs.
func (r *v4Reader) parseInfoNode(s string) error {
	r.streams = make(map[int32]v4Stream)
	if strings.TrimSpace(s) == "" {
		return r.defaultStreams()
	}
	var root xmlNode
	if err := xml.Unmarshal([]byte(s), &root); err != nil {
		return err
	}
	out := findNode(&root, "outInfo", 0)
	if out == nil {
		return r.defaultStreams()
	}
	for i := range out.Nodes {
		sn := &out.Nodes[i]
		id, err := strconv.ParseInt(sn.Name, 10, 32)
		if err != nil {
			continue
		}
		st := v4Stream{kind: sn.attr("typeIdentifier")}
		if in := sn.child("info"); in != nil {
			st.width, _ = strconv.Atoi(in.attr("sizeX"))
			st.height, _ = strconv.Atoi(in.attr("sizeY"))
			st.source = in.attr("source")
		}
		if st.width < 0 || st.height < 0 || st.width > 1<<15 || st.height > 1<<15 {
			return fmt.Errorf("stream %d: bad sensor size %dx%d", id, st.width, st.height)
		}
		r.streams[int32(id)] = st
	}
	if len(r.streams) == 0 {
		return r.defaultStreams()
	}
	// The sensor is that of the lowest-numbered event stream.
	first := int32(-1)
	for id, st := range r.streams {
		if st.kind == "EVTS" && (first < 0 || id < first) {
			first = id
		}
	}
	if first >= 0 {
		st := r.streams[first]
		r.info.Width, r.info.Height = st.width, st.height
		r.info.Chip = chipName(st.source)
		r.xMax, r.yMax = st.width, st.height
	}
	return nil
}

// defaultStreams applies when the info node declares no streams, as some writers
// leave it: stream 0 is then taken as the event stream, of unknown sensor size.
func (r *v4Reader) defaultStreams() error {
	r.streams[0] = v4Stream{kind: "EVTS"}
	return nil
}

// findNode returns the first node named name in a depth-first walk of n.
func findNode(n *xmlNode, name string, depth int) *xmlNode {
	if n.Name == name {
		return n
	}
	if depth > 32 {
		return nil
	}
	for i := range n.Nodes {
		if f := findNode(&n.Nodes[i], name, depth+1); f != nil {
			return f
		}
	}
	return nil
}

// chipName turns an event stream's source, such as "DAVIS346_00000104", into a chip
// name by dropping the serial number.
func chipName(source string) string {
	if i := strings.IndexByte(source, '_'); i > 0 {
		return source[:i]
	}
	return source
}

// Next implements Reader. It decodes an event of the current packet that lies on the
// sensor itself, and leaves all else (packets, faults) to Read.
func (r *v4Reader) Next() bool {
	if !r.done && r.idx < r.n {
		e := r.elems[r.idx*v4EventSize : (r.idx+1)*v4EventSize]
		x := int16(binary.LittleEndian.Uint16(e[8:]))
		y := int16(binary.LittleEndian.Uint16(e[10:]))
		if x >= 0 && y >= 0 && (r.xMax == 0 || int(x) < r.xMax) &&
			(r.yMax == 0 || int(y) < r.yMax) {
			r.idx++
			return r.emit(Event{Time: int64(binary.LittleEndian.Uint64(e)), X: uint16(x),
				Y: uint16(y), On: e[12] != 0})
		}
	}
	return r.Read(r.cur[:]) == 1
}

// Read implements Reader.
func (r *v4Reader) Read(dst []Event) int {
	if r.done {
		return r.finish()
	}
	n := 0
	for n < len(dst) && !r.done {
		if r.idx < r.n {
			// Event struct: timestamp int64, x int16, y int16, polarity bool. A negative
			// x or y is 0x8000 or more as a uint16, beyond any sensor.
			xl, yl := uint16(1<<15), uint16(1<<15)
			if r.xMax > 0 {
				xl = uint16(r.xMax)
			}
			if r.yMax > 0 {
				yl = uint16(r.yMax)
			}
			elems := r.elems[r.idx*v4EventSize : r.n*v4EventSize]
			m, back, last := decodeV4(dst[n:], elems, xl, yl, r.timeState())
			r.backwards += back
			r.setTimeState(last, m)
			n += m
			r.idx += m
			if r.idx < r.n && n < len(dst) {
				e := r.elems[r.idx*v4EventSize:]
				r.stop(r.formatErr(r.pktOff, "event %d of packet: (%d, %d) outside the "+
					"%dx%d sensor", r.idx, int16(binary.LittleEndian.Uint16(e[8:])),
					int16(binary.LittleEndian.Uint16(e[10:])), r.xMax, r.yMax))
				break
			}
			continue
		}
		r.nextPacket()
	}
	if n == 0 {
		return r.finish()
	}
	return n
}

// decodeV4 decodes the Event structs elems into dst until either is used up or an
// event lies outside the sensor, whose x must be below xl and y below yl. It returns how
// many events it decoded, how many of them have a smaller timestamp than the event
// before (the first is compared with last), and the timestamp of the last one.
func decodeV4(dst []Event, elems []byte, xl, yl uint16, last int64) (n int, back,
	lastTime int64) {
	dst = dst[:min(len(dst), len(elems)/v4EventSize)]
	for n = range dst {
		e := elems[v4EventSize*n : v4EventSize*n+v4EventSize]
		x := binary.LittleEndian.Uint16(e[8:])
		y := binary.LittleEndian.Uint16(e[10:])
		if x >= xl || y >= yl {
			return n, back, last
		}
		t := int64(binary.LittleEndian.Uint64(e))
		if t < last {
			back++
		}
		last = t
		dst[n] = Event{Time: t, X: x, Y: y, On: e[12] != 0}
	}
	return len(dst), back, last
}

// nextPacket reads packets until an event packet with elements, the end of the
// packets, or a fault.
func (r *v4Reader) nextPacket() {
	r.elems, r.idx, r.n = nil, 0, 0
	for {
		if r.tablePos >= 0 && r.off >= r.tablePos {
			r.stop(nil)
			return
		}
		r.pktOff = r.off
		var hdr [v4PacketHdrSize]byte
		n, err := io.ReadFull(r.br, hdr[:])
		r.off += int64(n)
		if err == io.EOF {
			if r.tablePos >= 0 {
				r.stop(r.formatErr(r.off, "file ends before data table at %d", r.tablePos))
				return
			}
			r.stop(nil) // an interrupted recording without data table
			return
		}
		if err != nil {
			r.stop(r.ioErr(err, "truncated packet header"))
			return
		}
		id := int32(binary.LittleEndian.Uint32(hdr[0:]))
		size := int32(binary.LittleEndian.Uint32(hdr[4:]))
		if size < 0 || size > v4MaxPacket {
			r.stop(r.formatErr(r.pktOff, "packet size %d out of range", size))
			return
		}
		if r.tablePos >= 0 && r.off+int64(size) > r.tablePos {
			r.stop(r.formatErr(r.pktOff, "packet of %d bytes runs past dataTablePosition "+
				"%d", size, r.tablePos))
			return
		}
		st, known := r.streams[id]
		if !known || st.kind != "EVTS" {
			d, err := r.br.Discard(int(size))
			r.off += int64(d)
			if err != nil {
				r.stop(r.ioErr(err, "truncated packet: %d of %d bytes", d, size))
				return
			}
			r.skipped[skipKind(known, st.kind)]++
			continue
		}
		r.raw.Reset()
		r.lim = io.LimitedReader{R: r.br, N: int64(size)}
		m, err := r.raw.ReadFrom(&r.lim)
		r.off += m
		if err != nil {
			r.stop(r.ioErr(err, "reading packet"))
			return
		}
		if m < int64(size) {
			r.stop(r.formatErr(r.off, "truncated packet: %d of %d bytes", m, size))
			return
		}
		if size == 0 {
			continue
		}
		data, err := r.decompress(r.raw.Bytes())
		if err != nil {
			r.stop(err)
			return
		}
		elems, ok := fbEventElements(data)
		if !ok {
			r.stop(r.formatErr(r.pktOff, "corrupt EventPacket flatbuffer"))
			return
		}
		if len(elems) == 0 {
			continue
		}
		r.elems, r.n = elems, len(elems)/v4EventSize
		return
	}
}

func skipKind(known bool, kind string) string {
	if !known {
		return "unknown"
	}
	switch kind {
	case "FRME":
		return "frame"
	case "IMUS":
		return "imu"
	case "TRIG":
		return "trigger"
	case "":
		return "unknown"
	}
	return kind
}

// ioErr turns a read error into a FormatError for truncation, or wraps another error.
func (r *v4Reader) ioErr(err error, format string, args ...any) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return r.formatErr(r.off, format, args...)
	}
	return fmt.Errorf("aedat: %s: byte %d: %w", r.name, r.off, err)
}

// decompress returns the packet's flatbuffer, decompressed as the IOHeader says.
func (r *v4Reader) decompress(raw []byte) ([]byte, error) {
	switch r.comp {
	case v4CompressNone:
		return raw, nil
	case v4CompressLZ4, v4CompressLZ4High:
		if r.lz == nil { // lz4Fast is in use until the frame reader takes over
			if out, ok := r.lz4Fast(raw); ok {
				return out, nil
			}
		}
		return r.lz4Slow(raw)
	default: // v4CompressZstd, v4CompressZstdHigh
		if r.zd == nil {
			zd, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1),
				zstd.WithDecoderMaxMemory(uint64(r.maxDecoded)))
			if err != nil {
				return nil, fmt.Errorf("aedat: %s: %w", r.name, err)
			}
			r.zd = zd
		}
		out, err := r.zd.DecodeAll(raw, r.zbuf[:0])
		if err != nil {
			return nil, r.formatErr(r.pktOff, "corrupt Zstandard packet: %v", err)
		}
		r.zbuf = out
		return out, nil
	}
}

// fbTable is a flatbuffer table whose vtable has been checked to lie inside buf.
type fbTable struct {
	buf    []byte
	pos    uint64 // table start
	vt     uint64 // vtable start
	vtLen  uint64
	tblLen uint64
}

// fbRoot returns the root table of buf, a flatbuffer with or without size prefix. It
// checks every offset it follows, since the input is untrusted.
func fbRoot(buf []byte) (fbTable, bool) {
	if len(buf) >= 4 && uint64(binary.LittleEndian.Uint32(buf)) == uint64(len(buf)-4) {
		buf = buf[4:] // size prefix
	}
	n := uint64(len(buf))
	if n < 4 {
		return fbTable{}, false
	}
	pos := uint64(binary.LittleEndian.Uint32(buf))
	if pos+4 > n {
		return fbTable{}, false
	}
	// The table starts with an soffset to its vtable: vtable = table - soffset.
	vt := int64(pos) - int64(int32(binary.LittleEndian.Uint32(buf[pos:])))
	if vt < 0 || uint64(vt)+4 > n {
		return fbTable{}, false
	}
	t := fbTable{buf: buf, pos: pos, vt: uint64(vt)}
	t.vtLen = uint64(binary.LittleEndian.Uint16(buf[t.vt:]))
	t.tblLen = uint64(binary.LittleEndian.Uint16(buf[t.vt+2:]))
	if t.vtLen < 4 || t.vtLen%2 != 0 || t.vt+t.vtLen > n || t.tblLen < 4 || pos+t.tblLen > n {
		return fbTable{}, false
	}
	return t, true
}

// field returns the position of field i's value of the given size, or 0 when the field
// is absent; ok is false when it would lie outside the table.
func (t fbTable) field(i int, size uint64) (pos uint64, ok bool) {
	slot := 4 + 2*uint64(i)
	if slot+2 > t.vtLen {
		return 0, true
	}
	off := uint64(binary.LittleEndian.Uint16(t.buf[t.vt+slot:]))
	if off == 0 {
		return 0, true
	}
	if off < 4 || off+size > t.tblLen {
		return 0, false
	}
	return t.pos + off, true
}

func (t fbTable) int32Field(i int, def int32) (int32, bool) {
	p, ok := t.field(i, 4)
	if !ok || p == 0 {
		return def, ok
	}
	return int32(binary.LittleEndian.Uint32(t.buf[p:])), true
}

func (t fbTable) int64Field(i int, def int64) (int64, bool) {
	p, ok := t.field(i, 8)
	if !ok || p == 0 {
		return def, ok
	}
	return int64(binary.LittleEndian.Uint64(t.buf[p:])), true
}

// vectorField returns the bytes of field i, a vector of elements of elemSize bytes (a
// string when elemSize is 1), or nil when the field is absent.
func (t fbTable) vectorField(i int, elemSize uint64) ([]byte, bool) {
	p, ok := t.field(i, 4)
	if !ok || p == 0 {
		return nil, ok
	}
	n := uint64(len(t.buf))
	v := p + uint64(binary.LittleEndian.Uint32(t.buf[p:]))
	if v+4 > n {
		return nil, false
	}
	count := uint64(binary.LittleEndian.Uint32(t.buf[v:]))
	if count > (n-v-4)/elemSize {
		return nil, false
	}
	return t.buf[v+4 : v+4+count*elemSize], true
}

func (t fbTable) stringField(i int) (string, bool) {
	b, ok := t.vectorField(i, 1)
	return string(b), ok
}

// fbEventElements returns the elements of an EventPacket flatbuffer (Events.fbs: table
// EventPacket { elements: [Event]; }), 16 bytes per event.
func fbEventElements(buf []byte) ([]byte, bool) {
	t, ok := fbRoot(buf)
	if !ok {
		return nil, false
	}
	return t.vectorField(0, v4EventSize)
}

package aedat

import (
	"bufio"
	"encoding/binary"
	"io"
	"strconv"
)

// AEDAT 3.1 follows its text header (which ends with "#!END-HEADER") with packets, all
// little-endian. Each packet has a 28-byte header: int16 eventType, int16 eventSource,
// int32 eventSize, int32 eventTSOffset, int32 eventTSOverflow, int32 eventCapacity,
// int32 eventNumber, int32 eventValid; then eventSize × eventCapacity bytes of events.
//
// Polarity events (eventType 1) are 8 bytes: a uint32 whose bit 0 is the valid mark,
// bit 1 the polarity (1 = ON), bits 2-16 y and bits 17-31 x, with (0, 0) at the top
// left; and an int32 timestamp at byte 4, the low 31 bits of the time in microseconds,
// whose high bits are eventTSOverflow. The first eventNumber events of a packet are
// decoded; invalid ones are skipped as kind "invalid". Packets of any other type are
// skipped whole and their eventNumber counted by type name ("special", "frame",
// "imu6", …, or "type N").
//
// A packet whose header is inconsistent (negative fields, eventNumber > eventCapacity,
// eventValid > eventNumber, a polarity packet with eventSize ≠ 8 or eventTSOffset ≠ 4)
// or longer than v3MaxPacket bytes is a *FormatError. The sensor size comes from the
// "#Source <ID>: <chip>" header line of the packet's eventSource; events outside it are
// a *FormatError. When the chip is not recognised, coordinates are not checked.

const (
	v3HeaderSize   = 28
	v3MaxPacket    = 1 << 28 // bytes of events in one packet
	v3ChunkEvents  = 4096    // polarity events read at a time
	v3PolarityType = 1
	v3PolaritySize = 8
)

// v3TypeNames names the event types of AEDAT 3.1 for Skipped.
var v3TypeNames = [...]string{
	0: "special", 1: "polarity", 2: "frame", 3: "imu6", 4: "imu9", 5: "sample",
	6: "ear", 7: "config", 8: "point1d", 9: "point2d", 10: "point3d", 11: "point4d",
	12: "spike",
}

func v3TypeName(t int16) string {
	if t >= 0 && int(t) < len(v3TypeNames) {
		return v3TypeNames[t]
	}
	return "type " + strconv.Itoa(int(t))
}

// v3Reader reads AEDAT 3.1 files, one packet at a time, in a reused buffer of
// v3ChunkEvents events.
type v3Reader struct {
	readerBase
	br       *bufio.Reader
	sources  map[int]sensorSize
	hdr      [v3HeaderSize]byte
	buf      []byte // chunk of polarity events
	bufOff   int64  // file offset of buf[0]
	pos, n   int    // next and end event index in buf
	left     int64  // polarity events of the packet not yet read into buf
	skipRest int64  // bytes after the packet's eventNumber events
	// skipKind and skipCount name and count the records of a packet being skipped; they
	// are added to skipped once its bytes have all been read.
	skipKind  string
	skipCount int64
	overflow  int64  // eventTSOverflow of the current packet
	w, h      uint32 // sensor size of the current packet's source, or 0
	pktOff    int64  // offset of the current packet's header
	pktLen    int64  // bytes of events of the current packet
	pending   error  // fault to report once the events before it are returned
}

// newV3Reader reads the header of a 3.1 file.
func newV3Reader(br *bufio.Reader, name string) (Reader, error) {
	h, err := readTextHeader(br, name, "3.1")
	if err != nil {
		return nil, err
	}
	if h.format != "" && h.format != "RAW" {
		return nil, &UnsupportedError{File: name, Offset: 0,
			Msg: "AEDAT 3.1 format " + strconv.Quote(clip(h.format, 40))}
	}
	r := &v3Reader{br: br, sources: h.sources}
	r.name = name
	r.off = h.bytes
	r.skipped = make(map[string]int64)
	r.info = Info{Version: "3.1", HeaderBytes: h.bytes}
	if h.first >= 0 {
		s := h.sources[h.first]
		r.info.Chip, r.info.Width, r.info.Height = s.chip, s.width, s.height
	}
	return r, nil
}

// Next implements Reader.
func (r *v3Reader) Next() bool {
	for !r.done {
		if r.pos < r.n {
			at := r.bufOff + int64(r.pos)*v3PolaritySize
			b := r.buf[r.pos*v3PolaritySize:]
			r.pos++
			data := binary.LittleEndian.Uint32(b)
			ts := int32(binary.LittleEndian.Uint32(b[4:]))
			if data&1 == 0 {
				r.skipped["invalid"]++
				continue
			}
			if ts < 0 {
				return r.fail(formatErr(r.name, at, "negative timestamp %d", ts))
			}
			x, y := data>>17, data>>2&0x7FFF
			if r.w > 0 && (x >= r.w || y >= r.h) {
				return r.fail(formatErr(r.name, at, "pixel (%d, %d) outside the %dx%d sensor",
					x, y, r.w, r.h))
			}
			t := r.overflow<<31 | int64(ts)
			return r.emit(Event{Time: t, X: uint16(x), Y: uint16(y), On: data>>1&1 == 1})
		}
		if r.left > 0 {
			k := min(r.left, v3ChunkEvents)
			if r.buf == nil {
				r.buf = make([]byte, v3ChunkEvents*v3PolaritySize)
			}
			r.bufOff = r.off
			want := int(k) * v3PolaritySize
			got, err := io.ReadFull(r.br, r.buf[:want])
			r.off += int64(got)
			r.left -= k
			r.pos, r.n = 0, got/v3PolaritySize
			if err != nil {
				// Return the whole events read before the end, then the fault.
				if err == io.EOF || err == io.ErrUnexpectedEOF {
					err = formatErr(r.name, r.bufOff+int64(r.n)*v3PolaritySize,
						"truncated polarity packet: %d of its events missing",
						r.left+k-int64(r.n))
				}
				r.pending = err
				r.left, r.skipRest = 0, 0
			}
			continue
		}
		if r.pending != nil {
			return r.fail(r.pending)
		}
		if r.skipRest > 0 {
			if !r.discard(r.skipRest) {
				return false
			}
			r.skipRest = 0
		}
		if r.skipKind != "" {
			r.skipped[r.skipKind] += r.skipCount
			r.skipKind = ""
		}
		r.nextPacket()
	}
	return false
}

// discard skips n bytes of the current packet.
func (r *v3Reader) discard(n int64) bool {
	at := r.off
	for n > 0 {
		k := int(min(n, 1<<30))
		d, err := r.br.Discard(k)
		r.off += int64(d)
		n -= int64(d)
		if err != nil {
			if err == io.EOF {
				return r.fail(formatErr(r.name, r.pktOff,
					"truncated packet: its %d bytes of events at byte %d run %d bytes"+
						" past the end of file", r.pktLen, at, n))
			}
			return r.fail(err)
		}
	}
	return true
}

// nextPacket reads a packet header and sets up the reading or skipping of its events.
func (r *v3Reader) nextPacket() {
	at := r.off
	if !r.readFull(r.br, r.hdr[:], "packet header") {
		return
	}
	le := binary.LittleEndian
	typ := int16(le.Uint16(r.hdr[0:]))
	src := int16(le.Uint16(r.hdr[2:]))
	size := int32(le.Uint32(r.hdr[4:]))
	tsOff := int32(le.Uint32(r.hdr[8:]))
	overflow := int32(le.Uint32(r.hdr[12:]))
	capacity := int32(le.Uint32(r.hdr[16:]))
	number := int32(le.Uint32(r.hdr[20:]))
	valid := int32(le.Uint32(r.hdr[24:]))
	bad := func(format string, args ...any) {
		r.fail(formatErr(r.name, at, "packet header: "+format, args...))
	}
	switch {
	case size <= 0:
		bad("eventSize %d", size)
		return
	case capacity < 0 || number < 0 || valid < 0 || overflow < 0:
		bad("negative count or overflow (capacity %d, number %d, valid %d, overflow %d)",
			capacity, number, valid, overflow)
		return
	case number > capacity || valid > number:
		bad("eventValid %d, eventNumber %d and eventCapacity %d out of order",
			valid, number, capacity)
		return
	case tsOff < 0 || tsOff > size-4:
		bad("eventTSOffset %d outside the %d-byte event", tsOff, size)
		return
	}
	total := int64(size) * int64(capacity)
	if total > v3MaxPacket {
		bad("%d bytes of events (%d × %d) exceed the %d-byte limit",
			total, size, capacity, v3MaxPacket)
		return
	}
	if typ != v3PolarityType {
		r.pktOff, r.pktLen = at, total
		r.skipRest = total
		r.skipKind, r.skipCount = v3TypeName(typ), int64(number)
		return
	}
	if size != v3PolaritySize || tsOff != 4 {
		bad("polarity packet with eventSize %d and eventTSOffset %d, want 8 and 4",
			size, tsOff)
		return
	}
	r.pktOff, r.pktLen = at, total
	r.left = int64(number)
	r.skipRest = int64(capacity-number) * v3PolaritySize
	r.overflow = int64(overflow)
	// A source the header does not declare is held to the sensor of the file.
	s, ok := r.sources[int(src)]
	if !ok {
		s = sensorSize{width: r.info.Width, height: r.info.Height}
	}
	r.w, r.h = uint32(s.width), uint32(s.height)
}

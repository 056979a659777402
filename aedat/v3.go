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

// v3Reader reads AEDAT 3.1 files, decoding the events in place in its input buffer.
type v3Reader struct {
	readerBase
	in       input
	sources  map[int]sensorSize
	left     int64 // polarity events of the current packet not yet consumed
	skipRest int64 // bytes after the packet's eventNumber events
	// skipKind and skipCount name and count the records of a packet being skipped; they
	// are added to skipped once its bytes have all been read.
	skipKind  string
	skipCount int64
	overflow  int64  // eventTSOverflow of the current packet
	w, h      uint32 // sensor size of the current packet's source, or 0
	pktOff    int64  // offset of the current packet's header
	pktLen    int64  // bytes of events of the current packet
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
	r := &v3Reader{in: input{r: br}, sources: h.sources}
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

// Next implements Reader. It decodes a valid polarity event that is at hand itself, and
// leaves all else (refills, packet headers, invalid events, faults) to Read.
func (r *v3Reader) Next() bool {
	if !r.done && r.left > 0 && r.in.avail() >= v3PolaritySize {
		b := r.in.buf[r.in.pos : r.in.pos+v3PolaritySize]
		data := binary.LittleEndian.Uint32(b)
		ts := int32(binary.LittleEndian.Uint32(b[4:]))
		x, y := data>>17, data>>2&0x7FFF
		if data&1 != 0 && ts >= 0 && (r.w == 0 || x < r.w && y < r.h) {
			r.in.pos += v3PolaritySize
			r.off += v3PolaritySize
			r.left--
			return r.emit(Event{Time: r.overflow<<31 | int64(ts), X: uint16(x), Y: uint16(y),
				On: data&2 != 0})
		}
	}
	return r.Read(r.cur[:]) == 1
}

// Read implements Reader.
func (r *v3Reader) Read(dst []Event) int {
	if r.done {
		return r.finish()
	}
	n := 0
	for n < len(dst) && !r.done {
		if r.left > 0 {
			k := min(int64(r.in.avail()/v3PolaritySize), r.left)
			if k == 0 {
				if r.in.fill() {
					continue
				}
				err := r.in.err
				if err == io.EOF {
					err = formatErr(r.name, r.off,
						"truncated polarity packet: %d of its events missing", r.left)
				}
				r.stop(err)
				break
			}
			evs := r.in.buf[r.in.pos : r.in.pos+int(k)*v3PolaritySize]
			m, back, last := decodeV3(dst[n:], evs, r.w, r.h, r.overflow<<31, r.timeState())
			r.backwards += back
			r.setTimeState(last, m)
			n += m
			r.consume(m)
			if int64(m) == k || n == len(dst) {
				continue
			}
			// The next event is invalid, or faulty.
			invalid := 0
			for rest := evs[m*v3PolaritySize:]; len(rest) > 0 && rest[0]&1 == 0; {
				invalid++
				rest = rest[v3PolaritySize:]
			}
			if invalid == 0 {
				r.stop(r.eventFault(evs[m*v3PolaritySize:]))
				break
			}
			r.count("invalid", int64(invalid))
			r.consume(invalid)
			continue
		}
		if r.skipRest > 0 {
			if !r.discard(r.skipRest) {
				break
			}
			r.skipRest = 0
		}
		if r.skipKind != "" {
			r.skipped[r.skipKind] += r.skipCount
			r.skipKind = ""
		}
		r.nextPacket()
	}
	if n == 0 {
		return r.finish()
	}
	return n
}

// consume advances past k polarity events of the current packet.
func (r *v3Reader) consume(k int) {
	r.in.pos += k * v3PolaritySize
	r.off += int64(k) * v3PolaritySize
	r.left -= int64(k)
}

// decodeV3 decodes the polarity events evs into dst, for a w×h sensor (any size when
// w is 0) and with the time overflow ov, until either is used up or an event is invalid
// or faulty: with a negative timestamp or a pixel outside the sensor. It returns how
// many events it decoded, how many of them have a smaller timestamp than the event
// before (the first is compared with last), and the timestamp of the last one.
func decodeV3(dst []Event, evs []byte, w, h uint32, ov, last int64) (n int, back,
	lastTime int64) {
	if w == 0 {
		w, h = 1<<15, 1<<15 // beyond any 15-bit coordinate: not checked
	}
	dst = dst[:min(len(dst), len(evs)/v3PolaritySize)]
	for n = range dst {
		v := binary.LittleEndian.Uint64(evs[v3PolaritySize*n:])
		data, ts := uint32(v), int32(v>>32)
		x, y := data>>17, data>>2&0x7FFF
		if data&1 == 0 || ts < 0 || x >= w || y >= h {
			return n, back, last
		}
		t := ov | int64(ts)
		if t < last {
			back++
		}
		last = t
		dst[n] = Event{Time: t, X: uint16(x), Y: uint16(y), On: data&2 != 0}
	}
	return len(dst), back, last
}

// eventFault returns the fault of the valid polarity event b at r.off.
func (r *v3Reader) eventFault(b []byte) error {
	data := binary.LittleEndian.Uint32(b)
	if ts := int32(binary.LittleEndian.Uint32(b[4:])); ts < 0 {
		return formatErr(r.name, r.off, "negative timestamp %d", ts)
	}
	return formatErr(r.name, r.off, "pixel (%d, %d) outside the %dx%d sensor",
		data>>17, data>>2&0x7FFF, r.w, r.h)
}

// discard skips n bytes of the current packet.
func (r *v3Reader) discard(n int64) bool {
	at := r.off
	for n > 0 {
		if r.in.avail() == 0 && !r.in.fill() {
			if r.in.err == io.EOF {
				r.stop(formatErr(r.name, r.pktOff,
					"truncated packet: its %d bytes of events at byte %d run %d bytes"+
						" past the end of file", r.pktLen, at, n))
			} else {
				r.stop(r.in.err)
			}
			return false
		}
		k := int(min(n, int64(r.in.avail())))
		r.in.pos += k
		r.off += int64(k)
		n -= int64(k)
	}
	return true
}

// nextPacket reads a packet header and sets up the reading or skipping of its events.
func (r *v3Reader) nextPacket() {
	at := r.off
	for r.in.avail() < v3HeaderSize {
		if r.in.fill() {
			continue
		}
		switch got := r.in.avail(); {
		case r.in.err != io.EOF:
			r.stop(r.in.err)
		case got == 0:
			r.stop(nil)
		default:
			r.stop(formatErr(r.name, at,
				"truncated packet header: %d of %d bytes before end of file", got, v3HeaderSize))
		}
		return
	}
	hdr := r.in.buf[r.in.pos : r.in.pos+v3HeaderSize]
	r.in.pos += v3HeaderSize
	r.off += v3HeaderSize
	le := binary.LittleEndian
	typ := int16(le.Uint16(hdr[0:]))
	src := int16(le.Uint16(hdr[2:]))
	size := int32(le.Uint32(hdr[4:]))
	tsOff := int32(le.Uint32(hdr[8:]))
	overflow := int32(le.Uint32(hdr[12:]))
	capacity := int32(le.Uint32(hdr[16:]))
	number := int32(le.Uint32(hdr[20:]))
	valid := int32(le.Uint32(hdr[24:]))
	bad := func(format string, args ...any) {
		r.stop(formatErr(r.name, at, "packet header: "+format, args...))
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

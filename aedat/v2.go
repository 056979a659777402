package aedat

import (
	"bufio"
	"encoding/binary"
	"io"
	"strings"
)

// AEDAT 1.0 and 2.0 (jAER) store [address, timestamp] records, big-endian: 1.0 a uint16
// address and an int32 timestamp (6 bytes), 2.0 an int32 address and an int32
// timestamp (8 bytes). Timestamps are microseconds; Event.Time is the timestamp as a
// signed 32-bit number, without unwrapping (jAER timestamps wrap after 2^31 µs, about
// 35 minutes). How to read the address depends on the chip that the "# AEChip:" header
// line names (a 1.0 file, or a 2.0 file without that line, is read as DVS128; a 2.0 file
// naming another chip is unsupported):
//
// DVS128 (class names containing DVS128 or Tmpdiff128), 128x128: bit 0 polarity, bits
// 1-7 x, bits 8-14 y. A record with any of bits 15-31 set is a special event (bit 15 is
// the external sync input): skipped, kind "special".
//
// DAVIS240 (240x180) and DAVIS346 (346x260): bit 31 set marks an APS (frame) sample or,
// with bits 10-11 both set, an IMU sample: skipped, kinds "aps" and "imu". Otherwise
// bits 22-30 are y, bits 12-21 x, bit 11 the polarity; a record with bit 10 set is an
// external input event: skipped, kind "special".
//
// # Orientation and polarity
//
// Event has (0, 0) at the top left of the image, as the picture looks in jAER, the
// software that writes these files, and in libcaer and the later AEDAT 3.1 and 4.0
// formats. The raw x and y fields are therefore mirrored: X = width-1-x and
// Y = height-1-y, for both chip families. The reasons:
//
//   - jAER's DVS128 extractor (ch.unizh.ini.jaer.chip.retina.DVS128.Extractor) sets
//     x = 127-x_raw and y = y_raw, with jAER's origin at the bottom left; so does its
//     DAVIS extractor (eu.seebetter.ini.chips.davis.DavisBaseCamera.DavisEventExtractor):
//     x = sizeX-1-x_raw, y = y_raw. Turning jAER's bottom-left y into a top-left one
//     gives the mirroring above.
//   - libcaer's DVS128 driver decodes the same USB addresses with x = 127-x_raw
//     ("to correct for flipped camera") and y = 127-y_raw ("to convert to CG format").
//
// Polarity: DAVIS bit 11 set is ON, in the iniVation specification, jAER and libcaer
// alike. For DVS128, jAER ("The ON events have raw polarity 0"), libcaer and
// dv-processing ("Invert polarity bit. Hardware is like this.") read bit 0 clear as ON;
// this package does the same.
//
// BUG(snnsim): for DVS128 addresses (AEDAT 1.0, and 2.0 from a DVS128) the polarity and
// the orientation depart from the text of iniVation's AEDAT 1.0/2.0 specification, which
// says that bit 0 set means ON and that the raw x and y have (0, 0) at the lower left.
// This package follows jAER and libcaer, which read real DVS128 data with bit 0 clear as
// ON and mirror x. Some third-party readers follow the specification text instead; their
// polarities are the inverse of these, and their x (and perhaps y) mirrored.
//
// BUG(snnsim): 1.0 and 2.0 timestamps are not unwrapped. jAER's 32-bit timestamps wrap
// after 2³¹ µs, about 36 minutes; in a longer recording the events after the wrap come
// out with times far before those of the events ahead of them, counted by Backwards.

// chipLayout selects how a 1.0/2.0 address is decoded.
type chipLayout int

const (
	layoutDVS128 chipLayout = iota
	layoutDAVIS
)

// v2Reader reads AEDAT 1.0 and 2.0 files, decoding the records in place in its input
// buffer.
type v2Reader struct {
	readerBase
	in     input
	rec    int // record size: 6 for 1.0, 8 for 2.0
	layout chipLayout
}

// newV2Reader reads the header of a 1.0 or 2.0 file.
func newV2Reader(br *bufio.Reader, name, version string) (Reader, error) {
	h, err := readTextHeader(br, name, version)
	if err != nil {
		return nil, err
	}
	r := &v2Reader{in: input{r: br}, rec: 8, layout: layoutDVS128}
	r.name = name
	r.off = h.bytes
	r.skipped = make(map[string]int64)
	r.info = Info{Version: version, HeaderBytes: h.bytes}
	if version == "1.0" {
		r.rec = 6
	}
	sz := sensorSize{"DVS128", 128, 128}
	if h.aeChip != "" {
		class := h.aeChip[strings.LastIndexByte(h.aeChip, '.')+1:]
		var ok bool
		sz, ok = sensorFromName(class)
		if !ok || (version == "1.0" && sz.chip != "DVS128") {
			return nil, &UnsupportedError{File: name, Offset: 0,
				Msg: "no address layout for AEChip " + clip(h.aeChip, 100)}
		}
		sz.chip = strings.ToUpper(class)
	}
	if sz.width != 128 {
		r.layout = layoutDAVIS
	}
	r.info.Chip, r.info.Width, r.info.Height = sz.chip, sz.width, sz.height
	return r, nil
}

// Next implements Reader. It decodes an event record that is at hand itself, and
// leaves all else (refills, skipped records, faults) to Read.
func (r *v2Reader) Next() bool {
	if !r.done && r.in.avail() >= r.rec {
		b := r.in.buf[r.in.pos : r.in.pos+r.rec]
		var addr, x, y uint32
		var ts int32
		var ok, on bool
		switch {
		case r.layout == layoutDAVIS:
			addr, ts = binary.BigEndian.Uint32(b), int32(binary.BigEndian.Uint32(b[4:]))
			x, y = addr>>12&0x3FF, addr>>22&0x1FF
			ok, on = addr&(1<<31|1<<10) == 0, addr&(1<<11) != 0
		case len(b) == 8:
			addr, ts = binary.BigEndian.Uint32(b), int32(binary.BigEndian.Uint32(b[4:]))
			x, y = addr>>1&0x7F, addr>>8&0x7F
			ok, on = addr>>15 == 0, addr&1 == 0
		default:
			addr, ts = uint32(binary.BigEndian.Uint16(b)), int32(binary.BigEndian.Uint32(b[2:]))
			x, y = addr>>1&0x7F, addr>>8&0x7F
			ok, on = addr>>15 == 0, addr&1 == 0
		}
		w, h := uint32(r.info.Width), uint32(r.info.Height)
		if ok && x < w && y < h {
			r.in.pos += r.rec
			r.off += int64(r.rec)
			return r.emit(Event{Time: int64(ts), X: uint16(w - 1 - x), Y: uint16(h - 1 - y),
				On: on})
		}
	}
	return r.Read(r.cur[:]) == 1
}

// Read implements Reader.
func (r *v2Reader) Read(dst []Event) int {
	if r.done {
		return r.finish()
	}
	w, h := uint32(r.info.Width), uint32(r.info.Height)
	n := 0
	for n < len(dst) {
		whole := r.in.avail() / r.rec
		if whole == 0 {
			if r.in.fill() {
				continue
			}
			switch part := r.in.avail(); {
			case r.in.err != io.EOF:
				r.stop(r.in.err)
			case part != 0:
				r.stop(formatErr(r.name, r.off,
					"truncated record: %d of %d bytes before end of file", part, r.rec))
			default:
				r.stop(nil)
			}
			break
		}
		recs := r.in.buf[r.in.pos : r.in.pos+whole*r.rec]
		var m int
		var back, last int64
		switch {
		case r.layout == layoutDAVIS:
			m, back, last = decodeDAVIS(dst[n:], recs, w, h, r.timeState())
		case r.rec == 8:
			m, back, last = decodeDVS128(dst[n:], recs, w, h, r.timeState())
		default:
			m, back, last = decodeDVS128v1(dst[n:], recs, w, h, r.timeState())
		}
		r.backwards += back
		r.setTimeState(last, m)
		n += m
		r.consume(m)
		if m == whole || n == len(dst) {
			continue
		}
		// The next record is not a polarity event, or lies outside the sensor.
		k := r.skip(recs[m*r.rec:])
		if k == 0 {
			r.stop(r.pixelFault(recs[m*r.rec:]))
			break
		}
		r.consume(k)
	}
	if n == 0 {
		return r.finish()
	}
	return n
}

// consume advances past k records.
func (r *v2Reader) consume(k int) {
	r.in.pos += k * r.rec
	r.off += int64(k * r.rec)
}

// skip counts the records at the start of recs that are not polarity events, and
// returns how many there are.
func (r *v2Reader) skip(recs []byte) int {
	var aps, imu, special int64
	k := 0
records:
	for ; (k+1)*r.rec <= len(recs); k++ {
		b := recs[k*r.rec:]
		switch {
		case r.layout == layoutDAVIS:
			switch addr := binary.BigEndian.Uint32(b); {
			case addr&(1<<31|1<<10) == 0:
				break records
			case addr>>31 == 0:
				special++
			case addr>>10&3 == 3:
				imu++
			default:
				aps++
			}
		case r.rec == 8 && binary.BigEndian.Uint32(b)>>15 != 0,
			r.rec == 6 && binary.BigEndian.Uint16(b)>>15 != 0:
			special++
		default:
			break records
		}
	}
	r.count("aps", aps)
	r.count("imu", imu)
	r.count("special", special)
	return k
}

// pixelFault returns the fault of the record b, whose pixel lies outside the sensor.
func (r *v2Reader) pixelFault(b []byte) error {
	var addr uint32
	if r.rec == 6 {
		addr = uint32(binary.BigEndian.Uint16(b))
	} else {
		addr = binary.BigEndian.Uint32(b)
	}
	x, y := addr>>12&0x3FF, addr>>22&0x1FF
	if r.layout == layoutDVS128 {
		x, y = addr>>1&0x7F, addr>>8&0x7F
	}
	w, h := r.info.Width, r.info.Height
	return formatErr(r.name, r.off, "pixel (%d, %d) outside the %dx%d sensor", x, y, w, h)
}

// The decode functions below decode the records of recs into dst, for a w×h sensor,
// until either is used up or a record is not a polarity event on the sensor. They
// return how many events they decoded, one per record, how many of them have a
// smaller timestamp than the event before (the first is compared with last), and the
// timestamp of the last one.

// decodeDAVIS decodes 2.0 records of the DAVIS layout.
func decodeDAVIS(dst []Event, recs []byte, w, h uint32, last int64) (n int, back,
	lastTime int64) {
	dst = dst[:min(len(dst), len(recs)/8)]
	for n = range dst {
		v := binary.BigEndian.Uint64(recs[8*n:])
		addr, t := uint32(v>>32), int64(int32(v))
		x, y := addr>>12&0x3FF, addr>>22&0x1FF
		if addr&(1<<31|1<<10) != 0 || x >= w || y >= h {
			return n, back, last
		}
		if t < last {
			back++
		}
		last = t
		dst[n] = Event{Time: t, X: uint16(w - 1 - x), Y: uint16(h - 1 - y),
			On: addr&(1<<11) != 0}
	}
	return len(dst), back, last
}

// decodeDVS128 decodes 2.0 records of the DVS128 layout.
func decodeDVS128(dst []Event, recs []byte, w, h uint32, last int64) (n int, back,
	lastTime int64) {
	dst = dst[:min(len(dst), len(recs)/8)]
	for n = range dst {
		v := binary.BigEndian.Uint64(recs[8*n:])
		addr, t := uint32(v>>32), int64(int32(v))
		x, y := addr>>1&0x7F, addr>>8&0x7F
		if addr>>15 != 0 || x >= w || y >= h {
			return n, back, last
		}
		if t < last {
			back++
		}
		last = t
		dst[n] = Event{Time: t, X: uint16(w - 1 - x), Y: uint16(h - 1 - y), On: addr&1 == 0}
	}
	return len(dst), back, last
}

// decodeDVS128v1 decodes 1.0 records, whose layout is always that of the DVS128.
func decodeDVS128v1(dst []Event, recs []byte, w, h uint32, last int64) (n int, back,
	lastTime int64) {
	dst = dst[:min(len(dst), len(recs)/6)]
	for n = range dst {
		b := recs[6*n : 6*n+6]
		addr := uint32(binary.BigEndian.Uint16(b))
		t := int64(int32(binary.BigEndian.Uint32(b[2:])))
		x, y := addr>>1&0x7F, addr>>8&0x7F
		if addr>>15 != 0 || x >= w || y >= h {
			return n, back, last
		}
		if t < last {
			back++
		}
		last = t
		dst[n] = Event{Time: t, X: uint16(w - 1 - x), Y: uint16(h - 1 - y), On: addr&1 == 0}
	}
	return len(dst), back, last
}

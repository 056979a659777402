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

// chipLayout selects how a 1.0/2.0 address is decoded.
type chipLayout int

const (
	layoutDVS128 chipLayout = iota
	layoutDAVIS
)

// v2Reader reads AEDAT 1.0 and 2.0 files.
type v2Reader struct {
	readerBase
	br     *bufio.Reader
	rec    int // record size: 6 for 1.0, 8 for 2.0
	layout chipLayout

	// Records are read v2ChunkRecords at a time into chunk, which starts at byte
	// chunkOff; pos and n index its whole records. A fault met while filling it waits
	// in pending until the records before it have been returned; eof marks a clean end.
	chunk    []byte
	chunkOff int64
	pos, n   int
	pending  error
	eof      bool
}

// v2ChunkRecords is how many records the 1.0 and 2.0 readers read at a time.
const v2ChunkRecords = 4096

// fill reads the next chunk of records.
func (r *v2Reader) fill() {
	if r.chunk == nil {
		r.chunk = make([]byte, v2ChunkRecords*r.rec)
	}
	r.chunkOff = r.off
	got, err := io.ReadFull(r.br, r.chunk)
	r.off += int64(got)
	r.pos, r.n = 0, got/r.rec
	switch {
	case err == nil:
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		r.eof = true
		if part := got % r.rec; part != 0 {
			r.pending = formatErr(r.name, r.chunkOff+int64(r.n*r.rec),
				"truncated record: %d of %d bytes before end of file", part, r.rec)
		}
	default:
		r.pending = err
	}
}

// newV2Reader reads the header of a 1.0 or 2.0 file.
func newV2Reader(br *bufio.Reader, name, version string) (Reader, error) {
	h, err := readTextHeader(br, name, version)
	if err != nil {
		return nil, err
	}
	r := &v2Reader{br: br, rec: 8, layout: layoutDVS128}
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

// Next implements Reader.
func (r *v2Reader) Next() bool {
	for !r.done {
		if r.pos >= r.n {
			switch {
			case r.pending != nil:
				return r.fail(r.pending)
			case r.eof:
				r.done = true
				return false
			}
			r.fill()
			continue
		}
		at := r.chunkOff + int64(r.pos*r.rec)
		b := r.chunk[r.pos*r.rec : (r.pos+1)*r.rec]
		r.pos++

		var addr uint32
		var ts int32
		if r.rec == 6 {
			addr = uint32(binary.BigEndian.Uint16(b))
			ts = int32(binary.BigEndian.Uint32(b[2:]))
		} else {
			addr = binary.BigEndian.Uint32(b)
			ts = int32(binary.BigEndian.Uint32(b[4:]))
		}
		var x, y uint32
		var on bool
		if r.layout == layoutDVS128 {
			if addr>>15 != 0 {
				r.skipped["special"]++
				continue
			}
			x, y, on = addr>>1&0x7F, addr>>8&0x7F, addr&1 == 0
		} else {
			if addr>>31 != 0 {
				if addr>>10&3 == 3 {
					r.skipped["imu"]++
				} else {
					r.skipped["aps"]++
				}
				continue
			}
			if addr>>10&1 != 0 {
				r.skipped["special"]++
				continue
			}
			x, y, on = addr>>12&0x3FF, addr>>22&0x1FF, addr>>11&1 == 1
		}
		w, h := uint32(r.info.Width), uint32(r.info.Height)
		if x >= w || y >= h {
			return r.fail(formatErr(r.name, at, "pixel (%d, %d) outside the %dx%d sensor",
				x, y, w, h))
		}
		return r.emit(Event{Time: int64(ts), X: uint16(w - 1 - x), Y: uint16(h - 1 - y), On: on})
	}
	return false
}

package aedat

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// writerPacketEvents is the most events a Writer puts in one packet.
const writerPacketEvents = 4096

// writerSensors are the chips a Writer can name, by size.
var writerSensors = []sensorSize{
	{"DVS128", 128, 128},
	{"DAVIS240C", 240, 180},
	{"DAVIS346", 346, 260},
}

// Writer writes polarity events as an AEDAT 3.1 file: a header of the lines
// "#!AER-DAT3.1", "#Format: RAW", "#Source 1: <chip>" and "#!END-HEADER" (CRLF line ends),
// then polarity packets of eventSource 1 holding up to 4096 events each. A new packet
// starts when the 31-bit timestamp overflow changes. Events are written in the order
// given; a Reader returns them unchanged.
//
// The errors of a Writer are those of the underlying io.Writer, or errors that report a
// wrong argument, which begin "aedat: writer:". After an error of the io.Writer, Write,
// Flush and Close return it again; a wrong argument fails only its own call.
type Writer struct {
	bw       *bufio.Writer
	info     Info
	pkt      []byte // events of the open packet
	n        int
	overflow int64
	err      error
	closed   bool
}

// errWriterClosed is returned by a closed Writer.
var errWriterClosed = errors.New("aedat: writer: closed")

// NewWriter writes the header of an AEDAT 3.1 file to w and returns a Writer for its
// events. info names the chip: info.Chip, or else info.Width and info.Height, must be
// those of a DVS128 (128x128), a DAVIS240 (240x180) or a DAVIS346 (346x260), so that a
// Reader can recover the sensor size from the header. The Version and HeaderBytes of
// info are ignored.
func NewWriter(w io.Writer, info Info) (*Writer, error) {
	sz, ok := sensorFromName(info.Chip)
	if ok {
		if (info.Width != 0 || info.Height != 0) &&
			(info.Width != sz.width || info.Height != sz.height) {
			return nil, fmt.Errorf("aedat: writer: chip %q is %dx%d, not %dx%d",
				info.Chip, sz.width, sz.height, info.Width, info.Height)
		}
		sz.chip = info.Chip
	} else if info.Chip == "" {
		for _, s := range writerSensors {
			if s.width == info.Width && s.height == info.Height {
				sz, ok = s, true
			}
		}
	}
	if !ok {
		return nil, fmt.Errorf("aedat: writer: no AEDAT 3.1 source name for chip %q (%dx%d)",
			info.Chip, info.Width, info.Height)
	}
	for _, c := range []byte(sz.chip) {
		if c < 0x20 || c == 0x7F {
			return nil, fmt.Errorf("aedat: writer: control byte in chip name %q", sz.chip)
		}
	}
	wr := &Writer{
		bw:   bufio.NewWriter(w),
		info: Info{Version: "3.1", Chip: sz.chip, Width: sz.width, Height: sz.height},
		pkt:  make([]byte, 0, writerPacketEvents*v3PolaritySize),
	}
	hdr := "#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: " + sz.chip + "\r\n#!END-HEADER\r\n"
	wr.info.HeaderBytes = int64(len(hdr))
	if _, err := wr.bw.WriteString(hdr); err != nil {
		return nil, err
	}
	return wr, nil
}

// Info describes the file being written.
func (w *Writer) Info() Info { return w.info }

// Write adds e to the file. Its time must not be negative and its coordinates must lie
// on the sensor.
func (w *Writer) Write(e Event) error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errWriterClosed
	}
	if e.Time < 0 {
		return fmt.Errorf("aedat: writer: negative time %d", e.Time)
	}
	if int(e.X) >= w.info.Width || int(e.Y) >= w.info.Height {
		return fmt.Errorf("aedat: writer: pixel (%d, %d) outside the %dx%d sensor",
			e.X, e.Y, w.info.Width, w.info.Height)
	}
	ov := e.Time >> 31
	if ov > 1<<31-1 {
		return fmt.Errorf("aedat: writer: time %d beyond AEDAT 3.1's range", e.Time)
	}
	if w.n > 0 && (ov != w.overflow || w.n == writerPacketEvents) {
		if err := w.flushPacket(); err != nil {
			return err
		}
	}
	w.overflow = ov
	data := uint32(1) | uint32(e.Y)<<2 | uint32(e.X)<<17
	if e.On {
		data |= 2
	}
	w.pkt = binary.LittleEndian.AppendUint32(w.pkt, data)
	w.pkt = binary.LittleEndian.AppendUint32(w.pkt, uint32(e.Time&(1<<31-1)))
	w.n++
	return nil
}

// flushPacket writes the open packet, if it holds events.
func (w *Writer) flushPacket() error {
	if w.n == 0 {
		return nil
	}
	var h [v3HeaderSize]byte
	le := binary.LittleEndian
	le.PutUint16(h[0:], v3PolarityType)
	le.PutUint16(h[2:], 1) // eventSource
	le.PutUint32(h[4:], v3PolaritySize)
	le.PutUint32(h[8:], 4) // eventTSOffset
	le.PutUint32(h[12:], uint32(w.overflow))
	for _, o := range []int{16, 20, 24} { // capacity, number, valid
		le.PutUint32(h[o:], uint32(w.n))
	}
	if _, err := w.bw.Write(h[:]); err != nil {
		w.err = err
		return err
	}
	if _, err := w.bw.Write(w.pkt); err != nil {
		w.err = err
		return err
	}
	w.pkt, w.n = w.pkt[:0], 0
	return nil
}

// Flush writes the buffered events to the underlying io.Writer, ending the open packet.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errWriterClosed
	}
	if err := w.flushPacket(); err != nil {
		return err
	}
	if err := w.bw.Flush(); err != nil {
		w.err = err
		return err
	}
	return nil
}

// Close flushes the buffered events. It does not close the underlying io.Writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	err := w.Flush()
	w.closed = true
	return err
}

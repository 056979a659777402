package aedat

import "fmt"

// Event is one polarity event from a DVS sensor.
type Event struct {
	// Time is the timestamp in microseconds.
	Time int64
	// X and Y are the pixel coordinates, with (0, 0) at the top left of the sensor.
	X, Y uint16
	// On is true for a brightness increase (ON event), false for a decrease (OFF).
	On bool
}

// Info describes an AEDAT file, as far as its header and first packets tell.
type Info struct {
	// Version is the format version: "1.0", "2.0", "3.1" or "4.0".
	Version string
	// Chip names the sensor, such as "DVS128" or "DAVIS346", when the file says.
	Chip string
	// Width and Height are the sensor size in pixels, or 0 when unknown.
	Width, Height int
	// HeaderBytes is the offset of the first event data: the text header with its version
	// line, or for 4.0 the version line, the IOHeader and its 4-byte size.
	HeaderBytes int64
}

// Reader streams the polarity events of one AEDAT file, in file order. Next and Event
// return them one at a time, as bufio.Scanner does lines:
//
//	for r.Next() {
//		e := r.Event()
//		…
//	}
//	if err := r.Err(); err != nil { … }
//
// Read returns them in batches, at a fraction of the cost per event:
//
//	buf := make([]aedat.Event, 4096)
//	for n := r.Read(buf); n > 0; n = r.Read(buf) {
//		for _, e := range buf[:n] { … }
//	}
//	if err := r.Err(); err != nil { … }
//
// Calls of Next and Read may be mixed: each returns the events after those that the
// calls before it returned. Skipped and Backwards count the records up to the last
// event returned, or up to the end or the fault once there are no more.
type Reader interface {
	// Info describes the file.
	Info() Info
	// Next advances to the next polarity event and reports whether there is one. It
	// returns false at the end of the file or at the first fault.
	Next() bool
	// Event returns the event Next advanced to. Read does not change it.
	Event() Event
	// Read decodes the next polarity events into dst, up to len(dst) of them, and
	// returns how many it decoded. It returns 0 at the end of the file, at the first
	// fault, and for an empty dst; it may return fewer than len(dst) events before the
	// end. The events before a fault are returned first, and the call after them
	// returns 0.
	Read(dst []Event) (n int)
	// Err returns the fault that stopped the Reader, once Next has returned false or
	// Read 0 because of it; otherwise nil.
	Err() error
	// Skipped counts the records read but not decoded as polarity events, by kind; for
	// 4.0, whose packets are skipped whole without decompressing them, it counts packets.
	Skipped() map[string]int64
}

// FormatError reports corrupt input: a file that breaks its format's rules.
type FormatError struct {
	File   string // the file, as named to Open or NewReader
	Offset int64  // byte offset of the fault
	Msg    string // what is wrong there
}

// Error implements error.
func (e *FormatError) Error() string {
	return fmt.Sprintf("aedat: %s: byte %d: %s", e.File, e.Offset, e.Msg)
}

// UnsupportedError reports valid input that this package cannot decode, such as an
// unknown version or a compression it does not implement.
type UnsupportedError struct {
	File   string // the file, as named to Open or NewReader
	Offset int64  // byte offset of what is not supported
	Msg    string // what it is
}

// Error implements error.
func (e *UnsupportedError) Error() string {
	return fmt.Sprintf("aedat: %s: byte %d: unsupported: %s", e.File, e.Offset, e.Msg)
}

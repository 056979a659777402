package aedat

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// File is an AEDAT file opened by Open: a Reader over the file, which Close closes.
type File struct {
	Reader
	f *os.File
}

// Close closes the underlying file.
func (f *File) Close() error { return f.f.Close() }

// Open opens the AEDAT file at path, reads its header and returns a Reader over its
// events. The error is a *FormatError or *UnsupportedError when the header is corrupt or
// of a version this package does not read, or wraps the error of os.Open.
func Open(path string) (*File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("aedat: %w", err)
	}
	r, err := NewReader(f, path)
	if err != nil {
		f.Close()
		return nil, err
	}
	return &File{Reader: r, f: f}, nil
}

// NewReader reads the header of the AEDAT file r and returns a Reader over its events.
// name names the file in errors. The version is taken from the first line:
//
//   - "#!AER-DAT2.0": jAER's AEDAT 2.0, 8-byte big-endian records;
//   - "#!AER-DAT3.1": AEDAT 3.1 packets;
//   - "#!AER-DAT4.0": AEDAT 4.0;
//   - any other "#!AER-DAT" line: an *UnsupportedError (this includes 3.0);
//   - a first line that begins with '#' but not with "#!": AEDAT 1.0, whose header has
//     no version line, with 6-byte records;
//   - anything else, including an empty input and a first line that begins with "#!"
//     but not "#!AER-DAT", is not an AEDAT file: a *FormatError. A 1.0 file without
//     any header cannot be told from arbitrary bytes and is not accepted.
//
// NewReader buffers r; it reads no further than it needs to.
func NewReader(r io.Reader, name string) (Reader, error) {
	br := bufio.NewReaderSize(r, hdrBufSize)
	p, err := br.Peek(br.Size())
	if len(p) == 0 {
		if err != nil && err != io.EOF {
			return nil, fmt.Errorf("aedat: %s: byte 0: %w", name, err)
		}
		return nil, formatErr(name, 0, "not an AEDAT file: empty")
	}
	first := p
	if i := bytes.IndexByte(p, '\n'); i >= 0 {
		first = p[:i+1]
	}
	line := string(trimEOL(first))
	const magic = "#!AER-DAT"
	switch {
	case strings.HasPrefix(line, magic):
		switch v := line[len(magic):]; v {
		case "2.0":
			return newV2Reader(br, name, "2.0")
		case "3.1":
			return newV3Reader(br, name)
		case "4.0":
			if _, err := br.Discard(len(first)); err != nil {
				return nil, err
			}
			return newV4Reader(br, name, int64(len(first)))
		default:
			if len(first) == len(p) && err == io.EOF {
				for _, known := range []string{"2.0", "3.1", "4.0"} {
					if strings.HasPrefix(magic+known, line) {
						return nil, formatErr(name, int64(len(p)), "truncated: the file "+
							"ends within its version line %q", line)
					}
				}
			}
			return nil, &UnsupportedError{File: name, Offset: 0,
				Msg: fmt.Sprintf("unknown version line %q", clip(line, 40))}
		}
	case strings.HasPrefix(line, "#!"):
		return nil, formatErr(name, 0, "not an AEDAT file: first line %q", clip(line, 40))
	case len(line) > 0 && line[0] == '#' && isHeaderText(first):
		return newV2Reader(br, name, "1.0")
	}
	return nil, formatErr(name, 0, "not an AEDAT file: no '#' header line")
}

// clip cuts s to at most n bytes, for quoting untrusted text in errors.
func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// Backwards returns how many times the timestamp of an event returned by r was smaller
// than that of the event before it, and whether r counts this at all. Readers return
// events in file order and never reorder them; see the package documentation.
func Backwards(r Reader) (n int64, ok bool) {
	if f, isFile := r.(*File); isFile {
		r = f.Reader
	}
	b, ok := r.(interface{ Backwards() int64 })
	if !ok {
		return 0, false
	}
	return b.Backwards(), true
}

// formatErr returns a *FormatError.
func formatErr(name string, off int64, format string, args ...any) *FormatError {
	return &FormatError{File: name, Offset: off, Msg: fmt.Sprintf(format, args...)}
}

// readerBase holds the state and methods that the readers of all versions share.
type readerBase struct {
	name      string
	info      Info
	off       int64 // offset of the next unread byte
	cur       [1]Event
	err       error
	held      error // the fault met, published as err once the events before it are out
	done      bool  // no more events: the end of the file or a fault
	skipped   map[string]int64
	backwards int64
	lastTime  int64
	any       bool // an event was returned
}

// Info implements Reader.
func (b *readerBase) Info() Info { return b.info }

// Event implements Reader.
func (b *readerBase) Event() Event { return b.cur[0] }

// Err implements Reader.
func (b *readerBase) Err() error { return b.err }

// Skipped implements Reader. The map is a copy.
func (b *readerBase) Skipped() map[string]int64 {
	m := make(map[string]int64, len(b.skipped))
	for k, v := range b.skipped {
		m[k] = v
	}
	return m
}

// Backwards returns how many events had a smaller timestamp than the event before them.
func (b *readerBase) Backwards() int64 { return b.backwards }

// emit makes e, which Next decoded, the current event.
func (b *readerBase) emit(e Event) bool {
	if b.any && e.Time < b.lastTime {
		b.backwards++
	}
	b.any = true
	b.lastTime = e.Time
	b.cur[0] = e
	return true
}

// stop ends decoding, at the end of the file when err is nil, or else at the fault err.
// Err reports the fault once finish has run, after the events before it are returned.
func (b *readerBase) stop(err error) {
	b.done = true
	b.held = err
}

// finish publishes the fault that stopped decoding and returns 0, the event count of a
// Read that has nothing more to return.
func (b *readerBase) finish() int {
	if b.held != nil {
		b.err, b.held = b.held, nil
	}
	return 0
}

// timeState returns the time against which the next event is checked for going back:
// that of the last event returned, or the smallest time before the first event.
func (b *readerBase) timeState() int64 {
	if !b.any {
		return math.MinInt64
	}
	return b.lastTime
}

// setTimeState records the time of the last event returned, after n events were.
func (b *readerBase) setTimeState(last int64, n int) {
	if n > 0 {
		b.any = true
		b.lastTime = last
	}
}

// count adds n records of kind to the skipped counts, leaving out kinds never seen.
func (b *readerBase) count(kind string, n int64) {
	if n != 0 {
		b.skipped[kind] += n
	}
}

// inputSize is the size of the buffer in which the 1.0, 2.0 and 3.1 readers decode.
const inputSize = 128 << 10

// input reads the event data of a 1.0, 2.0 or 3.1 file in large blocks, so that the
// readers decode records in place. Bytes buf[pos:end] are read and not yet consumed.
// An error of the underlying reader, io.EOF included, is kept in err and ends reading.
type input struct {
	r        io.Reader
	buf      []byte
	pos, end int
	err      error
}

// avail returns how many bytes are read and not yet consumed.
func (in *input) avail() int { return in.end - in.pos }

// fill moves the unconsumed bytes to the front of buf and reads more after them. It
// reports whether it read any; when it did not, err says why. Callers fill only when
// fewer bytes are left than a record or packet header, so buf has room.
func (in *input) fill() bool {
	if in.err != nil {
		return false
	}
	if in.buf == nil {
		in.buf = make([]byte, inputSize)
	}
	if in.pos > 0 {
		in.end = copy(in.buf, in.buf[in.pos:in.end])
		in.pos = 0
	}
	// Give up on a reader that returns neither bytes nor an error, as bufio does.
	for range 100 {
		n, err := in.r.Read(in.buf[in.end:])
		in.end += n
		if err != nil {
			in.err = err
			return n > 0
		}
		if n > 0 {
			return true
		}
	}
	in.err = io.ErrNoProgress
	return false
}

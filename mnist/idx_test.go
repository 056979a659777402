package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// imageStream returns an idx3 stream with the given header fields and body.
func imageStream(count, rows, cols uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, imageMagic)
	b = binary.BigEndian.AppendUint32(b, count)
	b = binary.BigEndian.AppendUint32(b, rows)
	b = binary.BigEndian.AppendUint32(b, cols)
	return append(b, body...)
}

// labelStream returns an idx1 stream with the given count and body.
func labelStream(count uint32, body []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, labelMagic)
	b = binary.BigEndian.AppendUint32(b, count)
	return append(b, body...)
}

func gzipped(t testing.TB, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pixels returns n distinct test images.
func pixels(n, seed int) []byte {
	b := make([]byte, n*Pixels)
	for i := range b {
		b[i] = byte(i*7 + seed)
	}
	return b
}

var (
	trainPixels = pixels(3, 1)
	trainLabels = []byte{5, 0, 4}
	testPixels  = pixels(2, 2)
	testLabels  = []byte{7, 2}
)

// validFiles returns a small, well-formed data set under plain names.
func validFiles() map[string][]byte {
	return map[string][]byte{
		trainImagesFile: imageStream(3, 28, 28, trainPixels),
		trainLabelsFile: labelStream(3, trainLabels),
		testImagesFile:  imageStream(2, 28, 28, testPixels),
		testLabelsFile:  labelStream(2, testLabels),
	}
}

func writeDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestLoadDefaultDir(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	train, test, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		set  *Set
		n    int
		hist [10]int
	}{
		{"train", train, 60000, [10]int{5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}},
		{"test", test, 10000, [10]int{980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}},
	} {
		if c.set.Len() != c.n || len(c.set.Images) != c.n*Pixels {
			t.Errorf("%s: %d labels, %d pixel bytes; want %d, %d",
				c.name, c.set.Len(), len(c.set.Images), c.n, c.n*Pixels)
			continue
		}
		var hist [10]int
		for _, l := range c.set.Labels {
			hist[l]++
		}
		if hist != c.hist {
			t.Errorf("%s: label histogram %v, want %v", c.name, hist, c.hist)
		}
		var ink, full int
		for _, p := range c.set.Images {
			if p != 0 {
				ink++
			}
			if p == 255 {
				full++
			}
		}
		if ink == 0 || full == 0 || ink > len(c.set.Images)/2 {
			t.Errorf("%s: %d nonzero and %d full-ink pixels of %d", c.name, ink, full,
				len(c.set.Images))
		}
	}
	if train.Labels[0] != 5 {
		t.Errorf("first training label %d, want 5", train.Labels[0])
	}
	if test.Labels[0] != 7 {
		t.Errorf("first test label %d, want 7", test.Labels[0])
	}
	if img := test.Image(0); bytes.Count(img, []byte{0}) == Pixels {
		t.Errorf("first test image is blank")
	}
}

func TestReadImages(t *testing.T) {
	plain := imageStream(3, 28, 28, trainPixels)
	for _, c := range []struct {
		name string
		data []byte
		want []byte
	}{
		{"plain", plain, trainPixels},
		{"gzip", gzipped(t, plain), trainPixels},
		{"gzip two members", append(gzipped(t, plain[:100]), gzipped(t, plain[100:])...),
			trainPixels},
		{"empty set", imageStream(0, 28, 28, nil), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			images, n, err := ReadImages(bytes.NewReader(c.data), c.name)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(c.want)/Pixels || !bytes.Equal(images, c.want) {
				t.Errorf("got %d images, %d bytes; want %d images, %d bytes",
					n, len(images), len(c.want)/Pixels, len(c.want))
			}
		})
	}
}

func TestReadLabels(t *testing.T) {
	all := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}
	plain := labelStream(10, all)
	for _, c := range []struct {
		name string
		data []byte
		want []byte
	}{
		{"plain", plain, all},
		{"gzip", gzipped(t, plain), all},
		{"empty set", labelStream(0, nil), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			labels, err := ReadLabels(bytes.NewReader(c.data), c.name)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(labels, c.want) {
				t.Errorf("got %v, want %v", labels, c.want)
			}
		})
	}
}

func TestLoad(t *testing.T) {
	gzipAll := func(files map[string][]byte, names bool) map[string][]byte {
		out := map[string][]byte{}
		for name, data := range files {
			if names {
				name += ".gz"
			}
			out[name] = gzipped(t, data)
		}
		return out
	}
	plainAsGz := map[string][]byte{}
	for name, data := range validFiles() {
		plainAsGz[name+".gz"] = data
	}
	preferPlain := validFiles()
	for name := range validFiles() {
		preferPlain[name+".gz"] = []byte("not read")
	}
	for _, c := range []struct {
		name  string
		files map[string][]byte
	}{
		{"plain", validFiles()},
		{"gzip", gzipAll(validFiles(), true)},
		{"gzip data under plain names", gzipAll(validFiles(), false)},
		{"plain data under .gz names", plainAsGz},
		{"plain preferred over .gz", preferPlain},
	} {
		t.Run(c.name, func(t *testing.T) {
			train, test, err := Load(writeDir(t, c.files))
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range []struct {
				name           string
				got            *Set
				images, labels []byte
			}{
				{"train", train, trainPixels, trainLabels},
				{"test", test, testPixels, testLabels},
			} {
				if !bytes.Equal(s.got.Images, s.images) || !bytes.Equal(s.got.Labels, s.labels) {
					t.Errorf("%s: got %d pixel bytes, labels %v; want %d, %v", s.name,
						len(s.got.Images), s.got.Labels, len(s.images), s.labels)
				}
			}
		})
	}
}

func TestSet(t *testing.T) {
	s := &Set{Images: pixels(3, 5), Labels: []byte{1, 2, 3}}
	if s.Len() != 3 {
		t.Fatalf("Len() = %d, want 3", s.Len())
	}
	img := s.Image(1)
	if len(img) != Pixels || cap(img) != Pixels || &img[0] != &s.Images[Pixels] {
		t.Errorf("Image(1): len %d, cap %d, shared %v; want a %d-byte view of Images",
			len(img), cap(img), &img[0] == &s.Images[Pixels], Pixels)
	}
	for _, c := range []struct{ n, want int }{{-1, 0}, {0, 0}, {2, 2}, {3, 3}, {4, 3}} {
		sub := s.Subset(c.n)
		if sub.Len() != c.want || len(sub.Images) != c.want*Pixels {
			t.Errorf("Subset(%d): %d labels, %d pixel bytes; want %d samples",
				c.n, sub.Len(), len(sub.Images), c.want)
		}
	}
	sub := s.Subset(2)
	if &sub.Images[0] != &s.Images[0] || &sub.Labels[0] != &s.Labels[0] {
		t.Errorf("Subset(2) does not share memory with its set")
	}
	if !bytes.Equal(sub.Image(1), s.Image(1)) {
		t.Errorf("Subset(2).Image(1) differs from Image(1)")
	}
}

func TestLoadErrors(t *testing.T) {
	const hdr = imageHeaderSize
	for _, c := range []struct {
		name      string
		edit      func(t *testing.T, files map[string][]byte)
		file      string   // file named in the message, relative to the directory
		want      []string // substrings of the message
		is        error
		truncated bool
	}{
		{
			name: "missing file",
			edit: func(t *testing.T, f map[string][]byte) { delete(f, trainImagesFile) },
			want: []string{": no train-images-idx3-ubyte or train-images-idx3-ubyte.gz"},
			is:   ErrNotFound,
		},
		{
			name: "wrong magic",
			edit: func(t *testing.T, f map[string][]byte) {
				f[trainImagesFile+".gz"] = gzipped(t, f[trainLabelsFile])
				delete(f, trainImagesFile)
			},
			file: trainImagesFile + ".gz",
			want: []string{"magic 0x00000801 at byte 0, want 0x00000803 (idx3 images)"},
			is:   ErrFormat,
		},
		{
			name: "labels magic in image file",
			edit: func(t *testing.T, f map[string][]byte) {
				f[testLabelsFile] = f[testImagesFile]
			},
			file: testLabelsFile,
			want: []string{"magic 0x00000803 at byte 0, want 0x00000801 (idx1 labels)"},
			is:   ErrFormat,
		},
		{
			name:      "empty file",
			edit:      func(t *testing.T, f map[string][]byte) { f[testLabelsFile] = nil },
			file:      testLabelsFile,
			want:      []string{"truncated at byte 0: header is 8 bytes, got 0"},
			is:        ErrFormat,
			truncated: true,
		},
		{
			name: "truncated header",
			edit: func(t *testing.T, f map[string][]byte) {
				f[testImagesFile] = f[testImagesFile][:10]
			},
			file:      testImagesFile,
			want:      []string{"truncated at byte 10: header is 16 bytes, got 10"},
			is:        ErrFormat,
			truncated: true,
		},
		{
			name: "truncated image body",
			edit: func(t *testing.T, f map[string][]byte) {
				f[trainImagesFile] = f[trainImagesFile][:hdr+Pixels+Pixels/2]
			},
			file:      trainImagesFile,
			want:      []string{"truncated at byte 1192: header promises 3 images, got 1"},
			is:        ErrFormat,
			truncated: true,
		},
		{
			name: "truncated label body",
			edit: func(t *testing.T, f map[string][]byte) {
				f[trainLabelsFile] = labelStream(3, trainLabels[:2])
			},
			file:      trainLabelsFile,
			want:      []string{"truncated at byte 10: header promises 3 labels, got 2"},
			is:        ErrFormat,
			truncated: true,
		},
		{
			name: "truncated gzip",
			edit: func(t *testing.T, f map[string][]byte) {
				z := gzipped(t, f[trainImagesFile])
				f[trainImagesFile+".gz"] = z[:len(z)/2]
				delete(f, trainImagesFile)
			},
			file:      trainImagesFile + ".gz",
			want:      []string{"truncated at byte ", "header promises 3 images"},
			is:        ErrFormat,
			truncated: true,
		},
		{
			name: "gzip without trailer",
			edit: func(t *testing.T, f map[string][]byte) {
				z := gzipped(t, f[testLabelsFile])
				f[testLabelsFile] = z[:len(z)-8]
			},
			file:      testLabelsFile,
			want:      []string{"truncated gzip stream after byte 10"},
			is:        ErrFormat,
			truncated: true,
		},
		{
			name: "wrong dimensions",
			edit: func(t *testing.T, f map[string][]byte) {
				f[testImagesFile] = imageStream(2, 32, 28, testPixels)
			},
			file: testImagesFile,
			want: []string{"image size 32x28 (rows x columns) at byte 8, want 28x28"},
			is:   ErrFormat,
		},
		{
			name: "label out of range",
			edit: func(t *testing.T, f map[string][]byte) {
				f[trainLabelsFile] = labelStream(3, []byte{5, 10, 4})
			},
			file: trainLabelsFile,
			want: []string{"label 10 at byte 9 (sample 1), want 0..9"},
			is:   ErrFormat,
		},
		{
			name: "count mismatch",
			edit: func(t *testing.T, f map[string][]byte) {
				f[trainLabelsFile] = labelStream(2, trainLabels[:2])
			},
			file: trainLabelsFile,
			want: []string{"2 labels, but ", trainImagesFile + " has 3 images"},
			is:   ErrFormat,
		},
		{
			name: "trailing data",
			edit: func(t *testing.T, f map[string][]byte) {
				f[testLabelsFile] = append(f[testLabelsFile], 0)
			},
			file: testLabelsFile,
			want: []string{"trailing data at byte 10: header promises only 2 labels"},
			is:   ErrFormat,
		},
		{
			name: "garbage gzip header",
			edit: func(t *testing.T, f map[string][]byte) {
				f[testImagesFile+".gz"] = []byte("\x1f\x8bgarbage, not a gzip stream")
				delete(f, testImagesFile)
			},
			file: testImagesFile + ".gz",
			want: []string{"corrupt gzip header: gzip: invalid header"},
			is:   ErrFormat,
		},
		{
			name: "garbage gzip data",
			edit: func(t *testing.T, f map[string][]byte) {
				z := gzipped(t, nil)[:10]
				f[testImagesFile] = append(z, bytes.Repeat([]byte{0xff}, 100)...)
			},
			file: testImagesFile,
			want: []string{"corrupt gzip data after byte 0: flate: corrupt input"},
			is:   ErrFormat,
		},
		{
			name: "gzip checksum",
			edit: func(t *testing.T, f map[string][]byte) {
				z := gzipped(t, f[trainLabelsFile])
				z[len(z)-8] ^= 0xff
				f[trainLabelsFile] = z
			},
			file: trainLabelsFile,
			want: []string{"corrupt gzip data after byte 11: gzip: invalid checksum"},
			is:   ErrFormat,
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			files := validFiles()
			c.edit(t, files)
			dir := writeDir(t, files)
			train, test, err := Load(dir)
			if err == nil {
				t.Fatalf("Load succeeded with %d and %d samples", train.Len(), test.Len())
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "mnist: "+filepath.Join(dir, c.file)+": ") {
				t.Errorf("error %q does not start with the file name", msg)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q has more than one line", msg)
			}
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q does not contain %q", msg, w)
				}
			}
			if !errors.Is(err, c.is) {
				t.Errorf("error %q is not %v", msg, c.is)
			}
			if errors.Is(err, ErrTruncated) != c.truncated {
				t.Errorf("errors.Is(%q, ErrTruncated) = %v, want %v",
					msg, !c.truncated, c.truncated)
			}
		})
	}
}

func TestLoadMissingDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nope")
	_, _, err := Load(dir)
	if err == nil || !strings.HasPrefix(err.Error(), "mnist: "+dir+": ") ||
		!errors.Is(err, ErrNotFound) || !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Load(%q) = %v, want a not-found error naming the directory", dir, err)
	}
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }

func TestReadError(t *testing.T) {
	cause := errors.New("disk on fire")
	r := io.MultiReader(bytes.NewReader(imageStream(1, 28, 28, nil)), errReader{cause})
	_, _, err := ReadImages(r, "x")
	want := "mnist: x: read error at byte 16: disk on fire"
	if err == nil || err.Error() != want || !errors.Is(err, cause) || errors.Is(err, ErrFormat) {
		t.Errorf("got %v, want %q wrapping the cause only", err, want)
	}
}

// TestHugeHeader checks that counts in a header do not size allocations
// before the data arrives.
func TestHugeHeader(t *testing.T) {
	for _, c := range []struct {
		name string
		read func(r io.Reader) error
		want string
	}{
		{
			name: "images",
			read: func(r io.Reader) error {
				_, _, err := ReadImages(r, "huge")
				return err
			},
			want: "mnist: huge: truncated at byte 116: header promises 2147483647 images, got 0",
		},
		{
			name: "labels",
			read: func(r io.Reader) error {
				_, err := ReadLabels(r, "huge")
				return err
			},
			want: "mnist: huge: truncated at byte 108: header promises 4294967295 labels, got 100",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			body := make([]byte, 100)
			data := imageStream(1<<31-1, 28, 28, body)
			if c.name == "labels" {
				data = labelStream(1<<32-1, body)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			err := c.read(bytes.NewReader(data))
			runtime.ReadMemStats(&after)
			if err == nil || err.Error() != c.want || !errors.Is(err, ErrTruncated) {
				t.Errorf("got %v, want %q", err, c.want)
			}
			if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
				t.Errorf("allocated %d bytes for a %d-byte stream", n, len(data))
			}
		})
	}
}

func TestModuleDir(t *testing.T) {
	got, err := moduleDir("/cache", "v0.0.0-20150320212226-2fbe10d0fa63")
	want := filepath.Join("/cache",
		"github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63", "data")
	if err != nil || got != want {
		t.Errorf("moduleDir = %q, %v; want %q", got, err, want)
	}
}

// fuzzSeeds returns small valid and invalid streams of both kinds.
func fuzzSeeds(t testing.TB) [][]byte {
	img := imageStream(2, 28, 28, pixels(2, 3))
	lab := labelStream(3, []byte{1, 2, 3})
	return [][]byte{
		img, gzipped(t, img), img[:20], img[:3], imageStream(2, 27, 28, pixels(2, 3)),
		imageStream(1<<31-1, 28, 28, nil), append(img, 1),
		lab, gzipped(t, lab), lab[:9], labelStream(1, []byte{200}), labelStream(1<<32-1, nil),
		nil, []byte{0x1f, 0x8b}, gzipped(t, nil),
	}
}

// checkFuzzError checks the invariants of errors from in-memory streams.
func checkFuzzError(t *testing.T, err error) {
	if msg := err.Error(); !strings.HasPrefix(msg, "mnist: fuzz: ") ||
		strings.Contains(msg, "\n") {
		t.Errorf("bad message %q", msg)
	}
	if !errors.Is(err, ErrFormat) {
		t.Errorf("error %q is not ErrFormat", err)
	}
}

func FuzzReadImages(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		images, n, err := ReadImages(bytes.NewReader(data), "fuzz")
		if err != nil {
			checkFuzzError(t, err)
			if images != nil || n != 0 {
				t.Errorf("error %q with %d images", err, n)
			}
			return
		}
		if len(images) != n*Pixels {
			t.Errorf("%d images in %d bytes", n, len(images))
		}
	})
}

func FuzzReadLabels(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		labels, err := ReadLabels(bytes.NewReader(data), "fuzz")
		if err != nil {
			checkFuzzError(t, err)
			return
		}
		for i, l := range labels {
			if l > 9 {
				t.Fatalf("label %d at index %d", l, i)
			}
		}
	})
}

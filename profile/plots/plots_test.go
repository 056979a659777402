package plots

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/snnsim/snnsim/profile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
)

// step is the time step of the test profiles, in µs.
const step = 1000

// firing is a call to Recorder.Spikes: neurons of layer fire at t µs from the start of
// their sample.
type firing struct {
	t       int64
	layer   int
	neurons []int32
}

// record builds a profile of a network of the given sizes that ran the samples given,
// each of 5 steps, keeping the raster of sample raster, and summarizes it.
func record(t *testing.T, sizes []int, raster int, samples ...[]firing) *profile.Summary {
	t.Helper()
	fanIn := make([]int, len(sizes)-1)
	for l := range fanIn {
		fanIn[l] = sizes[l] + 1
	}
	p := profile.New("event", sizes, fanIn, step, 0, raster)
	r := p.Recorder()
	for k, sample := range samples {
		origin := int64(k) * 5 * step
		r.Begin(k, origin)
		for _, f := range sample {
			r.Spikes(origin+f.t, f.layer, f.neurons)
		}
		r.End(5)
	}
	for l := 1; l < len(sizes); l++ {
		r.Profile.Layers[l].Work = profile.Work{Accumulates: 7, Updates: 9}
	}
	s, err := r.Profile.Summarize(profile.DefaultCosts)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// typical is a profile of a 4-3-2 network over two samples, keeping sample 1.
func typical(t *testing.T) *profile.Summary {
	return record(t, []int{4, 3, 2}, 1,
		[]firing{{0, 0, []int32{0, 1}}, {step, 1, []int32{0}}, {2 * step, 2, []int32{1}}},
		[]firing{{0, 0, []int32{2}}, {step, 0, []int32{0, 3}}, {2 * step, 1, []int32{0, 2}},
			{3 * step, 2, []int32{1}}})
}

// pixels returns the size in pixels of a PNG of a figure of width w and height h.
func pixels(w, h vg.Length) (int, int) {
	return int(w/vg.Inch*DPI + 0.5), int(h/vg.Inch*DPI + 0.5)
}

// checkFiles checks that Write wrote the six files of prefix into dir, with PNGs of the
// figures' sizes and SVG documents.
func checkFiles(t *testing.T, s *profile.Summary, dir, prefix string, paths []string) {
	t.Helper()
	draws := []struct {
		name string
		draw func(*profile.Summary) (*Figure, error)
	}{{"raster", Raster}, {"rates", Rates}, {"activity", Activity}}
	if len(paths) != 2*len(draws) {
		t.Fatalf("Write returned %d paths, want %d: %q", len(paths), 2*len(draws), paths)
	}
	for i, d := range draws {
		f, err := d.draw(s)
		if err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		wantW, wantH := pixels(f.size())

		base := filepath.Join(dir, prefix+"-"+d.name)
		if paths[2*i] != base+".png" || paths[2*i+1] != base+".svg" {
			t.Errorf("paths %q, %q; want %s.png, %s.svg", paths[2*i], paths[2*i+1], base,
				base)
		}

		b, err := os.ReadFile(base + ".png")
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s.png: %v", base, err)
		}
		if sz := img.Bounds().Size(); sz.X != wantW || sz.Y != wantH {
			t.Errorf("%s.png is %d×%d pixels, want %d×%d", base, sz.X, sz.Y, wantW, wantH)
		}

		b, err = os.ReadFile(base + ".svg")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(b, []byte("<?xml")) || !bytes.Contains(b, []byte("<svg")) ||
			!bytes.HasSuffix(bytes.TrimSpace(b), []byte("</svg>")) {
			t.Errorf("%s.svg is not an SVG document: %.80q…", base, b)
		}
	}
}

func TestWrite(t *testing.T) {
	s := typical(t)
	dir := t.TempDir()
	paths, err := Write(context.Background(), s, dir, "run")
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, s, dir, "run", paths)

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(paths) {
		t.Errorf("dir holds %d files, want %d", len(entries), len(paths))
	}
}

func TestFigureSizes(t *testing.T) {
	s := typical(t)
	for _, c := range []struct {
		name string
		draw func(*profile.Summary) (*Figure, error)
		w, h int // pixels
	}{
		{"raster", Raster, 1200, 900}, // 3 layers of 1.6 in: 4.8 in, so the 6 in default
		{"rates", Rates, 1200, 810},   // 3 layers of 1.8 in
		{"activity", Activity, 1200, 750},
	} {
		f, err := c.draw(s)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if w, h := pixels(f.size()); w != c.w || h != c.h {
			t.Errorf("%s: %d×%d pixels, want %d×%d", c.name, w, h, c.w, c.h)
		}
	}
}

func TestEmptyRaster(t *testing.T) {
	for _, raster := range []int{-1, 7} { // none kept, and a sample that never ran
		s := record(t, []int{4, 3, 2}, raster, []firing{{0, 0, []int32{0}}})
		if len(s.Raster.Spikes) != 0 {
			t.Fatalf("raster %d holds %d spikes", raster, len(s.Raster.Spikes))
		}
		f, err := Raster(s)
		if err != nil {
			t.Fatalf("raster %d: %v", raster, err)
		}
		if len(f.Panels) != 3 {
			t.Errorf("raster %d: %d panels, want 3", raster, len(f.Panels))
		}
		dir := t.TempDir()
		paths, err := Write(context.Background(), s, dir, "empty")
		if err != nil {
			t.Fatalf("raster %d: %v", raster, err)
		}
		checkFiles(t, s, dir, "empty", paths)
	}
}

func TestSilentAndUniformLayers(t *testing.T) {
	// Every input neuron fires once, so that all have the same rate; no LIF neuron fires.
	s := record(t, []int{5, 3, 2}, 0, []firing{{0, 0, []int32{0, 1, 2, 3, 4}}})
	if len(s.Layers[1].Dead) != 3 || len(s.Layers[2].Dead) != 2 {
		t.Fatalf("dead neurons %v and %v, want all", s.Layers[1].Dead, s.Layers[2].Dead)
	}
	dir := t.TempDir()
	paths, err := Write(context.Background(), s, dir, "silent")
	if err != nil {
		t.Fatal(err)
	}
	checkFiles(t, s, dir, "silent", paths)
}

func TestHistogram(t *testing.T) {
	const seconds = 0.5
	for _, c := range []struct {
		name   string
		counts []int64
		edges  []float64 // Hz
		weight []float64
	}{
		{"silent", []int64{0, 0, 0}, []float64{0, 2}, []float64{3}},
		{"uniform", []int64{4, 4}, []float64{8, 10}, []float64{2}},
		// 4 neurons: 2 bins of whole spikes over the counts 1…4.
		{"spread", []int64{1, 2, 4, 4}, []float64{2, 6, 10}, []float64{2, 2}},
		// 9 neurons over the counts 0…2: 3 bins, one per count.
		{"few counts", []int64{0, 0, 0, 0, 1, 2, 2, 2, 2}, []float64{0, 2, 4, 6},
			[]float64{4, 1, 4}},
	} {
		h := histogram(c.counts, seconds)
		if len(h.Bins) != len(c.weight) {
			t.Errorf("%s: %d bins, want %d", c.name, len(h.Bins), len(c.weight))
			continue
		}
		for k, b := range h.Bins {
			if b.Min != c.edges[k] || b.Max != c.edges[k+1] || b.Weight != c.weight[k] {
				t.Errorf("%s: bin %d is [%g, %g) Hz holding %g, want [%g, %g) holding %g",
					c.name, k, b.Min, b.Max, b.Weight, c.edges[k], c.edges[k+1],
					c.weight[k])
			}
		}
	}
	if h := histogram(nil, seconds); h != nil {
		t.Errorf("histogram of no neurons has %d bins, want none", len(h.Bins))
	}
}

func TestUnwritable(t *testing.T) {
	s := typical(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(t.TempDir(), "missing"), file} {
		paths, err := Write(context.Background(), s, dir, "run")
		if err == nil {
			t.Fatalf("Write into %s succeeded", dir)
		}
		want := filepath.Join(dir, "run-raster.png")
		var pe *fs.PathError
		if !errors.As(err, &pe) || pe.Path != want ||
			!strings.HasPrefix(err.Error(), "write "+want+": ") {
			t.Errorf("error %q does not name %s once", err, want)
		}
		if !errors.Is(err, fs.ErrNotExist) && !strings.Contains(err.Error(), "not a directory") {
			t.Errorf("error %q is neither a missing file nor a file as directory", err)
		}
		if len(paths) != 0 {
			t.Errorf("Write returned paths %q with its error", paths)
		}
	}
}

func TestBadSummary(t *testing.T) {
	bad := typical(t)
	bad.Raster.Spikes = append(bad.Raster.Spikes, profile.Spike{Time: 0, Layer: 3})
	if _, err := Raster(bad); err == nil {
		t.Error("Raster accepted a spike in layer 3 of 3")
	}
	bad = typical(t)
	bad.Raster.Spikes = append(bad.Raster.Spikes, profile.Spike{Time: 0, Layer: 2, Neuron: 2})
	if _, err := Raster(bad); err == nil {
		t.Error("Raster accepted a spike of neuron 2 of 2")
	}
	bad = typical(t)
	bad.Bins[0].Rates = bad.Bins[0].Rates[:1]
	if _, err := Activity(bad); err == nil {
		t.Error("Activity accepted a bin of 1 rate for 3 layers")
	}
	bad = typical(t)
	bad.Seconds = 0
	if _, err := Rates(bad); err == nil {
		t.Error("Rates accepted 0 simulated seconds")
	}
	dir := t.TempDir()
	if paths, err := Write(context.Background(), bad, dir, "bad"); err == nil || len(paths) != 0 {
		t.Errorf("Write of a bad summary returned %q, %v", paths, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Write of a bad summary left %d files", len(entries))
	}
	if _, err := Raster(&profile.Summary{}); err == nil {
		t.Error("Raster accepted a summary of no layers")
	}
}

// TestWriteCancelled checks that Write writes nothing once its context is done.
func TestWriteCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	dir := t.TempDir()
	paths, err := Write(ctx, typical(t), dir, "run")
	if !errors.Is(err, context.Canceled) || len(paths) != 0 {
		t.Errorf("Write after cancel: paths %q, error %v; want none and context.Canceled",
			paths, err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("Write after cancel left %d files", len(entries))
	}
}

// TestTimeUnit checks that the time axes of a sample longer than ten seconds count
// seconds, and those of a short one milliseconds.
func TestTimeUnit(t *testing.T) {
	for _, c := range []struct {
		last int64 // µs of the last spike
		unit string
		end  float64 // the axes' end, in unit
	}{
		{3 * step, "ms", 5},
		// 20,001 steps, in bins widened to 2 ms to keep at most profile.MaxBins.
		{20_000_000, "s", 20.002},
	} {
		s := record(t, []int{2, 1}, 0, []firing{{0, 0, []int32{0}}, {c.last, 1, []int32{0}}})
		r, err := Raster(s)
		if err != nil {
			t.Fatal(err)
		}
		a, err := Activity(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range []*Figure{r, a} {
			x := f.Panels[len(f.Panels)-1].X
			if want := "time from sample start (" + c.unit + ")"; x.Label.Text != want ||
				x.Max != c.end {
				t.Errorf("%s: time axis %q up to %g, want %q up to %g", f.Title,
					x.Label.Text, x.Max, want, c.end)
			}
		}
	}
}

// TestWholeTicks checks that a neuron axis labels whole numbers only, and some even when
// it spans only two neurons.
func TestWholeTicks(t *testing.T) {
	for _, c := range []struct {
		lo, hi float64
		want   []string // the labels, in order
	}{
		{-0.5, 1.5, []string{"0", "1"}},
		{-0.5, 0.5, []string{"0"}},
		{-0.5, 499.5, []string{"0", "200", "400"}},
	} {
		var got []string
		for _, tk := range (whole{plot.DefaultTicks{}}).Ticks(c.lo, c.hi) {
			if tk.Label != "" {
				got = append(got, tk.Label)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("ticks over [%g, %g] labelled %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
}

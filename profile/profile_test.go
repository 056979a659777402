package profile

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// tol is the tolerance of the derived figures, which are ratios of small integers.
const tol = 1e-12

// handmade records two samples of 4 steps of 1 ms through a 3-2-1 network:
//
//	sample 0: input 0 at 0 and 300 µs (one step), input 1 at 1 ms; hidden 0 at every
//	          step; output 0 at 2 and 3 ms
//	sample 1: input 0 at 0; hidden 0 at every step; output 0 at 1, 2 and 3 ms
//
// Input 2 and hidden 1 never fire. Output 0 fires in every step from the output layer's
// first spike, and so is saturated.
func handmade(t *testing.T) *Profile {
	t.Helper()
	p := New("event", []int{3, 2, 1}, []int{3, 2}, 1000, 2000, 0)
	r := p.Recorder()
	r.Begin(0, 10_000)
	r.Spikes(10_000, 0, []int32{0})
	r.Spikes(10_300, 0, []int32{0})
	r.Spikes(11_000, 0, []int32{1})
	for k := range int64(4) {
		r.Spikes(10_000+k*1000, 1, []int32{0})
	}
	r.Spikes(12_000, 2, []int32{0})
	r.Spikes(13_000, 2, []int32{0})
	r.End(4)
	r.Begin(1, 0)
	r.Spikes(0, 0, []int32{0})
	for k := range int64(4) {
		r.Spikes(k*1000, 1, []int32{0})
		if k > 0 {
			r.Spikes(k*1000, 2, []int32{0})
		}
	}
	r.End(4)
	r.Profile.Layers[1].Work = Work{Accumulates: 10, Updates: 12}
	r.Profile.Layers[2].Work = Work{Accumulates: 8, MACs: 1, Updates: 3}
	if err := p.Add(r.Profile); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRecorder(t *testing.T) {
	p := handmade(t)
	if p.Samples != 2 || p.Steps != 8 {
		t.Errorf("%d samples of %d steps, want 2 of 8", p.Samples, p.Steps)
	}
	want := []Layer{
		{Spikes: 4, Neuron: []int64{3, 1, 0}, Busy: []int64{2, 1, 0}, Active: 3, Open: 8},
		{Spikes: 8, Neuron: []int64{8, 0}, Busy: []int64{8, 0}, Active: 2, Open: 8},
		{Spikes: 5, Neuron: []int64{5}, Busy: []int64{5}, Active: 2, Open: 2 + 3},
	}
	for l, w := range want {
		g := p.Layers[l]
		if g.Spikes != w.Spikes || !slices.Equal(g.Neuron, w.Neuron) ||
			!slices.Equal(g.Busy, w.Busy) || g.Active != w.Active || g.Open != w.Open {
			t.Errorf("layer %d: got %+v, want %+v", l, g, w)
		}
	}
	// Bins of 2 ms: both samples last into both bins.
	bins := []Bin{{Samples: 2, Covered: 4000, Spikes: []int64{4, 4, 1}},
		{Samples: 2, Covered: 4000, Spikes: []int64{0, 4, 4}}}
	if len(p.Bins) != 2 {
		t.Fatalf("%d bins, want 2", len(p.Bins))
	}
	for k, b := range bins {
		if p.Bins[k].Samples != b.Samples || p.Bins[k].Covered != b.Covered ||
			!slices.Equal(p.Bins[k].Spikes, b.Spikes) {
			t.Errorf("bin %d: %+v, want %+v", k, p.Bins[k], b)
		}
	}
	want0 := []Spike{{0, 0, 0}, {300, 0, 0}, {1000, 0, 1}, {0, 1, 0}, {1000, 1, 0},
		{2000, 1, 0}, {3000, 1, 0}, {2000, 2, 0}, {3000, 2, 0}}
	if !slices.Equal(p.Raster, want0) {
		t.Errorf("raster %v, want %v", p.Raster, want0)
	}
}

func TestSummarize(t *testing.T) {
	s, err := handmade(t).Summarize(Costs{AC: 1, MAC: 5})
	if err != nil {
		t.Fatal(err)
	}
	const seconds = 8e-3
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"seconds", s.Seconds, seconds},
		{"input spikes/neuron/sample", s.Layers[0].SpikesPerNeuron, 4.0 / 6},
		{"input rate", s.Layers[0].RateHz, 4 / 3.0 / seconds},
		{"input sparsity", s.Layers[0].Sparsity, 1 - 3.0/24},
		{"input active", s.Layers[0].Active, 3.0 / 6},
		{"hidden sparsity", s.Layers[1].Sparsity, 1 - 8.0/16},
		{"hidden active", s.Layers[1].Active, 2.0 / 4},
		{"output rate", s.Layers[2].RateHz, 5 / seconds},
		{"output sparsity", s.Layers[2].Sparsity, 1 - 5.0/8},
		{"channels firing", s.Input.Fraction, 2.0 / 3},
		{"input events/s", s.Input.EventsPerSecond, 4 / seconds},
		{"synaptic ratio", float64(s.Work.SynapticRatio), 19.0 / (8*3*2 + 8*2*1)},
		{"update ratio", float64(s.Work.UpdateRatio), 15.0 / (8*2 + 8*1)},
		{"engine energy", s.Energy.Engine, 18*1 + 1*5},
		{"dense energy", s.Energy.Dense, (8*3*2 + 8*2*1) * 5},
		{"input rate, bin 0", s.Bins[0].Rates[0], 4 / 2.0 / 2e-3},
		{"hidden rate, bin 1", s.Bins[1].Rates[1], 4 / 2.0 / 2e-3},
	} {
		if math.Abs(c.got-c.want) > tol*max(1, math.Abs(c.want)) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	for l, c := range []struct{ dead, saturated []int }{
		{[]int{2}, nil}, {[]int{1}, []int{0}}, {nil, []int{0}},
	} {
		got := s.Layers[l]
		if !slices.Equal(got.Dead, c.dead) || !slices.Equal(got.Saturated, c.saturated) {
			t.Errorf("layer %d: dead %v, saturated %v; want %v, %v", l, got.Dead,
				got.Saturated, c.dead, c.saturated)
		}
	}
	if s.Layers[1].DenseMACs != 8*3*2 || s.Layers[2].ClockedUpdates != 8 {
		t.Errorf("dense MACs %d, clocked updates %d", s.Layers[1].DenseMACs,
			s.Layers[2].ClockedUpdates)
	}
}

// TestEndCoversLastSpike checks that a sample lasts until its last spike, which the
// event engine can fire after the input has stopped.
func TestEndCoversLastSpike(t *testing.T) {
	p := New("event", []int{1, 1}, []int{1}, 1000, 0, -1)
	r := p.Recorder()
	r.Begin(0, 0)
	r.Spikes(6500, 1, []int32{0})
	r.End(3)
	if r.Profile.Steps != 7 || len(r.Profile.Bins) != 7 || r.Profile.Bins[6].Samples != 1 {
		t.Errorf("%d steps, %d bins; want 7 steps and 7 bins", r.Profile.Steps,
			len(r.Profile.Bins))
	}
	if r.Profile.Raster != nil {
		t.Errorf("raster %v kept for sample −1", r.Profile.Raster)
	}
}

func TestAddMismatch(t *testing.T) {
	p := New("clocked", []int{3, 2}, []int{3}, 1000, 0, 0)
	for _, q := range []*Profile{
		New("clocked", []int{3, 3}, []int{3}, 1000, 0, 0),
		New("clocked", []int{3, 2}, []int{4}, 1000, 0, 0),
		New("clocked", []int{3, 2}, []int{3}, 500, 0, 0),
		New("clocked", []int{3, 2}, []int{3}, 1000, 3000, 0),
	} {
		if err := p.Add(q); err == nil {
			t.Errorf("adding a profile of %v, %v, %d, %d µs: no error", q.Sizes, q.FanIn,
				q.StepMicros, q.BinMicros)
		}
	}
}

func TestSummarizeErrors(t *testing.T) {
	p := New("clocked", []int{3, 2}, []int{3}, 1000, 0, 0)
	if _, err := p.Summarize(DefaultCosts); err != ErrEmpty {
		t.Errorf("empty profile: %v, want ErrEmpty", err)
	}
	for _, c := range []Costs{{AC: -1, MAC: 1}, {AC: 1, MAC: math.NaN()},
		{AC: math.Inf(1), MAC: 1}, {AC: 1, MAC: MaxCost * 2}} {
		if _, err := handmade(t).Summarize(c); err == nil {
			t.Errorf("costs %+v: no error", c)
		}
	}
}

func TestWrite(t *testing.T) {
	s, err := handmade(t).Summarize(DefaultCosts)
	if err != nil {
		t.Fatal(err)
	}
	var text bytes.Buffer
	if err := s.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"2 samples", "dead input neurons: 2",
		"saturated hidden neurons: 0", "2 of 3 channels fire", "event queue",
		"leaves out memory"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}

	for _, c := range []struct {
		write      func(*bytes.Buffer) error
		rows, cols int
	}{
		{func(b *bytes.Buffer) error { return s.WriteLayersCSV(b) }, 1 + 3, 15},
		{func(b *bytes.Buffer) error { return s.WriteBinsCSV(b) }, 1 + 2, 3 + 2*3},
	} {
		var b bytes.Buffer
		if err := c.write(&b); err != nil {
			t.Fatal(err)
		}
		recs, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != c.rows || len(recs[0]) != c.cols {
			t.Errorf("CSV of %d rows of %d, want %d of %d:\n%v", len(recs), len(recs[0]),
				c.rows, c.cols, recs)
		}
	}
}

// TestRasterCap fills a raster past MaxRaster: it keeps every spike before the time it
// filled up at, and none after.
func TestRasterCap(t *testing.T) {
	p := New("event", []int{10, 1}, []int{10}, 1000, 0, 0)
	r := p.Recorder()
	r.Begin(0, 0)
	const per = 7 // spikes per µs
	n := int64(0)
	for dt := int64(0); n < MaxRaster+100; dt++ {
		r.Spikes(dt, 0, []int32{0, 1, 2, 3, 4, 5, 6})
		n += per
	}
	r.End(1)
	q := r.Profile
	end := int64(MaxRaster / per) // the µs in which the raster filled up
	if q.RasterEnd != end || int64(len(q.Raster)) != end*per {
		t.Fatalf("raster of %d spikes up to %d µs; want %d up to %d", len(q.Raster),
			q.RasterEnd, end*per, end)
	}
	for k, s := range q.Raster {
		if s.Time != int64(k/per) {
			t.Fatalf("raster spike %d at %d µs, want %d", k, s.Time, k/per)
		}
	}
	if q.Layers[0].Spikes != n {
		t.Errorf("%d spikes counted, want %d", q.Layers[0].Spikes, n)
	}
}

// TestPartialBin checks that the rate of a bin that samples end within is taken over the
// time they last in it: 3 spikes in the last 1 ms of a 2 ms bin are 3000 per second.
func TestPartialBin(t *testing.T) {
	p := New("clocked", []int{1, 1}, []int{1}, 1000, 2000, -1)
	r := p.Recorder()
	r.Begin(0, 0)
	r.Spikes(2000, 0, []int32{0})
	r.End(3)
	r.Begin(1, 0)
	r.Spikes(2000, 0, []int32{0})
	r.Spikes(2000, 1, []int32{0})
	r.End(4)
	s, err := r.Profile.Summarize(DefaultCosts)
	if err != nil {
		t.Fatal(err)
	}
	b := s.Bins[1]
	if b.Samples != 2 || b.Covered != 3000 || math.Abs(b.Rates[0]-2/3e-3) > tol*1e3 ||
		math.Abs(b.Rates[1]-1/3e-3) > tol*1e3 {
		t.Errorf("bin 1: %d samples over %d µs, rates %v; want 2 over 3000 µs, rates "+
			"%v and %v", b.Samples, b.Covered, b.Rates, 2/3e-3, 1/3e-3)
	}
}

// TestWiden records a sample that lasts longer than MaxBins bins: the bins double in
// width until it fits, keeping every spike, and profiles of different widths add up.
func TestWiden(t *testing.T) {
	const step = 1000
	long := New("event", []int{2, 1}, []int{2}, step, 0, -1)
	r := long.Recorder()
	r.Begin(0, 0)
	r.Spikes(0, 0, []int32{0})
	r.Spikes(3*MaxBins*step, 0, []int32{1}) // a silence of 3·MaxBins steps
	r.Spikes(3*MaxBins*step, 1, []int32{0})
	r.End(1)
	got := r.Profile
	if got.BinMicros != 4*step || len(got.Bins) != 3*MaxBins/4+1 {
		t.Fatalf("bins of %d µs, %d of them; want %d µs and %d", got.BinMicros,
			len(got.Bins), 4*step, 3*MaxBins/4+1)
	}
	first, last := got.Bins[0], got.Bins[len(got.Bins)-1]
	if first.Spikes[0] != 1 || last.Spikes[0] != 1 || last.Spikes[1] != 1 ||
		first.Covered != 4*step || last.Covered != step || last.Samples != 1 {
		t.Errorf("first bin %+v, last bin %+v", first, last)
	}

	short := New("event", []int{2, 1}, []int{2}, step, 0, -1)
	q := short.Recorder()
	q.Begin(0, 0)
	for k := range int64(6) {
		q.Spikes(k*step, 0, []int32{0})
	}
	q.End(6)
	if err := short.Add(q.Profile); err != nil {
		t.Fatal(err)
	}
	if err := short.Add(got); err != nil {
		t.Fatal(err)
	}
	if short.BinMicros != 4*step || short.Samples != 2 || short.Bins[0].Spikes[0] != 5 ||
		short.Bins[1].Spikes[0] != 2 || short.Bins[1].Covered != (4+2)*step ||
		short.Bins[1].Samples != 2 {
		t.Errorf("sum: bins of %d µs, first two %+v %+v", short.BinMicros, short.Bins[0],
			short.Bins[1])
	}

	// Added the other way round, the finer profile is widened in a copy.
	if err := got.Add(q.Profile); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Bins, short.Bins) {
		t.Errorf("the sum depends on the order of adding")
	}
	if b := q.Profile.Bins; len(b) != 6 || q.Profile.BinMicros != step || b[1].Spikes[0] != 1 {
		t.Errorf("adding changed the profile added: %d bins of %d µs", len(b),
			q.Profile.BinMicros)
	}
}

// TestRatioUndefined prices every operation at 0 pJ, which leaves the energy ratio
// undefined: null in JSON, which must still be written, and n/a in text.
func TestRatioUndefined(t *testing.T) {
	s, err := handmade(t).Summarize(Costs{})
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatalf("JSON of a profile priced at 0 pJ: %v", err)
	}
	if !strings.Contains(string(data), `"ratio":null`) {
		t.Errorf("JSON lacks a null energy ratio: %s", data)
	}
	var back Summary
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !math.IsNaN(float64(back.Energy.Ratio)) || back.Work.SynapticRatio != s.Work.SynapticRatio {
		t.Errorf("read back: energy ratio %v, synaptic ratio %v; want NaN and %v",
			back.Energy.Ratio, back.Work.SynapticRatio, s.Work.SynapticRatio)
	}
	var text bytes.Buffer
	if err := s.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "(ratio n/a)") {
		t.Errorf("text lacks the undefined ratio:\n%s", text.String())
	}
}

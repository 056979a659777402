package engine

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/profile"
)

// fixed is an EventSet of streams given by hand.
type fixed struct {
	spikes [][]encoding.Spike
	length []int64
}

func (f *fixed) Len() int      { return len(f.spikes) }
func (f *fixed) Label(int) int { return 0 }
func (f *fixed) Sample(i int, dst []encoding.Spike) ([]encoding.Spike, int64, error) {
	return append(dst, f.spikes[i]...), f.length[i], nil
}

// TestProfileExact runs a 2-2-1 network whose spikes are known by hand through both
// engines and checks every count of their profiles.
//
// With α = 0.5, θ = 1 and a weight of 1.5 from input 0 to hidden neuron 0, an input
// spike at step s makes hidden neuron 0 fire at s+2 if its membrane has decayed to near
// rest, and the weight of 1.5 from it makes the output fire two steps later. Input 1
// reaches hidden neuron 1 with 0.6, which never reaches θ. Sample 0 lasts 10 steps with
// input 0 at steps 0 and 5 and input 1 at step 1; sample 1 lasts 6 steps with input 1 at
// step 0 and input 0 at steps 4 and 5, too late to make a spike within the sample.
func TestProfileExact(t *testing.T) {
	const step = 1000
	net, err := New(Config{Inputs: 2, Hidden: []int{2}, Outputs: 1,
		Neuron: neuron.Params{Alpha: 0.5, Theta: 1}, Beta: 2, InitGain: 1, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, lay := range net.Layers {
		clear(lay.W.W)
	}
	net.Layers[0].W.Row(0)[0] = 1.5
	net.Layers[0].W.Row(1)[1] = 0.6
	net.Layers[1].W.Row(0)[0] = 1.5
	set := &fixed{
		spikes: [][]encoding.Spike{
			{{Time: 0, Input: 0}, {Time: step, Input: 1}, {Time: 5 * step, Input: 0}},
			{{Time: 0, Input: 1}, {Time: 4 * step, Input: 0}, {Time: 5 * step, Input: 0}},
		},
		length: []int64{10 * step, 6 * step},
	}

	want := &profile.Profile{StepMicros: step, BinMicros: step, Sizes: []int{2, 2, 1},
		FanIn: []int{2, 2}, Samples: 2, Steps: 16, RasterSample: 0,
		Layers: []profile.Layer{
			// Open: the steps from the layer's first spike to the end of each sample,
			// or the whole sample when the layer stays silent in it.
			{Spikes: 6, Neuron: []int64{4, 2}, Busy: []int64{4, 2}, Active: 4,
				Open: 10 + 6},
			{Spikes: 2, Neuron: []int64{2, 0}, Busy: []int64{2, 0}, Active: 1,
				Open: (10 - 2) + 6},
			{Spikes: 2, Neuron: []int64{2}, Busy: []int64{2}, Active: 1, Open: (10 - 4) + 6},
		},
		Raster: []profile.Spike{
			{Time: 0, Layer: 0, Neuron: 0}, {Time: 1000, Layer: 0, Neuron: 1},
			{Time: 2000, Layer: 1, Neuron: 0}, {Time: 4000, Layer: 2, Neuron: 0},
			{Time: 5000, Layer: 0, Neuron: 0}, {Time: 7000, Layer: 1, Neuron: 0},
			{Time: 9000, Layer: 2, Neuron: 0},
		},
	}
	for k := range 10 {
		b := profile.Bin{Samples: 1, Covered: step, Spikes: make([]int64, 3)}
		if k < 6 {
			b.Samples, b.Covered = 2, 2*step
		}
		want.Bins = append(want.Bins, b)
	}
	want.Bins[0].Spikes[0] = 2
	want.Bins[1].Spikes[0] = 1
	want.Bins[4].Spikes[0] = 1
	want.Bins[5].Spikes[0] = 2
	want.Bins[2].Spikes[1] = 1
	want.Bins[7].Spikes[1] = 1
	want.Bins[4].Spikes[2] = 1
	want.Bins[9].Spikes[2] = 1

	// The clocked engine updates every membrane at every step and delivers every spike
	// to both neurons above it.
	clocked := *want
	clocked.Mode = ModeClocked
	clocked.Layers = slices.Clone(want.Layers)
	clocked.Layers[1].Work = profile.Work{Accumulates: 6 * 2, Updates: 16 * 2}
	clocked.Layers[2].Work = profile.Work{Accumulates: 2 * 1, Updates: 16 * 1}

	// The event engine updates a layer only when spikes reach it (all of its neurons),
	// when a neuron that fired has had its step (that neuron alone), or when the output
	// is probed over the window of 2 steps. Hidden: arrivals at 1, 2 (with a wake-up), 6
	// ms and the wake-up at 7 ms in sample 0, an arrival in sample 1: 2+2+2+1+2. Output:
	// the arrival at 3 ms, the wake-up at 4 ms, the probes at 7 and 8 ms, the second
	// with an arrival, and two probes in sample 1. The input spikes at 4 and 5 ms in
	// sample 1 would reach the hidden membranes only at 6 and 7 ms, after the sample,
	// and are not delivered. Queued: 4 probes, a spike and a wake-up per hidden spike,
	// a wake-up per output spike.
	event := *want
	event.Mode = ModeEvent
	event.Layers = slices.Clone(want.Layers)
	event.Layers[1].Work = profile.Work{Accumulates: 4 * 2, Updates: 9}
	event.Layers[2].Work = profile.Work{Accumulates: 2 * 1, Updates: 6}
	event.Queued = 4 + 2*2 + 2

	for _, w := range []*profile.Profile{&clocked, &event} {
		tc := DefaultTrainConfig
		tc.Steps, tc.Window = 1<<16, 2
		tc.EngineConfig = EngineConfig{Mode: w.Mode, StepMicros: step}
		got := NewProfile(net, tc, 0, 0)
		if _, err := EvaluateEventsProfile(context.Background(), net, tc, set, got); err != nil {
			t.Fatal(err)
		}
		slices.SortStableFunc(got.Raster, func(a, b profile.Spike) int {
			return int(a.Time - b.Time)
		})
		if !reflect.DeepEqual(got, w) {
			t.Errorf("%s mode:\n got %+v\nwant %+v", w.Mode, got, w)
		}
	}
}

// window is the samples lo to hi−1 of a dataset.
type window struct {
	set    Dataset
	lo, hi int
}

func (w window) Len() int           { return w.hi - w.lo }
func (w window) Image(i int) []byte { return w.set.Image(w.lo + i) }
func (w window) Label(i int) int    { return w.set.Label(w.lo + i) }

// TestProfileBatchesAdd profiles 200 real test digits at once, spread over goroutines in
// chunks, and in four batches of 50, and checks that the counts of the whole are the
// sums of the batches'. Rate input makes each digit's input the same wherever it runs.
func TestProfileBatchesAdd(t *testing.T) {
	_, test := loadMNIST(t)
	net, tc := wmnist(t)
	tc.Encoding = encoding.Rate
	whole := NewProfile(net, tc, 0, -1)
	if _, err := EvaluateProfile(context.Background(), net, tc, window{test, 0, 200},
		whole); err != nil {
		t.Fatal(err)
	}
	sum := NewProfile(net, tc, 0, -1)
	for lo := 0; lo < 200; lo += 50 {
		part := NewProfile(net, tc, 0, -1)
		if _, err := EvaluateProfile(context.Background(), net, tc, window{test, lo, lo + 50},
			part); err != nil {
			t.Fatal(err)
		}
		if err := sum.Add(part); err != nil {
			t.Fatal(err)
		}
	}
	if whole.Samples != 200 || whole.Layers[1].Spikes == 0 || whole.Layers[1].Work.MACs == 0 {
		t.Fatalf("profile of 200 digits: %d samples, %d hidden spikes, %d MACs",
			whole.Samples, whole.Layers[1].Spikes, whole.Layers[1].Work.MACs)
	}
	if !reflect.DeepEqual(whole, sum) {
		t.Errorf("200 digits at once:\n%+v\nin four batches:\n%+v", whole, sum)
	}
}

// TestProfileEnginesAgree profiles 100 real test digits on the step grid in both
// engines: the same spikes, neuron by neuron and bin by bin, but less work in event
// mode, which neither updates a layer that nothing reaches nor delivers the spikes of
// the last step, which could only act after the sample.
func TestProfileEnginesAgree(t *testing.T) {
	_, test := loadMNIST(t)
	cfg := DefaultConfig(784, 10)
	cfg.InitGain = 1
	net, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tc := DefaultTrainConfig
	set := test.Subset(100)
	profiles := map[string]*profile.Profile{}
	for _, mode := range []string{ModeClocked, ModeEvent} {
		tc.EngineConfig = EngineConfig{Mode: mode, StepMicros: 1000, GridInput: true}
		p := NewProfile(net, tc, 0, -1)
		if _, err := EvaluateProfile(context.Background(), net, tc, set, p); err != nil {
			t.Fatal(err)
		}
		profiles[mode] = p
	}
	c, e := profiles[ModeClocked], profiles[ModeEvent]
	if !reflect.DeepEqual(c.Bins, e.Bins) {
		t.Errorf("spikes per bin: clocked %v, event %v", c.Bins, e.Bins)
	}
	for l := range c.Layers {
		a, b := c.Layers[l], e.Layers[l]
		if !slices.Equal(a.Neuron, b.Neuron) || a.Active != b.Active {
			t.Errorf("layer %d: spikes differ, %d against %d", l, a.Spikes, b.Spikes)
		}
		if l > 0 && (b.Work.Accumulates >= a.Work.Accumulates ||
			b.Work.Updates >= a.Work.Updates) {
			t.Errorf("layer %d: work clocked %+v, event %+v", l, a.Work, b.Work)
		}
		t.Logf("layer %d: %d spikes; work clocked %+v, event %+v", l, a.Spikes, a.Work,
			b.Work)
	}
	if c.Layers[1].Spikes == 0 || c.Layers[2].Spikes == 0 {
		t.Errorf("no spikes to compare: %d hidden, %d output", c.Layers[1].Spikes,
			c.Layers[2].Spikes)
	}
}

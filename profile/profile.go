package profile

import (
	"fmt"
	"slices"
)

// Work counts the operations an engine performed on one LIF layer.
type Work struct {
	// Accumulates counts synaptic accumulations: a weight added to a current, once for
	// each neuron a spike reaches (and once per neuron for a bias).
	Accumulates int64 `json:"accumulates"`
	// MACs counts multiply-accumulates: a weight times an input value added to a
	// current, for input that is a value rather than a spike (rate encoding).
	MACs int64 `json:"macs"`
	// Updates counts membrane updates: one neuron's membrane brought to a new time.
	Updates int64 `json:"membrane_updates"`
}

// Add adds the counts of w to v.
func (v *Work) Add(w Work) {
	v.Accumulates += w.Accumulates
	v.MACs += w.MACs
	v.Updates += w.Updates
}

// Profile holds the counts of a run. Layer 0 is the input; LIF layers follow, from the
// input side. Times are in µs from the start of each sample.
type Profile struct {
	// Mode names the engine that ran: "clocked" or "event".
	Mode string `json:"mode"`
	// StepMicros is the step Δ, and BinMicros the width of the time bins, both in µs.
	// The bins widen, by doubling, as far as needed to keep at most MaxBins of them.
	StepMicros int64 `json:"dt_us"`
	BinMicros  int64 `json:"bin_us"`
	// Sizes holds the neurons per layer, input first, and FanIn the rows of each LIF
	// layer's weights: the neurons below, plus one for a bias.
	Sizes []int `json:"sizes"`
	FanIn []int `json:"fan_in"`

	// Samples counts the samples run, and Steps their steps.
	Samples int64 `json:"samples"`
	Steps   int64 `json:"steps"`
	// Layers holds the counts of each layer, input first.
	Layers []Layer `json:"layers"`
	// Bins holds the counts of each time bin from the start of a sample.
	Bins []Bin `json:"bins"`
	// Queued counts the events that went through the event engine's queue: spikes
	// between layers, wake-ups and probes. It is 0 in clocked mode.
	Queued int64 `json:"queued_events"`

	// RasterSample is the sample whose spikes Raster keeps, in order of recording;
	// negative for none. Raster keeps at most MaxRaster spikes: those before RasterEnd
	// µs from the start of the sample, when it is not 0.
	RasterSample int     `json:"raster_sample"`
	Raster       []Spike `json:"raster,omitempty"`
	RasterEnd    int64   `json:"raster_end_us,omitempty"`
}

// MaxRaster bounds the spikes a raster keeps, which is more than a picture can show
// apart.
const MaxRaster = 200_000

// MaxBins bounds the time bins of a profile, so that its memory does not grow with the
// length of a sample, such as a recording with a long silence.
const MaxBins = 1 << 14

// Layer holds the counts of one layer.
type Layer struct {
	// Spikes counts the layer's spikes, and Neuron those of each of its neurons.
	Spikes int64   `json:"spikes"`
	Neuron []int64 `json:"neuron_spikes"`
	// Busy counts, per neuron, the steps in which it fired: Neuron in the clocked
	// engine, where a neuron fires at most once per step, and in the event engine
	// fewer when input spikes come closer together than a step.
	Busy []int64 `json:"neuron_steps_firing"`
	// Active sums, over the samples, the neurons that fired in each.
	Active int64 `json:"active"`
	// Open sums, over the samples, the steps from the layer's first spike to the end
	// of the sample: all the steps of a sample in which it stays silent. A neuron
	// that fires in all of them, Busy equal to Open, is saturated. The steps before a
	// layer's first spike do not count, because spikes take steps to reach it.
	Open int64 `json:"steps_open"`
	// Work is what the engine did on the layer; zero for the input.
	Work Work `json:"work"`
}

// Bin holds the counts of one time bin.
type Bin struct {
	// Samples counts the samples that last into the bin, and Covered sums the µs of
	// the bin that each of them lasts: less than the bin's width times Samples when
	// some end within it.
	Samples int64 `json:"samples"`
	Covered int64 `json:"covered_us"`
	// Spikes counts the spikes of each layer in the bin, input first.
	Spikes []int64 `json:"spikes"`
}

// Spike is one spike of the raster sample.
type Spike struct {
	Time   int64 `json:"t_us"`
	Layer  int   `json:"layer"`
	Neuron int32 `json:"neuron"`
}

// New returns an empty profile of a network with the given sizes, input first, and
// fan-ins, for an engine with step Δ = step µs, binning time by bin µs (Δ when 0). It
// keeps the spikes of sample raster, unless raster is negative.
func New(mode string, sizes, fanIn []int, step, bin int64, raster int) *Profile {
	if len(fanIn) != len(sizes)-1 || step <= 0 || bin < 0 {
		panic(fmt.Sprintf("profile: %d sizes, %d fan-ins, step %d, bin %d", len(sizes),
			len(fanIn), step, bin))
	}
	if bin == 0 {
		bin = step
	}
	p := &Profile{Mode: mode, StepMicros: step, BinMicros: bin, Sizes: slices.Clone(sizes),
		FanIn: slices.Clone(fanIn), RasterSample: raster}
	for _, n := range sizes {
		p.Layers = append(p.Layers, Layer{Neuron: make([]int64, n), Busy: make([]int64, n)})
	}
	return p
}

// empty returns a profile with p's settings and no counts.
func (p *Profile) empty() *Profile {
	return New(p.Mode, p.Sizes, p.FanIn, p.StepMicros, p.BinMicros, p.RasterSample)
}

// Add adds the counts of q, a profile of the same network and settings, to p. Where the
// bins of one are wider, by a power of two, those of the other are widened to match. The
// raster of q replaces that of p when p has none.
func (p *Profile) Add(q *Profile) error {
	if !slices.Equal(p.Sizes, q.Sizes) || !slices.Equal(p.FanIn, q.FanIn) ||
		p.StepMicros != q.StepMicros || !doublings(p.BinMicros, q.BinMicros) {
		return fmt.Errorf("profile: cannot add a profile of %v, Δ %d µs, bins of %d µs to "+
			"one of %v, Δ %d µs, bins of %d µs", q.Sizes, q.StepMicros, q.BinMicros,
			p.Sizes, p.StepMicros, p.BinMicros)
	}
	for p.BinMicros < q.BinMicros {
		p.widen()
	}
	bins := q.Bins
	if q.BinMicros < p.BinMicros {
		bins = make([]Bin, len(q.Bins))
		for k, b := range q.Bins {
			b.Spikes = slices.Clone(b.Spikes)
			bins[k] = b
		}
		for w := q.BinMicros; w < p.BinMicros; w *= 2 {
			bins = merged(bins)
		}
	}
	p.Samples += q.Samples
	p.Steps += q.Steps
	p.Queued += q.Queued
	for l := range p.Layers {
		a, b := &p.Layers[l], &q.Layers[l]
		a.Spikes += b.Spikes
		a.Active += b.Active
		a.Open += b.Open
		a.Work.Add(b.Work)
		for j, v := range b.Neuron {
			a.Neuron[j] += v
			a.Busy[j] += b.Busy[j]
		}
	}
	for k, b := range bins {
		bin := p.bin(int64(k) * p.BinMicros)
		bin.Samples += b.Samples
		bin.Covered += b.Covered
		for l, v := range b.Spikes {
			bin.Spikes[l] += v
		}
	}
	if p.Raster == nil {
		p.Raster, p.RasterEnd = q.Raster, q.RasterEnd
	}
	return nil
}

// doublings reports whether a and b are the same width doubled some number of times.
func doublings(a, b int64) bool {
	lo, hi := min(a, b), max(a, b)
	for lo < hi {
		lo *= 2
	}
	return lo == hi
}

// bin returns the time bin that holds t µs from the start of a sample, adding bins up
// to it and widening them first if it would be bin MaxBins or later.
func (p *Profile) bin(t int64) *Bin {
	for t/p.BinMicros >= MaxBins {
		p.widen()
	}
	k := int(t / p.BinMicros)
	for len(p.Bins) <= k {
		p.Bins = append(p.Bins, Bin{Spikes: make([]int64, len(p.Sizes))})
	}
	return &p.Bins[k]
}

// widen doubles the width of p's time bins.
func (p *Profile) widen() {
	p.Bins = merged(p.Bins)
	p.BinMicros *= 2
}

// merged merges bins 2k and 2k+1 into bin k, in place, and returns the bins that are
// left. A sample that lasts into bin 2k+1 lasts into bin 2k, so the samples of the pair
// are those of bin 2k.
func merged(bins []Bin) []Bin {
	n := (len(bins) + 1) / 2
	for k := range n {
		b := bins[2*k]
		if 2*k+1 < len(bins) {
			c := bins[2*k+1]
			b.Covered += c.Covered
			for l, v := range c.Spikes {
				b.Spikes[l] += v
			}
		}
		bins[k] = b
	}
	return bins[:n]
}

// Recorder records the samples one engine runs into a profile of its own. It is not safe
// for concurrent use: give each goroutine its own and Add their profiles at the end.
type Recorder struct {
	// Profile holds what was recorded.
	Profile *Profile

	sample int
	origin int64
	raster bool
	n      int64     // the samples begun
	steps  int64     // the steps of the sample so far: 1 + the last in which a spike came
	first  []int64   // per layer, the first step of the sample it fired in; −1 for none
	seen   [][]int64 // per layer and neuron, the number of the sample it last fired in
	step   [][]int64 // per layer and neuron, 1 + the step it last fired in
}

// Recorder returns a new recorder with p's settings. Its counts start at zero.
func (p *Profile) Recorder() *Recorder {
	r := &Recorder{Profile: p.empty()}
	for _, n := range p.Sizes {
		r.seen = append(r.seen, make([]int64, n))
		r.step = append(r.step, make([]int64, n))
	}
	r.first = make([]int64, len(p.Sizes))
	return r
}

// Begin starts sample number sample, whose times count from origin µs.
func (r *Recorder) Begin(sample int, origin int64) {
	r.sample, r.origin = sample, origin
	r.raster = sample == r.Profile.RasterSample
	r.n++
	r.steps = 0
	for l := range r.first {
		r.first[l] = -1
	}
}

// Spikes records that the neurons of layer layer (0 for the input) fire at t µs.
func (r *Recorder) Spikes(t int64, layer int, neurons []int32) {
	p := r.Profile
	lay := &p.Layers[layer]
	lay.Spikes += int64(len(neurons))
	dt := max(t-r.origin, 0)
	k := dt/p.StepMicros + 1
	r.steps = max(r.steps, k)
	if f := r.first[layer]; f < 0 || k-1 < f {
		r.first[layer] = k - 1
	}
	seen, step := r.seen[layer], r.step[layer]
	for _, j := range neurons {
		lay.Neuron[j]++
		if seen[j] != r.n {
			seen[j], step[j] = r.n, 0
			lay.Active++
		}
		if step[j] != k {
			step[j] = k
			lay.Busy[j]++
		}
	}
	p.bin(dt).Spikes[layer] += int64(len(neurons))
	if r.raster {
		r.keep(dt, layer, neurons)
	}
}

// keep adds spikes at dt to the raster, until it is full; from then on it keeps only
// those before the time it filled up at.
func (r *Recorder) keep(dt int64, layer int, neurons []int32) {
	p := r.Profile
	if p.RasterEnd > 0 && dt >= p.RasterEnd {
		return
	}
	for _, j := range neurons {
		if len(p.Raster) == MaxRaster {
			p.RasterEnd = max(dt, 1)
			p.Raster = slices.DeleteFunc(p.Raster, func(s Spike) bool {
				return s.Time >= p.RasterEnd
			})
			return
		}
		p.Raster = append(p.Raster, Spike{Time: dt, Layer: layer, Neuron: j})
	}
}

// End ends the sample begun last, which lasted steps steps, or until the step of its
// last spike if that came later.
func (r *Recorder) End(steps int64) {
	p := r.Profile
	steps = max(steps, r.steps)
	p.Samples++
	p.Steps += steps
	for l, f := range r.first {
		p.Layers[l].Open += steps - max(f, 0)
	}
	end := steps * p.StepMicros
	if end > 0 {
		p.bin(end - 1) // widens the bins, if they must, before they are counted
	}
	for t := int64(0); t < end; t += p.BinMicros {
		b := p.bin(t)
		b.Samples++
		b.Covered += min(end-t, p.BinMicros)
	}
}

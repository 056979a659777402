package engine

import (
	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/profile"
)

// NewProfile returns an empty profile of net run by the engine tc names, with time bins
// of bin µs (Δ when 0), keeping the spikes of sample raster unless it is negative. In
// clocked mode Δ is StepMicros as well, which sets the time of a step.
func NewProfile(net *Network, tc TrainConfig, bin int64, raster int) *profile.Profile {
	mode := tc.Mode
	if mode == "" {
		mode = ModeClocked
	}
	var fanIn []int
	for _, lay := range net.Layers {
		fanIn = append(fanIn, lay.W.Pre)
	}
	return profile.New(mode, net.Sizes(), fanIn, tc.StepMicros, bin, raster)
}

// record makes the worker's engine report to rec what it does.
func (w *worker) record(rec *profile.Recorder) {
	w.rec = rec
	if w.ev != nil {
		w.ev.rec = rec
		w.ev.sim.OnInput = func(t int64, in []int32) { rec.Spikes(t, 0, in) }
		return
	}
	step := w.grid.step
	w.sim.OnSpikes = func(t int64, l int, ns []int32) { rec.Spikes(t*step, l, ns) }
	w.sim.OnInput = func(t int64, in []int32) { rec.Spikes(t*step, 0, in) }
}

// begin and end bracket sample i for the recorder, if any.
func (w *worker) begin(i int) {
	if w.rec != nil {
		w.rec.Begin(i, 0)
	}
}

func (w *worker) end() {
	if w.rec == nil {
		return
	}
	if w.ev != nil {
		w.rec.End(int64(w.ev.steps))
	} else {
		w.rec.End(int64(w.sim.steps))
	}
}

// recorded returns the profile recorded, with the work the engine counted.
func (w *worker) recorded() *profile.Profile {
	p := w.rec.Profile
	if w.ev != nil {
		w.ev.sim.Stats.AddTo(p)
		return p
	}
	for l, v := range w.sim.Work {
		p.Layers[l+1].Work.Add(v)
	}
	return p
}

// AddTo adds the work counted in s to the LIF layers of p, and the events queued.
func (s *EventStats) AddTo(p *profile.Profile) {
	for l, v := range s.Work {
		p.Layers[l+1].Work.Add(v)
	}
	p.Queued += s.Queued
}

// runClocked shows the clocked engine a sample given as its input spikes on the step
// grid, over duration µs: as many steps as cover it, with the learning window over the
// last Window of them, or all.
func (w *worker) runClocked(in []encoding.Spike, duration int64, label int, res *Result) {
	step := w.grid.step
	steps := max(1, int((duration+step-1)/step))
	w.sim.setSteps(steps)
	w.sim.window = min(w.window, steps)
	w.sim.Run(&spikeSteps{in: in, step: step, idx: w.grid.idx[:0]}, label, res)
}

// gridder moves spikes to the start of their step, keeping one per input and step.
type gridder struct {
	step int64
	on   bool             // whether to move them at all
	out  []encoding.Spike // the spikes moved
	last []int64          // per input, 1 + the last step it spiked in
	idx  []int32          // scratch for spikeSteps
}

// place returns in on the grid, when the gridder is on, or else in itself. in is sorted
// by time, and so is the result.
func (g *gridder) place(in []encoding.Spike, inputs int) []encoding.Spike {
	if !g.on {
		return in
	}
	if len(g.last) != inputs {
		g.last = make([]int64, inputs)
	}
	clear(g.last)
	g.out = g.out[:0]
	for _, sp := range in {
		k := sp.Time / g.step
		if g.last[sp.Input] == k+1 {
			continue
		}
		g.last[sp.Input] = k + 1
		g.out = append(g.out, encoding.Spike{Time: k * g.step, Input: sp.Input})
	}
	return g.out
}

// spikeSteps is an Input that gives, at step t, the spikes of in within [tΔ, (t+1)Δ).
type spikeSteps struct {
	in   []encoding.Spike
	step int64
	t    int64
	idx  []int32
}

// Step returns the inputs that spike in the next step.
func (s *spikeSteps) Step() ([]int32, []float32) {
	s.idx = s.idx[:0]
	end := (s.t + 1) * s.step
	for len(s.in) > 0 && s.in[0].Time < end {
		s.idx = append(s.idx, s.in[0].Input)
		s.in = s.in[1:]
	}
	s.t++
	return s.idx, nil
}

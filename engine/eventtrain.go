package engine

import (
	"math"

	"gonum.org/v1/gonum/blas/blas32"

	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/profile"
	"github.com/snnsim/snnsim/synapse"
)

// eventSample shows static samples, such as digits, to the event engine, as a Clocked
// shows them to the clocked one: each sample from rest for Steps steps of Δ, with the
// loss over the spikes of the last Window steps, and computes the gradient of that loss.
//
// The gradient is the clocked one, Σ_t σ′(U_j(t))·ε_j·P_i(t) over the window steps, with
// P_i(t) = Σ α^((t−s)/Δ) over the moments s ≤ t at which the spikes of presynaptic neuron
// i reach the membrane: the e-prop form, a surrogate times a low-pass presynaptic trace.
// It is not computed that way, which would step every synapse through the window. With
// the error filtered backwards in time per postsynaptic neuron,
//
//	H_j(t_k) = σ′(U_j(t_k))·ε_j + α·H_j(t_(k+1)),
//
// the sum becomes Σ_s α^((t_k−s)/Δ)·H_j(t_k) over the presynaptic spikes, t_k being the
// first window step at or after s: one row of work per presynaptic spike, like the
// forward pass. Only the spikes of the sample and U over the window are kept.
type eventSample struct {
	net           *Network
	sim           *EventDriven
	tc            *TrainConfig
	steps, window int // of the sample being shown
	step, delay   int64
	grid          bool
	eprop         bool // learning with the e-prop form, which needs U and spikes kept

	in    []encoding.Spike   // the sample's input spikes
	own   []encoding.Spike   // the input spikes of static samples, drawn here
	fired [][]encoding.Spike // the spikes of each hidden layer, when learning
	count []int              // output spikes in the window
	mem   []float32          // output membranes summed over the window
	u     [][]float32        // per layer, U over the window steps, step-major
	res   *Result            // the result being filled
	rec   *profile.Recorder  // records the spikes, when set

	prob, err, fb, h []float32 // scratch for the loss and the gradient
	outs             []int32   // the output neurons 0, 1, 2, …

	// The decay α^(d/Δ) of a trace over d = q·Δ + r µs is powers[q]·within[r].
	powers, within []float32

	// For the trace rule: λ, and per layer the sum over the sample of each synapse's
	// eligibility over the window, Σ_t e_ij(t), and the rows it has touched.
	lambda  float64
	acc     []*synapse.Dense
	touched [][]int32
	marked  [][]bool
	sg      []float32
}

func newEventSample(net *Network, tc *TrainConfig, learn bool) (*eventSample, error) {
	delay := tc.DelayMicros
	if delay == 0 {
		delay = tc.StepMicros
	}
	sim, err := NewEventDriven(net, tc.StepMicros, delay)
	if err != nil {
		return nil, err
	}
	s := &eventSample{net: net, sim: sim, tc: tc, steps: tc.Steps, window: tc.Window,
		step: tc.StepMicros, delay: delay, grid: tc.GridInput,
		eprop: learn && tc.Rule != RuleTrace}
	out := net.Config.Outputs
	s.count, s.mem = make([]int, out), make([]float32, out)
	s.prob, s.err = make([]float32, out), make([]float32, out)
	widest := 0
	for _, lay := range net.Layers {
		s.u = append(s.u, make([]float32, tc.Window*lay.N))
		widest = max(widest, lay.N)
	}
	s.fired = make([][]encoding.Spike, len(net.Layers)-1)
	s.fb, s.h = make([]float32, widest), make([]float32, tc.Window*widest)
	for j := range out {
		s.outs = append(s.outs, int32(j))
	}
	sim.OnSpikes = s.spikes
	sim.OnProbe = s.probe
	if learn && tc.Rule == RuleTrace {
		s.lambda = tc.Lambda
		if s.lambda == 0 {
			s.lambda = float64(net.Config.Neuron.Alpha)
		}
		for _, lay := range net.Layers {
			s.acc = append(s.acc, synapse.NewDense(lay.W.Pre, lay.N))
			s.marked = append(s.marked, make([]bool, lay.W.Pre))
		}
		s.touched = make([][]int32, len(net.Layers))
		s.sg = make([]float32, widest)
		sim.OnArrive = s.arrive
	}
	if s.eprop && !s.grid && s.step <= maxTable {
		for r := range s.step {
			s.within = append(s.within, sim.scale.At(r))
		}
		for q := range min(tc.Steps+1, maxTable) {
			s.powers = append(s.powers, sim.scale.At(int64(q)*s.step))
		}
	}
	return s, nil
}

// maxTable bounds the tables of decay.
const maxTable = 1 << 12

// decay returns α^(d/Δ) for d ≥ 0: from the tables for d = q·Δ + r within them, as
// powers[q]·within[r], and from exp beyond.
func (s *eventSample) decay(d int64) float32 {
	if q := d / s.step; s.within != nil && q < int64(len(s.powers)) {
		return s.powers[q] * s.within[d%s.step]
	}
	return s.sim.scale.At(d)
}

// firstStep returns the index k of the first window step t_k at or after t, which may
// be s.window when there is none.
func (s *eventSample) firstStep(t int64) int64 {
	if t <= s.start() {
		return 0
	}
	return (t - s.start() + s.step - 1) / s.step
}

// end is when a sample ends, and start when its learning window starts.
func (s *eventSample) end() int64   { return int64(s.steps) * s.step }
func (s *eventSample) start() int64 { return int64(s.steps-s.window) * s.step }

func (s *eventSample) spikes(t int64, layer int, ns []int32) {
	if t >= s.end() {
		return
	}
	s.res.Spikes[layer] += len(ns)
	if s.rec != nil {
		s.rec.Spikes(t, layer, ns)
	}
	top := len(s.net.Layers)
	switch {
	case layer == top && t >= s.start():
		for _, j := range ns {
			s.count[j]++
		}
	case layer < top && s.eprop:
		for _, j := range ns {
			s.fired[layer-1] = append(s.fired[layer-1], encoding.Spike{Time: t, Input: j})
		}
	}
}

func (s *eventSample) probe(t int64, layer int, u []float32) {
	k := int((t - s.start()) / s.step)
	n := len(u)
	copy(s.u[layer-1][k*n:(k+1)*n], u)
	if layer == len(s.net.Layers) {
		for j, v := range u {
			s.mem[j] += v
		}
	}
}

// arrive adds, for the trace rule, the eligibility that the spikes of arr start in the
// synapses they reach at t: each e_ij jumps by σ′(U_j(t)) and then decays by λ per step,
// so over the window it sums to σ′(U_j(t))·G(t), G(t) = Σ λ^((t_k−t)/Δ) over the window
// steps t_k ≥ t.
func (s *eventSample) arrive(t int64, layer int, arr []int32, u []float32) {
	k := s.firstStep(t)
	if k >= int64(s.window) {
		return
	}
	n := float64(int64(s.window) - k)
	g := n
	if s.lambda < 1 {
		g = (1 - math.Pow(s.lambda, n)) / (1 - s.lambda)
	}
	g *= math.Pow(s.lambda, float64(s.start()+k*s.step-t)/float64(s.step))
	l := layer - 1
	sg := s.net.Surrogate().GradInto(s.sg[:len(u)], u)
	y := blas32.Vector{N: len(u), Data: sg, Inc: 1}
	for _, i := range arr {
		blas32.Axpy(float32(g), y, blas32.Vector{N: len(u), Data: s.acc[l].Row(int(i)), Inc: 1})
		if !s.marked[l][i] {
			s.marked[l][i] = true
			s.touched[l] = append(s.touched[l], i)
		}
	}
}

// run shows the static sample loaded in enc for Steps steps, and stores what the network
// did in res.
func (s *eventSample) run(enc *encoding.Encoder, label int, res *Result) {
	s.steps, s.window = s.tc.Steps, s.tc.Window
	s.own = s.own[:0]
	if s.grid {
		for t := range s.steps {
			idx, _ := enc.Step()
			for _, i := range idx {
				s.own = append(s.own, encoding.Spike{Time: int64(t) * s.step, Input: i})
			}
		}
	} else {
		s.own = enc.Events(s.end(), s.step, s.own)
	}
	s.in = s.own
	s.play(label, res)
}

// runSpikes shows a sample given as its input spikes, sorted by time, over duration µs
// from 0: as many steps as cover it, with the learning window over the last Window of
// them, or all. in must stay unchanged until the gradient is taken.
func (s *eventSample) runSpikes(in []encoding.Spike, duration int64, label int, res *Result) {
	s.steps = max(1, int((duration+s.step-1)/s.step))
	s.window = min(s.tc.Window, s.steps)
	s.in = in
	s.play(label, res)
}

// play runs the input spikes s.in through the network for s.steps steps.
func (s *eventSample) play(label int, res *Result) {
	nl := len(s.net.Layers)
	if cap(res.Spikes) < nl+1 {
		res.Spikes = make([]int, nl+1)
	}
	res.Spikes = res.Spikes[:nl+1]
	clear(res.Spikes)
	clear(s.count)
	clear(s.mem)
	for l := range s.fired {
		s.fired[l] = s.fired[l][:0]
	}
	s.res = res

	s.sim.Reset(0)
	for k := range s.window {
		t := s.start() + int64(k)*s.step
		for l := range nl {
			if s.eprop || l == nl-1 {
				s.sim.Probe(t, l+1)
			}
		}
	}

	// Only the updates before end−Δ find spikes within the sample. An input spike that
	// reaches the first layer at end−Δ or later could act only after the sample, so it
	// is counted but not delivered.
	last := s.end() - s.step
	for _, sp := range s.in {
		if sp.Time+s.delay < last {
			s.sim.Input(sp.Time, sp.Input)
		} else {
			s.sim.Skip(sp.Time, sp.Input)
		}
	}
	res.Spikes[0] = len(s.in)
	s.sim.RunUntil(last)

	res.Predicted = predict(s.count, s.mem)
	res.Loss = softmax(s.count, s.prob, label)
}

// gradient adds scale times the gradient of the last run's loss to grads, taken as a
// mean over the window's steps, so that long windows do not make large updates.
func (s *eventSample) gradient(label int, scale float32, grads []*synapse.Dense) {
	outputError(s.err, s.prob, label, scale/float32(s.window))
	if s.acc != nil {
		s.traceGradient(grads)
		return
	}
	net := s.net
	sur := net.Surrogate()
	alpha := net.Config.Neuron.Alpha
	for l, lay := range net.Layers {
		n := lay.N
		eps := s.errorAt(l)
		h := s.h[:s.window*n]
		for k := s.window - 1; k >= 0; k-- {
			row := h[k*n : (k+1)*n]
			sur.GradInto(row, s.u[l][k*n:(k+1)*n])
			for j := range row {
				row[j] *= eps[j]
			}
			if k < s.window-1 {
				next := h[(k+1)*n : (k+2)*n]
				for j := range row {
					row[j] += alpha * next[j]
				}
			}
		}

		pre := s.in
		if l > 0 {
			pre = s.fired[l-1]
		}
		for _, sp := range pre {
			land := sp.Time + s.delay + s.step // when the spike reaches the membrane
			k := s.firstStep(land)
			if k >= int64(s.window) {
				continue
			}
			coef := s.decay(s.start() + k*s.step - land)
			blas32.Axpy(coef, blas32.Vector{N: n, Data: h[k*int64(n) : (k+1)*int64(n)], Inc: 1},
				blas32.Vector{N: n, Data: grads[l].Row(int(sp.Input)), Inc: 1})
		}
	}
}

// traceGradient is gradient for the trace rule: Δw_ij ∝ ε_j·Σ_t e_ij(t), from the sums
// that arrive kept, row by touched row.
func (s *eventSample) traceGradient(grads []*synapse.Dense) {
	for l := range s.net.Layers {
		eps := s.errorAt(l)
		for _, i := range s.touched[l] {
			a, g := s.acc[l].Row(int(i)), grads[l].Row(int(i))
			for j, e := range eps {
				g[j] += a[j] * e
			}
			clear(a)
			s.marked[l][i] = false
		}
		s.touched[l] = s.touched[l][:0]
	}
}

// errorAt returns the error ε of layer l: the output error, or for a hidden layer the
// output error through the layer's fixed feedback matrix.
func (s *eventSample) errorAt(l int) []float32 {
	lay := s.net.Layers[l]
	if lay.Feedback == nil {
		return s.err
	}
	eps := s.fb[:lay.N]
	clear(eps)
	lay.Feedback.DeliverWeighted(eps, s.outs, s.err)
	return eps
}

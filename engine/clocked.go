package engine

import (
	"math"

	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/profile"
	"github.com/snnsim/snnsim/synapse"
)

// Clocked simulates one sample at a time on a Network, step by step. It owns the state of
// every neuron and, when learning, the eligibility of every layer over the learning window.
// A Clocked is not safe for concurrent use; give each goroutine its own.
type Clocked struct {
	net    *Network
	steps  int
	window int
	learn  bool

	// Per layer: the scaled membranes V, U(t), I(t), and S(t) as neuron indices.
	v, u, cur [][]float32
	spk       [][]int32

	// The scale of the membranes, its rebasing span in steps (0 for none), and the
	// factors for every step from the reference step t₀ up to the span.
	scale   neuron.Scale
	span    int
	factors []neuron.Factors

	// Over the learning window: output spike counts, output membrane sums, and per layer
	// and window step the surrogate σ′(U(t)) and the presynaptic trace P(t).
	count []int
	mem   []float32
	tr    []*synapse.Trace
	sg    [][][]float32
	pw    [][][]float32

	// Scratch for the error and the gradient: softmax of the counts, output error, error
	// fed back to a hidden layer, per-step error, and the row indices 0, 1, 2, ….
	prob  []float32
	err   []float32
	fb    []float32
	delta []float32
	rows  []int32

	// Work counts, per LIF layer, what the simulator has done since it was made: a
	// membrane update per neuron and step, and per step an accumulate
	// (or, for rate input, a multiply-accumulate) per active input or spike below and
	// neuron.
	Work []profile.Work

	// OnSpikes, when set, is called at every step t with the neurons of LIF layer layer
	// (1 for the first) that fire at t, in increasing order. The slice is reused after the
	// call returns.
	OnSpikes func(t int64, layer int, neurons []int32)

	// OnInput, when set, is called at every step t with the inputs active at t, in the
	// order the Input gives them. The slice belongs to the Input.
	OnInput func(t int64, inputs []int32)

	// Done, when set, is looked at every stopEvery steps: once it is closed, Run stops,
	// leaving its result partial, so that a sample of many steps can be interrupted.
	Done <-chan struct{}
}

// stopEvery is how many steps Run takes between looks at Done.
const stopEvery = 1 << 12

// Result is what one sample did.
type Result struct {
	// Spikes counts the spikes per layer over all steps, input spikes first. For rate
	// input, the first entry counts active inputs times steps.
	Spikes []int
	// Predicted is the output neuron with the most spikes in the window; ties go to the
	// higher summed membrane potential, then to the lower index.
	Predicted int
	// Loss is the cross-entropy of the window's spike counts against the label, in nats.
	Loss float64
}

// NewClocked returns a simulator of net over steps time steps, with the last window steps
// as the learning window. With learn set it keeps what Gradient needs.
func NewClocked(net *Network, steps, window int, learn bool) *Clocked {
	c := &Clocked{net: net, window: window, learn: learn}
	c.Work = make([]profile.Work, len(net.Layers))
	widest := net.Config.Outputs
	c.scale = net.Config.Neuron.Scale(1)
	c.span = int(c.scale.Span)
	c.setSteps(steps)
	for _, lay := range net.Layers {
		c.v = append(c.v, make([]float32, lay.N))
		c.u = append(c.u, make([]float32, lay.N))
		c.cur = append(c.cur, make([]float32, lay.N))
		c.spk = append(c.spk, make([]int32, 0, lay.N))
		if learn {
			rows := lay.W.Pre
			c.tr = append(c.tr, synapse.NewTrace(rows, net.Config.Neuron.Alpha))
			c.sg = append(c.sg, grid(window, lay.N))
			c.pw = append(c.pw, grid(window, rows))
		}
		widest = max(widest, lay.N, lay.W.Pre)
	}
	out := net.Config.Outputs
	c.count = make([]int, out)
	c.mem = make([]float32, out)
	c.prob = make([]float32, out)
	c.err = make([]float32, out)
	c.fb = make([]float32, widest)
	c.delta = make([]float32, widest)
	c.rows = make([]int32, widest)
	for i := range c.rows {
		c.rows[i] = int32(i)
	}
	return c
}

// setSteps makes the simulator run samples of steps steps, extending its factors.
func (c *Clocked) setSteps(steps int) {
	c.steps = steps
	n := steps
	if c.span > 0 {
		n = min(n, c.span)
	}
	for t := len(c.factors); t < n; t++ {
		c.factors = append(c.factors, c.net.Config.Neuron.Factors(c.scale, int64(t)))
	}
}

func grid(rows, cols int) [][]float32 {
	g := make([][]float32, rows)
	flat := make([]float32, rows*cols)
	for i := range g {
		g[i] = flat[i*cols : (i+1)*cols : (i+1)*cols]
	}
	return g
}

// Input supplies the activity X(t) of the inputs, one step per call: the indices of the
// active inputs and their values, or nil values for spikes of value 1.
// *encoding.Encoder is an Input.
type Input interface {
	Step() (idx []int32, x []float32)
}

// Run simulates one sample from rest, drawing X(t) from in, and stores what the network
// did in res. label is used only for the loss, which is 0 for a label that names no
// output neuron.
//
// The membranes are integrated in the scaled form of neuron.Scale, the same arithmetic as
// the event engine's, so that both engines fire the same spikes on the same input. At
// step t each layer, from the top down, reads its U(t) and S(t) for learning, takes its
// current I(t) to U(t+1) and S(t+1), and gathers I(t+1) from the layer below's S(t),
// which that layer has not yet replaced.
func (c *Clocked) Run(in Input, label int, res *Result) {
	net := c.net
	p := net.Config.Neuron
	sur := net.Surrogate()
	first := c.steps - c.window
	nl := len(net.Layers)

	for l := range nl {
		clear(c.v[l])
		clear(c.u[l])
		clear(c.cur[l])
		c.spk[l] = c.spk[l][:0]
		if c.learn {
			c.tr[l].Reset()
		}
	}
	clear(c.count)
	clear(c.mem)
	if cap(res.Spikes) < nl+1 {
		res.Spikes = make([]int, nl+1)
	}
	res.Spikes = res.Spikes[:nl+1]
	clear(res.Spikes)

	t0 := 0 // the scaled membranes' reference step
	for t := range c.steps {
		if t%stopEvery == stopEvery-1 && c.Done != nil {
			select {
			case <-c.Done:
				return
			default:
			}
		}
		idx, x := in.Step()
		res.Spikes[0] += len(idx)
		if c.OnInput != nil && len(idx) > 0 {
			c.OnInput(int64(t), idx)
		}
		k := t - first
		if c.span > 0 && t-t0 >= c.span {
			for l := range nl {
				for j := range c.v[l] {
					c.v[l][j] *= c.scale.Rebase
				}
			}
			t0 += c.span
		}
		f := c.factors[t-t0]

		for l := nl - 1; l >= 0; l-- {
			lay := net.Layers[l]
			if k >= 0 && c.learn {
				sur.GradInto(c.sg[l][k], c.u[l])
				copy(c.pw[l][k], c.tr[l].P)
			}
			res.Spikes[l+1] += len(c.spk[l])
			if c.OnSpikes != nil && len(c.spk[l]) > 0 {
				c.OnSpikes(int64(t), l+1, c.spk[l])
			}
			if l == nl-1 && k >= 0 {
				for j, v := range c.u[l] {
					c.mem[j] += v
				}
				for _, j := range c.spk[l] {
					c.count[j]++
				}
			}

			// S(t+1) and U(t+1) from U(t) and I(t).
			c.spk[l] = p.StepScaled(c.v[l], c.cur[l], c.u[l], nil, f, c.spk[l][:0])
			work := &c.Work[l]
			work.Updates += int64(lay.N)

			// I(t+1) = B(t) + S_pre(t)·Wᵀ, with S_pre the input or the layer below.
			pre, preX := idx, x
			if l > 0 {
				pre, preX = c.spk[l-1], nil
			}
			cur := c.cur[l]
			clear(cur)
			if preX == nil {
				lay.W.Deliver(cur, pre)
				work.Accumulates += int64(len(pre) * lay.N)
			} else {
				lay.W.DeliverWeighted(cur, pre, preX)
				work.MACs += int64(len(pre) * lay.N)
			}
			bias := c.rows[lay.W.Pre-1 : lay.W.Pre]
			if net.Config.Bias {
				lay.W.Deliver(cur, bias)
				work.Accumulates += int64(lay.N)
			}

			if c.learn {
				c.tr[l].Step(pre, preX)
				if net.Config.Bias {
					c.tr[l].Q[bias[0]] = 1
				}
			}
		}
	}

	res.Predicted = predict(c.count, c.mem)
	res.Loss = softmax(c.count, c.prob, label)
}

// predict returns the winner of a window with the given output spike counts and summed
// output membranes: most spikes, then highest membrane sum, then lowest index.
func predict(count []int, mem []float32) int {
	best := 0
	for j := 1; j < len(count); j++ {
		if count[j] > count[best] || count[j] == count[best] && mem[j] > mem[best] {
			best = j
		}
	}
	return best
}

// softmax sets prob to the softmax of the window counts and returns −log prob[label], or
// 0 for a label that names no output.
func softmax(count []int, prob []float32, label int) float64 {
	hi := 0
	for _, v := range count {
		hi = max(hi, v)
	}
	var sum float64
	for j, v := range count {
		e := math.Exp(float64(v - hi))
		prob[j] = float32(e)
		sum += e
	}
	for j := range prob {
		prob[j] = float32(float64(prob[j]) / sum)
	}
	if label < 0 || label >= len(prob) {
		return 0
	}
	return -math.Log(max(float64(prob[label]), 1e-30))
}

// outputError sets err to scale·(prob − onehot(label)), the derivative of the
// cross-entropy with respect to the window's spike counts.
func outputError(err, prob []float32, label int, scale float32) {
	for j := range err {
		err[j] = prob[j]
		if j == label {
			err[j]--
		}
		err[j] *= scale
	}
}

// Gradient adds scale times the gradient of the last Run's loss to grads, one Dense per
// layer shaped like that layer's W. inputs lists the inputs that may have been active.
//
// The output error is e = softmax(c) − onehot(label), the derivative of the cross-entropy
// with respect to the window's spike counts c. Every layer then uses only local factors:
//
//	ΔWᵀ[i,j] ∝ Σ_t P_i(t) · σ′(U_j(t)) · ε_j,     t over the last learning window
//
// where P is the layer's presynaptic trace and ε_j = e_j for an output neuron, while a
// hidden neuron receives ε = e·B through its fixed random feedback matrix B (direct
// feedback alignment; Nøkland 2016), never through the forward weights.
func (c *Clocked) Gradient(label int, scale float32, inputs []int32, grads []*synapse.Dense) {
	if !c.learn {
		panic("engine: Gradient on a simulator built without learning")
	}
	outputError(c.err, c.prob, label, scale)

	nl := len(c.net.Layers)
	for l, lay := range c.net.Layers {
		eps := c.err
		if l < nl-1 {
			eps = c.fb[:lay.N]
			clear(eps)
			lay.Feedback.DeliverWeighted(eps, c.rows[:len(c.err)], c.err)
		}
		rows := c.rows[:lay.W.Pre]
		if l == 0 {
			rows = inputs
		}
		d := c.delta[:lay.N]
		for k := range c.window {
			sg := c.sg[l][k]
			for j := range d {
				d[j] = sg[j] * eps[j]
			}
			grads[l].AddOuter(rows, c.pw[l][k], d)
			if l == 0 && c.net.Config.Bias {
				grads[l].AddOuter(c.rows[lay.W.Pre-1:lay.W.Pre], c.pw[l][k], d)
			}
		}
	}
}

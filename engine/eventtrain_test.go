package engine

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/synapse"
)

// eventGradient runs sample i of set through an event-mode worker and returns the
// gradient of its loss, and the worker.
func eventGradient(t *testing.T, net *Network, tc TrainConfig, set Dataset,
	i int) ([]*synapse.Dense, *worker) {
	t.Helper()
	tc.Mode = ModeEvent
	w := newWorker(net, &tc, true)
	var res Result
	w.run(set, i, tc.Seed, 9, &res)
	w.gradient(set.Label(i), 1)
	return w.grads, w
}

// TestEventGradientMatchesClocked checks the factorised event-mode gradient against the
// clocked engine's, which sums the outer product of trace and surrogate error step by
// step, on input put on the step grid, where both engines fire the same spikes.
func TestEventGradientMatchesClocked(t *testing.T) {
	for _, hidden := range [][]int{{9}, {8, 6}} {
		net, tc := smallNet(t, hidden, false, 3)
		tc.StepMicros, tc.GridInput = 700, true
		set := newNoise(6, net.Config.Inputs, net.Config.Outputs, 2)
		for i := range set.Len() {
			got, _ := eventGradient(t, net, tc, set, i)

			// The event gradient is a mean over the window's steps, the clocked one a sum.
			c := newWorker(net, &tc, true)
			var res Result
			c.run(set, i, tc.Seed, 9, &res)
			c.gradient(set.Label(i), 1/float32(tc.Window))

			nonzero := 0
			for l := range got {
				for k, want := range c.grads[l].W {
					g := got[l].W[k]
					if math.Abs(float64(g-want)) > 1e-5*max(1, math.Abs(float64(want))) {
						t.Fatalf("hidden %v sample %d: layer %d gradient[%d] = %v, clocked %v",
							hidden, i, l+1, k, g, want)
					}
					if want != 0 {
						nonzero++
					}
				}
			}
			if nonzero == 0 {
				t.Fatalf("hidden %v sample %d: every gradient is zero", hidden, i)
			}
		}
	}
}

// TestEventGradientNaive checks the factorised gradient on input at any microsecond
// against the double sum it stands for, worked out synapse by synapse and step by step:
//
//	g_ij = Σ_k σ′(U_j(t_k))·ε_j·P_i(t_k),  P_i(t) = Σ α^((t−s)/Δ) over arrivals s ≤ t.
func TestEventGradientNaive(t *testing.T) {
	net, tc := smallNet(t, []int{9}, false, 5)
	tc.StepMicros = 1000
	set := newNoise(4, net.Config.Inputs, net.Config.Outputs, 3)
	for i := range set.Len() {
		got, w := eventGradient(t, net, tc, set, i)
		s := w.ev
		sur := net.Surrogate()
		eps := make([][]float64, len(net.Layers))
		for l, lay := range net.Layers {
			eps[l] = make([]float64, lay.N)
			for j := range eps[l] {
				if lay.Feedback == nil {
					eps[l][j] = float64(s.err[j])
					continue
				}
				for k, e := range s.err {
					eps[l][j] += float64(e) * float64(lay.Feedback.W[k*lay.N+j])
				}
			}
		}
		alpha := float64(net.Config.Neuron.Alpha)
		spikes := 0
		for l, lay := range net.Layers {
			pre := s.in
			if l > 0 {
				pre = s.fired[l-1]
			}
			spikes += len(pre)
			for r := range lay.W.Pre {
				for j := range lay.N {
					var want float64
					for k := range s.window {
						tk := s.start() + int64(k)*s.step
						var p float64
						for _, sp := range pre {
							land := sp.Time + s.delay + s.step
							if sp.Input == int32(r) && land <= tk {
								p += math.Pow(alpha, float64(tk-land)/float64(s.step))
							}
						}
						want += float64(sur.Grad(s.u[l][k*lay.N+j])) * eps[l][j] * p
					}
					g := float64(got[l].W[r*lay.N+j])
					if math.Abs(g-want) > 1e-4*max(1, math.Abs(want)) {
						t.Fatalf("sample %d layer %d: gradient[%d,%d] = %v, double sum %v",
							i, l+1, r, j, g, want)
					}
				}
			}
		}
		if spikes == 0 {
			t.Fatalf("sample %d: no spikes", i)
		}
	}
}

// TestEventEvaluateMatchesClocked trains a network in each mode on real digits, then
// evaluates it in both modes on input put on the step grid: the results must be the same,
// sample for sample, since both engines fire the same spikes.
func TestEventEvaluateMatchesClocked(t *testing.T) {
	train, test := loadMNIST(t)
	for _, mode := range []string{ModeClocked, ModeEvent} {
		net, tc := wmnist(t)
		net.Config.Hidden = []int{100}
		net, err := New(net.Config)
		if err != nil {
			t.Fatal(err)
		}
		tc.Mode = mode
		tr, err := NewTrainer(net, tc)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tr.TrainEpoch(context.Background(), train.Subset(1000), nil); err != nil {
			t.Fatal(err)
		}
		clocked := tc
		clocked.Mode = ModeClocked
		event := tc
		event.Mode, event.GridInput = ModeEvent, true
		a := evaluate(t, net, clocked, test.Subset(300))
		b := evaluate(t, net, event, test.Subset(300))
		t.Logf("trained in %s mode: %.1f%% in clocked mode, %.1f%% in event mode", mode,
			100*a.Accuracy(), 100*b.Accuracy())
		if a.Correct != b.Correct || a.Loss != b.Loss || !equalInts(a.Spikes, b.Spikes) {
			t.Errorf("trained in %s mode: clocked %+v, event %+v", mode, a, b)
		}
		if a.Accuracy() < 0.5 {
			t.Errorf("trained in %s mode: accuracy %.1f%%; the network did not learn", mode,
				100*a.Accuracy())
		}
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestEventTrainConfig checks the settings event mode refuses.
func TestEventTrainConfig(t *testing.T) {
	net, tc := smallNet(t, []int{5}, true, 1)
	tc.Mode = ModeEvent
	tc.StepMicros = 1000
	if _, err := NewTrainer(net, tc); err != ErrEventBias {
		t.Errorf("biases in event mode: %v, want ErrEventBias", err)
	}
	for _, c := range []func(*TrainConfig){
		func(tc *TrainConfig) { tc.Encoding = encoding.Rate },
		func(tc *TrainConfig) { tc.StepMicros = 0 },
		func(tc *TrainConfig) { tc.DelayMicros = -1 },
		func(tc *TrainConfig) { tc.Mode = "async" },
	} {
		bad := tc
		c(&bad)
		if bad.Validate() == nil {
			t.Errorf("Validate(%+v) = nil, want an error", bad)
		}
	}
}

// TestEventTraceRule checks the trace rule's lazy, summed eligibility against the trace
// stepped microsecond by microsecond: every synapse's e_ij decays by λ^(1/Δ) each
// microsecond and jumps by σ′(U_j) when a presynaptic spike arrives, and the gradient is
// Σ_k ε_j·e_ij(t_k) over the window steps.
func TestEventTraceRule(t *testing.T) {
	net, tc := smallNet(t, []int{7}, false, 8)
	tc.Mode, tc.Rule, tc.Lambda, tc.StepMicros = ModeEvent, RuleTrace, 0.8, 100
	set := newNoise(3, net.Config.Inputs, net.Config.Outputs, 4)
	for i := range set.Len() {
		w := newWorker(net, &tc, true)
		type arrival struct {
			t     int64
			layer int
			arr   []int32
			sg    []float32
		}
		var arrivals []arrival
		onArrive := w.ev.sim.OnArrive
		sur := net.Surrogate()
		w.ev.sim.OnArrive = func(at int64, layer int, arr []int32, u []float32) {
			arrivals = append(arrivals, arrival{at, layer, slices.Clone(arr),
				sur.GradInto(make([]float32, len(u)), u)})
			onArrive(at, layer, arr, u)
		}
		var res Result
		w.run(set, i, tc.Seed, 3, &res)
		w.gradient(set.Label(i), 1)
		s := w.ev

		decay := math.Pow(tc.Lambda, 1/float64(s.step))
		last := s.start() + int64(s.window-1)*s.step
		jumps := 0
		for l, lay := range net.Layers {
			eps := s.errorAt(l)
			for r := range lay.W.Pre {
				for j := range lay.N {
					var e, want float64
					next := 0
					for tick := int64(0); tick <= last; tick++ {
						e *= decay
						for ; next < len(arrivals) && arrivals[next].t <= tick; next++ {
							a := arrivals[next]
							if a.layer != l+1 {
								continue
							}
							for _, i := range a.arr {
								if i == int32(r) {
									e += float64(a.sg[j])
									jumps++
								}
							}
						}
						if tick >= s.start() && (tick-s.start())%s.step == 0 {
							want += float64(eps[j]) * e
						}
					}
					g := float64(w.grads[l].W[r*lay.N+j])
					if math.Abs(g-want) > 1e-4*max(1, math.Abs(want)) {
						t.Fatalf("sample %d layer %d: gradient[%d,%d] = %v, ticking %v",
							i, l+1, r, j, g, want)
					}
				}
			}
		}
		if jumps == 0 {
			t.Fatalf("sample %d: no presynaptic spike arrived", i)
		}
	}
}

// streams is an EventSet of long Poisson streams: class c drives inputs c·8 to c·8+7 at
// 300 Hz and every other input at 30 Hz, for duration µs.
type streams struct {
	n, inputs, classes int
	duration           int64
}

func (s *streams) Len() int        { return s.n }
func (s *streams) Label(i int) int { return i % s.classes }

func (s *streams) Sample(i int, dst []encoding.Spike) ([]encoding.Spike, int64, error) {
	rng := rand.New(rand.NewPCG(uint64(i), 77))
	c := s.Label(i)
	for in := range s.inputs {
		rate := 30e-6 // per µs
		if in/8 == c {
			rate = 300e-6
		}
		for t := rng.ExpFloat64() / rate; t < float64(s.duration); t += rng.ExpFloat64() / rate {
			dst = append(dst, encoding.Spike{Time: int64(t), Input: int32(in)})
		}
	}
	slices.SortFunc(dst, func(a, b encoding.Spike) int { return int(a.Time - b.Time) })
	return dst, s.duration, nil
}

// TestEventLongStreams trains on streams of 3 s, 3,000 steps, with a learning window of
// 1,000 steps and plain SGD, with each rule, and checks that the weights stay finite
// while the loss falls and the classes are learnt.
func TestEventLongStreams(t *testing.T) {
	set := &streams{n: 24, inputs: 32, classes: 4, duration: 3_000_000}
	test := &streams{n: 16, inputs: 32, classes: 4, duration: 3_000_000}
	for _, rule := range []string{RuleEprop, RuleTrace} {
		net, err := New(Config{Inputs: 32, Hidden: []int{30}, Outputs: 4,
			Neuron: neuron.Params{Alpha: 0.95, Theta: 1}, Beta: 2, InitGain: 1, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		tc := DefaultTrainConfig
		tc.Steps, tc.Window, tc.Batch = 3000, 1000, 8
		tc.Optimizer, tc.LR, tc.Decay = "sgd", 0.05, 1
		tc.EngineConfig = EngineConfig{Mode: ModeEvent, StepMicros: 1000, Rule: rule}
		tr, err := NewTrainer(net, tc)
		if err != nil {
			t.Fatal(err)
		}
		var first, last Stats
		for e := range 6 {
			st, err := tr.TrainEvents(context.Background(), set, nil)
			if err != nil {
				t.Fatal(err)
			}
			if e == 0 {
				first = st
			}
			last = st
		}
		for l, w := range net.Params() {
			for _, v := range w {
				if x := float64(v); math.IsNaN(x) || math.Abs(x) > 100 {
					t.Fatalf("rule %s: layer %d has weight %v", rule, l+1, v)
				}
			}
		}
		ev, err := EvaluateEvents(context.Background(), net, tc, test)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("rule %s: loss %.3f → %.3f, test accuracy %.0f%%", rule, first.MeanLoss(),
			last.MeanLoss(), 100*ev.Accuracy())
		if last.MeanLoss() >= first.MeanLoss() || ev.Accuracy() < 0.75 {
			t.Errorf("rule %s: loss %.3f → %.3f, test accuracy %.0f%%; it should learn",
				rule, first.MeanLoss(), last.MeanLoss(), 100*ev.Accuracy())
		}
		if len(ev.PerClass) != 4 || ev.PerClass[0].Samples != 4 {
			t.Errorf("per class %+v", ev.PerClass)
		}
	}
}

// TestClipNorm trains one epoch with SGD and a gradient clip of 1e-3: no batch may move
// a layer's weights by more than lr·1e-3 in Euclidean norm.
func TestClipNorm(t *testing.T) {
	set := &streams{n: 16, inputs: 32, classes: 4, duration: 200_000}
	net, err := New(Config{Inputs: 32, Hidden: []int{30}, Outputs: 4,
		Neuron: neuron.Params{Alpha: 0.95, Theta: 1}, Beta: 2, InitGain: 1, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	tc := DefaultTrainConfig
	tc.Steps, tc.Window, tc.Batch, tc.Optimizer, tc.LR = 200, 100, 16, "sgd", 0.5
	tc.ClipNorm = 1e-3
	tc.EngineConfig = EngineConfig{Mode: ModeEvent, StepMicros: 1000}
	tr, err := NewTrainer(net, tc)
	if err != nil {
		t.Fatal(err)
	}
	before := make([][]float32, len(net.Layers))
	for l, w := range net.Params() {
		before[l] = slices.Clone(w)
	}
	if _, err := tr.TrainEvents(context.Background(), set, nil); err != nil {
		t.Fatal(err)
	}
	for l, w := range net.Params() {
		var d2 float64
		for k, v := range w {
			d := float64(v - before[l][k])
			d2 += d * d
		}
		if d := math.Sqrt(d2); d > tc.LR*tc.ClipNorm*1.0001 || d == 0 {
			t.Errorf("layer %d moved by %g in one batch; the clip allows %g", l+1, d,
				tc.LR*tc.ClipNorm)
		}
	}
}

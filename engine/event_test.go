package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/snnsim/snnsim/neuron"
)

// spike is one spike in a raster: its time, layer (1 for the first LIF layer) and neuron.
type spike struct {
	t      int64
	layer  int
	neuron int32
}

// randomCase draws a network with one or two hidden layers, a step Δ in microseconds, a
// number of steps and input spikes on those steps.
func randomCase(rng *rand.Rand) (*Network, int64, int, [][]int32) {
	var hidden []int
	for range 1 + rng.IntN(2) {
		hidden = append(hidden, 1+rng.IntN(40))
	}
	cfg := Config{
		Inputs:  1 + rng.IntN(30),
		Hidden:  hidden,
		Outputs: 1 + rng.IntN(10),
		Neuron: neuron.Params{
			Alpha: float32(0.3 + 0.7*rng.Float64()),
			Theta: float32(0.5 + rng.Float64()),
		},
		Beta:     1,
		InitGain: 1 + 3*rng.Float64(),
		Seed:     rng.Uint64(),
	}
	if rng.IntN(5) == 0 {
		cfg.Neuron.Alpha = 1
	}
	net, err := New(cfg)
	if err != nil {
		panic(err)
	}
	step := int64(1 + rng.IntN(2000))
	steps := 1 + rng.IntN(150)
	p := rng.Float64() * 0.5
	in := make([][]int32, steps)
	for t := range in {
		for i := range cfg.Inputs {
			if rng.Float64() < p {
				in[t] = append(in[t], int32(i))
			}
		}
	}
	return net, step, steps, in
}

// clockedRaster runs the clocked engine on in and returns its spikes, at t·step µs, and
// the simulator.
func clockedRaster(net *Network, step int64, in [][]int32) ([]spike, *Clocked) {
	var got []spike
	c := NewClocked(net, len(in), 1, false)
	c.OnSpikes = func(t int64, layer int, ns []int32) {
		for _, j := range ns {
			got = append(got, spike{t * step, layer, j})
		}
	}
	sc := script(slices.Clone(in))
	var res Result
	c.Run(&sc, 0, &res)
	return sortRaster(got), c
}

// eventRaster feeds in to the event engine, each spike at its step's time, and returns
// the spikes that fire before the last step ends, the simulator, run until then, and
// the membranes U(T) of each layer, probed at the end of the last step.
func eventRaster(t *testing.T, net *Network, step int64,
	in [][]int32) ([]spike, *EventDriven, [][]float32) {
	e, err := NewEventDriven(net, step, step)
	if err != nil {
		t.Fatal(err)
	}
	var got []spike
	e.OnSpikes = func(at int64, layer int, ns []int32) {
		if at < int64(len(in))*step {
			for _, j := range ns {
				got = append(got, spike{at, layer, j})
			}
		}
	}
	end := int64(len(in)) * step
	probed := make([][]float32, len(net.Layers))
	e.OnProbe = func(at int64, layer int, u []float32) {
		if at != end {
			t.Errorf("probe at %d µs, asked for %d", at, end)
		}
		probed[layer-1] = slices.Clone(u)
	}
	for l := range net.Layers {
		e.Probe(end, l+1)
	}
	for k, idx := range in {
		for _, i := range idx {
			e.Input(int64(k)*step, i)
		}
	}
	e.RunUntil(end)
	return sortRaster(got), e, probed
}

func sortRaster(r []spike) []spike {
	slices.SortStableFunc(r, func(a, b spike) int {
		if a.t != b.t {
			return int(a.t - b.t)
		}
		return a.layer - b.layer
	})
	return r
}

// TestEventMatchesClocked is the property that ties the two engines together: on input
// quantised to the step, the event engine fires the clocked engine's spikes exactly,
// neuron for neuron and step for step. It draws 300 random networks and inputs, including
// leaks strong enough for the membranes to rebase within a run, and α = 1.
func TestEventMatchesClocked(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	total := 0
	for k := range 300 {
		net, step, steps, in := randomCase(rng)
		want, c := clockedRaster(net, step, in)
		got, e, probed := eventRaster(t, net, step, in)
		total += len(want)
		name := fmt.Sprintf("case %d (sizes %v, α %v, θ %v, Δ %d µs, T %d)", k, net.Sizes(),
			net.Config.Neuron.Alpha, net.Config.Neuron.Theta, step, steps)
		if !slices.Equal(got, want) {
			t.Fatalf("%s: %s", name, firstDiff(got, want))
		}
		// The membranes too, to the bit: U(T) as probed, and V once the event engine's
		// lazy rebasing has caught up with the last step.
		for l, u := range probed {
			if !slices.Equal(u, c.u[l]) {
				t.Fatalf("%s: layer %d: probed U(T) %v, clocked %v", name, l+1, u, c.u[l])
			}
		}
		for l := range e.lays {
			e.rebase(&e.lays[l], int64(steps-1)*step)
			for j, v := range e.lays[l].v {
				if w := c.v[l][j]; v != w {
					t.Fatalf("%s: layer %d neuron %d: V = %v, clocked %v", name, l+1, j, v, w)
				}
			}
		}
	}
	if total < 10000 {
		t.Fatalf("only %d spikes over all cases: the property is barely tested", total)
	}
}

func firstDiff(got, want []spike) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("spike %d: event %+v, clocked %+v", i, got[i], want[i])
		}
	}
	return fmt.Sprintf("event engine fired %d spikes, clocked %d", len(got), len(want))
}

// TestEventLazyDecay checks the lazy update of one neuron against stepping it tick by
// tick: a 1 → 1 → 1 chain gets input spikes at random microsecond times, far apart and
// close together, and after each one the hidden membrane must equal the membrane of the
// same neuron advanced one microsecond at a time, in float64:
//
//	U ← U·exp(−1 µs/τ) every microsecond, + w when a spike's current lands 2Δ after the
//	input spike, then, if U ≥ θ, a spike and U ← U − θ/α.
func TestEventLazyDecay(t *testing.T) {
	const (
		step = 1000 // Δ, µs
		tau  = 20e3 // µs
		w    = 0.7
	)
	alpha := math.Exp(-step / tau)
	net := chain(t, w)
	net.Config.Neuron = neuron.Params{Alpha: float32(alpha), Theta: 1}
	e, err := NewEventDriven(net, step, step)
	if err != nil {
		t.Fatal(err)
	}
	var fired []int64
	e.OnSpikes = func(at int64, layer int, _ []int32) {
		if layer == 1 {
			fired = append(fired, at)
		}
	}

	rng := rand.New(rand.NewPCG(3, 4))
	var times []int64
	at := int64(0)
	for range 400 {
		if rng.IntN(4) == 0 {
			at += int64(rng.IntN(200000)) // long silences, up to 10 τ
		} else {
			at += int64(rng.IntN(3000))
		}
		times = append(times, at)
	}

	// The reference. A neuron fires at most once per step: one that fires is looked at
	// again Δ later, in case it is still over the threshold then, and may not fire before.
	decay := math.Exp(-1 / tau)
	var u float64
	lands := map[int64]float64{}
	for _, ti := range times {
		lands[ti+2*step] += w
	}
	end := times[len(times)-1] + 3*step
	var want []int64
	wake := map[int64]bool{}
	until, held := int64(math.MinInt64), 0
	ref := make([]float64, end+1)
	for tick := int64(0); tick <= end; tick++ {
		u = u*decay + lands[tick]
		if (lands[tick] != 0 || wake[tick]) && u >= 1 {
			if tick < until {
				held++
			} else {
				want = append(want, tick)
				u -= 1 / alpha
				until = tick + step
				wake[until] = true
			}
		}
		ref[tick] = u
	}

	for k, ti := range times {
		e.Input(ti, 0)
		if k+1 < len(times) && times[k+1] == ti {
			continue
		}
		e.RunUntil(ti + step + 1)
		check := ti + 2*step
		want := ref[check]
		if got := float64(e.Potential(1, 0, check)); math.Abs(got-want) > 1e-4 {
			t.Fatalf("input %d at %d µs: U(%d µs) = %v, ticking gives %v",
				k, ti, check, got, want)
		}
	}
	e.Drain()
	if !slices.Equal(fired, want) {
		t.Fatalf("hidden spikes at %v,\nticking gives %v", fired, want)
	}
	if len(want) < 20 || held < 10 {
		t.Fatalf("only %d spikes, %d held back within a step of the last: the test needs "+
			"more firing to mean anything", len(want), held)
	}
}

// TestEventBias checks that a network with biases is refused.
func TestEventBias(t *testing.T) {
	cfg := DefaultConfig(4, 2)
	cfg.Bias = true
	net, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewEventDriven(net, 1000, 1000); err != ErrEventBias {
		t.Fatalf("NewEventDriven with biases: %v, want ErrEventBias", err)
	}
	if _, err := NewEventDriven(&Network{Config: DefaultConfig(4, 2)}, 0, 1); err == nil {
		t.Fatal("NewEventDriven with a zero step: no error")
	}
}

// TestEventLate checks that an input spike older than one already given is counted and
// taken at the later time, and that the run goes on.
func TestEventLate(t *testing.T) {
	net := chain(t, 1.5)
	e, err := NewEventDriven(net, 10, 10)
	if err != nil {
		t.Fatal(err)
	}
	var at []int64
	e.OnSpikes = func(t int64, layer int, _ []int32) {
		if layer == 1 {
			at = append(at, t)
		}
	}
	e.Input(100, 0)
	e.Input(50, 0) // late: taken at 100
	e.Input(400, 0)
	e.Drain()
	if e.Stats.Late != 1 || e.Stats.Inputs != 3 {
		t.Fatalf("stats %+v, want 3 inputs, 1 late", e.Stats)
	}
	// Both early spikes reach the membrane at 120 µs: U = 3 fires, and after the reset
	// U(130) = 0.5·3 − 1 = 0.5 stays below θ. The third fires alone at 420 µs.
	if !slices.Equal(at, []int64{120, 420}) {
		t.Fatalf("hidden spikes at %v, want [120 420]", at)
	}
}

package engine

import (
	"math"
	"testing"

	"github.com/snnsim/snnsim/neuron"
)

// script is an Input that plays fixed spike lists, one per step, then silence.
type script [][]int32

func (s *script) Step() ([]int32, []float32) {
	if len(*s) == 0 {
		return nil, nil
	}
	idx := (*s)[0]
	*s = (*s)[1:]
	return idx, nil
}

// chain returns a 1 → 1 → 1 network with both weights w.
func chain(t *testing.T, w float32) *Network {
	t.Helper()
	net, err := New(Config{Inputs: 1, Hidden: []int{1}, Outputs: 1,
		Neuron: neuron.Params{Alpha: 0.5, Theta: 1}, Beta: 5, InitGain: 1})
	if err != nil {
		t.Fatal(err)
	}
	net.Layers[0].W.W[0] = w
	net.Layers[1].W.W[0] = w
	return net
}

// TestClockedDelays sends one input spike at t = 0 through a 1 → 1 → 1 chain with weights
// 1.5, α = 0.5 and θ = 1, and checks the membranes against the model worked by hand:
//
//	t=0: X = 1                  → I₁(1) = 1.5
//	t=1: U₁(1) = 0              → U₁(2) = 1.5
//	t=2: U₁(2) ≥ θ, S₁(2) = 1   → U₁(3) = 0.75 − 1 = −0.25, I₂(3) = 1.5
//	t=3:                        → U₂(4) = 1.5
//	t=4: U₂(4) ≥ θ, S₂(4) = 1   → U₂(5) = −0.25
//
// so each layer adds two steps: one in the current buffer, one in the membrane.
func TestClockedDelays(t *testing.T) {
	net := chain(t, 1.5)
	// Spikes in steps 0…T−1, and U(T), for T = 1…6.
	wantHidden := []int{0, 0, 1, 1, 1, 1}
	wantOutput := []int{0, 0, 0, 0, 1, 1}
	wantU := [][2]float32{{0, 0}, {1.5, 0}, {-0.25, 0}, {-0.125, 1.5}, {-0.0625, -0.25},
		{-0.03125, -0.125}}

	for steps := 1; steps <= 6; steps++ {
		c := NewClocked(net, steps, 1, false)
		in := script{{0}}
		var res Result
		c.Run(&in, 0, &res)
		if res.Spikes[0] != 1 || res.Spikes[1] != wantHidden[steps-1] ||
			res.Spikes[2] != wantOutput[steps-1] {
			t.Errorf("T=%d: spikes per layer %v, want [1 %d %d]",
				steps, res.Spikes, wantHidden[steps-1], wantOutput[steps-1])
		}
		got := [2]float32{c.u[0][0], c.u[1][0]}
		if math.Abs(float64(got[0]-wantU[steps-1][0])) > 1e-6 ||
			math.Abs(float64(got[1]-wantU[steps-1][1])) > 1e-6 {
			t.Errorf("T=%d: U(T) = %v, want %v", steps, got, wantU[steps-1])
		}
	}
}

// TestClockedWindow checks that only spikes in the last K steps count towards the output:
// with T = 6 the output spike at t = 4 lies outside a window of one step.
func TestClockedWindow(t *testing.T) {
	net := chain(t, 1.5)
	for _, c := range []struct {
		window, want int
	}{{1, 0}, {2, 1}, {6, 1}} {
		sim := NewClocked(net, 6, c.window, false)
		in := script{{0}}
		var res Result
		sim.Run(&in, 0, &res)
		if sim.count[0] != c.want {
			t.Errorf("K=%d: window count %d, want %d", c.window, sim.count[0], c.want)
		}
	}
}

// counter is an Input that spikes input 0 at every step, and counts the steps.
type counter int

func (c *counter) Step() ([]int32, []float32) {
	*c++
	return []int32{0}, nil
}

// TestClockedDone checks that a run of many steps stops soon after Done is closed, and
// runs to the end while it is open.
func TestClockedDone(t *testing.T) {
	const steps = 10 * stopEvery
	c := NewClocked(chain(t, 1.5), steps, 1, false)
	var res Result
	open := make(chan struct{})
	c.Done = open
	var n counter
	c.Run(&n, 0, &res)
	if n != steps {
		t.Errorf("with Done open, the run took %d steps of %d", n, steps)
	}
	closed := make(chan struct{})
	close(closed)
	c.Done = closed
	n = 0
	c.Run(&n, 0, &res)
	if n != stopEvery-1 {
		t.Errorf("with Done closed, the run took %d steps; want %d", n, stopEvery-1)
	}
}

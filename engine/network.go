package engine

import (
	"fmt"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/synapse"
)

// Config describes a layered network: Inputs presynaptic inputs, then one LIF layer per
// entry of Hidden, then Outputs LIF output neurons, each layer fully connected to the next.
type Config struct {
	Inputs  int
	Hidden  []int
	Outputs int

	// Neuron holds α and θ, shared by every layer.
	Neuron neuron.Params
	// Beta is the steepness β of the SuperSpike surrogate used for learning.
	Beta float32
	// Bias gives every layer a learned constant drive b, added to B(t).
	Bias bool
	// InitGain scales the initial weights, drawn from N(0, (InitGain/√fan-in)²).
	InitGain float64
	// Seed seeds the initial weights and the feedback matrices.
	Seed uint64
}

// Layer is one LIF layer and the projection that feeds it.
type Layer struct {
	// N is the number of neurons.
	N int
	// W holds the incoming weights, Wᵀ row-major: one row per presynaptic neuron, plus a
	// last row holding the bias b when the network has biases.
	W *synapse.Dense
	// Feedback is the fixed random matrix that carries the output error to a hidden layer,
	// one row per output neuron (nil for the output layer).
	Feedback *synapse.Dense
}

// Network is a layered LIF network with its weights. The same Network runs in every engine.
type Network struct {
	Config Config
	Layers []*Layer
}

// New checks cfg and returns a network with weights and feedback drawn from cfg.Seed.
func New(cfg Config) (*Network, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	sizes := append(append([]int{cfg.Inputs}, cfg.Hidden...), cfg.Outputs)
	net := &Network{Config: cfg}
	for l := 1; l < len(sizes); l++ {
		pre, n := sizes[l-1], sizes[l]
		rows := pre
		if cfg.Bias {
			rows++
		}
		lay := &Layer{N: n, W: synapse.NewDense(rows, n)}
		fill(lay.W.W[:pre*n], cfg.InitGain/math.Sqrt(float64(pre)), cfg.Seed, uint64(2*l))
		if l < len(sizes)-1 {
			lay.Feedback = synapse.NewDense(cfg.Outputs, n)
			fill(lay.Feedback.W, 1/math.Sqrt(float64(cfg.Outputs)), cfg.Seed, uint64(2*l+1))
		}
		net.Layers = append(net.Layers, lay)
	}
	return net, nil
}

// fill draws w from N(0, σ²) with a source of its own, so that every matrix depends only
// on the seed and its place in the network.
func fill(w []float32, sigma float64, seed, stream uint64) {
	d := distuv.Normal{Mu: 0, Sigma: sigma, Src: rand.NewPCG(seed, stream)}
	for i := range w {
		w[i] = float32(d.Rand())
	}
}

func (cfg *Config) validate() error {
	if cfg.Inputs <= 0 || cfg.Outputs <= 0 {
		return fmt.Errorf("engine: %d inputs and %d outputs; both must be positive",
			cfg.Inputs, cfg.Outputs)
	}
	for _, n := range cfg.Hidden {
		if n <= 0 {
			return fmt.Errorf("engine: hidden layer of %d neurons; sizes must be positive", n)
		}
	}
	if err := cfg.Neuron.Validate(); err != nil {
		return err
	}
	if !(cfg.Beta > 0) {
		return fmt.Errorf("engine: surrogate steepness β = %v must be positive", cfg.Beta)
	}
	if !(cfg.InitGain > 0) {
		return fmt.Errorf("engine: initial weight gain %v must be positive", cfg.InitGain)
	}
	return nil
}

// Surrogate returns the network's SuperSpike surrogate.
func (net *Network) Surrogate() neuron.SuperSpike {
	return neuron.SuperSpike{Beta: net.Config.Beta, Theta: net.Config.Neuron.Theta}
}

// Sizes returns the number of neurons per layer, inputs first.
func (net *Network) Sizes() []int {
	s := []int{net.Config.Inputs}
	for _, l := range net.Layers {
		s = append(s, l.N)
	}
	return s
}

// Params returns the learned parameters, one weight slice per layer, sharing memory.
func (net *Network) Params() [][]float32 {
	p := make([][]float32, len(net.Layers))
	for l, lay := range net.Layers {
		p[l] = lay.W.W
	}
	return p
}

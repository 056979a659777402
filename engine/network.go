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
	// Inputs is the number of inputs, Hidden the sizes of the hidden layers from the
	// input side, and Outputs the size of the output layer.
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
	// InitSigma, when set, gives the standard deviation of each layer's initial weights
	// instead, one entry per LIF layer from the input side.
	InitSigma []float64
	// Seed seeds the initial weights and the feedback matrices.
	Seed uint64
}

// DefaultConfig returns the network snnsim builds unless told otherwise: one hidden layer
// of 500 neurons, α = 0.9, θ = 1, surrogate steepness β = 2, no bias, initial gain 0.25,
// seed 1.
func DefaultConfig(inputs, outputs int) Config {
	return Config{
		Inputs:   inputs,
		Hidden:   []int{500},
		Outputs:  outputs,
		Neuron:   neuron.DefaultParams,
		Beta:     2,
		InitGain: 0.25,
		Seed:     1,
	}
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

// Network is a layered LIF network: its description and its weights.
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
		sigma := cfg.InitGain / math.Sqrt(float64(pre))
		if cfg.InitSigma != nil {
			sigma = cfg.InitSigma[l-1]
		}
		fill(lay.W.W[:pre*n], sigma, cfg.Seed, uint64(2*l))
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

// Limits on a network's size, so that a mistyped size is an error rather than an
// allocation that exhausts memory. Training keeps several copies of the weights.
const (
	maxNeurons = 1 << 20
	maxWeights = 1 << 27
)

func (cfg *Config) validate() error {
	sizes := append(append([]int{cfg.Inputs}, cfg.Hidden...), cfg.Outputs)
	weights := 0
	for l, n := range sizes {
		if n <= 0 || n > maxNeurons {
			return fmt.Errorf("engine: layer %d has %d neurons; sizes must be between 1 and %d",
				l, n, maxNeurons)
		}
		if l > 0 {
			weights += (sizes[l-1] + 1) * n
		}
	}
	if weights > maxWeights {
		return fmt.Errorf("engine: %d weights is more than the limit of %d", weights, maxWeights)
	}
	if err := cfg.Neuron.Validate(); err != nil {
		return err
	}
	if !finitePositive(float64(cfg.Beta)) {
		return fmt.Errorf("engine: surrogate steepness beta %v must be a positive number", cfg.Beta)
	}
	// Weights are 32-bit: far below their limit, a layer's summed input stays finite.
	const maxInit = 1e6
	if !finitePositive(cfg.InitGain) || cfg.InitGain > maxInit {
		return fmt.Errorf("engine: initial weight gain %v must be a positive number up to %g",
			cfg.InitGain, maxInit)
	}
	if cfg.InitSigma != nil && len(cfg.InitSigma) != len(sizes)-1 {
		return fmt.Errorf("engine: %d initial weight deviations for %d layers",
			len(cfg.InitSigma), len(sizes)-1)
	}
	for _, s := range cfg.InitSigma {
		if !finitePositive(s) || s > maxInit {
			return fmt.Errorf("engine: initial weight deviation %v must be a positive number "+
				"up to %g", s, maxInit)
		}
	}
	return nil
}

func finitePositive(x float64) bool { return x > 0 && !math.IsInf(x, 0) }

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

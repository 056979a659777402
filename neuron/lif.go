package neuron

import (
	"fmt"
	"math"
)

// Params are the constants of a LIF population.
type Params struct {
	// Alpha is the membrane decay per time step, α = exp(−Δt/τ), in (0, 1].
	Alpha float32
	// Theta is the firing threshold θ, and the amount a spike subtracts from U.
	Theta float32
}

// DefaultParams are the constants snnsim uses unless told otherwise: α = 0.9 (τ ≈ 9.5 steps)
// and θ = 1.
var DefaultParams = Params{Alpha: 0.9, Theta: 1}

// Validate reports whether p describes a stable, firing neuron.
func (p Params) Validate() error {
	if !(p.Alpha > 0 && p.Alpha <= 1) {
		return fmt.Errorf("neuron: alpha %v is outside (0, 1]", p.Alpha)
	}
	if !(p.Theta > 0) || math.IsInf(float64(p.Theta), 0) {
		return fmt.Errorf("neuron: threshold %v is not a positive number", p.Theta)
	}
	return nil
}

// Step advances a population by one time step. On entry u holds U(t) and cur holds I(t); on
// return u holds U(t+1) = α·U(t) + I(t) − S(t)·θ. The indices of the neurons that fired,
// S(t) = H(U(t) − θ), are appended to spikes in increasing order and returned.
//
// Step costs O(len(u)) and does not allocate unless spikes has to grow.
func (p Params) Step(u, cur []float32, spikes []int32) []int32 {
	cur = cur[:len(u)]
	for j, v := range u {
		next := p.Alpha*v + cur[j]
		if v >= p.Theta {
			next -= p.Theta
			spikes = append(spikes, int32(j))
		}
		u[j] = next
	}
	return spikes
}

// Decay returns the factor α^n by which a membrane without input shrinks over n steps. It is
// exact for whole steps: Decay(n) equals n repeated multiplications by α up to rounding.
func (p Params) Decay(n int) float32 {
	return float32(math.Pow(float64(p.Alpha), float64(n)))
}

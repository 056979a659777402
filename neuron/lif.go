package neuron

import (
	"fmt"
	"math"
	"slices"
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
		return fmt.Errorf("neuron: threshold %v must be a positive number", p.Theta)
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
	n := len(spikes)
	spikes = slices.Grow(spikes, len(u))[:n+len(u)]

	// Branch-free: a trained layer fires at unpredictable places, and a mispredicted
	// branch per neuron costs more than writing every index and keeping those that fired.
	for j, v := range u {
		s := 0
		if v >= p.Theta {
			s = 1
		}
		u[j] = p.Alpha*v + cur[j] - float32(s)*p.Theta
		spikes[n] = int32(j)
		n += s
	}
	return spikes[:n]
}

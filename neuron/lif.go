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

// MinAlpha is the smallest α allowed. A membrane that keeps less than a millionth of
// itself over one step has no memory to speak of, and the scaled form of the membrane
// (see Scale) would overflow float32 on still smaller ones.
const MinAlpha = 1e-6

// Validate reports whether p describes a stable, firing neuron.
func (p Params) Validate() error {
	if !(p.Alpha >= MinAlpha && p.Alpha <= 1) {
		return fmt.Errorf("neuron: alpha %v is outside [%v, 1]", p.Alpha, MinAlpha)
	}
	if !(p.Theta > 0) || math.IsInf(float64(p.Theta), 0) {
		return fmt.Errorf("neuron: threshold %v must be a positive number", p.Theta)
	}
	return nil
}

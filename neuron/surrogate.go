package neuron

// SuperSpike is the surrogate derivative σ′(U) = 1/(1+β·|U−θ|)² that stands in for ∂S/∂U
// during learning (Zenke & Ganguli 2018). The zero value is not useful.
type SuperSpike struct {
	// Beta is the steepness β, in inverse threshold units.
	Beta float32
	// Theta is the threshold θ at which the surrogate peaks with value 1.
	Theta float32
}

// Grad returns σ′(u).
func (s SuperSpike) Grad(u float32) float32 {
	d := u - s.Theta
	if d < 0 {
		d = -d
	}
	x := 1 + s.Beta*d
	return 1 / (x * x)
}

// GradInto sets dst[j] = σ′(u[j]) for every j and returns dst.
func (s SuperSpike) GradInto(dst, u []float32) []float32 {
	dst = dst[:len(u)]
	for j, v := range u {
		dst[j] = s.Grad(v)
	}
	return dst
}

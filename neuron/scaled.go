package neuron

import (
	"math"
	"slices"
)

// Scale describes the scaled membrane that both engines integrate. Instead of U, a
// population keeps
//
//	V = U·α^−(t−t₀)/Δ
//
// where Δ is the step, in the engine's time unit, and t₀ a reference time. A neuron that
// receives nothing keeps its V: the decay lives in the factor, not in the state. This is
// what lets the event engine leave a silent neuron untouched for any length of time, and
// what makes its arithmetic the same as the clocked engine's, which advances every neuron
// at every step: both add the same terms to V, scaled by the same factors.
//
// Over a long run α^−(t−t₀)/Δ would overflow, so once t−t₀ reaches Span the population
// moves t₀ forward by Span and multiplies V by Rebase = α^(Span/Δ), which is at most 2⁻³².
// The factors then stay below 2³²/α³, which float32 holds for every α that
// Params.Validate accepts.
type Scale struct {
	// Step is Δ, the length of one time step.
	Step int64
	// Span is the distance between rebasings, a whole number of steps; 0 for α = 1,
	// which never needs one.
	Span int64
	// Rebase is α^(Span/Δ), the factor V is multiplied by when t₀ moves forward by Span.
	Rebase float32

	logAlpha float64
}

// Scale returns the scaled-membrane factors of p for steps of length step.
func (p Params) Scale(step int64) Scale {
	s := Scale{Step: step, logAlpha: math.Log(float64(p.Alpha))}
	if p.Alpha < 1 {
		n := math.Ceil(32 * math.Ln2 / -s.logAlpha)
		s.Span = int64(n) * step
		s.Rebase = s.At(s.Span)
	}
	return s
}

// At returns α^(dt/Δ), the factor by which U decays over dt, rounded to float32. For dt
// a whole number n of steps it is α^n.
func (s Scale) At(dt int64) float32 {
	return float32(1 / s.gain(dt))
}

// Gain returns α^−(dt/Δ), rounded to float32.
func (s Scale) Gain(dt int64) float32 {
	return float32(s.gain(dt))
}

// gain is Gain in float64. At, Gain and Factors all derive from it, so that they agree
// wherever they are used.
func (s Scale) gain(dt int64) float64 {
	return math.Exp(-s.logAlpha * (float64(dt) / float64(s.Step)))
}

// Factors are the three numbers a scaled population needs for one update, at a time t
// measured from its t₀: Gain = α^−(t+Δ)/Δ scales the current I(t), which reaches the
// membrane at t+Δ; At = α^(t+Δ)/Δ turns V into U(t+Δ); and Reset = θ·α^−(t+2Δ)/Δ is what a
// spike at t+Δ takes away from V, so that U(t+2Δ) = α·U(t+Δ) + I(t+Δ) − θ.
type Factors struct {
	Gain, At, Reset float32
}

// Factors returns the factors for an update at t, measured from t₀.
func (p Params) Factors(s Scale, t int64) Factors {
	g := s.gain(t + s.Step)
	return Factors{
		Gain:  float32(g),
		At:    float32(1 / g),
		Reset: float32(float64(p.Theta) * g * math.Exp(-s.logAlpha)),
	}
}

// StepScaled is Step in the scaled form. On entry v holds the scaled membranes and cur the
// currents I(t); on return v holds the scaled membranes after I(t) and the spikes at t+Δ,
// u holds U(t+Δ), and the indices of the neurons that fire at t+Δ, S(t+Δ) = H(U(t+Δ) − θ),
// are appended to spikes in increasing order and returned. For each neuron
//
//	V ← V + I·f.Gain,  U = V·f.At,  V ← V − S·f.Reset
//
// each product rounded to float32 before it is added, never fused, so that every engine
// that uses these three lines gets the same bits.
//
// hold, if not nil, holds one value per neuron: 0 for a neuron that may fire, and any
// other value for one that may not, such as a neuron that fired less than a step ago in
// continuous time.
func (p Params) StepScaled(v, cur, u, hold []float32, f Factors, spikes []int32) []int32 {
	cur, u = cur[:len(v)], u[:len(v)]
	if hold != nil {
		hold = hold[:len(v)]
	}
	n := len(spikes)
	spikes = slices.Grow(spikes, len(v))[:n+len(v)]
	for j, x := range v {
		x += float32(cur[j] * f.Gain)
		y := float32(x * f.At)
		s := 0
		if y >= p.Theta {
			s = 1
		}
		if hold != nil && hold[j] != 0 {
			s = 0
		}
		v[j] = x - float32(float32(s)*f.Reset)
		u[j] = y
		spikes[n] = int32(j)
		n += s
	}
	return spikes[:n]
}

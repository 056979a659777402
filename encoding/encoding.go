package encoding

import (
	"fmt"
	"math/rand/v2"
)

// Kind names an encoding.
type Kind string

// The encodings snnsim offers.
const (
	Poisson Kind = "poisson"
	Rate    Kind = "rate"
)

// Parse returns the Kind named s, or an error listing the choices.
func Parse(s string) (Kind, error) {
	switch k := Kind(s); k {
	case Poisson, Rate:
		return k, nil
	}
	return "", fmt.Errorf("encoding: unknown encoding %q (want %q or %q)", s, Poisson, Rate)
}

// Encoder produces X(t) for one sample, step by step.
type Encoder struct {
	kind Kind
	gain float32
	src  rand.Source

	active []int32   // inputs with nonzero intensity
	level  []float32 // their intensities (rate)
	thresh []uint64  // their spike probabilities p as p·2³² (Poisson)

	idx []int32 // the spikes of the current step, reused
}

// New returns an encoder of the given kind. For Poisson, gain scales intensity into spike
// probability and src supplies the draws; Rate ignores both.
func New(kind Kind, gain float32, src rand.Source) *Encoder {
	return &Encoder{kind: kind, gain: gain, src: src}
}

// Reset loads the intensities of the next sample, given as bytes scaled by 1/255.
func (e *Encoder) Reset(pixels []byte) {
	e.active, e.level, e.thresh = e.active[:0], e.level[:0], e.thresh[:0]
	for i, v := range pixels {
		if v == 0 {
			continue
		}
		l := float32(v) / 255
		e.active = append(e.active, int32(i))
		e.level = append(e.level, l)
		p := min(1, float64(l)*float64(e.gain))
		e.thresh = append(e.thresh, uint64(p*(1<<32)))
	}
}

// Step returns the activity of the current sample at the next step: the indices of the
// active inputs in increasing order, and their values, or nil values when every value is 1
// (spikes). The slices are reused by the next call.
func (e *Encoder) Step() (idx []int32, x []float32) {
	if e.kind == Rate {
		return e.active, e.level
	}
	// Each input fires when a uniform 32-bit draw falls below p·2³²; one 64-bit draw from
	// the source serves two inputs.
	e.idx = e.idx[:0]
	var bits uint64
	for k, th := range e.thresh {
		if k&1 == 0 {
			bits = e.src.Uint64()
		}
		if bits&(1<<32-1) < th {
			e.idx = append(e.idx, e.active[k])
		}
		bits >>= 32
	}
	return e.idx, nil
}

// Active returns the inputs of the current sample with nonzero intensity, in increasing
// order: the only ones that can ever be active.
func (e *Encoder) Active() []int32 { return e.active }

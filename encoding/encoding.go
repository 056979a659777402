package encoding

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
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

// Spike is one input spike at a time, in the unit of the step given to Events.
type Spike struct {
	Time  int64
	Input int32
}

// Events appends to dst the input spikes of the current sample in continuous time, over
// [0, duration): each active input fires as a Poisson process with p = min(1,
// intensity·gain) spikes per step on average, the rate at which Step fires it, and at
// times that fall anywhere, not on a grid. The spikes come sorted by time, then input.
// Rate encoding has no spikes; it returns dst unchanged.
func (e *Encoder) Events(duration, step int64, dst []Spike) []Spike {
	if e.kind != Poisson {
		return dst
	}
	start := len(dst)
	for k, th := range e.thresh {
		if th == 0 {
			continue
		}
		mean := float64(step) * (1 << 32) / float64(th) // µs between spikes
		for t := 0.0; ; {
			// An exponential gap from a uniform draw in (0, 1).
			u := (float64(e.src.Uint64()>>11) + 0.5) / (1 << 53)
			t -= mean * math.Log(u)
			if t >= float64(duration) {
				break
			}
			dst = append(dst, Spike{Time: int64(t), Input: e.active[k]})
		}
	}
	slices.SortFunc(dst[start:], func(a, b Spike) int {
		if a.Time != b.Time {
			return cmp.Compare(a.Time, b.Time)
		}
		return cmp.Compare(a.Input, b.Input)
	})
	return dst
}

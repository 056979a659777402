package neuron

import (
	"math"
	"slices"
	"testing"
)

// tol is the float32 rounding allowed between a hand-computed value and the simulation.
const tol = 1e-6

func TestStepOnce(t *testing.T) {
	p := Params{Alpha: 0.5, Theta: 1}
	u := []float32{0.6, 1.0, 1.5, -0.4}
	cur := []float32{0.2, 0.3, -0.1, 0}

	spikes := p.Step(u, cur, nil)

	// By hand: below θ, α·U + I; at or above θ, α·U + I − θ.
	want := []float32{0.5*0.6 + 0.2, 0.5*1.0 + 0.3 - 1, 0.5*1.5 - 0.1 - 1, 0.5 * -0.4}
	for j := range want {
		if math.Abs(float64(u[j]-want[j])) > tol {
			t.Errorf("U[%d](t+1) = %v, want %v", j, u[j], want[j])
		}
	}
	if !slices.Equal(spikes, []int32{1, 2}) {
		t.Errorf("spikes = %v, want [1 2] (H(0) = 1: a neuron at θ fires)", spikes)
	}
}

// TestStepConstantCurrent drives one neuron with I = 0.5 for six steps and compares every
// membrane value and spike with the recurrence worked out by hand for α = 0.9, θ = 1.
func TestStepConstantCurrent(t *testing.T) {
	p := Params{Alpha: 0.9, Theta: 1}
	wantU := []float32{0.5, 0.95, 1.355, 0.7195, 1.14755, 0.532795}
	wantS := []bool{false, false, false, true, false, true}

	u := []float32{0}
	for step := range wantU {
		s := p.Step(u, []float32{0.5}, nil)
		if fired := len(s) == 1; fired != wantS[step] {
			t.Errorf("t=%d: S = %v, want %v", step, fired, wantS[step])
		}
		if math.Abs(float64(u[0]-wantU[step])) > tol {
			t.Errorf("U(%d) = %v, want %v", step+1, u[0], wantU[step])
		}
	}
}

func TestValidate(t *testing.T) {
	for _, p := range []Params{
		{Alpha: 0, Theta: 1}, {Alpha: 1.1, Theta: 1}, {Alpha: 0.9, Theta: 0},
		{Alpha: float32(math.NaN()), Theta: 1}, {Alpha: 0.9, Theta: float32(math.Inf(1))},
	} {
		if p.Validate() == nil {
			t.Errorf("Validate(%+v) = nil, want an error", p)
		}
	}
	if err := DefaultParams.Validate(); err != nil {
		t.Errorf("DefaultParams: %v", err)
	}
}

func TestSuperSpike(t *testing.T) {
	s := SuperSpike{Beta: 5, Theta: 1}
	for _, c := range []struct{ u, want float64 }{
		{1, 1},                                 // peak on the threshold
		{1.2, 1 / ((1 + 5*0.2) * (1 + 5*0.2))}, // 1/(1+1)² = 0.25
		{0.8, 0.25},                            // symmetric about θ
		{0, 1.0 / 36},                          // 1/(1+5)²
		{-1, 1.0 / 121},                        // 1/(1+10)²
	} {
		got := s.Grad(float32(c.u))
		if math.Abs(float64(got)-c.want) > tol {
			t.Errorf("σ′(%v) = %v, want %v", c.u, got, c.want)
		}
	}
	dst := s.GradInto(make([]float32, 2), []float32{1, 0})
	if dst[0] != 1 || math.Abs(float64(dst[1])-1.0/36) > tol {
		t.Errorf("GradInto = %v, want [1 %v]", dst, 1.0/36)
	}
}

package neuron

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// tol is the float32 rounding allowed between a hand-computed value and the simulation.
const tol = 1e-6

// run steps a population through the scaled form from rest, with the given current at
// every step, and returns U(1), U(2), … and the spikes S(1), S(2), …. It rebases the
// way the engines do.
func run(p Params, cur [][]float32) (us [][]float32, ss [][]int32) {
	s := p.Scale(1)
	n := len(cur[0])
	v, u := make([]float32, n), make([]float32, n)
	var t0 int64
	for t := range int64(len(cur)) {
		if s.Span > 0 && t-t0 >= s.Span {
			for j := range v {
				v[j] *= s.Rebase
			}
			t0 += s.Span
		}
		spikes := p.StepScaled(v, cur[t], u, nil, p.Factors(s, t-t0), nil)
		us, ss = append(us, slices.Clone(u)), append(ss, spikes)
	}
	return us, ss
}

func TestStepScaledOnce(t *testing.T) {
	p := Params{Alpha: 0.5, Theta: 1}
	us, ss := run(p, [][]float32{{0.2, 1, 1.5, -0.4}, {0, 0, 0, 0}})

	// By hand: U(1) = I(0); U(2) = α·U(1) + I(1) − S(1)·θ.
	want := [][]float32{{0.2, 1, 1.5, -0.4}, {0.1, 0.5 - 1, 0.75 - 1, -0.2}}
	for step := range want {
		for j := range want[step] {
			if math.Abs(float64(us[step][j]-want[step][j])) > tol {
				t.Errorf("U_%d(%d) = %v, want %v", j, step+1, us[step][j], want[step][j])
			}
		}
	}
	if !slices.Equal(ss[0], []int32{1, 2}) || len(ss[1]) != 0 {
		t.Errorf("spikes = %v, want [[1 2] []] (H(0) = 1: a neuron at θ fires)", ss)
	}
}

// TestStepScaledConstantCurrent drives one neuron with I = 0.5 for six steps and compares
// every membrane value and spike with the recurrence worked out by hand for α = 0.9, θ = 1.
func TestStepScaledConstantCurrent(t *testing.T) {
	wantU := []float32{0.5, 0.95, 1.355, 0.7195, 1.14755, 0.532795}
	wantS := []bool{false, false, true, false, true, false}

	cur := make([][]float32, len(wantU))
	for i := range cur {
		cur[i] = []float32{0.5}
	}
	us, ss := run(Params{Alpha: 0.9, Theta: 1}, cur)
	for step := range wantU {
		if fired := len(ss[step]) == 1; fired != wantS[step] {
			t.Errorf("S(%d) = %v, want %v", step+1, fired, wantS[step])
		}
		if math.Abs(float64(us[step][0]-wantU[step])) > tol {
			t.Errorf("U(%d) = %v, want %v", step+1, us[step][0], wantU[step])
		}
	}
}

// TestStepScaledRebase runs 300 steps of α = 0.7, which rebases every 63 steps, and
// compares U with the plain recurrence U(t+1) = α·U(t) + I(t) − S(t)·θ in float64.
func TestStepScaledRebase(t *testing.T) {
	p := Params{Alpha: 0.7, Theta: 1}
	if s := p.Scale(1); s.Span != 63 || s.Rebase > 1.0/(1<<32) {
		t.Fatalf("span %d, rebase factor %v; want 63 and at most 2⁻³²", s.Span, s.Rebase)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	cur := make([][]float32, 300)
	for i := range cur {
		cur[i] = []float32{float32(rng.Float64() * 0.8)}
	}
	us, ss := run(p, cur)

	var u float64
	var s float64
	for step := range cur {
		u = 0.7*u + float64(cur[step][0]) - s*1
		s = 0
		if u >= 1 {
			s = 1
		}
		if math.Abs(float64(us[step][0])-u) > 1e-5 {
			t.Fatalf("U(%d) = %v, want %v", step+1, us[step][0], u)
		}
		if fired := len(ss[step]) == 1; fired != (s == 1) {
			t.Fatalf("S(%d) = %v, want %v", step+1, fired, s == 1)
		}
	}
}

// TestScaleFactors checks At and Gain against α^n and the factors of one update.
func TestScaleFactors(t *testing.T) {
	p := Params{Alpha: 0.9, Theta: 2}
	s := p.Scale(1000)
	alpha := float64(p.Alpha) // 0.9 rounded to float32
	for _, n := range []int64{0, 1, 7, 150} {
		want := math.Pow(alpha, float64(n))
		if got := s.At(n * 1000); math.Abs(float64(got)/want-1) > tol {
			t.Errorf("At(%d steps) = %v, want %v", n, got, want)
		}
		if got := s.Gain(n * 1000); math.Abs(float64(got)*want-1) > tol {
			t.Errorf("Gain(%d steps) = %v, want %v", n, got, 1/want)
		}
	}
	if got, want := s.At(500), math.Sqrt(alpha); math.Abs(float64(got)/want-1) > tol {
		t.Errorf("At(half a step) = %v, want %v", got, want)
	}
	f := p.Factors(s, 3000)
	if math.Abs(float64(f.Reset)*math.Pow(alpha, 5)/2-1) > tol ||
		math.Abs(float64(f.Gain*f.At)-1) > tol {
		t.Errorf("Factors at 3 steps = %+v", f)
	}
	if s := (Params{Alpha: 1, Theta: 1}).Scale(1); s.Span != 0 || s.At(1e9) != 1 {
		t.Errorf("α = 1: span %d, At = %v; want no rebasing and no decay", s.Span, s.At(1e9))
	}
}

func TestValidate(t *testing.T) {
	for _, p := range []Params{
		{Alpha: 0, Theta: 1}, {Alpha: 1e-7, Theta: 1}, {Alpha: 1.1, Theta: 1}, {Alpha: 0.9, Theta: 0},
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

// TestStepScaledHold checks that a held neuron over the threshold neither fires nor
// loses θ, while the others step as usual.
func TestStepScaledHold(t *testing.T) {
	p := Params{Alpha: 0.5, Theta: 1}
	s := p.Scale(1)
	// From U(0) = 3, 3, 0.2 without input: U(1) = 1.5, 1.5, 0.1.
	v := []float32{3, 3, 0.2}
	u := make([]float32, 3)
	hold := []float32{0, float32(math.Inf(-1)), 0}
	spikes := p.StepScaled(v, make([]float32, 3), u, hold, p.Factors(s, 0), nil)
	if !slices.Equal(spikes, []int32{0}) || v[1] != 3 || v[0] == 3 {
		t.Errorf("spikes %v, V %v: want neuron 0 to fire and be reset, neuron 1 held at 3",
			spikes, v)
	}
}

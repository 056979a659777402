package encoding

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPoissonRate checks that each input fires at rate p = min(1, intensity × gain): over n
// steps the count is binomial, so it must lie within 5 standard deviations of n·p.
func TestPoissonRate(t *testing.T) {
	pixels := []byte{0, 26, 64, 128, 255, 200}
	for _, gain := range []float32{1, 0.5, 2} {
		e := New(Poisson, gain, rand.NewPCG(7, 9))
		e.Reset(pixels)
		const n = 40000
		counts := make([]int, len(pixels))
		for range n {
			idx, x := e.Step()
			if x != nil {
				t.Fatal("Poisson Step returned values; want nil for spikes")
			}
			if !slices.IsSorted(idx) {
				t.Fatalf("indices %v not in increasing order", idx)
			}
			for _, i := range idx {
				counts[i]++
			}
		}
		for i, v := range pixels {
			p := min(1, float64(v)/255*float64(gain))
			sd := math.Sqrt(n * p * (1 - p))
			if d := math.Abs(float64(counts[i]) - n*p); d > 5*sd+1e-9 {
				t.Errorf("gain %v, intensity %d/255: %d spikes in %d steps, want %.0f ± %.0f",
					gain, v, counts[i], n, n*p, 5*sd)
			}
		}
	}
}

func TestPoissonSeeded(t *testing.T) {
	draw := func(seed uint64) []int32 {
		e := New(Poisson, 1, rand.NewPCG(seed, 0))
		e.Reset([]byte{10, 100, 200, 30, 0, 90})
		var all []int32
		for range 100 {
			idx, _ := e.Step()
			all = append(all, idx...)
			all = append(all, -1)
		}
		return all
	}
	if !slices.Equal(draw(3), draw(3)) {
		t.Error("the same seed gave different spikes")
	}
	if slices.Equal(draw(3), draw(4)) {
		t.Error("different seeds gave the same spikes")
	}
}

func TestRate(t *testing.T) {
	e := New(Rate, 1, nil)
	e.Reset([]byte{0, 51, 0, 255})
	for range 3 {
		idx, x := e.Step()
		if !slices.Equal(idx, []int32{1, 3}) || !slices.Equal(x, []float32{0.2, 1}) {
			t.Fatalf("Step = %v %v, want [1 3] [0.2 1]", idx, x)
		}
	}
	if !slices.Equal(e.Active(), []int32{1, 3}) {
		t.Errorf("Active = %v, want [1 3]", e.Active())
	}
}

func TestParse(t *testing.T) {
	for _, s := range []string{"poisson", "rate"} {
		if k, err := Parse(s); err != nil || string(k) != s {
			t.Errorf("Parse(%q) = %q, %v", s, k, err)
		}
	}
	if _, err := Parse("latency"); err == nil {
		t.Error("Parse(\"latency\") = nil error, want one")
	}
}

// TestEvents checks the continuous-time Poisson spikes: sorted, inside the duration, off
// the step grid, and as many per input as a Poisson process of p spikes per step gives,
// within 5 standard deviations (the variance of a Poisson count is its mean).
func TestEvents(t *testing.T) {
	pixels := []byte{0, 26, 128, 255}
	const step, steps = 1000, 20000
	e := New(Poisson, 1, rand.NewPCG(3, 5))
	e.Reset(pixels)
	spikes := e.Events(steps*step, step, nil)
	if !slices.IsSortedFunc(spikes, func(a, b Spike) int {
		if a.Time != b.Time {
			return int(a.Time - b.Time)
		}
		return int(a.Input - b.Input)
	}) {
		t.Fatal("spikes not sorted by time, then input")
	}
	counts := make([]int, len(pixels))
	onGrid := 0
	for _, s := range spikes {
		if s.Time < 0 || s.Time >= steps*step {
			t.Fatalf("spike at %d µs, outside [0, %d)", s.Time, steps*step)
		}
		if s.Time%step == 0 {
			onGrid++
		}
		counts[s.Input]++
	}
	for i, v := range pixels {
		mean := min(1, float64(v)/255) * steps
		if d := math.Abs(float64(counts[i]) - mean); d > 5*math.Sqrt(mean)+1e-9 {
			t.Errorf("intensity %d/255: %d spikes, want %.0f ± %.0f", v, counts[i], mean,
				5*math.Sqrt(mean))
		}
	}
	if onGrid > len(spikes)/100 {
		t.Errorf("%d of %d spikes fall on the step grid", onGrid, len(spikes))
	}
	if n := len(New(Rate, 1, nil).Events(100, 10, nil)); n != 0 {
		t.Errorf("rate encoding gave %d events", n)
	}
}

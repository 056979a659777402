package optim

import (
	"math"
	"testing"
)

const tol = 1e-6

// TestAdamFirstSteps checks two Adam steps against Algorithm 1 of Kingma & Ba worked by
// hand. After bias correction the first step moves each weight by lr·g/(|g|+ε), so by
// almost exactly lr against the sign of its gradient.
func TestAdamFirstSteps(t *testing.T) {
	opt, err := New("adam")
	if err != nil {
		t.Fatal(err)
	}
	w := []float32{1, -2, 0.5}
	g1 := []float32{0.1, -4, 0}
	opt.Step(0.01, [][]float32{w}, [][]float32{g1})
	want := []float64{1 - 0.01, -2 + 0.01, 0.5}
	for i := range w {
		if math.Abs(float64(w[i])-want[i]) > tol {
			t.Errorf("after step 1: w[%d] = %v, want %v", i, w[i], want[i])
		}
	}

	// Step 2 with gradient 0.3 on the first weight, by hand:
	// m = 0.9·0.01 + 0.1·0.3 = 0.039, v = 0.999·1e-5 + 0.001·0.09 = 9.999e-5,
	// m̂ = 0.039/0.19, v̂ = 9.999e-5/0.001999, w −= 0.01·m̂/(√v̂ + 1e-8).
	g2 := []float32{0.3, -4, 0}
	before := float64(w[0])
	opt.Step(0.01, [][]float32{w}, [][]float32{g2})
	m, v := 0.039/0.19, 9.999e-5/0.001999
	if want := before - 0.01*m/(math.Sqrt(v)+1e-8); math.Abs(float64(w[0])-want) > tol {
		t.Errorf("after step 2: w[0] = %v, want %v", w[0], want)
	}
	if a := opt.(*Adam); a.T != 2 || len(a.M) != 1 || len(a.V[0]) != 3 {
		t.Errorf("Adam state T=%d, %d moment slices", a.T, len(a.M))
	}
}

func TestSGD(t *testing.T) {
	opt, err := New("sgd")
	if err != nil {
		t.Fatal(err)
	}
	w := []float32{1, -2}
	opt.Step(0.5, [][]float32{w}, [][]float32{{0.2, -1}})
	if w[0] != 0.9 || w[1] != -1.5 {
		t.Errorf("w = %v, want [0.9 -1.5]", w)
	}
}

func TestNewUnknown(t *testing.T) {
	if _, err := New("rmsprop"); err == nil {
		t.Error(`New("rmsprop") = nil error, want one`)
	}
}

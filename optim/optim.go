package optim

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/blas/blas32"
)

// Optimizer updates parameters in place from their gradients.
type Optimizer interface {
	// Step applies one update with learning rate lr to every parameter slice params[k]
	// from its gradient grads[k].
	Step(lr float64, params, grads [][]float32)
}

// New returns the optimiser named kind, "adam" (with β₁ = 0.9, β₂ = 0.999, ε = 10⁻⁸) or
// "sgd".
func New(kind string) (Optimizer, error) {
	switch kind {
	case "adam":
		return &Adam{Beta1: 0.9, Beta2: 0.999, Eps: 1e-8}, nil
	case "sgd":
		return &SGD{}, nil
	}
	return nil, fmt.Errorf("optim: unknown optimiser %q (want \"adam\" or \"sgd\")", kind)
}

// SGD is plain stochastic gradient descent, w ← w − η·g. It has no state.
type SGD struct{}

// Step implements Optimizer.
func (o *SGD) Step(lr float64, params, grads [][]float32) {
	for k, w := range params {
		blas32.Axpy(float32(-lr), vec(grads[k][:len(w)]), vec(w))
	}
}

func vec(x []float32) blas32.Vector { return blas32.Vector{N: len(x), Data: x, Inc: 1} }

// Adam is the Adam optimiser. M and V hold the first and second moments, one slice per
// parameter slice, and T counts the steps taken; all three start empty and are saved with a
// checkpoint so that training resumes exactly.
type Adam struct {
	// Beta1 and Beta2 are the decay rates β₁ and β₂ of the moments, and Eps the ε that
	// keeps the step finite.
	Beta1, Beta2, Eps float64

	// T counts the steps taken; M and V hold the first and second moments, one slice
	// per parameter slice.
	T    int
	M, V [][]float32
}

// Step implements Optimizer.
func (o *Adam) Step(lr float64, params, grads [][]float32) {
	if o.M == nil {
		o.M = make([][]float32, len(params))
		o.V = make([][]float32, len(params))
		for k, w := range params {
			o.M[k] = make([]float32, len(w))
			o.V[k] = make([]float32, len(w))
		}
	}
	o.T++
	b1, b2 := float32(o.Beta1), float32(o.Beta2)
	c1 := 1 - math.Pow(o.Beta1, float64(o.T))
	c2 := 1 - math.Pow(o.Beta2, float64(o.T))
	step := float32(lr * math.Sqrt(c2) / c1)
	eps := float32(o.Eps * math.Sqrt(c2))

	for k, w := range params {
		g, m, v := grads[k][:len(w)], o.M[k][:len(w)], o.V[k][:len(w)]
		for i := range w {
			m[i] = b1*m[i] + (1-b1)*g[i]
			v[i] = b2*v[i] + (1-b2)*g[i]*g[i]
			w[i] -= step * m[i] / (sqrt32(v[i]) + eps)
		}
	}
}

func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

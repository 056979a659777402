package neuron_test

import (
	"fmt"

	"github.com/snnsim/snnsim/neuron"
)

// One step of three neurons at t = 0, where the scaled membrane V equals U. The second
// reaches the threshold at t+1 and fires, so the reset takes θ from its membrane one step
// later.
func ExampleParams_StepScaled() {
	p := neuron.Params{Alpha: 0.5, Theta: 1}
	s := p.Scale(1)
	v := []float32{0.5, 1, 0.25}   // V = U(0)
	cur := []float32{0.25, 0.5, 0} // I(0)
	u := make([]float32, 3)

	spikes := p.StepScaled(v, cur, u, nil, p.Factors(s, 0), nil)
	fmt.Println("U(1):", u)
	fmt.Println("S(1) fired:", spikes)
	fmt.Println("U(2) without input:", v[1]*s.At(2))
	// Output:
	// U(1): [0.5 1 0.125]
	// S(1) fired: [1]
	// U(2) without input: -0.5
}

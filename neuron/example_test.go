package neuron_test

import (
	"fmt"

	"github.com/snnsim/snnsim/neuron"
)

// One step of three neurons: the second sits exactly on the threshold and fires, so θ is
// subtracted from its next membrane value.
func ExampleParams_Step() {
	p := neuron.Params{Alpha: 0.5, Theta: 1}
	u := []float32{0.75, 1, 0.25}  // U(t)
	cur := []float32{0.25, 0.5, 0} // I(t)

	spikes := p.Step(u, cur, nil)
	fmt.Println("S(t) fired:", spikes)
	fmt.Println("U(t+1):", u)
	// Output:
	// S(t) fired: [1]
	// U(t+1): [0.625 0 0.125]
}

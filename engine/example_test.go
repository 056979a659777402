package engine_test

import (
	"fmt"

	"github.com/snnsim/snnsim/engine"
)

// A network for 28×28 images and 10 classes, with two hidden layers, built from the
// defaults. Its weights and feedback matrices are drawn from the seed in the config.
func ExampleNew() {
	cfg := engine.DefaultConfig(784, 10)
	cfg.Hidden = []int{500, 300}
	net, err := engine.New(cfg)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("layers:", net.Sizes())
	fmt.Println("feedback to the first hidden layer:", net.Layers[0].Feedback.Pre, "×",
		net.Layers[0].Feedback.Post)
	// Output:
	// layers: [784 500 300 10]
	// feedback to the first hidden layer: 10 × 500
}

package plots_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/snnsim/snnsim/profile"
	"github.com/snnsim/snnsim/profile/plots"
)

func ExampleWrite() {
	// A network of 2 inputs, 2 hidden and 1 output neurons, steps of 1 ms, that keeps
	// the spikes of sample 0.
	p := profile.New("clocked", []int{2, 2, 1}, []int{3, 3}, 1000, 0, 0)
	r := p.Recorder()
	r.Begin(0, 0)
	r.Spikes(0, 0, []int32{0, 1})
	r.Spikes(1000, 1, []int32{1})
	r.Spikes(2000, 2, []int32{0})
	r.End(4)
	s, err := r.Profile.Summarize(profile.DefaultCosts)
	if err != nil {
		fmt.Println(err)
		return
	}

	dir, err := os.MkdirTemp("", "plots")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	paths, err := plots.Write(context.Background(), s, dir, "run")
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, path := range paths {
		fmt.Println(filepath.Base(path))
	}
	// Output:
	// run-raster.png
	// run-raster.svg
	// run-rates.png
	// run-rates.svg
	// run-activity.png
	// run-activity.svg
}

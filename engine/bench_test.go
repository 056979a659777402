package engine

import (
	"context"
	"testing"

	"github.com/snnsim/snnsim/mnist"
)

// loadMNIST returns the real MNIST sets, or skips the test when the data cannot be found.
func loadMNIST(tb testing.TB) (train, test *mnist.Set) {
	tb.Helper()
	dir, err := mnist.DefaultDir()
	if err != nil {
		tb.Skip(err)
	}
	train, test, err = mnist.Load(dir)
	if err != nil {
		tb.Fatal(err)
	}
	return train, test
}

// wmnist returns the W-MNIST network with the default training configuration:
// 784-500-10, T = 25, K = 10, Poisson input.
func wmnist(tb testing.TB) (*Network, TrainConfig) {
	tb.Helper()
	net, err := New(DefaultConfig(mnist.Pixels, 10))
	if err != nil {
		tb.Fatal(err)
	}
	return net, DefaultTrainConfig
}

// BenchmarkTrainWMNIST measures training throughput on W-MNIST, in samples/s.
func BenchmarkTrainWMNIST(b *testing.B) {
	train, _ := loadMNIST(b)
	net, tc := wmnist(b)
	tr, err := NewTrainer(net, tc)
	if err != nil {
		b.Fatal(err)
	}
	set := train.Subset(6400)
	samples := 0
	for b.Loop() {
		st, err := tr.TrainEpoch(context.Background(), set, nil)
		if err != nil {
			b.Fatal(err)
		}
		samples += st.Samples
	}
	b.ReportMetric(float64(samples)/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkInferWMNIST measures test-time throughput on W-MNIST, in samples/s, over the
// full test set. Spikes cost work, so the network first trains for one epoch on 10,000
// digits (not timed) to fire as a trained network does.
func BenchmarkInferWMNIST(b *testing.B) {
	train, test := loadMNIST(b)
	net, tc := wmnist(b)
	tr, err := NewTrainer(net, tc)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := tr.TrainEpoch(context.Background(), train.Subset(10000), nil); err != nil {
		b.Fatal(err)
	}
	var st Stats
	samples := 0
	for b.Loop() {
		if st, err = Evaluate(context.Background(), net, tc, test); err != nil {
			b.Fatal(err)
		}
		samples += st.Samples
	}
	b.ReportMetric(float64(samples)/b.Elapsed().Seconds(), "samples/s")
	b.ReportMetric(st.SpikesPerSample()[1], "hidden-spikes/sample")
}

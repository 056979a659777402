package engine

import (
	"context"
	"fmt"
	"image"
	"math"
	"slices"
	"testing"

	"github.com/snnsim/snnsim/aedat"
	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/events"
	"github.com/snnsim/snnsim/mnist"
	"github.com/snnsim/snnsim/profile"
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

// BenchmarkTrainEventMNIST measures training throughput in event mode on the W-MNIST
// network: digits as Poisson spikes at any microsecond over 25 steps of 1 ms, the
// e-prop form of the rule. It reports samples/s and synaptic events/s (the weights added
// by the forward pass, one per spike per neuron it reaches).
func BenchmarkTrainEventMNIST(b *testing.B) {
	train, _ := loadMNIST(b)
	net, tc := wmnist(b)
	tc.Mode = ModeEvent
	tr, err := NewTrainer(net, tc)
	if err != nil {
		b.Fatal(err)
	}
	set := train.Subset(1600)
	samples, syn := 0, 0.0
	for b.Loop() {
		st, err := tr.TrainEpoch(context.Background(), set, nil)
		if err != nil {
			b.Fatal(err)
		}
		samples += st.Samples
		for l, lay := range net.Layers {
			syn += float64(st.Spikes[l]) * float64(lay.N)
		}
	}
	b.ReportMetric(float64(samples)/b.Elapsed().Seconds(), "samples/s")
	b.ReportMetric(syn/b.Elapsed().Seconds(), "synevents/s")
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

// wdvsFile is the recording of the W-DVS workload.
const wdvsFile = "../aedat/testdata/davis346_aestream.aedat4"

// wdvs returns the W-DVS input: the polarity events of the real DAVIS346 recording on a
// 32×32×2 grid, played 40 times back to back, each copy shifted by the recording's
// duration; times start at 0. It also returns the W-DVS network, 2,048 → 512 LIF → 11
// LIF with weights from N(0, 0.03) and N(0, 0.1), τ = 20 ms over steps of 1 ms.
func wdvs(tb testing.TB) (times []int64, inputs []int32, net *Network) {
	tb.Helper()
	f, err := aedat.Open(wdvsFile)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	info := f.Info()
	grid, err := events.NewGrid(info.Width, info.Height, image.Rectangle{}, 32, 32)
	if err != nil {
		tb.Fatal(err)
	}
	var ts []int64
	var in []int32
	for f.Next() {
		e := f.Event()
		if n, ok := grid.Neuron(int(e.X), int(e.Y), e.On); ok {
			ts, in = append(ts, e.Time), append(in, n)
		}
	}
	if err := f.Err(); err != nil {
		tb.Fatal(err)
	}
	first, span := ts[0], ts[len(ts)-1]-ts[0]+1
	for copy := range int64(40) {
		for k, t := range ts {
			times = append(times, t-first+copy*span)
			inputs = append(inputs, in[k])
		}
	}

	cfg := DefaultConfig(grid.Inputs(), 11)
	cfg.Hidden = []int{512}
	cfg.Neuron.Alpha = float32(math.Exp(-1.0 / 20))
	cfg.InitSigma = []float64{0.03, 0.1}
	net, err = New(cfg)
	if err != nil {
		tb.Fatal(err)
	}
	return times, inputs, net
}

// BenchmarkWDVS runs the W-DVS workload through the event engine, every event at its own
// microsecond time, and through the clocked engine on the same events binned into 1 ms
// steps (an input that has several events in a step gets their count as its drive). It
// reports synaptic events per second: input spikes × 512 + hidden spikes × 11, over the
// wall time. Run it with GOMAXPROCS=1 for the one-core figure.
func BenchmarkWDVS(b *testing.B) {
	times, inputs, net := wdvs(b)
	const step = 1000

	b.Run("event", func(b *testing.B) {
		benchEvent(b, net, step, times, inputs, math.MaxInt64)
	})

	// As the peer must: events on a grid, at most one per input per step.
	for _, grid := range []int64{1000, 100} {
		b.Run(fmt.Sprintf("event-grid-%dus", grid), func(b *testing.B) {
			steps := onGrid(times, inputs, grid)
			var ts []int64
			var in []int32
			for k, idx := range steps {
				for _, i := range idx {
					ts, in = append(ts, int64(k)*grid), append(in, i)
				}
			}
			gnet := *net
			gnet.Config.Neuron.Alpha = float32(math.Exp(-float64(grid) / 20e3))
			// Spikes up to the last step, as far as the clocked engine goes.
			benchEvent(b, &gnet, grid, ts, in, int64(len(steps))*grid)
		})
	}

	// The clocked engine on the 1 ms grid: the same input spikes as event-grid-1000us,
	// and the same spikes out.
	b.Run("clocked-1ms", func(b *testing.B) {
		steps := onGrid(times, inputs, step)
		inputs := 0
		for _, idx := range steps {
			inputs += len(idx)
		}
		c := NewClocked(net, len(steps), 1, false)
		var res Result
		var syn int64
		for b.Loop() {
			play := script(steps)
			c.Run(&play, 0, &res)
			syn += int64(inputs)*512 + int64(res.Spikes[1])*11
		}
		b.ReportMetric(float64(syn)/b.Elapsed().Seconds(), "synevents/s")
		b.ReportMetric(float64(inputs), "inputs/op")
		b.ReportMetric(float64(res.Spikes[1]), "hidden/op")
		b.ReportMetric(float64(res.Spikes[2]), "output/op")
	})
}

// onGrid puts input spikes on a grid of the given step, one spike per input per step at
// most, and returns the inputs that spike at each step, in increasing order.
func onGrid(times []int64, inputs []int32, grid int64) [][]int32 {
	steps := make([][]int32, times[len(times)-1]/grid+1)
	for k, t := range times {
		steps[t/grid] = append(steps[t/grid], inputs[k])
	}
	for k, idx := range steps {
		slices.Sort(idx)
		steps[k] = slices.Compact(idx)
	}
	return steps
}

// benchEvent runs the event engine over the input spikes, each at its own time, with
// steps of step µs, until nothing is left in flight. It reports the spikes that fire
// before end.
func benchEvent(b *testing.B, net *Network, step int64, times []int64, inputs []int32,
	end int64) {
	e, err := NewEventDriven(net, step, step)
	if err != nil {
		b.Fatal(err)
	}
	spikes := make([]int64, len(net.Layers))
	e.OnSpikes = func(t int64, layer int, ns []int32) {
		if t < end {
			spikes[layer-1] += int64(len(ns))
		}
	}
	for b.Loop() {
		e.Reset(0)
		for k, t := range times {
			e.Input(t, inputs[k])
		}
		e.Drain()
	}
	n := float64(b.N)
	b.ReportMetric(float64(e.Stats.Synaptic())/b.Elapsed().Seconds(), "synevents/s")
	b.ReportMetric(float64(e.Stats.Inputs)/n, "inputs/op")
	b.ReportMetric(float64(spikes[0])/n, "hidden/op")
	b.ReportMetric(float64(spikes[1])/n, "output/op")
}

// BenchmarkProfile measures what profiling costs: the same evaluation without a profile
// (off) and with one (on), on 2,000 MNIST test digits in clocked mode and on the W-DVS
// input, as one stream at microsecond times, in event mode. The engines count their work
// in both; off, nothing else is recorded.
func BenchmarkProfile(b *testing.B) {
	_, test := loadMNIST(b)
	net, tc := wmnist(b)
	digits := test.Subset(2000)
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("mnist-%s", onOff(on)), func(b *testing.B) {
			samples := 0
			for b.Loop() {
				var p *profile.Profile
				if on {
					p = NewProfile(net, tc, 0, 0)
				}
				st, err := EvaluateProfile(context.Background(), net, tc, digits, p)
				if err != nil {
					b.Fatal(err)
				}
				samples += st.Samples
			}
			b.ReportMetric(float64(samples)/b.Elapsed().Seconds(), "samples/s")
		})
	}

	times, inputs, dnet := wdvs(b)
	set := &fixed{length: []int64{times[len(times)-1] + 1}}
	set.spikes = [][]encoding.Spike{make([]encoding.Spike, len(times))}
	for k, t := range times {
		set.spikes[0][k] = encoding.Spike{Time: t, Input: inputs[k]}
	}
	etc := DefaultTrainConfig
	etc.Steps, etc.Window = 1<<16, 1
	etc.EngineConfig = EngineConfig{Mode: ModeEvent, StepMicros: 1000}
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("dvs-%s", onOff(on)), func(b *testing.B) {
			events := 0
			for b.Loop() {
				var p *profile.Profile
				if on {
					p = NewProfile(dnet, etc, 0, 0)
				}
				if _, err := EvaluateEventsProfile(context.Background(), dnet, etc, set,
					p); err != nil {
					b.Fatal(err)
				}
				events += len(times)
			}
			b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

package engine

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/synapse"
)

// noise is a Dataset of random images, for tests that need inputs but not digits.
type noise struct {
	images [][]byte
	labels []int
}

func newNoise(n, pixels, classes int, seed uint64) *noise {
	rng := rand.New(rand.NewPCG(seed, 0))
	d := &noise{}
	for range n {
		img := make([]byte, pixels)
		for i := range img {
			if rng.IntN(3) == 0 {
				img[i] = byte(rng.IntN(256))
			}
		}
		d.images = append(d.images, img)
		d.labels = append(d.labels, rng.IntN(classes))
	}
	return d
}

func (d *noise) Len() int           { return len(d.labels) }
func (d *noise) Image(i int) []byte { return d.images[i] }
func (d *noise) Label(i int) int    { return d.labels[i] }

func smallNet(t *testing.T, hidden []int, bias bool, seed uint64) (*Network, TrainConfig) {
	t.Helper()
	net, err := New(Config{Inputs: 12, Hidden: hidden, Outputs: 4, Neuron: neuron.DefaultParams,
		Beta: 5, Bias: bias, InitGain: 2, Seed: seed})
	if err != nil {
		t.Fatal(err)
	}
	return net, TrainConfig{Steps: 12, Window: 5, Encoding: encoding.Poisson, Gain: 1,
		Batch: 7, Optimizer: "adam", LR: 1e-2, Decay: 0.9, Seed: seed}
}

// reference simulates the model for one sample with plain float64 loops over full
// matrices, and returns the output window counts and the gradient of every layer as
// Gradient defines it, with W indexed [pre][post] as in Dense.
func reference(net *Network, steps, window int, xs [][]float64, label int) ([]int, [][]float64) {
	alpha, theta := float64(net.Config.Neuron.Alpha), float64(net.Config.Neuron.Theta)
	beta := float64(net.Config.Beta)
	sizes := net.Sizes()
	nl := len(net.Layers)
	rows := func(l int) int { return net.Layers[l].W.Pre }

	u := make([][]float64, nl)
	cur := make([][]float64, nl)
	p := make([][]float64, nl)
	q := make([][]float64, nl)
	for l := range nl {
		u[l], cur[l] = make([]float64, sizes[l+1]), make([]float64, sizes[l+1])
		p[l], q[l] = make([]float64, rows(l)), make([]float64, rows(l))
	}
	// elig[l][i][j] = Σ_t P_i(t)·σ′(U_j(t)) over the window.
	elig := make([][][]float64, nl)
	for l := range nl {
		elig[l] = make([][]float64, rows(l))
		for i := range elig[l] {
			elig[l][i] = make([]float64, sizes[l+1])
		}
	}
	count := make([]int, sizes[nl])

	for t := range steps {
		pre := xs[t]
		for l := range nl {
			if t >= steps-window {
				for i := range rows(l) {
					for j := range sizes[l+1] {
						d := 1 + beta*math.Abs(u[l][j]-theta)
						elig[l][i][j] += p[l][i] / (d * d)
					}
				}
			}
			s := make([]float64, sizes[l+1])
			for j := range s {
				if u[l][j] >= theta {
					s[j] = 1
				}
				u[l][j] = alpha*u[l][j] + cur[l][j] - s[j]*theta
			}
			in := slices.Clone(pre)
			if net.Config.Bias {
				in = append(in, 1)
			}
			w := net.Layers[l].W
			for j := range sizes[l+1] {
				cur[l][j] = 0
				for i := range rows(l) {
					cur[l][j] += in[i] * float64(w.W[i*w.Post+j])
				}
			}
			for i := range rows(l) {
				p[l][i] = alpha*p[l][i] + q[l][i]
				q[l][i] = in[i]
			}
			if l == nl-1 && t >= steps-window {
				for j, v := range s {
					count[j] += int(v)
				}
			}
			pre = s
		}
	}

	// e = softmax(counts) − onehot(label); hidden layers get e·B.
	var z float64
	for _, c := range count {
		z += math.Exp(float64(c))
	}
	e := make([]float64, len(count))
	for j, c := range count {
		e[j] = math.Exp(float64(c)) / z
	}
	e[label]--
	grads := make([][]float64, nl)
	for l := range nl {
		eps := e
		if fb := net.Layers[l].Feedback; fb != nil {
			eps = make([]float64, sizes[l+1])
			for j := range eps {
				for k := range e {
					eps[j] += e[k] * float64(fb.W[k*fb.Post+j])
				}
			}
		}
		for i := range rows(l) {
			for j := range sizes[l+1] {
				grads[l] = append(grads[l], elig[l][i][j]*eps[j])
			}
		}
	}
	return count, grads
}

// recorded is an Input that replays a fixed list of spike lists.
type recorded struct{ steps [][]int32 }

func (r *recorded) Step() ([]int32, []float32) {
	idx := r.steps[0]
	r.steps = r.steps[1:]
	return idx, nil
}

// TestGradientAgainstReference checks the clocked engine's forward pass and its
// feedback-alignment gradient against a plain float64 re-implementation of the model, on
// random networks with one and two hidden layers, with and without bias.
func TestGradientAgainstReference(t *testing.T) {
	const tol = 1e-4
	for _, c := range []struct {
		hidden []int
		bias   bool
	}{{[]int{9}, false}, {[]int{9}, true}, {[]int{8, 6}, true}} {
		net, tc := smallNet(t, c.hidden, c.bias, 3)
		rng := rand.New(rand.NewPCG(5, 5))
		var spikes [][]int32
		var xs [][]float64
		for range tc.Steps {
			var idx []int32
			x := make([]float64, net.Config.Inputs)
			for i := range x {
				if rng.IntN(3) == 0 {
					idx = append(idx, int32(i))
					x[i] = 1
				}
			}
			spikes, xs = append(spikes, idx), append(xs, x)
		}
		label := 2

		sim := NewClocked(net, tc.Steps, tc.Window, true)
		var res Result
		sim.Run(&recorded{spikes}, label, &res)
		grads := make([]*synapse.Dense, len(net.Layers))
		for l, lay := range net.Layers {
			grads[l] = synapse.NewDense(lay.W.Pre, lay.W.Post)
		}
		all := make([]int32, net.Config.Inputs)
		for i := range all {
			all[i] = int32(i)
		}
		sim.Gradient(label, 1, all, grads)

		wantCount, wantGrads := reference(net, tc.Steps, tc.Window, xs, label)
		if !slices.Equal(sim.count, wantCount) {
			t.Fatalf("hidden %v: window counts %v, reference %v", c.hidden, sim.count, wantCount)
		}
		nonzero := 0
		for l := range grads {
			for k, want := range wantGrads[l] {
				got := float64(grads[l].W[k])
				if math.Abs(got-want) > tol*max(1, math.Abs(want)) {
					t.Fatalf("hidden %v bias %v: layer %d gradient[%d] = %v, reference %v",
						c.hidden, c.bias, l+1, k, got, want)
				}
				if want != 0 {
					nonzero++
				}
			}
		}
		if nonzero == 0 {
			t.Fatalf("hidden %v: every reference gradient is zero; the test checks nothing", c.hidden)
		}
	}
}

func evaluate(t *testing.T, net *Network, tc TrainConfig, set Dataset) Stats {
	t.Helper()
	st, err := Evaluate(context.Background(), net, tc, set)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func weights(net *Network) [][]float32 {
	var w [][]float32
	for _, p := range net.Params() {
		w = append(w, slices.Clone(p))
	}
	return w
}

func equalWeights(a, b [][]float32) bool {
	return slices.EqualFunc(a, b, func(x, y []float32) bool {
		return slices.EqualFunc(x, y, func(p, q float32) bool {
			return math.Float32bits(p) == math.Float32bits(q)
		})
	})
}

func trainEpochs(t *testing.T, tr *Trainer, set Dataset, n int) {
	t.Helper()
	for range n {
		if _, err := tr.TrainEpoch(context.Background(), set, nil); err != nil {
			t.Fatal(err)
		}
	}
}

// TestSeedRepeatsBits trains the same network under different GOMAXPROCS and checks that
// the weights agree bit for bit, and that another seed gives other weights.
func TestSeedRepeatsBits(t *testing.T) {
	set := newNoise(60, 12, 4, 1)
	run := func(procs int, seed uint64) [][]float32 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		net, tc := smallNet(t, []int{10, 7}, true, seed)
		tr, err := NewTrainer(net, tc)
		if err != nil {
			t.Fatal(err)
		}
		trainEpochs(t, tr, set, 2)
		return weights(net)
	}
	one := run(1, 9)
	if !equalWeights(one, run(4, 9)) {
		t.Error("GOMAXPROCS 1 and 4 trained different weights from the same seed")
	}
	if !equalWeights(one, run(1, 9)) {
		t.Error("two runs with the same seed trained different weights")
	}
	if equalWeights(one, run(1, 10)) {
		t.Error("seeds 9 and 10 trained the same weights")
	}
}

// TestSaveLoadResume checks that a saved network evaluates the same after loading, and
// that training 2 epochs straight equals 1 epoch, save, load and 1 more, bit for bit.
func TestSaveLoadResume(t *testing.T) {
	set := newNoise(50, 12, 4, 2)
	path := filepath.Join(t.TempDir(), "net.snn")

	net, tc := smallNet(t, []int{10}, true, 4)
	straight, err := NewTrainer(net, tc)
	if err != nil {
		t.Fatal(err)
	}
	trainEpochs(t, straight, set, 1)
	if err := straight.Save(path); err != nil {
		t.Fatal(err)
	}
	before := evaluate(t, straight.Net, straight.Config, set)

	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.Epoch != 1 || !equalWeights(weights(loaded.Net), weights(straight.Net)) {
		t.Fatalf("loaded epoch %d; weights equal: %v", loaded.Epoch,
			equalWeights(weights(loaded.Net), weights(straight.Net)))
	}
	after := evaluate(t, loaded.Net, loaded.Config, set)
	if !slices.Equal(before.Spikes, after.Spikes) || before.Correct != after.Correct ||
		before.Loss != after.Loss {
		t.Errorf("evaluation before save %+v, after load %+v", before, after)
	}

	trainEpochs(t, straight, set, 1)
	trainEpochs(t, loaded, set, 1)
	if !equalWeights(weights(loaded.Net), weights(straight.Net)) {
		t.Error("resumed training diverged from uninterrupted training")
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("checkpoint folder holds %d files, want only the checkpoint", len(entries))
	}
}

func TestLoadBadCheckpoint(t *testing.T) {
	dir := t.TempDir()
	net, tc := smallNet(t, []int{10}, false, 4)
	tr, err := NewTrainer(net, tc)
	if err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.snn")
	if err := tr.Save(good); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	for name, body := range map[string][]byte{
		"empty.snn":     nil,
		"text.snn":      []byte("hello"),
		"truncated.snn": data[:len(data)/2],
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, body, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := Load(path)
		if !errors.Is(err, ErrCheckpoint) || !strings.Contains(err.Error(), path) {
			t.Errorf("Load(%s) = %v, want ErrCheckpoint naming the file", name, err)
		}
	}
	if _, err := Load(filepath.Join(dir, "missing.snn")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("Load(missing) = %v, want ErrNotExist", err)
	}
}

// TestTrainingLearnsMNIST trains one epoch on 3,000 real training digits with each
// optimiser and checks that the network clearly learns: accuracy on 1,000 real test
// digits far above chance (10%), and a lower test loss.
func TestTrainingLearnsMNIST(t *testing.T) {
	train, test := loadMNIST(t)
	for _, c := range []struct {
		optimizer string
		lr, want  float64
	}{{"adam", 2e-3, 0.6}, {"sgd", 2e-3, 0.3}} {
		net, tc := wmnist(t)
		tc.Optimizer, tc.LR = c.optimizer, c.lr
		tr, err := NewTrainer(net, tc)
		if err != nil {
			t.Fatal(err)
		}
		before := evaluate(t, net, tc, test.Subset(1000))
		st, err := tr.TrainEpoch(context.Background(), train.Subset(3000), nil)
		if err != nil {
			t.Fatal(err)
		}
		after := evaluate(t, net, tc, test.Subset(1000))
		t.Logf("%s: test accuracy %.1f%% before, %.1f%% after; train loss %.3f", c.optimizer,
			100*before.Accuracy(), 100*after.Accuracy(), st.MeanLoss())
		if after.Accuracy() < c.want || after.MeanLoss() >= before.MeanLoss() {
			t.Errorf("%s, one epoch on 3,000 digits: test accuracy %.1f%%, loss %.3f → %.3f",
				c.optimizer, 100*after.Accuracy(), before.MeanLoss(), after.MeanLoss())
		}
	}
}

func TestTrainInterrupted(t *testing.T) {
	net, tc := smallNet(t, []int{10}, false, 4)
	tr, err := NewTrainer(net, tc)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := tr.TrainEpoch(ctx, newNoise(20, 12, 4, 1), nil); !errors.Is(err, context.Canceled) {
		t.Fatalf("TrainEpoch on a cancelled context = %v, want context.Canceled", err)
	}
	if tr.Epoch != 0 {
		t.Errorf("an interrupted epoch counted: Epoch = %d", tr.Epoch)
	}
}

// TestDatasetMismatch checks that a dataset of the wrong shape is an error, not a panic.
func TestDatasetMismatch(t *testing.T) {
	net, tc := smallNet(t, []int{5}, false, 1)
	tr, err := NewTrainer(net, tc)
	if err != nil {
		t.Fatal(err)
	}
	for name, set := range map[string]*noise{
		"wide":      newNoise(5, 20, 4, 1),
		"narrow":    newNoise(5, 3, 4, 1),
		"10 labels": newNoise(50, 12, 10, 1),
	} {
		if _, err := tr.TrainEpoch(context.Background(), set, nil); !errors.Is(err, ErrDataset) {
			t.Errorf("%s: TrainEpoch = %v, want ErrDataset", name, err)
		}
		if _, err := Evaluate(context.Background(), net, tc, set); !errors.Is(err, ErrDataset) {
			t.Errorf("%s: Evaluate = %v, want ErrDataset", name, err)
		}
	}
}

func TestEvaluateInterrupted(t *testing.T) {
	net, tc := smallNet(t, []int{5}, false, 1)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Evaluate(ctx, net, tc, newNoise(500, 12, 4, 1)); !errors.Is(err, context.Canceled) {
		t.Errorf("Evaluate on a cancelled context = %v, want context.Canceled", err)
	}
}

func TestTrainConfigValidate(t *testing.T) {
	_, good := smallNet(t, []int{4}, false, 1)
	for _, c := range []struct {
		mutate func(*TrainConfig)
		want   string
	}{
		{func(tc *TrainConfig) { tc.Window = tc.Steps + 1 }, "window"},
		{func(tc *TrainConfig) { tc.Window = 0 }, "window"},
		{func(tc *TrainConfig) { tc.Steps = 0 }, "steps"},
		{func(tc *TrainConfig) { tc.Gain = -1 }, "gain"},
		{func(tc *TrainConfig) { tc.Gain = float32(math.Inf(1)) }, "gain"},
		{func(tc *TrainConfig) { tc.Steps = 1 << 30 }, "steps"},
		{func(tc *TrainConfig) { tc.Batch = 1 << 40 }, "batch"},
		{func(tc *TrainConfig) { tc.Batch = 0 }, "batch"},
		{func(tc *TrainConfig) { tc.LR = -1 }, "learning rate"},
		{func(tc *TrainConfig) { tc.Decay = 0 }, "decay"},
		{func(tc *TrainConfig) { tc.Encoding = "latency" }, "latency"},
		{func(tc *TrainConfig) { tc.Optimizer = "rmsprop" }, "rmsprop"},
	} {
		tc := good
		c.mutate(&tc)
		if err := tc.Validate(); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Validate(%+v) = %v, want an error about %s", tc, err, c.want)
		}
	}
	if err := good.Validate(); err != nil {
		t.Errorf("Validate(good) = %v", err)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string
	}{
		{Config{Inputs: 0, Outputs: 2}, "layer 0 has 0 neurons"},
		{Config{Inputs: 3, Hidden: []int{1 << 21}, Outputs: 2}, "layer 1 has 2097152 neurons"},
		{Config{Inputs: 1 << 20, Hidden: []int{1 << 10}, Outputs: 2}, "limit"},
		{Config{Inputs: 3, Outputs: 2, Neuron: neuron.Params{Alpha: 2, Theta: 1}}, "alpha 2"},
		{Config{Inputs: 3, Outputs: 2, Neuron: neuron.DefaultParams,
			Beta: float32(math.Inf(1)), InitGain: 1}, "beta +Inf"},
		{Config{Inputs: 3, Outputs: 2, Neuron: neuron.DefaultParams, Beta: 2,
			InitGain: math.Inf(1)}, "gain +Inf"},
		{Config{Inputs: 3, Outputs: 2, Neuron: neuron.DefaultParams, Beta: 2, InitGain: 1,
			InitSigma: []float64{0.1, 0.1}}, "2 initial weight deviations for 1 layers"},
		{Config{Inputs: 3, Outputs: 2, Neuron: neuron.DefaultParams, Beta: 2, InitGain: 1,
			InitSigma: []float64{-1}}, "deviation -1"},
	} {
		if _, err := New(c.cfg); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) = %v, want an error with %q", c.cfg, err, c.want)
		}
	}
}

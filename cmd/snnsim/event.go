package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/snnsim/snnsim/aedat"
	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/engine"
	"github.com/snnsim/snnsim/events"
	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/profile"
)

// Flags that only one mode reads; giving one in the other mode is an error.
var (
	clockedFlags = []string{"dataset", "data", "epochs", "steps", "window", "encoding",
		"gain", "lr", "lr-decay", "batch", "optimizer", "bias", "train-limit", "test-limit",
		"save", "alpha", "beta", "rule", "lambda"}
	eventFlags = []string{"input", "labels", "grid", "roi", "sensor", "dt", "delay", "tau",
		"classes", "bin", "rule", "lambda"}
	// recordingFlags apply to a recording, not to a dataset in event mode.
	recordingFlags = []string{"labels", "grid", "roi", "sensor", "tau", "classes"}
)

// Defaults of event mode: the W-DVS network of the benchmarks, 2048-512-11 with
// initial weights from N(0, 0.03²) into the first layer and N(0, 0.1²) into the others.
const (
	eventHidden     = 512
	eventClasses    = 11
	eventSigmaFirst = 0.03
	eventSigmaOther = 0.1
)

func eventModeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "input", Usage: "event mode: the AEDAT recording to stream " +
			"through the network (`FILE`, version 1.0, 2.0, 3.1 or 4.0)"},
		&cli.StringFlag{Name: "labels", Usage: "event mode: DVS128 Gesture label `CSV`; " +
			"class k is output neuron k−1", DefaultText: "FILE's name with _labels.csv, " +
			"when it exists"},
		&cli.StringFlag{Name: "grid", Value: "32x32",
			Usage: "event mode: input cells COLSxROWS; each cell has an ON and an OFF neuron"},
		&cli.StringFlag{Name: "roi", Usage: "event mode: region of the sensor to use, " +
			"`X,Y,WIDTH,HEIGHT` in pixels", DefaultText: "the whole sensor"},
		&cli.StringFlag{Name: "sensor", Usage: "event mode: sensor size `WIDTHxHEIGHT`, " +
			"for files that do not give it"},
		&cli.Int64Flag{Name: "dt", Value: 1000, Usage: "event mode: time step Δ in µs; a " +
			"spike's current reaches the membrane Δ after it arrives; with --input, " +
			"α = exp(−Δ/τ), with --dataset α is per Δ"},
		&cli.Int64Flag{Name: "delay", Usage: "event mode: synaptic delay in `µs`; every " +
			"synapse has the same, so it moves spikes in time without changing them",
			DefaultText: "Δ"},
		&cli.Float64Flag{Name: "tau", Value: 20, Usage: "event mode with --input: membrane " +
			"time constant τ in ms"},
		&cli.Int64Flag{Name: "bin", Usage: "event mode: put events on a grid of `µs`, at " +
			"most one input spike per input and bin, at the bin's start",
			DefaultText: "none, every event at its own time"},
		&cli.StringFlag{Name: "rule", Value: engine.RuleEprop, Usage: "event mode with " +
			"--dataset: learning rule, eprop (surrogate times presynaptic trace, as in " +
			"clocked mode) or trace (a trace per synapse that jumps by the surrogate at " +
			"each presynaptic spike and decays by λ)"},
		&cli.Float64Flag{Name: "lambda", Usage: "event mode with --dataset: the trace " +
			"rule's decay λ per step", DefaultText: "α"},
		&cli.IntFlag{Name: "classes", Value: eventClasses,
			Usage: "event mode: output neurons; with labels, class k is neuron k−1"},
		&cli.StringFlag{Name: "init-sigma", Usage: "initial weights are N(0, σ²), one σ per " +
			"layer, comma-separated; replaces --init-gain",
			DefaultText: "with --input: 0.03 for the first layer, 0.1 for the others"},
	}
}

// eventSummary is what an event-mode run reports at the end, on stdout.
type eventSummary struct {
	Mode            string           `json:"mode"`
	File            string           `json:"file"`
	Version         string           `json:"version"`
	Chip            string           `json:"chip,omitempty"`
	Width           int              `json:"width"`
	Height          int              `json:"height"`
	Grid            string           `json:"grid"`
	ROI             [4]int           `json:"roi"`
	Layers          []int            `json:"layers"`
	StepMicros      int64            `json:"dt_us"`
	DelayMicros     int64            `json:"delay_us"`
	TauMillis       float64          `json:"tau_ms"`
	Alpha           float64          `json:"alpha"`
	Seed            uint64           `json:"seed,omitempty"`
	Load            string           `json:"load,omitempty"`
	Events          int64            `json:"events"`
	Outside         int64            `json:"events_outside_grid"`
	Skipped         map[string]int64 `json:"skipped"`
	Backwards       int64            `json:"timestamps_backwards"`
	Bin             int64            `json:"bin_us,omitempty"`
	Merged          int64            `json:"events_merged_by_bin,omitempty"`
	InputSpikes     int64            `json:"input_spikes"`
	Late            int64            `json:"late_input_spikes"`
	Spikes          []int64          `json:"spikes"`
	Synaptic        int64            `json:"synaptic_events"`
	SimSeconds      float64          `json:"simulated_seconds"`
	WallSeconds     float64          `json:"wall_seconds"`
	EventsPerSecond float64          `json:"events_per_second"`
	SynPerSecond    float64          `json:"synaptic_events_per_second"`
	Labels          string           `json:"labels,omitempty"`
	Windows         []windowResult   `json:"windows,omitempty"`
	Missed          int              `json:"windows_outside_recording,omitempty"`
	Accuracy        *float64         `json:"accuracy,omitempty"`
	Fault           string           `json:"fault,omitempty"`
	Profile         *profileReport   `json:"profile,omitempty"`
}

// windowResult is the output layer's answer over one labelled window.
type windowResult struct {
	Class     int   `json:"class"`
	Start     int64 `json:"start_us"`
	End       int64 `json:"end_us"`
	Predicted int   `json:"predicted"` // 0 when no output neuron fired
	Spikes    []int `json:"output_spikes"`
}

// eventOptions are the event-mode settings that do not depend on the recording.
type eventOptions struct {
	step, delay, bin int64
	tau              float64
	cols, rows       int
	roi              image.Rectangle
	width, height    int // from --sensor, or 0
}

// eventOptionsFrom checks the event-mode flags before any file is read.
func eventOptionsFrom(c *cli.Context) (*eventOptions, error) {
	for _, name := range clockedFlags {
		if c.IsSet(name) {
			return nil, fmt.Errorf("--%s does not apply to a recording (--input)", name)
		}
	}
	if c.IsSet("init-gain") && c.IsSet("init-sigma") {
		return nil, errors.New("give --init-gain or --init-sigma, not both")
	}
	o := &eventOptions{step: c.Int64("dt"), delay: c.Int64("delay"), bin: c.Int64("bin"),
		tau: c.Float64("tau")}
	if !c.IsSet("delay") {
		o.delay = o.step
	}
	for _, v := range []struct {
		name string
		v    int64
	}{{"dt", o.step}, {"delay", o.delay}} {
		if v.v <= 0 || v.v > engine.MaxMicros {
			return nil, fmt.Errorf("--%s %d must be between 1 and %.0f µs", v.name, v.v,
				float64(engine.MaxMicros))
		}
	}
	if o.bin < 0 || o.bin > engine.MaxMicros {
		return nil, fmt.Errorf("--bin %d must be between 0 (none) and %.0f µs", o.bin,
			float64(engine.MaxMicros))
	}
	if !(o.tau > 0) || math.IsInf(o.tau, 0) {
		return nil, fmt.Errorf("--tau %v must be a positive number of ms", o.tau)
	}
	var err error
	if o.cols, o.rows, err = parsePair(c.String("grid"), "grid"); err != nil {
		return nil, err
	}
	if o.roi, err = parseROI(c.String("roi")); err != nil {
		return nil, err
	}
	if c.IsSet("sensor") {
		if o.width, o.height, err = parsePair(c.String("sensor"), "sensor"); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// runEvent streams a recording through a network, profiling it when pf is not nil.
func runEvent(c *cli.Context, pf *profiling) error {
	path := c.String("input")
	if path == "" {
		return errors.New("--mode event needs --input FILE, an AEDAT recording, or " +
			"--dataset mnist or dvsgesture")
	}
	o, err := eventOptionsFrom(c)
	if err != nil {
		return err
	}
	if pf != nil && pf.raster != 0 {
		return fmt.Errorf("--raster %d: a recording is one sample, sample 0", pf.raster)
	}
	labelPath, err := labelFile(c, path)
	if err != nil {
		return err
	}
	var labels []aedat.Label
	if labelPath != "" {
		if labels, err = readLabels(labelPath); err != nil {
			return err
		}
	}

	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("--input: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("--input: %w", err)
	}
	if fi.IsDir() {
		return fmt.Errorf("--input %s is a folder", path)
	}
	in := &countingReader{r: f}
	r, err := aedat.NewReader(in, path)
	if err != nil {
		return err
	}
	info := r.Info()
	grid, err := eventGrid(o, info, path)
	if err != nil {
		return err
	}
	net, err := eventNetwork(c, o, grid.Inputs())
	if err != nil {
		return err
	}
	for _, l := range labels {
		if l.Class < 1 || l.Class > net.Config.Outputs {
			return fmt.Errorf("%s: class %d is not among the %d output neurons "+
				"(classes 1 to %d)", labelPath, l.Class, net.Config.Outputs, net.Config.Outputs)
		}
	}
	sim, err := engine.NewEventDriven(net, o.step, o.delay)
	if err != nil {
		if errors.Is(err, engine.ErrEventBias) {
			return fmt.Errorf("%s: %w", c.String("load"), err)
		}
		return err
	}

	bar := progressbar.NewOptions64(fi.Size(),
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetVisibility(!c.Bool("quiet") && stderrIsTerminal()),
		progressbar.OptionSetDescription(filepath.Base(path)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	in.bar = bar
	bar.Add64(in.n)

	sum := eventSummary{Mode: "event", File: path, Version: info.Version, Chip: info.Chip,
		Width: grid.ROI.Max.X, Height: grid.ROI.Max.Y,
		Grid:   fmt.Sprintf("%dx%d", grid.Cols, grid.Rows),
		ROI:    [4]int{grid.ROI.Min.X, grid.ROI.Min.Y, grid.ROI.Dx(), grid.ROI.Dy()},
		Layers: net.Sizes(), StepMicros: o.step, DelayMicros: o.delay,
		TauMillis: -float64(o.step) / 1000 / math.Log(float64(net.Config.Neuron.Alpha)),
		Alpha:     float64(net.Config.Neuron.Alpha), Load: c.String("load"),
		Labels: labelPath, Bin: o.bin}
	if sum.Load == "" {
		sum.Seed = net.Config.Seed
	}
	if info.Width > 0 {
		sum.Width, sum.Height = info.Width, info.Height
	} else {
		sum.Width, sum.Height = o.width, o.height
	}
	counts := windowCounts(sim, labels, net.Config.Outputs, len(net.Layers))
	ec := engine.EngineConfig{Mode: engine.ModeEvent, StepMicros: o.step, DelayMicros: o.delay}
	var first, last int64 // the times of the first event and the latest
	var prof *profile.Profile
	var rec *profile.Recorder
	var kept *stream // the input spikes as the engine takes them, for --compare
	if pf != nil {
		if err := pf.check(net, recordingConfig(ec)); err != nil {
			return err
		}
		prof = engine.NewProfile(net, engine.TrainConfig{EngineConfig: ec}, pf.bin, 0)
		rec = prof.Recorder()
		count := sim.OnSpikes
		sim.OnSpikes = func(t int64, layer int, ns []int32) {
			if count != nil {
				count(t, layer, ns)
			}
			rec.Spikes(t, layer, ns)
		}
		if pf.compare {
			kept = &stream{}
		}
		// The engine reports each input spike at the time it takes it: a spike that
		// comes after a later one, at the later time.
		sim.OnInput = func(t int64, ns []int32) {
			rec.Spikes(t, 0, ns)
			if kept != nil {
				for _, n := range ns {
					kept.spikes = append(kept.spikes, encoding.Spike{Time: max(t-first, 0),
						Input: n})
				}
			}
		}
	}
	// lastBin holds, per input, 1 + the last bin it spiked in.
	var lastBin []int64
	if o.bin > 0 {
		lastBin = make([]int64, grid.Inputs())
	}

	start := time.Now()
	buf := make([]aedat.Event, readBatch)
	for k := r.Read(buf); k > 0; k = r.Read(buf) {
		if sum.Events == 0 {
			first, last = buf[0].Time, buf[0].Time
			sim.Reset(first)
			if rec != nil {
				rec.Begin(0, first)
			}
		}
		sum.Events += int64(k)
		if c.Context.Err() != nil {
			bar.Exit()
			return interruption(c.Context.Err(), "after %d events of %s", sum.Events, path)
		}
		for _, e := range buf[:k] {
			last = max(last, e.Time)
			n, ok := grid.Neuron(int(e.X), int(e.Y), e.On)
			if !ok {
				sum.Outside++
				continue
			}
			t := e.Time
			if o.bin > 0 {
				// An event earlier than one before it goes into the latest bin, where
				// the engine would take it anyway.
				b := max(last-first, 0) / o.bin
				if lastBin[n] == b+1 {
					sum.Merged++
					continue
				}
				lastBin[n] = b + 1
				t = first + b*o.bin
			}
			sim.Input(t, n)
		}
	}
	fault := r.Err()
	if err := sim.DrainContext(c.Context); err != nil {
		bar.Exit()
		return interruption(err, "after the %d events of %s", sum.Events, path)
	}
	bar.Finish()

	wall := time.Since(start)
	st := sim.Stats
	sum.Skipped = r.Skipped()
	sum.Backwards, _ = aedat.Backwards(r)
	sum.InputSpikes, sum.Late = st.Inputs, st.Late
	sum.Spikes = st.Spikes
	sum.Synaptic = st.Synaptic()
	sum.SimSeconds = float64(last-first) / 1e6
	sum.WallSeconds = wall.Seconds()
	sum.EventsPerSecond = float64(sum.Events) / wall.Seconds()
	sum.SynPerSecond = float64(sum.Synaptic) / wall.Seconds()
	if labels != nil {
		sum.Windows, sum.Accuracy = judge(labels, counts)
		for _, l := range labels {
			if sum.Events == 0 || l.End <= first || l.Start > last {
				sum.Missed++
			}
		}
	}
	if fault != nil {
		sum.Fault = fault.Error()
	}
	if pf != nil && sum.Events > 0 {
		rec.End(max(1, (last-first+o.step)/o.step))
		sim.Stats.AddTo(rec.Profile)
		if err := prof.Add(rec.Profile); err != nil {
			return err
		}
		if kept != nil {
			// As long as the profile above: until the last spike, not the last event.
			kept.duration = prof.Steps * o.step
		}
		compare := func(ec engine.EngineConfig, p *profile.Profile) error {
			return evaluateRecording(c.Context, net, kept, ec, p)
		}
		if sum.Profile, err = pf.finish(prof, compare, ec); err != nil {
			return err
		}
		if err := pf.write(c.Context, sum.Profile); err != nil {
			fault = errors.Join(fault, err)
		}
	}

	if err := report(c, sum, sum.print); err != nil {
		return err
	}
	if fault == nil && pf != nil && sum.Events == 0 {
		return fmt.Errorf("%s holds no polarity events to profile", path)
	}
	return fault
}

// report writes v to stdout as one JSON object with --json, or else as text with print.
func report(c *cli.Context, v any, print func(io.Writer)) error {
	if c.Bool("json") {
		return json.NewEncoder(c.App.Writer).Encode(v)
	}
	print(c.App.Writer)
	return nil
}

// layerName names LIF layer l (0 for the first) of n: "hidden", "hidden 2" or "output".
func layerName(l, n int) string {
	switch {
	case l == n-1:
		return "output"
	case n == 2:
		return "hidden"
	}
	return fmt.Sprintf("hidden %d", l+1)
}

// parseROI parses --roi, X,Y,WIDTH,HEIGHT; an empty s is the whole sensor.
func parseROI(s string) (image.Rectangle, error) {
	if s == "" {
		return image.Rectangle{}, nil
	}
	v, err := parseInts(s, 4)
	if err != nil || v[0] < 0 || v[1] < 0 || v[2] <= 0 || v[3] <= 0 {
		return image.Rectangle{}, fmt.Errorf("--roi %q: want X,Y,WIDTH,HEIGHT, with X "+
			"and Y at least 0 and a positive size", s)
	}
	return image.Rect(v[0], v[1], v[0]+v[2], v[1]+v[3]), nil
}

// countingReader counts the bytes read through it and shows them on bar, once set.
type countingReader struct {
	r   io.Reader
	n   int64
	bar *progressbar.ProgressBar
}

func (cr *countingReader) Read(p []byte) (int, error) {
	n, err := cr.r.Read(p)
	cr.n += int64(n)
	if cr.bar != nil {
		cr.bar.Add(n)
	}
	return n, err
}

// stderrIsTerminal reports whether stderr is a terminal, where a progress bar belongs.
func stderrIsTerminal() bool {
	fi, err := os.Stderr.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// labelFile returns the label file to use: --labels, or the one named like the input
// with _labels.csv, when it exists.
func labelFile(c *cli.Context, input string) (string, error) {
	if c.IsSet("labels") {
		path := c.String("labels")
		if path == "" {
			return "", errors.New("--labels needs a path")
		}
		if fi, err := os.Stat(path); err == nil && fi.IsDir() {
			return "", fmt.Errorf("--labels %s is a folder", path)
		}
		return path, nil
	}
	beside := strings.TrimSuffix(input, filepath.Ext(input)) + "_labels.csv"
	fi, err := os.Stat(beside)
	switch {
	case err != nil:
		return "", nil
	case fi.IsDir():
		return "", fmt.Errorf("%s, beside the input where labels would be, is a folder; "+
			"give --labels", beside)
	}
	return beside, nil
}

func readLabels(path string) ([]aedat.Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("labels: %w", err)
	}
	defer f.Close()
	labels, err := aedat.ReadLabels(f, path)
	if err != nil {
		return nil, err
	}
	if len(labels) == 0 {
		return nil, fmt.Errorf("%s has no labelled windows", path)
	}
	return labels, nil
}

// eventGrid maps the sensor onto input neurons as the options say.
func eventGrid(o *eventOptions, info aedat.Info, path string) (*events.Grid, error) {
	w, h := info.Width, info.Height
	if o.width > 0 {
		if w > 0 && (w != o.width || h != o.height) {
			return nil, fmt.Errorf("%s gives its sensor as %d×%d; --sensor is only for "+
				"files that do not", path, w, h)
		}
		w, h = o.width, o.height
	}
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("%s does not give its sensor size; set --sensor "+
			"WIDTHxHEIGHT", path)
	}
	g, err := events.NewGrid(w, h, o.roi, o.cols, o.rows)
	if err != nil {
		return nil, fmt.Errorf("--grid %dx%d, --roi: %w", o.cols, o.rows, err)
	}
	return g, nil
}

// parsePair parses "AxB" into two positive integers.
func parsePair(s, flag string) (int, int, error) {
	a, b, ok := strings.Cut(strings.ToLower(s), "x")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || x <= 0 || y <= 0 {
		return 0, 0, fmt.Errorf("--%s %q: want two positive sizes such as 32x32", flag, s)
	}
	return x, y, nil
}

// parseInts parses n comma-separated integers.
func parseInts(s string, n int) ([]int, error) {
	f := strings.Split(s, ",")
	if len(f) != n {
		return nil, fmt.Errorf("%d numbers, not %d", len(f), n)
	}
	v := make([]int, n)
	for i, x := range f {
		var err error
		if v[i], err = strconv.Atoi(strings.TrimSpace(x)); err != nil {
			return nil, err
		}
	}
	return v, nil
}

// eventNetwork builds the event-mode network for the given number of inputs from the
// flags, or loads it with --load. A loaded network keeps its α, which --dt then takes as
// the decay over one step.
func eventNetwork(c *cli.Context, o *eventOptions, inputs int) (*engine.Network, error) {
	if path := c.String("load"); path != "" {
		for _, name := range []string{"hidden", "threshold", "tau", "classes", "init-gain",
			"init-sigma", "seed"} {
			if c.IsSet(name) {
				return nil, fmt.Errorf("--%s cannot be combined with --load: %s fixes it",
					name, path)
			}
		}
		tr, err := engine.Load(path)
		if err != nil {
			return nil, err
		}
		if in := tr.Net.Config.Inputs; in != inputs {
			return nil, fmt.Errorf("%s has %d inputs; the grid gives %d", path, in, inputs)
		}
		return tr.Net, nil
	}

	hidden := []int{eventHidden}
	if c.IsSet("hidden") {
		var err error
		if hidden, err = parseSizes(c.String("hidden")); err != nil {
			return nil, err
		}
	}
	classes := c.Int("classes")
	if classes <= 0 {
		return nil, fmt.Errorf("--classes %d must be positive", classes)
	}
	alpha := math.Exp(-float64(o.step) / (o.tau * 1000))
	cfg := engine.DefaultConfig(inputs, classes)
	cfg.Hidden = hidden
	cfg.Neuron = neuron.Params{Alpha: float32(alpha), Theta: float32(c.Float64("threshold"))}
	if err := cfg.Neuron.Validate(); err != nil {
		return nil, fmt.Errorf("--dt %d µs and --tau %v ms give α = exp(−Δ/τ) = %.3g: %w",
			o.step, o.tau, alpha, err)
	}
	cfg.Seed = c.Uint64("seed")
	cfg.InitGain = c.Float64("init-gain")
	if !c.IsSet("init-gain") {
		cfg.InitSigma = []float64{eventSigmaFirst}
		for range hidden {
			cfg.InitSigma = append(cfg.InitSigma, eventSigmaOther)
		}
		if s := c.String("init-sigma"); s != "" {
			var err error
			if cfg.InitSigma, err = parseSigmas(s, len(hidden)+1); err != nil {
				return nil, err
			}
		}
	}
	net, err := engine.New(cfg)
	if err != nil {
		return nil, err
	}
	return net, nil
}

// parseSigmas parses --init-sigma for a network of the given number of layers.
func parseSigmas(s string, layers int) ([]float64, error) {
	var v []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(x > 0) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("--init-sigma %q: %q is not a positive number", s, f)
		}
		v = append(v, x)
	}
	if len(v) != layers {
		return nil, fmt.Errorf("--init-sigma %q gives %d deviations for %d layers; "+
			"give one per layer", s, len(v), layers)
	}
	return v, nil
}

// windowCounts makes sim count the output spikes inside each labelled window; labels
// are sorted by start, and windows may overlap.
func windowCounts(sim *engine.EventDriven, labels []aedat.Label, outputs, top int) [][]int {
	if len(labels) == 0 {
		return nil
	}
	counts := make([][]int, len(labels))
	for k := range counts {
		counts[k] = make([]int, outputs)
	}
	sim.OnSpikes = func(t int64, layer int, ns []int32) {
		if layer != top {
			return
		}
		for k, l := range labels {
			if l.Start > t {
				break
			}
			if t < l.End {
				for _, j := range ns {
					counts[k][j]++
				}
			}
		}
	}
	return counts
}

// judge names the winning class of each window, class k being output neuron k−1, and
// the accuracy over the windows. The winner fired the most spikes in the window; a tie
// goes to the lower class, and a window without output spikes has no winner.
func judge(labels []aedat.Label, counts [][]int) ([]windowResult, *float64) {
	var res []windowResult
	right := 0
	for k, l := range labels {
		w := windowResult{Class: l.Class, Start: l.Start, End: l.End, Spikes: counts[k]}
		best := -1
		for j, n := range counts[k] {
			if n > 0 && (best < 0 || n > counts[k][best]) {
				best = j
			}
		}
		w.Predicted = best + 1
		if best >= 0 && w.Predicted == l.Class {
			right++
		}
		res = append(res, w)
	}
	acc := float64(right) / float64(len(labels))
	return res, &acc
}

func (s *eventSummary) print(w io.Writer) {
	sensor := fmt.Sprintf("%d×%d", s.Width, s.Height)
	if s.Chip != "" {
		sensor = s.Chip + " " + sensor
	}
	fmt.Fprintf(w, "snnsim event · %s (AEDAT %s, %s) · %s\n", s.File, s.Version, sensor,
		joinSizes(s.Layers, "-"))
	from := fmt.Sprintf("seed %d", s.Seed)
	if s.Load != "" {
		from = "from " + s.Load
	}
	fmt.Fprintf(w, "model            Δ=%s τ=%.4gms (α=%.4g) · delay %s · grid %s×2 over "+
		"%d,%d %d×%d · %s\n", time.Duration(s.StepMicros)*time.Microsecond, s.TauMillis,
		s.Alpha, time.Duration(s.DelayMicros)*time.Microsecond, s.Grid, s.ROI[0], s.ROI[1],
		s.ROI[2], s.ROI[3], from)
	fmt.Fprintf(w, "events read      %s", profile.Count(s.Events, "polarity event",
		"polarity events"))
	if s.Outside > 0 {
		fmt.Fprintf(w, ", %d outside the region", s.Outside)
	}
	if s.Fault != "" {
		fmt.Fprint(w, ", up to a fault in the file; every figure here covers only them")
	}
	fmt.Fprintln(w)
	if len(s.Skipped) > 0 {
		fmt.Fprintf(w, "skipped          %s\n", skipped(s.Skipped, s.Version))
	}
	if s.Backwards > 0 || s.Late > 0 {
		fmt.Fprintf(w, "time order       %d timestamps earlier than the one before; %d input "+
			"spikes taken late\n", s.Backwards, s.Late)
	}
	fmt.Fprintf(w, "input spikes     %d", s.InputSpikes)
	if s.Bin > 0 {
		fmt.Fprintf(w, " (on a %s grid; %d events merged into the spike before them)",
			time.Duration(s.Bin)*time.Microsecond, s.Merged)
	}
	fmt.Fprintln(w)
	names := make([]string, len(s.Spikes))
	for l, n := range s.Spikes {
		names[l] = fmt.Sprintf("%s %d", layerName(l, len(s.Spikes)), n)
	}
	fmt.Fprintf(w, "spikes           %s\n", strings.Join(names, " · "))
	fmt.Fprintf(w, "synaptic events  %d\n", s.Synaptic)
	fmt.Fprintf(w, "simulated time   %s\n",
		time.Duration(s.SimSeconds*float64(time.Second)).Round(time.Microsecond))
	fmt.Fprintf(w, "wall time        %s\n",
		time.Duration(s.WallSeconds*float64(time.Second)).Round(time.Millisecond))
	fmt.Fprintf(w, "throughput       %.3g events/s, %.3g synaptic events/s\n",
		s.EventsPerSecond, s.SynPerSecond)
	if s.Windows != nil {
		fmt.Fprintf(w, "labels           %s\n", s.Labels)
		for _, win := range s.Windows {
			got := "none (no output spikes)"
			if win.Predicted > 0 {
				got = strconv.Itoa(win.Predicted)
			}
			fmt.Fprintf(w, "  %d µs to %d µs  class %d  predicted %s\n",
				win.Start, win.End, win.Class, got)
		}
		fmt.Fprintf(w, "accuracy         %.2f%%  (%s)\n", 100**s.Accuracy,
			profile.Count(int64(len(s.Windows)), "window", "windows"))
		if s.Missed > 0 {
			fmt.Fprintf(w, "warning          %s outside the recording's time\n",
				profile.Count(int64(s.Missed), "window lies", "windows lie"))
		}
	}
	if s.Profile != nil {
		s.Profile.print(w)
	}
}

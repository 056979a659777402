package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"image"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/urfave/cli/v2"

	"github.com/snnsim/snnsim/aedat"
	"github.com/snnsim/snnsim/engine"
	"github.com/snnsim/snnsim/events"
	"github.com/snnsim/snnsim/neuron"
)

// Flags that only one mode reads; giving one in the other mode is an error.
var (
	clockedFlags = []string{"dataset", "data", "epochs", "steps", "window", "encoding",
		"gain", "lr", "lr-decay", "batch", "optimizer", "bias", "train-limit", "test-limit",
		"save", "alpha"}
	eventFlags = []string{"input", "labels", "grid", "roi", "sensor", "dt", "delay", "tau",
		"classes", "bin"}
)

// Defaults of event mode: the W-DVS network of the benchmarks.
const (
	eventHidden  = 512
	eventClasses = 11
	eventSigma   = "0.03,0.1"
)

func eventModeFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "input", Usage: "event mode: the AEDAT recording to stream " +
			"through the network (`FILE`, version 1.0, 2.0, 3.1 or 4.0)"},
		&cli.StringFlag{Name: "labels", Usage: "event mode: DVS128 Gesture label `CSV` " +
			"(default: FILE's name with _labels.csv, when it exists)"},
		&cli.StringFlag{Name: "grid", Value: "32x32",
			Usage: "event mode: input cells COLSxROWS; each cell has an ON and an OFF neuron"},
		&cli.StringFlag{Name: "roi", Usage: "event mode: region of the sensor to use, " +
			"X,Y,WIDTH,HEIGHT in pixels (default: the whole sensor)"},
		&cli.StringFlag{Name: "sensor", Usage: "event mode: sensor size WIDTHxHEIGHT, for " +
			"files that do not give it"},
		&cli.Int64Flag{Name: "dt", Value: 1000, Usage: "event mode: time step Δ in µs; " +
			"α = exp(−Δ/τ), and a neuron's current reaches its membrane Δ after the spike"},
		&cli.Int64Flag{Name: "delay", Usage: "event mode: synaptic delay in µs " +
			"(default: Δ, the model's one-step delay)"},
		&cli.Float64Flag{Name: "tau", Value: 20, Usage: "event mode: membrane time " +
			"constant τ in ms"},
		&cli.Int64Flag{Name: "bin", Usage: "event mode: put events on a grid of `µs`, at most " +
			"one input spike per input and bin, at the bin's start (default: none, every " +
			"event at its own time)"},
		&cli.IntFlag{Name: "classes", Value: eventClasses,
			Usage: "event mode: output neurons; with labels, class k is neuron k−1"},
		&cli.StringFlag{Name: "init-sigma", Usage: "initial weights are N(0, σ²), one σ per " +
			"layer, comma-separated (default in event mode: " + eventSigma + ")"},
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
	Layers          []int            `json:"layers"`
	StepMicros      int64            `json:"dt_us"`
	DelayMicros     int64            `json:"delay_us"`
	Alpha           float64          `json:"alpha"`
	Seed            uint64           `json:"seed"`
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
	Accuracy        *float64         `json:"accuracy,omitempty"`
	Fault           string           `json:"fault,omitempty"`
}

// windowResult is the output layer's answer over one labelled window.
type windowResult struct {
	Class     int   `json:"class"`
	Start     int64 `json:"start_us"`
	End       int64 `json:"end_us"`
	Predicted int   `json:"predicted"` // 0 when no output neuron fired
	Spikes    []int `json:"output_spikes"`
}

func runEvent(c *cli.Context) error {
	for _, name := range clockedFlags {
		if c.IsSet(name) {
			return fmt.Errorf("run: --%s applies only to --mode clocked", name)
		}
	}
	path := c.String("input")
	if path == "" {
		return errors.New("run: --mode event needs --input FILE, an AEDAT recording")
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
		return fmt.Errorf("run: --input: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("run: --input: %w", err)
	}
	if fi.IsDir() {
		return fmt.Errorf("run: --input %s is a folder", path)
	}
	bar := progressbar.NewOptions64(fi.Size(),
		progressbar.OptionSetWriter(os.Stderr),
		progressbar.OptionSetVisibility(!c.Bool("quiet")),
		progressbar.OptionSetDescription(filepath.Base(path)),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(200*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)
	pr := progressbar.NewReader(f, bar)
	r, err := aedat.NewReader(&pr, path)
	if err != nil {
		return err
	}
	info := r.Info()
	grid, err := eventGrid(c, info)
	if err != nil {
		return err
	}
	net, err := eventNetwork(c, grid.Inputs())
	if err != nil {
		return err
	}
	step, delay := c.Int64("dt"), c.Int64("delay")
	if !c.IsSet("delay") {
		delay = step
	}
	sim, err := engine.NewEventDriven(net, step, delay)
	if err != nil {
		return fmt.Errorf("run: %w", err)
	}

	bin := c.Int64("bin")
	if bin < 0 {
		return fmt.Errorf("run: --bin %d must not be negative", bin)
	}
	// lastBin holds, per input, 1 + the last bin it spiked in.
	var lastBin []int64
	if bin > 0 {
		lastBin = make([]int64, grid.Inputs())
	}

	sum := eventSummary{Mode: "event", File: path, Version: info.Version, Chip: info.Chip,
		Width: info.Width, Height: info.Height, Layers: net.Sizes(), StepMicros: step,
		DelayMicros: delay, Alpha: float64(net.Config.Neuron.Alpha), Seed: net.Config.Seed,
		Labels: labelPath, Bin: bin}
	counts := windowCounts(sim, labels, net.Config.Outputs, len(net.Layers))

	start := time.Now()
	var first, last int64
	for r.Next() {
		e := r.Event()
		if sum.Events == 0 {
			first = e.Time
			sim.Reset(first)
		}
		last = max(last, e.Time)
		sum.Events++
		if sum.Events%(1<<16) == 0 && c.Context.Err() != nil {
			bar.Exit()
			return interruption(c.Context.Err(), "after %d events of %s", sum.Events, path)
		}
		n, ok := grid.Neuron(int(e.X), int(e.Y), e.On)
		if !ok {
			sum.Outside++
			continue
		}
		t := e.Time
		if bin > 0 {
			b := max(t-first, 0) / bin
			if lastBin[n] == b+1 {
				sum.Merged++
				continue
			}
			lastBin[n] = b + 1
			t = first + b*bin
		}
		sim.Input(t, n)
	}
	fault := r.Err()
	sim.Drain()
	bar.Finish()

	wall := time.Since(start)
	st := sim.Stats
	sum.Skipped = r.Skipped()
	sum.Backwards, _ = aedat.Backwards(r)
	sum.InputSpikes, sum.Late = st.Inputs, st.Late
	sum.Spikes = st.Spikes
	sum.Synaptic = st.Synaptic
	if sum.Events > 0 {
		sum.SimSeconds = float64(last-first) / 1e6
	}
	sum.WallSeconds = wall.Seconds()
	sum.EventsPerSecond = float64(sum.Events) / wall.Seconds()
	sum.SynPerSecond = float64(sum.Synaptic) / wall.Seconds()
	if labels != nil {
		sum.Windows, sum.Accuracy = judge(labels, counts)
	}
	if fault != nil {
		sum.Fault = fault.Error()
	}

	if c.Bool("json") {
		if err := json.NewEncoder(c.App.Writer).Encode(sum); err != nil {
			return err
		}
	} else {
		sum.print(c.App.Writer)
	}
	return fault
}

// labelFile returns the label file to use: --labels, or the one named like the input
// with _labels.csv, when it exists.
func labelFile(c *cli.Context, input string) (string, error) {
	if c.IsSet("labels") {
		if c.String("labels") == "" {
			return "", errors.New("run: --labels needs a path")
		}
		return c.String("labels"), nil
	}
	beside := strings.TrimSuffix(input, filepath.Ext(input)) + "_labels.csv"
	if _, err := os.Stat(beside); err == nil {
		return beside, nil
	}
	return "", nil
}

func readLabels(path string) ([]aedat.Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("run: --labels: %w", err)
	}
	defer f.Close()
	return aedat.ReadLabels(f, path)
}

// eventGrid maps the sensor onto input neurons as --grid, --roi and --sensor say.
func eventGrid(c *cli.Context, info aedat.Info) (*events.Grid, error) {
	w, h := info.Width, info.Height
	if c.IsSet("sensor") {
		var err error
		if w, h, err = parsePair(c.String("sensor"), "sensor"); err != nil {
			return nil, err
		}
	}
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("run: %s does not give its sensor size; set --sensor "+
			"WIDTHxHEIGHT", c.String("input"))
	}
	cols, rows, err := parsePair(c.String("grid"), "grid")
	if err != nil {
		return nil, err
	}
	var roi image.Rectangle
	if s := c.String("roi"); s != "" {
		v, err := parseInts(s, 4)
		if err != nil || v[2] <= 0 || v[3] <= 0 {
			return nil, fmt.Errorf("run: --roi %q: want X,Y,WIDTH,HEIGHT with a positive size", s)
		}
		roi = image.Rect(v[0], v[1], v[0]+v[2], v[1]+v[3])
	}
	g, err := events.NewGrid(w, h, roi, cols, rows)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	return g, nil
}

// parsePair parses "AxB" into two positive integers.
func parsePair(s, flag string) (int, int, error) {
	a, b, ok := strings.Cut(strings.ToLower(s), "x")
	x, err1 := strconv.Atoi(a)
	y, err2 := strconv.Atoi(b)
	if !ok || err1 != nil || err2 != nil || x <= 0 || y <= 0 {
		return 0, 0, fmt.Errorf("run: --%s %q: want two positive sizes such as 32x32", flag, s)
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
// flags, or loads it with --load.
func eventNetwork(c *cli.Context, inputs int) (*engine.Network, error) {
	if path := c.String("load"); path != "" {
		for _, name := range []string{"hidden", "threshold", "tau", "classes", "init-gain",
			"init-sigma", "seed", "beta"} {
			if c.IsSet(name) {
				return nil, fmt.Errorf("run: --%s cannot be combined with --load: %s fixes it",
					name, path)
			}
		}
		tr, err := engine.Load(path)
		if err != nil {
			return nil, err
		}
		if in := tr.Net.Config.Inputs; in != inputs {
			return nil, fmt.Errorf("run: %s has %d inputs; the grid gives %d", path, in, inputs)
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
		return nil, fmt.Errorf("run: --classes %d must be positive", classes)
	}
	tau, step := c.Float64("tau"), c.Int64("dt")
	if !(tau > 0) || math.IsInf(tau, 0) {
		return nil, fmt.Errorf("run: --tau %v must be a positive number of ms", tau)
	}
	if step <= 0 {
		return nil, fmt.Errorf("run: --dt %d must be a positive number of µs", step)
	}
	cfg := engine.DefaultConfig(inputs, classes)
	cfg.Hidden = hidden
	cfg.Neuron = neuron.Params{
		Alpha: float32(math.Exp(-float64(step) / (tau * 1000))),
		Theta: float32(c.Float64("threshold")),
	}
	cfg.Beta = float32(c.Float64("beta"))
	cfg.Seed = c.Uint64("seed")
	cfg.InitGain = c.Float64("init-gain")
	if !c.IsSet("init-gain") || c.IsSet("init-sigma") {
		s := c.String("init-sigma")
		if s == "" {
			s = eventSigma
		}
		sigma, err := parseSigmas(s)
		if err != nil {
			return nil, err
		}
		if len(sigma) != len(hidden)+1 {
			return nil, fmt.Errorf("run: --init-sigma %q gives %d deviations for %d layers",
				s, len(sigma), len(hidden)+1)
		}
		cfg.InitSigma = sigma
	}
	net, err := engine.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("run: %w", err)
	}
	return net, nil
}

// parseSigmas parses --init-sigma.
func parseSigmas(s string) ([]float64, error) {
	var v []float64
	for _, f := range strings.Split(s, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(f), 64)
		if err != nil || !(x > 0) || math.IsInf(x, 0) {
			return nil, fmt.Errorf("run: --init-sigma %q: %q is not a positive number", s, f)
		}
		v = append(v, x)
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
// the accuracy over the windows. A window without output spikes has no winner.
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
		if w.Predicted == l.Class {
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
	fmt.Fprintf(w, "snnsim event · %s (AEDAT %s, %s) · %s · Δ=%s α=%.4f · seed %d\n",
		s.File, s.Version, sensor, joinSizes(s.Layers, "-"),
		time.Duration(s.StepMicros)*time.Microsecond, s.Alpha, s.Seed)
	fmt.Fprintf(w, "events read      %d polarity events", s.Events)
	if s.Outside > 0 {
		fmt.Fprintf(w, ", %d outside the region", s.Outside)
	}
	fmt.Fprintln(w)
	if len(s.Skipped) > 0 {
		var kinds []string
		for _, k := range slices.Sorted(maps.Keys(s.Skipped)) {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, s.Skipped[k]))
		}
		fmt.Fprintf(w, "skipped          %s\n", strings.Join(kinds, ", "))
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
		name := fmt.Sprintf("hidden %d", l+1)
		switch {
		case l == len(s.Spikes)-1:
			name = "output"
		case len(s.Spikes) == 2:
			name = "hidden"
		}
		names[l] = fmt.Sprintf("%s %d", name, n)
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
		fmt.Fprintf(w, "accuracy         %.2f%%  (%d windows)\n", 100**s.Accuracy,
			len(s.Windows))
	}
}

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/engine"
	"github.com/snnsim/snnsim/profile"
	"github.com/snnsim/snnsim/profile/plots"
)

// trainingFlags belong to training, which snnsim profile does not do.
var trainingFlags = []string{"epochs", "save", "lr", "lr-decay", "batch", "optimizer",
	"clip", "train-limit"}

// profileFlagNames are the flags that shape a profile; snnsim run reads them only with
// --profile.
var profileFlagNames = []string{"profile-bin", "raster", "pj-ac", "pj-mac", "out", "compare"}

func profileFlags() []cli.Flag {
	return []cli.Flag{
		&cli.Int64Flag{Name: "profile-bin", Usage: "width of the profile's time bins in " +
			"`µs`, counted from the start of each sample", DefaultText: "the step Δ"},
		&cli.IntFlag{Name: "raster", Usage: "the test sample (from 0) whose spikes the " +
			"raster picture shows"},
		&cli.Float64Flag{Name: "pj-ac", Value: profile.DefaultCosts.AC, Usage: "energy of " +
			"one accumulate in pJ (32-bit float add, 45 nm; Horowitz 2014)"},
		&cli.Float64Flag{Name: "pj-mac", Value: profile.DefaultCosts.MAC, Usage: "energy of " +
			"one multiply-accumulate in pJ (32-bit float, 45 nm; Horowitz 2014)"},
		&cli.StringFlag{Name: "out", Usage: "write the profile to `DIR` as CSV (one row per " +
			"layer, one per time bin) and as pictures, PNG and SVG: a spike raster, " +
			"firing-rate histograms, and activity against the input rate"},
		&cli.BoolFlag{Name: "compare", Usage: "also run the clocked and the event engine on " +
			"the same input, put on the grid of the step Δ, and compare their spikes and work"},
	}
}

func profileCommand() *cli.Command {
	var flags []cli.Flag
	for _, f := range runFlags() {
		if !slices.Contains(trainingFlags, f.Names()[0]) {
			flags = append(flags, f)
		}
	}
	return &cli.Command{
		Name:  "profile",
		Usage: "show where a network's spikes and work are",
		UsageText: "snnsim profile --mode clocked|event --dataset mnist [--load FILE] [flags]\n" +
			"snnsim profile --mode event --dataset dvsgesture --data DIR [flags]\n" +
			"snnsim profile --mode event --input FILE [flags]",
		Description: "profile runs the test set (or the recording) through a network, a fresh\n" +
			"one or one loaded with --load, as snnsim run does without training, and\n" +
			"reports from the engine's own counters:\n\n" +
			"  per layer: spikes per neuron per sample, firing rate, activation sparsity\n" +
			"  (the fraction of neurons × steps without a spike), the fraction of neurons\n" +
			"  active in a sample, and the dead (never firing) and saturated (firing at\n" +
			"  every step from their layer's first spike to the end of every sample)\n" +
			"  neurons;\n" +
			"  work: the synaptic accumulations and multiply-accumulates performed, the\n" +
			"  multiply-accumulates of a dense clocked engine on the same steps, the\n" +
			"  membrane updates against a clocked engine's, and an energy estimate;\n" +
			"  input: the event rate over time and the fraction of channels that fire.\n\n" +
			"The counts cover every sample. --json prints it all as one JSON object; --out\n" +
			"writes CSV files and pictures. --compare runs both engines on the input put on\n" +
			"the step grid and prints their spikes and work side by side.\n\n" +
			"snnsim run takes the same flags with --profile, and profiles its test pass.",
		Flags:        append(flags, profileFlags()...),
		Action:       named(run),
		OnUsageError: usageError,
	}
}

// named returns action with its errors prefixed by the name of the command that ran,
// so that the code snnsim run and snnsim profile share names the right one.
func named(action cli.ActionFunc) cli.ActionFunc {
	return func(c *cli.Context) error {
		if err := action(c); err != nil {
			return fmt.Errorf("%s: %w", c.Command.Name, err)
		}
		return nil
	}
}

// profiling is how a run is profiled.
type profiling struct {
	bin     int64
	raster  int
	costs   profile.Costs
	out     string
	compare bool
}

// profilingFrom reads the profile flags: nil when the run is not profiled.
func profilingFrom(c *cli.Context) (*profiling, error) {
	if c.Command.Name == "run" && !c.Bool("profile") {
		for _, f := range profileFlagNames {
			if c.IsSet(f) {
				return nil, fmt.Errorf("--%s applies only with --profile", f)
			}
		}
		return nil, nil
	}
	p := &profiling{bin: c.Int64("profile-bin"), raster: c.Int("raster"),
		costs:   profile.Costs{AC: c.Float64("pj-ac"), MAC: c.Float64("pj-mac")},
		out:     c.String("out"),
		compare: c.Bool("compare")}
	switch {
	case p.bin < 0 || p.bin > engine.MaxMicros:
		return nil, fmt.Errorf("--profile-bin %d must be between 0 (the step Δ) and "+
			"%.0f µs", p.bin, float64(engine.MaxMicros))
	case p.raster < 0:
		return nil, fmt.Errorf("--raster %d must not be negative", p.raster)
	case c.IsSet("out") && p.out == "":
		return nil, errors.New("--out needs a folder")
	}
	for _, f := range []string{"pj-ac", "pj-mac"} {
		if v := c.Float64(f); !(v >= 0 && v <= profile.MaxCost) {
			return nil, fmt.Errorf("--%s %v must be a number of pJ from 0 to %g", f, v,
				float64(profile.MaxCost))
		}
	}
	if p.out != "" {
		if err := checkOut(p.out); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// checkOut reports whether the files of a profile can be written to the folder out,
// before any time is spent on the run: out, or the folder it would be made in, must be
// writable, and none of the files may be a folder.
func checkOut(out string) error {
	fi, err := os.Stat(out)
	switch {
	case err == nil && !fi.IsDir():
		return fmt.Errorf("--out %s is a file, not a folder", out)
	case err == nil:
		for _, name := range outFiles() {
			path := filepath.Join(out, name)
			if fi, err := os.Stat(path); err == nil && fi.IsDir() {
				return fmt.Errorf("--out: %s is a folder, where a file of the profile goes",
					path)
			}
		}
	}
	dir, _ := firstMissing(out)
	f, err := os.CreateTemp(dir, ".snnsim-check*")
	if err != nil {
		return fmt.Errorf("--out %s: cannot write in %s: %w", out, dir, unwrapPath(err))
	}
	f.Close()
	return os.Remove(f.Name())
}

// firstMissing returns the innermost folder of path, or path itself, that exists, and
// the outermost that does not: "" when path exists.
func firstMissing(path string) (exists, missing string) {
	for exists = path; ; exists = filepath.Dir(exists) {
		if _, err := os.Stat(exists); err == nil || filepath.Dir(exists) == exists {
			return exists, missing
		}
		missing = exists
	}
}

// outFiles names the files a profile writes to --out.
func outFiles() []string {
	return append([]string{"profile-layers.csv", "profile-bins.csv"},
		plots.Files("profile")...)
}

// check reports, before any time is spent on the run, whether net and tc can be
// profiled as asked: with --compare, both engines must run them on the step grid, and
// in clocked mode, where spikes come only at steps, the bins must hold whole steps.
func (pf *profiling) check(net *engine.Network, tc engine.TrainConfig) error {
	if tc.Mode != engine.ModeEvent && pf.bin%tc.StepMicros != 0 {
		return fmt.Errorf("--profile-bin %d is not a multiple of the step Δ = %d µs, at "+
			"which clocked mode spikes", pf.bin, tc.StepMicros)
	}
	if !pf.compare {
		return nil
	}
	if d := tc.DelayMicros; d != 0 && d != tc.StepMicros {
		return fmt.Errorf("--compare runs the clocked engine, whose spikes take one step "+
			"Δ = %d µs to reach the next layer: --delay %d would make the two models "+
			"differ", tc.StepMicros, d)
	}
	for _, mode := range []string{engine.ModeClocked, engine.ModeEvent} {
		tc.Mode, tc.GridInput = mode, true
		if err := tc.Fits(net); err != nil {
			return fmt.Errorf("--compare runs both engines: %w", err)
		}
	}
	return nil
}

// profileReport is the profile of a run and, with --compare, of both engines.
type profileReport struct {
	*profile.Summary
	Compare *comparison `json:"compare,omitempty"`
	Files   []string    `json:"files,omitempty"`
	// Bin is the width of the time bins asked for, in µs: less than BinMicros when
	// the bins were widened to keep at most profile.MaxBins of them.
	Bin int64 `json:"bin_asked_us"`
}

// comparison is the profile of the same input, on the step grid, in both engines.
type comparison struct {
	Clocked *profile.Summary `json:"clocked"`
	Event   *profile.Summary `json:"event"`
	// Same reports whether both fired the same spikes: per neuron, per sample
	// and per time bin.
	Same bool `json:"same_spikes"`
	// SynapticRatio and UpdateRatio are event mode's accumulates and membrane updates
	// over clocked mode's, and EnergyRatio the same for the energy estimate.
	SynapticRatio profile.Ratio `json:"synaptic_ratio"`
	UpdateRatio   profile.Ratio `json:"update_ratio"`
	EnergyRatio   profile.Ratio `json:"energy_ratio"`
}

// finish summarises prof and runs the comparison, when asked for. evaluate runs the same
// input through an engine on the step grid.
func (pf *profiling) finish(prof *profile.Profile,
	evaluate func(ec engine.EngineConfig, p *profile.Profile) error,
	ec engine.EngineConfig) (*profileReport, error) {
	s, err := prof.Summarize(pf.costs)
	if err != nil {
		return nil, err
	}
	rep := &profileReport{Summary: s, Bin: pf.bin}
	if rep.Bin == 0 {
		rep.Bin = s.StepMicros
	}
	if pf.compare {
		if rep.Compare, err = pf.compareEngines(prof, evaluate, ec); err != nil {
			return nil, fmt.Errorf("--compare: %w", err)
		}
	}
	return rep, nil
}

// compareEngines runs the input through both engines on the step grid.
func (pf *profiling) compareEngines(like *profile.Profile,
	evaluate func(ec engine.EngineConfig, p *profile.Profile) error,
	ec engine.EngineConfig) (*comparison, error) {
	ec.GridInput = true
	var ps [2]*profile.Profile
	var ss [2]*profile.Summary
	for k, mode := range []string{engine.ModeClocked, engine.ModeEvent} {
		ec.Mode = mode
		ps[k] = profile.New(mode, like.Sizes, like.FanIn, like.StepMicros, like.BinMicros,
			like.RasterSample)
		if err := evaluate(ec, ps[k]); err != nil {
			return nil, err
		}
		var err error
		if ss[k], err = ps[k].Summarize(pf.costs); err != nil {
			return nil, err
		}
	}
	cmp := &comparison{Clocked: ss[0], Event: ss[1], Same: sameSpikes(ps[0], ps[1])}
	cw, ew := ss[0].Work, ss[1].Work
	cmp.SynapticRatio = profile.Ratio(float64(ew.Accumulates+ew.MACs) /
		float64(cw.Accumulates+cw.MACs))
	cmp.UpdateRatio = profile.Ratio(float64(ew.Updates) / float64(cw.Updates))
	cmp.EnergyRatio = profile.Ratio(ss[1].Energy.Engine / ss[0].Energy.Engine)
	return cmp, nil
}

// sameSpikes reports whether two profiles count the same spikes: per neuron, per
// sample and per time bin.
func sameSpikes(a, b *profile.Profile) bool {
	if a.Samples != b.Samples || a.Steps != b.Steps || !reflect.DeepEqual(a.Bins, b.Bins) {
		return false
	}
	for l := range a.Layers {
		x, y := a.Layers[l], b.Layers[l]
		if x.Spikes != y.Spikes || x.Active != y.Active || !slices.Equal(x.Neuron, y.Neuron) {
			return false
		}
	}
	return true
}

// write writes the CSV files and the pictures of rep to --out, when it is set, and lists
// them in rep.Files. It writes them into a temporary folder within --out and moves them
// in at the end, so that an error or Ctrl-C on the way leaves --out as it was.
func (pf *profiling) write(ctx context.Context, rep *profileReport) error {
	if pf.out == "" {
		return nil
	}
	_, made := firstMissing(pf.out) // the outermost folder made here, if any
	if err := os.MkdirAll(pf.out, 0o777); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	tmp, err := os.MkdirTemp(pf.out, ".snnsim-profile*")
	if err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	defer os.RemoveAll(tmp)
	if err := writeFiles(ctx, rep.Summary, tmp); err != nil {
		if made != "" {
			os.RemoveAll(made)
		}
		return interruption(fmt.Errorf("--out %s: %w", pf.out, err),
			"while writing --out %s; it is as it was", pf.out)
	}
	for _, name := range outFiles() {
		path := filepath.Join(pf.out, name)
		if err := os.Rename(filepath.Join(tmp, name), path); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		rep.Files = append(rep.Files, path)
	}
	return nil
}

// writeFiles writes the files of s, outFiles, into dir. An error names the file by its
// name alone, dir being temporary.
func writeFiles(ctx context.Context, s *profile.Summary, dir string) error {
	err := writeFilesIn(ctx, s, dir)
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", filepath.Base(pe.Path), pe.Err)
	}
	return err
}

func writeFilesIn(ctx context.Context, s *profile.Summary, dir string) error {
	for _, f := range []struct {
		name  string
		write func(io.Writer) error
	}{{"profile-layers.csv", s.WriteLayersCSV}, {"profile-bins.csv", s.WriteBinsCSV}} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, f.name), b.Bytes(), 0o666); err != nil {
			return err
		}
	}
	_, err := plots.Write(ctx, s, dir, "profile")
	return err
}

// print writes the profile as text, after the run's summary.
func (r *profileReport) print(w io.Writer) {
	fmt.Fprintln(w)
	r.WriteText(w)
	if cmp := r.Compare; cmp != nil {
		fmt.Fprintf(w, "\nboth engines on the input put on the %d µs step grid (%s):\n",
			cmp.Clocked.StepMicros, profile.Count(cmp.Clocked.Samples, "sample", "samples"))
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "layer\tspikes clocked\tspikes event\taccumulates clocked\t"+
			"accumulates event\tupdates clocked\tupdates event\t")
		for l, a := range cmp.Clocked.Layers {
			b := cmp.Event.Layers[l]
			fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t\n", a.Name, a.Spikes, b.Spikes,
				a.Work.Accumulates+a.Work.MACs, b.Work.Accumulates+b.Work.MACs,
				a.Work.Updates, b.Work.Updates)
		}
		tw.Flush()
		same := "yes, neuron by neuron and bin by bin"
		if !cmp.Same {
			same = "no"
		}
		fmt.Fprintf(w, "same spikes: %s; event queue: %s\n", same,
			profile.Count(cmp.Event.Work.Queued, "event", "events"))
		fmt.Fprintf(w, "work, event over clocked: synaptic operations %s, membrane "+
			"updates %s, energy estimate %s\n", cmp.SynapticRatio, cmp.UpdateRatio,
			cmp.EnergyRatio)
	}
	if r.Bin != r.BinMicros {
		fmt.Fprintf(w, "time bins of %d µs, widened from the %d µs asked for to keep at "+
			"most %d\n", r.BinMicros, r.Bin, profile.MaxBins)
	}
	for _, f := range r.Files {
		fmt.Fprintf(w, "wrote %s\n", f)
	}
}

// stream is an EventSet of one sample: a recording's input spikes, from time 0.
type stream struct {
	spikes   []encoding.Spike
	duration int64
}

func (r *stream) Len() int      { return 1 }
func (r *stream) Label(int) int { return 0 }
func (r *stream) Sample(_ int, dst []encoding.Spike) ([]encoding.Spike, int64, error) {
	return append(dst, r.spikes...), r.duration, nil
}

// recordingConfig is the configuration that runs a recording, one sample, in the engine
// ec names.
func recordingConfig(ec engine.EngineConfig) engine.TrainConfig {
	tc := engine.DefaultTrainConfig
	tc.Steps, tc.Window, tc.EngineConfig = 1<<16, 1, ec
	return tc
}

// evaluateRecording runs rec through net in the engine ec names, into p.
func evaluateRecording(ctx context.Context, net *engine.Network, rec *stream,
	ec engine.EngineConfig, p *profile.Profile) error {
	_, err := engine.EvaluateEventsProfile(ctx, net, recordingConfig(ec), rec, p)
	if errors.Is(err, context.Canceled) {
		return interruption(err, "while comparing the engines")
	}
	return err
}

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/snnsim/snnsim/aedat"
	"github.com/snnsim/snnsim/dvsgesture"
	"github.com/snnsim/snnsim/dvsgesture/dvsgesturetest"
	"github.com/snnsim/snnsim/profile"
)

// tol is the relative tolerance of figures derived from counts, such as energies.
const tol = 1e-9

// near reports whether got is within tol of want, relative to want.
func near(got, want float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

// decodeRun runs snnsim with args plus --json and --quiet, and decodes what it prints
// into a T: a summary, an eventSummary, or anything shaped like part of them.
func decodeRun[T any](t *testing.T, args ...string) *T {
	t.Helper()
	out, stderr, status := snnsim(t, slices.Concat(args, []string{"--json", "--quiet"})...)
	if status != 0 {
		t.Fatalf("snnsim %v: status %d: %s", args, status, stderr)
	}
	var v T
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("snnsim %v: %v in %.200q", args, err, out)
	}
	return &v
}

// profiled holds the profile of either kind of run.
type profiled struct {
	Profile *profileReport `json:"profile"`
}

// checkSummary checks the figures of s that follow from its own counts, for a network of
// the given sizes, input first, with a bias in every LIF layer when bias is 1: names,
// per-neuron and per-bin counts that add up to each layer's, sparsity and activity as
// fractions, the dense engine's work, and the energy priced at s's costs.
func checkSummary(t *testing.T, what string, s *profile.Summary, sizes []int, bias int) {
	t.Helper()
	if len(s.Layers) != len(sizes) {
		t.Fatalf("%s: %d layers, want %d", what, len(s.Layers), len(sizes))
	}
	if s.Samples <= 0 || s.Steps < s.Samples {
		t.Errorf("%s: %d samples of %d steps in all", what, s.Samples, s.Steps)
	}
	var total profile.Work
	var dense, clocked int64
	for l, ls := range s.Layers {
		n := int64(sizes[l])
		want := profile.Name(l, len(sizes))
		if ls.Name != want || ls.Neurons != sizes[l] || len(ls.NeuronSpikes) != sizes[l] {
			t.Errorf("%s: layer %d is %q of %d neurons (%d counted); want %q of %d", what,
				l, ls.Name, ls.Neurons, len(ls.NeuronSpikes), want, sizes[l])
		}
		var sum int64
		for _, v := range ls.NeuronSpikes {
			sum += v
		}
		var binned int64
		for _, b := range s.Bins {
			binned += b.Spikes[l]
		}
		if sum != ls.Spikes || binned != ls.Spikes {
			t.Errorf("%s: %s: %d spikes, %d over its neurons, %d over the bins", what,
				ls.Name, ls.Spikes, sum, binned)
		}
		if !(ls.Sparsity >= 0 && ls.Sparsity <= 1) || !(ls.Active >= 0 && ls.Active <= 1) {
			t.Errorf("%s: %s: sparsity %v, active fraction %v; want both in [0, 1]", what,
				ls.Name, ls.Sparsity, ls.Active)
		}
		if !near(ls.SpikesPerNeuron, float64(ls.Spikes)/float64(n*s.Samples)) {
			t.Errorf("%s: %s: %v spikes per neuron per sample from %d spikes", what,
				ls.Name, ls.SpikesPerNeuron, ls.Spikes)
		}
		if l == 0 {
			if ls.Work != (profile.Work{}) || ls.DenseMACs != 0 || ls.ClockedUpdates != 0 {
				t.Errorf("%s: the input does work: %+v", what, ls)
			}
			continue
		}
		fanIn := int64(sizes[l-1] + bias)
		if ls.DenseMACs != s.Steps*fanIn*n || ls.ClockedUpdates != s.Steps*n {
			t.Errorf("%s: %s: dense MACs %d, clocked updates %d; want %d·%d·%d and %d·%d",
				what, ls.Name, ls.DenseMACs, ls.ClockedUpdates, s.Steps, fanIn, n, s.Steps, n)
		}
		total.Add(ls.Work)
		dense += ls.DenseMACs
		clocked += ls.ClockedUpdates
	}
	w := s.Work
	if w.Work != total || w.DenseMACs != dense || w.ClockedUpdates != clocked {
		t.Errorf("%s: work %+v; the layers add up to %+v, %d dense MACs, %d clocked updates",
			what, w, total, dense, clocked)
	}

	e, c := s.Energy, s.Energy.Costs
	engine := float64(w.Accumulates)*c.AC + float64(w.MACs)*c.MAC
	if !near(e.Engine, engine) || !near(e.Dense, float64(w.DenseMACs)*c.MAC) ||
		!near(float64(e.Ratio), e.Engine/e.Dense) {
		t.Errorf("%s: energy %v pJ by the engine, %v pJ dense, ratio %v; want %v pJ and "+
			"%d·%v pJ", what, e.Engine, e.Dense, e.Ratio, engine, w.DenseMACs, c.MAC)
	}
}

// TestProfileCounts profiles MNIST digits in clocked mode and checks the profile, from the
// recorder's counts, against the run summary, from the engine's statistics: the spikes
// of every layer, and the synaptic operations each layer's input spikes cause. A clocked
// engine updates every membrane at every step, so its updates are the clocked ones.
func TestProfileCounts(t *testing.T) {
	for _, c := range []struct {
		name    string
		args    []string
		samples int64
		bias    int
	}{
		{"profile", []string{"profile", "--mode", "clocked", "--dataset", "mnist",
			"--test-limit", "100"}, 100, 0},
		{"run --profile", []string{"run", "--profile", "--epochs", "0", "--test-limit",
			"60"}, 60, 0},
		{"rate", []string{"profile", "--encoding", "rate", "--test-limit", "40"}, 40, 0},
		{"bias", []string{"profile", "--bias", "--hidden", "50", "--test-limit", "40"},
			40, 1},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := decodeRun[summary](t, c.args...)
			p := s.Profile
			if p == nil {
				t.Fatal("no profile")
			}
			checkSummary(t, c.name, p.Summary, s.Layers, c.bias)
			if p.Mode != "clocked" || p.Samples != c.samples || s.TestSamples != int(c.samples) ||
				p.Steps != c.samples*25 || p.StepMicros != 1000 || p.BinMicros != 1000 {
				t.Errorf("%s mode, %d samples (%d tested), %d steps of %d µs, bins of %d µs; "+
					"want clocked, %d samples of 25 steps of 1000 µs", p.Mode, p.Samples,
					s.TestSamples, p.Steps, p.StepMicros, p.BinMicros, c.samples)
			}
			if len(p.Bins) != 25 {
				t.Fatalf("%d bins, want 25", len(p.Bins))
			}
			if p.Bins[0].Samples != c.samples || p.Bins[24].Samples != c.samples {
				t.Errorf("bins over %d and %d samples, want %d", p.Bins[0].Samples,
					p.Bins[24].Samples, c.samples)
			}

			if len(s.SpikesPerSample) != len(p.Layers) {
				t.Fatalf("spikes per sample %v for %d layers", s.SpikesPerSample,
					len(p.Layers))
			}
			for l, ls := range p.Layers {
				want := s.SpikesPerSample[l] * float64(c.samples)
				if !near(float64(ls.Spikes), want) {
					t.Errorf("%s: %d spikes in the profile, %v·%d in the run summary", ls.Name,
						ls.Spikes, s.SpikesPerSample[l], c.samples)
				}
				if l == 0 {
					continue
				}
				w := ls.Work
				ops := p.Layers[l-1].Spikes*int64(ls.Neurons) + int64(c.bias)*ls.ClockedUpdates
				if w.Accumulates+w.MACs != ops || w.Updates != ls.ClockedUpdates {
					t.Errorf("%s: work %+v; want %d synaptic operations (%d spikes below to %d "+
						"neurons) and %d updates", ls.Name, w, ops, p.Layers[l-1].Spikes,
						ls.Neurons, ls.ClockedUpdates)
				}
			}
			w := p.Work
			if w.Updates != w.ClockedUpdates || w.UpdateRatio != 1 || w.Queued != 0 {
				t.Errorf("work %+v: want the clocked updates and no queue", w)
			}
			if rate := c.name == "rate"; rate != (w.MACs > 0) || w.Accumulates == 0 {
				t.Errorf("work %+v: want multiply-accumulates only with rate input", w)
			}
			if p.Energy.Costs != profile.DefaultCosts || p.Energy.Costs.AC != 0.9 ||
				p.Energy.Costs.MAC != 4.6 {
				t.Errorf("costs %+v, want 0.9 pJ and 4.6 pJ", p.Energy.Costs)
			}
		})
	}

	// Other costs price the same counts: with rate input the engine does both kinds of
	// operation, so doubling one and halving the other moves the estimate both ways.
	t.Run("costs", func(t *testing.T) {
		base := decodeRun[summary](t, "profile", "--encoding", "rate", "--test-limit", "40")
		s := decodeRun[summary](t, "profile", "--encoding", "rate", "--test-limit", "40",
			"--pj-ac", "1.8", "--pj-mac", "2.3")
		if base.Profile == nil || s.Profile == nil {
			t.Fatal("no profile")
		}
		b, p := base.Profile, s.Profile
		checkSummary(t, "costs", p.Summary, s.Layers, 0)
		if p.Work != b.Work || p.Energy.Costs != (profile.Costs{AC: 1.8, MAC: 2.3}) {
			t.Fatalf("work %+v at costs %+v; want the work %+v at 1.8 and 2.3 pJ", p.Work,
				p.Energy.Costs, b.Work)
		}
		ac, mac := float64(b.Work.Accumulates)*0.9, float64(b.Work.MACs)*4.6
		if !near(b.Energy.Engine, ac+mac) || !near(p.Energy.Engine, 2*ac+mac/2) ||
			!near(p.Energy.Dense, b.Energy.Dense/2) {
			t.Errorf("energy %v and %v pJ at 0.9 and 4.6 pJ, %v and %v pJ at 1.8 and 2.3 pJ",
				b.Energy.Engine, b.Energy.Dense, p.Energy.Engine, p.Energy.Dense)
		}
	})
}

// TestProfileOut writes a profile to a folder that does not exist yet, and checks the
// CSV files against the JSON profile and the pictures by their headers; then the text
// output, which lists the files, and wider time bins.
func TestProfileOut(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "out")
	s := decodeRun[summary](t, "profile", "--test-limit", "50", "--out", dir)
	p := s.Profile
	if p == nil {
		t.Fatal("no profile")
	}
	var want []string
	for _, name := range []string{"layers.csv", "bins.csv", "raster.png", "raster.svg",
		"rates.png", "rates.svg", "activity.png", "activity.svg"} {
		want = append(want, filepath.Join(dir, "profile-"+name))
	}
	if !slices.Equal(p.Files, want) {
		t.Errorf("files %q, want %q", p.Files, want)
	}

	layers := readCSV(t, want[0])
	if len(layers) != 1+len(p.Layers) || layers[0][0] != "layer" || layers[0][3] != "spikes" {
		t.Fatalf("%s: %q; want a header and %d layers", want[0], layers, len(p.Layers))
	}
	for l, ls := range p.Layers {
		row := layers[1+l]
		spikes := strconv.FormatInt(ls.Spikes, 10)
		if row[0] != strconv.Itoa(l) || row[1] != ls.Name || row[3] != spikes {
			t.Errorf("%s: row %q; want layer %d, %s, %d spikes", want[0], row, l, ls.Name,
				ls.Spikes)
		}
	}
	bins := readCSV(t, want[1])
	if len(bins) != 1+len(p.Bins) || len(p.Bins) != 25 || bins[0][0] != "start_us" ||
		bins[1][1] != "50" || bins[25][0] != "24000" {
		t.Errorf("%s: %d rows, first %q, last %q; want a header and %d bins", want[1],
			len(bins), bins[0], bins[len(bins)-1], len(p.Bins))
	}
	checkPictures(t, want[2:])

	// As text, with bins of 5 ms: five of them.
	dir = t.TempDir()
	out, stderr, status := snnsim(t, "profile", "--test-limit", "50", "--out", dir,
		"--profile-bin", "5000", "--quiet")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	var wrote []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if f, ok := strings.CutPrefix(sc.Text(), "wrote "); ok {
			wrote = append(wrote, f)
		}
	}
	for k, f := range want {
		want[k] = filepath.Join(dir, filepath.Base(f))
	}
	if !slices.Equal(wrote, want) || !strings.Contains(out, "profile · clocked mode · "+
		"50 samples · 1250 steps of 1000 µs") {
		t.Errorf("text output lists %q; want %q:\n%s", wrote, want, out)
	}
	if bins := readCSV(t, want[1]); len(bins) != 6 || bins[5][0] != "20000" {
		t.Errorf("%s with --profile-bin 5000: %q; want a header and 5 bins", want[1], bins)
	}
	checkPictures(t, want[2:])
}

// readCSV reads all the records of a CSV file.
func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// checkPictures checks that each PNG file decodes to a picture with pixels, and that
// each SVG file holds an svg element.
func checkPictures(t *testing.T, paths []string) {
	t.Helper()
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Error(err)
			continue
		}
		switch filepath.Ext(path) {
		case ".png":
			cfg, err := png.DecodeConfig(bytes.NewReader(data))
			if err != nil || cfg.Width == 0 || cfg.Height == 0 {
				t.Errorf("%s: %v, %d×%d pixels", path, err, cfg.Width, cfg.Height)
			}
		case ".svg":
			if !strings.Contains(string(data), "<svg") {
				t.Errorf("%s holds no svg element: %.100q", path, data)
			}
		default:
			t.Errorf("%s is not a picture", path)
		}
	}
}

// TestProfileCompare runs both engines on the input put on the step grid, for MNIST
// digits and for the real recording, and checks that they fire the same spikes, neuron
// by neuron, with different work; and that a synaptic delay of more than a step, which
// only the event engine has, is reported as different spikes.
func TestProfileCompare(t *testing.T) {
	mnist, davis := []int{784, 500, 10}, []int{2048, 512, 11}
	// The recording with some events 20 ms early, which the engine takes late: at the
	// time of the event before them.
	early := rewrite(t, "early.aedat", func(evs []aedat.Event) []aedat.Event {
		for k := 1000; k < len(evs); k += 10_000 {
			evs[k].Time -= 20_000
		}
		return evs
	})
	for _, c := range []struct {
		name  string
		args  []string
		sizes []int
	}{
		{"mnist event", []string{"profile", "--mode", "event", "--dataset", "mnist",
			"--test-limit", "50", "--compare"}, mnist},
		{"mnist clocked", []string{"profile", "--mode", "clocked", "--test-limit", "50",
			"--compare"}, mnist},
		{"recording", []string{"profile", "--mode", "event", "--input", davis346,
			"--compare"}, davis},
		{"recording on the grid", []string{"profile", "--mode", "event", "--input",
			davis346, "--bin", "1000", "--compare"}, davis},
		{"recording out of order", []string{"profile", "--mode", "event", "--input",
			early, "--compare"}, davis},
		{"recording out of order on the grid", []string{"profile", "--mode", "event",
			"--input", early, "--bin", "1000", "--compare"}, davis},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := decodeRun[profiled](t, c.args...).Profile
			if p == nil || p.Compare == nil {
				t.Fatalf("profile %+v: no comparison", p)
			}
			checkSummary(t, c.name, p.Summary, c.sizes, 0)
			cmp := p.Compare
			ck, ev := cmp.Clocked, cmp.Event
			checkSummary(t, c.name+", clocked", ck, c.sizes, 0)
			checkSummary(t, c.name+", event", ev, c.sizes, 0)
			if ck.Mode != "clocked" || ev.Mode != "event" || ck.Samples != p.Samples ||
				ev.Samples != p.Samples || ck.Steps != ev.Steps {
				t.Errorf("clocked: %s mode, %d samples, %d steps; event: %s mode, %d "+
					"samples, %d steps; want %d samples", ck.Mode, ck.Samples, ck.Steps,
					ev.Mode, ev.Samples, ev.Steps, p.Samples)
			}
			agree := len(ck.Bins) == len(ev.Bins)
			for k := range min(len(ck.Bins), len(ev.Bins)) {
				agree = agree && slices.Equal(ck.Bins[k].Spikes, ev.Bins[k].Spikes)
			}
			differ := false
			for l := range ck.Layers {
				a, b := ck.Layers[l], ev.Layers[l]
				same := a.Spikes == b.Spikes && slices.Equal(a.NeuronSpikes, b.NeuronSpikes)
				if !same {
					t.Errorf("%s: %d spikes clocked, %d event", a.Name, a.Spikes, b.Spikes)
				}
				agree = agree && same
				differ = differ || a.Work != b.Work
			}
			if !cmp.Same || !agree {
				t.Errorf("same spikes %v; the spikes per neuron and per bin agree: %v; want "+
					"both", cmp.Same, agree)
			}
			if !differ || ck.Layers[1].Spikes == 0 {
				t.Errorf("clocked work %+v, event work %+v, %d hidden spikes; want the "+
					"engines to differ in work on a network that fires", ck.Work, ev.Work,
					ck.Layers[1].Spikes)
			}
			cw, ew := ck.Work, ev.Work
			if !near(float64(cmp.SynapticRatio), float64(ew.Accumulates+ew.MACs)/
				float64(cw.Accumulates+cw.MACs)) ||
				!near(float64(cmp.UpdateRatio), float64(ew.Updates)/float64(cw.Updates)) ||
				!near(float64(cmp.EnergyRatio), ev.Energy.Engine/ck.Energy.Engine) {
				t.Errorf("ratios %v, %v, %v from work %+v and %+v", cmp.SynapticRatio,
					cmp.UpdateRatio, cmp.EnergyRatio, ew, cw)
			}

			// Clocked mode puts its input on the grid already, and so does --bin Δ: the
			// comparison repeats the run, over the same time.
			var again *profile.Summary
			switch c.name {
			case "mnist clocked":
				again = ck
			case "recording on the grid", "recording out of order on the grid":
				again = ev
			}
			for l, ls := range p.Layers {
				if again != nil && (!slices.Equal(ls.NeuronSpikes,
					again.Layers[l].NeuronSpikes) || p.Steps != again.Steps ||
					c.name == "mnist clocked" && ls.Work != again.Layers[l].Work) {
					t.Errorf("%s: the run and its comparison differ", ls.Name)
				}
			}
		})
	}

	out, stderr, status := snnsim(t, "profile", "--mode", "event", "--dataset", "mnist",
		"--test-limit", "50", "--compare", "--quiet")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	for _, want := range []string{
		"both engines on the input put on the 1000 µs step grid (50 samples):",
		"same spikes: yes, neuron by neuron and bin by bin; event queue: ",
		"work, event over clocked: synaptic operations 0.",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
}

// TestRunProfileRecording profiles the real recording with snnsim run and checks the
// profile, from the recorder, against the run's own counts: input spikes, spikes per
// layer, and synaptic events. The recording is one sample, so its raster holds every
// spike.
func TestRunProfileRecording(t *testing.T) {
	s := decodeRun[eventSummary](t, "run", "--mode", "event", "--input", davis346,
		"--profile")
	p := s.Profile
	if p == nil {
		t.Fatal("no profile")
	}
	checkSummary(t, "recording", p.Summary, s.Layers, 0)
	if p.Mode != "event" || p.Samples != 1 || len(p.Layers) != 1+len(s.Spikes) ||
		p.Compare != nil || p.Files != nil {
		t.Fatalf("profile of %s mode, %d samples, %d layers; want event, 1 sample, %d",
			p.Mode, p.Samples, len(p.Layers), 1+len(s.Spikes))
	}
	if p.Layers[0].Spikes != s.InputSpikes || s.InputSpikes != 117667 {
		t.Errorf("input spikes %d in the profile, %d in the run; want 117667",
			p.Layers[0].Spikes, s.InputSpikes)
	}
	total := p.Layers[0].Spikes
	for l, n := range s.Spikes {
		if ls := p.Layers[l+1]; ls.Spikes != n || n == 0 {
			t.Errorf("%s: %d spikes in the profile, %d in the run", ls.Name, ls.Spikes, n)
		}
		total += n
	}
	if w := p.Work; w.Accumulates+w.MACs != s.Synaptic || w.MACs != 0 || w.Queued == 0 {
		t.Errorf("work %+v; want the run's %d synaptic events as accumulates, and a queue",
			w, s.Synaptic)
	}
	if r := p.Raster; r.Sample != 0 || int64(len(r.Spikes)) != total {
		t.Errorf("raster of sample %d holds %d spikes; want sample 0 and all %d", r.Sample,
			len(r.Spikes), total)
	}
	if p.Steps < int64(s.SimSeconds*1000) {
		t.Errorf("%d steps of 1 ms for %v s simulated", p.Steps, s.SimSeconds)
	}
}

// TestProfileErrors checks that bad profile flags end with one clear line naming the
// flag, and leave a file given as --out alone.
func TestProfileErrors(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	blocked := t.TempDir() // a folder where a picture of the profile would go
	if err := os.Mkdir(filepath.Join(blocked, "profile-rates.svg"), 0o755); err != nil {
		t.Fatal(err)
	}
	// Every run is short, in case a check fails to stop it: no training, and few digits.
	run := []string{"run", "--epochs", "0", "--test-limit", "20"}
	prof := []string{"profile", "--test-limit", "20"}
	rec := []string{"profile", "--mode", "event", "--input", davis346}
	for _, c := range []struct {
		args []string
		want string
	}{
		{append(run, "--profile-bin", "5"), "run: --profile-bin applies only with --profile"},
		{append(run, "--pj-ac", "1"), "run: --pj-ac applies only with --profile"},
		{append(run, "--profile", "--raster", "20"),
			"run: --raster 20: the test set has 20 samples"},
		{append(prof, "--raster", "20"), "profile: --raster 20: the test set has 20 samples"},
		{append(prof, "--raster", "-1"), "--raster -1 must not be negative"},
		{append(rec, "--raster", "1"), "--raster 1: a recording is one sample"},
		{[]string{"run", "--mode", "event", "--input", davis346, "--profile", "--raster",
			"2"}, "--raster 2: a recording is one sample"},
		{append(prof, "--pj-ac", "-1"), "--pj-ac"},
		{append(prof, "--pj-mac", "NaN"), "--pj-mac"},
		{append(prof, "--pj-ac", "1e308"), "--pj-ac 1e+308 must be a number of pJ from 0"},
		{append(prof, "--profile-bin", "-1"), "--profile-bin -1"},
		{append(prof, "--out", file), "--out"},
		{append(prof, "--out", ""), "--out needs a folder"},
		{append(prof, "--out", blocked), "profile-rates.svg is a folder, where a file"},
		{append(prof, "--profile-bin", "1500"), "--profile-bin 1500 is not a multiple of " +
			"the step Δ = 1000 µs"},
		{append(prof, "--encoding", "rate", "--compare"), "--compare runs both engines: " +
			"engine: event mode takes spikes"},
		{append(prof, "--bias", "--compare"), "does not run networks with biases"},
		{append(rec, "--delay", "3000", "--compare"), "--delay 3000 would make the two " +
			"models differ"},
		{[]string{"profile", "--mode", "event", "--test-limit", "5"},
			"--mode event needs --input FILE, an AEDAT recording, or --dataset"},
		{append(prof, "--epochs", "1"), "flag provided but not defined: -epochs"},
	} {
		stdout, stderr, status := snnsim(t, c.args...)
		if status != 1 || !strings.Contains(stderr, c.want) || stdout != "" ||
			strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
			t.Errorf("snnsim %v: status %d, stdout %.200q, stderr %q; want status 1 and one "+
				"line with %q", c.args, status, stdout, stderr, c.want)
		}
		if strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
			t.Errorf("snnsim %v panicked:\n%s", c.args, stderr)
		}
	}
	if data, err := os.ReadFile(file); err != nil || string(data) != "keep" {
		t.Errorf("--out %s: the file now holds %q, %v", file, data, err)
	}

	// A comparison that cannot run is refused before training, not after it.
	save := filepath.Join(t.TempDir(), "net.snn")
	_, stderr, status := snnsim(t, "run", "--epochs", "1", "--train-limit", "20",
		"--test-limit", "20", "--save", save, "--profile", "--compare", "--encoding", "rate")
	if _, err := os.Stat(save); status != 1 || err == nil {
		t.Errorf("--compare with rate input: status %d, %s; checkpoint written: %v", status,
			stderr, err == nil)
	}
}

// TestProfileUndefinedRatios prices every operation at 0 pJ, and compares engines that
// do no synaptic work at all, which leaves ratios over zero: the JSON must still be
// written, with those ratios null.
func TestProfileUndefinedRatios(t *testing.T) {
	p := decodeRun[profiled](t, "profile", "--test-limit", "5", "--pj-ac", "0", "--pj-mac",
		"0", "--gain", "1e-30", "--compare").Profile
	if !math.IsNaN(float64(p.Energy.Ratio)) || !math.IsNaN(float64(p.Compare.SynapticRatio)) {
		t.Errorf("energy ratio %v, synaptic ratio of the engines %v; want both null",
			p.Energy.Ratio, p.Compare.SynapticRatio)
	}
	if p.Work.Accumulates != 0 || p.Compare.UpdateRatio <= 0 {
		t.Errorf("%d accumulates without input, update ratio %v", p.Work.Accumulates,
			p.Compare.UpdateRatio)
	}
}

// TestProfileWidened profiles the real recording in bins of 1 µs, which would be 177,000
// of them: they widen to keep at most profile.MaxBins, and still hold every spike.
func TestProfileWidened(t *testing.T) {
	p := decodeRun[profiled](t, "profile", "--mode", "event", "--input", davis346,
		"--profile-bin", "1").Profile
	var in int64
	for _, b := range p.Bins {
		in += b.Spikes[0]
	}
	if p.Bin != 1 || p.BinMicros != 16 || len(p.Bins) > profile.MaxBins || in != 117667 {
		t.Errorf("bins of %d µs asked for: %d of %d µs, with %d input spikes; want bins "+
			"of 16 µs, at most %d, with all 117667", p.Bin, len(p.Bins), p.BinMicros, in,
			profile.MaxBins)
	}
	stdout, _, _ := snnsim(t, "profile", "--mode", "event", "--input", davis346,
		"--profile-bin", "1", "--quiet")
	if !strings.Contains(stdout, "time bins of 16 µs, widened from the 1 µs asked for") {
		t.Errorf("the text does not say the bins were widened:\n%s", stdout)
	}
}

// TestWriteInterrupted stops the writing of --out before it begins, as Ctrl-C does, and
// checks that the folder keeps what it held.
func TestWriteInterrupted(t *testing.T) {
	p := profile.New("clocked", []int{1, 1}, []int{1}, 1000, 0, 0)
	r := p.Recorder()
	r.Begin(0, 0)
	r.Spikes(0, 0, []int32{0})
	r.End(2)
	s, err := r.Profile.Summarize(profile.DefaultCosts)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	old := filepath.Join(dir, "profile-layers.csv")
	if err := os.WriteFile(old, []byte("keep"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rep := &profileReport{Summary: s}
	err = (&profiling{out: dir}).write(ctx, rep)
	if !errors.Is(err, errInterrupted) || len(rep.Files) != 0 {
		t.Errorf("write after Ctrl-C: %v, files %q; want an interruption and none", err,
			rep.Files)
	}
	entries, _ := os.ReadDir(dir)
	if data, _ := os.ReadFile(old); len(entries) != 1 || string(data) != "keep" {
		t.Errorf("the folder holds %d entries, and %s holds %q", len(entries), old, data)
	}

	gone := filepath.Join(t.TempDir(), "new")
	err = (&profiling{out: filepath.Join(gone, "a", "b")}).write(ctx, rep)
	if !errors.Is(err, errInterrupted) {
		t.Errorf("write into new folders after Ctrl-C: %v", err)
	}
	if _, err := os.Stat(gone); err == nil {
		t.Errorf("an interrupted write left the new folder %s", gone)
	}

	// An error names the file, not the temporary folder it was written in.
	err = writeFiles(context.Background(), s, filepath.Join(dir, "missing"))
	if err == nil || !strings.HasPrefix(err.Error(), "profile-layers.csv: ") ||
		strings.Contains(err.Error(), dir) {
		t.Errorf("writing into a missing folder: %v; want the file named alone", err)
	}
}

// TestProfileGesture profiles the test set of a folder in the DVS128 Gesture layout,
// built from the real recording: one sample per labelled window of the test users, each
// window a copy of the recording.
func TestProfileGesture(t *testing.T) {
	dir := t.TempDir()
	if err := dvsgesturetest.Build(dir, davis346, []int{1, 2, 24}, 23); err != nil {
		t.Fatal(err)
	}
	windows := 0
	trials, err := os.ReadFile(filepath.Join(dir, dvsgesture.Test))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range strings.Fields(string(trials)) {
		labels := strings.TrimSuffix(name, ".aedat") + "_labels.csv"
		windows += len(readCSV(t, filepath.Join(dir, labels))) - 1
	}

	s := decodeRun[summary](t, "profile", "--mode", "event", "--dataset", "dvsgesture",
		"--data", dir, "--hidden", "30", "--grid", "16x16")
	p := s.Profile
	if p == nil {
		t.Fatal("no profile")
	}
	checkSummary(t, "gesture", p.Summary, s.Layers, 0)
	if windows != 12 || p.Mode != "event" || p.Samples != int64(windows) ||
		s.TestSamples != windows || s.Dataset != "dvsgesture" {
		t.Errorf("%s mode on %s: %d samples, %d tested; want event on dvsgesture and the "+
			"%d test windows", p.Mode, s.Dataset, p.Samples, s.TestSamples, windows)
	}
	for l, ls := range p.Layers {
		if !near(float64(ls.Spikes), s.SpikesPerSample[l]*float64(p.Samples)) {
			t.Errorf("%s: %d spikes in the profile, %v per sample in the run", ls.Name,
				ls.Spikes, s.SpikesPerSample[l])
		}
	}
	if in := p.Layers[0].Spikes; in != 117667*p.Samples {
		t.Errorf("%d input spikes; want the recording's 117667 in each of %d windows", in,
			p.Samples)
	}
}

// TestProfileEdges covers a recording without events, a failed run that must leave no
// --out folder behind, and samples long enough for the membranes to be rebased, which
// must not count as updates: the clocked engine updates each membrane once a step.
func TestProfileEdges(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.aedat")
	header := "#!AER-DAT2.0\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n"
	if err := os.WriteFile(empty, []byte(header), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, status := snnsim(t, "profile", "--mode", "event", "--input", empty)
	if status != 1 || !strings.Contains(stderr, "holds no polarity events to profile") ||
		!strings.Contains(stdout, "events read      0") {
		t.Errorf("empty recording: status %d, stdout %q, stderr %q", status, stdout, stderr)
	}

	out := filepath.Join(dir, "new")
	if _, _, status := snnsim(t, "profile", "--out", out, "--dataset", "cifar"); status != 1 {
		t.Errorf("--dataset cifar: status %d, want 1", status)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("a failed run left --out %s behind", out)
	}

	p := decodeRun[profiled](t, "profile", "--steps", "300", "--test-limit", "5")
	if w := p.Profile.Work; w.Updates != w.ClockedUpdates || w.UpdateRatio != 1 {
		t.Errorf("300 steps in clocked mode: %d membrane updates against %d clocked ones",
			w.Updates, w.ClockedUpdates)
	}
}

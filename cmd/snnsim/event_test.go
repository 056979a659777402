package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"image"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/snnsim/snnsim/aedat"
	"github.com/snnsim/snnsim/dvsgesture/dvsgesturetest"
	"github.com/snnsim/snnsim/events"
)

var davis346 = filepath.Join("..", "..", "aedat", "testdata", "davis346_aestream.aedat4")

// davisLabels are label rows for the DAVIS346 recording, out of order and with a class
// twice, as DVS128 Gesture label files may be: three windows of 40 ms.
const davisLabels = "class,startTime_usec,endTime_usec\n" +
	"4,1633953691055950,1633953691095950\n" +
	"2,1633953690975950,1633953691015950\n" +
	"4,1633953691015950,1633953691055950\n"

func runEventJSON(t *testing.T, args ...string) eventSummary {
	t.Helper()
	out, stderr, status := snnsim(t, append([]string{"run", "--mode", "event", "--json",
		"--quiet"}, args...)...)
	if status != 0 {
		t.Fatalf("run %v: status %d: %s", args, status, stderr)
	}
	var s eventSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("run %v: %v in %q", args, err, out)
	}
	return s
}

// TestRunEvent streams the real DAVIS346 recording through the default network and
// checks the counts: every event read and mapped, the synaptic events equal to the
// spikes times their fan-out, and one answer per labelled window.
func TestRunEvent(t *testing.T) {
	dir := t.TempDir()
	labels := filepath.Join(dir, "labels.csv")
	if err := os.WriteFile(labels, []byte(davisLabels), 0o644); err != nil {
		t.Fatal(err)
	}
	s := runEventJSON(t, "--input", davis346, "--labels", labels)

	if s.Events != 117667 || s.InputSpikes != 117667 || s.Outside != 0 || s.Late != 0 {
		t.Errorf("events %d, input spikes %d, outside %d, late %d; want 117667 read and "+
			"mapped", s.Events, s.InputSpikes, s.Outside, s.Late)
	}
	if len(s.Layers) != 3 || s.Layers[0] != 2048 || s.Layers[1] != 512 || s.Layers[2] != 11 {
		t.Errorf("layers %v, want 2048-512-11", s.Layers)
	}
	if len(s.Spikes) != 2 || s.Spikes[0] == 0 || s.Spikes[1] == 0 {
		t.Fatalf("spikes per layer %v: the network should fire", s.Spikes)
	}
	if want := s.InputSpikes*512 + s.Spikes[0]*11; s.Synaptic != want {
		t.Errorf("synaptic events %d, want %d·512 + %d·11 = %d",
			s.Synaptic, s.InputSpikes, s.Spikes[0], want)
	}
	if s.SimSeconds < 0.129 || s.SimSeconds > 0.131 {
		t.Errorf("simulated %v s, want 0.13", s.SimSeconds)
	}
	if len(s.Windows) != 3 || s.Accuracy == nil {
		t.Fatalf("windows %+v, accuracy %v; want three windows", s.Windows, s.Accuracy)
	}
	right, inWindows := 0, 0
	for k, w := range s.Windows {
		if k > 0 && w.Start < s.Windows[k-1].Start {
			t.Errorf("windows out of order: %+v", s.Windows)
		}
		best := 0
		for j, n := range w.Spikes {
			inWindows += n
			if n > w.Spikes[best] {
				best = j
			}
		}
		if w.Predicted != best+1 {
			t.Errorf("window %d: predicted %d, but output neuron %d fired most: %v",
				k, w.Predicted, best, w.Spikes)
		}
		if w.Predicted == w.Class {
			right++
		}
	}
	if inWindows == 0 || int64(inWindows) > s.Spikes[1] {
		t.Errorf("%d output spikes in the windows, %d in all", inWindows, s.Spikes[1])
	}
	if *s.Accuracy != float64(right)/3 {
		t.Errorf("accuracy %v, want %v", *s.Accuracy, float64(right)/3)
	}

	// The same recording, with its label file found beside it: the same run, exactly.
	rec := filepath.Join(dir, "davis.aedat4")
	data, err := os.ReadFile(davis346)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(rec, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "davis_labels.csv"), []byte(davisLabels),
		0o644); err != nil {
		t.Fatal(err)
	}
	again := runEventJSON(t, "--input", rec)
	if again.Synaptic != s.Synaptic || again.Spikes[1] != s.Spikes[1] ||
		len(again.Windows) != 3 || *again.Accuracy != *s.Accuracy {
		t.Errorf("second run differs: %+v\nfirst: %+v", again, s)
	}

	// Another seed draws other weights.
	other := runEventJSON(t, "--input", davis346, "--seed", "2")
	if other.Spikes[0] == s.Spikes[0] {
		t.Errorf("seeds 1 and 2 fired the same %d hidden spikes", s.Spikes[0])
	}
}

// TestRunEventText checks the readable summary.
func TestRunEventText(t *testing.T) {
	out, stderr, status := snnsim(t, "run", "--mode", "event", "--input", davis346, "--quiet",
		"--grid", "16x8", "--roi", "10,20,300,200", "--hidden", "64,32")
	if status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	for _, want := range []string{"AEDAT 4.0, DAVIS346 346×260) · 256-64-32-11",
		"Δ=1ms τ=20ms (α=0.9512) · delay 1ms · grid 16x8×2 over 10,20 300×200 · seed 1",
		"spikes           hidden 1 ", "events read      117667 polarity events, ", "outside the region",
		"skipped          frame 3, imu 13, trigger 11 packets", "synaptic events",
		"events/s"} {
		if !strings.Contains(out, want) {
			t.Errorf("summary lacks %q:\n%s", want, out)
		}
	}
}

// TestRunEventTruncated cuts the real recording in half: the run reports the events
// decoded before the fault, then the fault, naming the file and the byte offset.
func TestRunEventTruncated(t *testing.T) {
	data, err := os.ReadFile(davis346)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(t.TempDir(), "cut.aedat4")
	if err := os.WriteFile(cut, data[:len(data)/2], 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, status := snnsim(t, "run", "--mode", "event", "--input", cut, "--json",
		"--quiet")
	var s eventSummary
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v in %q", err, out)
	}
	if status != 1 || !strings.Contains(stderr, "cut.aedat4: byte ") || s.Fault == "" {
		t.Errorf("status %d, stderr %q, fault %q; want 1 and the file and byte", status,
			stderr, s.Fault)
	}
	if s.Events == 0 || s.Events >= 117667 || s.InputSpikes != s.Events || s.Spikes[0] == 0 {
		t.Errorf("%d events, %d input spikes, spikes %v; want those before the fault",
			s.Events, s.InputSpikes, s.Spikes)
	}
	out, _, status = snnsim(t, "run", "--mode", "event", "--input", cut, "--quiet")
	if want := fmt.Sprintf("events read      %d polarity events, up to a fault in the "+
		"file; every figure here covers only them\n", s.Events); status != 1 ||
		!strings.Contains(out, want) {
		t.Errorf("status %d, text %q; want 1 and %q", status, out, want)
	}
}

// TestRunEventBadInput checks that bad event-mode flags end with one clear line.
func TestRunEventBadInput(t *testing.T) {
	dir := t.TempDir()
	badLabels := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(badLabels, []byte("class,startTime_usec,endTime_usec\n1,5\n"),
		0o644); err != nil {
		t.Fatal(err)
	}
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	header := "class,startTime_usec,endTime_usec\n"
	class0 := write("class0.csv", header+"0,1633953690975950,1633953691000000\n")
	class12 := write("class12.csv", header+"12,1633953690975950,1633953691000000\n")
	empty := write("empty.csv", header)
	ev := []string{"run", "--mode", "event", "--input", davis346}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--mode", "event"}, "needs --input FILE"},
		{[]string{"run", "--mode", "event", "--input", filepath.Join(dir, "no.aedat")},
			"no.aedat"},
		{[]string{"run", "--mode", "event", "--input", dir}, "is a folder"},
		{append(ev, "--epochs", "2"), "--epochs does not apply to a recording (--input)"},
		{append(ev, "--alpha", "0.9"), "--alpha does not apply to a recording"},
		{[]string{"run", "--input", davis346}, "--input applies only to --mode event"},
		{append(ev, "--grid", "0x4"), `--grid "0x4"`},
		{append(ev, "--grid", "400x4"), "do not fit"},
		{append(ev, "--roi", "1,2,3"), `--roi "1,2,3"`},
		{append(ev, "--roi", "300,0,100,100"), "not inside"},
		{append(ev, "--sensor", "axb"), `--sensor "axb"`},
		{append(ev, "--tau", "-1"), "--tau -1"},
		{append(ev, "--dt", "0"), "--dt 0"},
		{append(ev, "--classes", "0"), "--classes 0"},
		{append(ev, "--bin", "-5"), "--bin -5"},
		{[]string{"run", "--mode", "event", "--dataset", "mnist", "--rule", "hebb"},
			`unknown rule "hebb"`},
		{[]string{"run", "--mode", "event", "--dataset", "mnist", "--rule", "trace",
			"--lambda", "2"}, "λ 2"},
		{[]string{"run", "--mode", "event", "--dataset", "mnist", "--bin", "500"},
			"--bin 500: with --dataset"},
		{[]string{"run", "--mode", "event", "--dataset", "mnist", "--grid", "8x8"},
			"--grid applies only to a recording"},
		{[]string{"run", "--mode", "event", "--dataset", "mnist", "--encoding", "rate"},
			"event mode takes spikes"},
		{[]string{"run", "--rule", "trace"}, "--rule applies only to --mode event"},
		{append(ev, "--init-sigma", "0.1"), "1 deviations for 2 layers"},
		{append(ev, "--init-sigma", "0.1,x"), `"x" is not a positive number`},
		{append(ev, "--labels", badLabels), "bad.csv: byte 34: line 2"},
		{append(ev, "--labels", ""), "--labels needs a path"},
		{append(ev, "--load", filepath.Join(dir, "none.snn")), "none.snn"},
		{append(ev, "--load", ""), "--load needs a path"},
		{append(ev, "--labels", class0), "class 0 is not among the 11 output neurons"},
		{append(ev, "--labels", class12), "class 12 is not among the 11 output neurons"},
		{append(ev, "--labels", empty), "empty.csv has no labelled windows"},
		{append(ev, "--labels", dir), "is a folder"},
		{append(ev, "--init-gain", "1", "--init-sigma", "0.1,0.1"), "not both"},
		{append(ev, "--init-gain", "1e200"), "initial weight gain 1e+200 must be a " +
			"positive number up to 1e+06"},
		{append(ev, "--init-sigma", "0.1,1e40"), "initial weight deviation 1e+40"},
		{append(ev, "--delay", "9223372036854775807"), "--delay 9223372036854775807 must be"},
		{append(ev, "--tau", "0.001"), "--tau 0.001 ms give α = exp(−Δ/τ) = 0"},
		{append(ev, "--sensor", "100x100"), "gives its sensor as 346×260"},
		{append(ev, "--beta", "3"), "--beta does not apply to a recording"},
		{append(ev, "--rule", "trace"), "--rule does not apply to a recording"},
		{[]string{"run", "--mode", "event", "--dataset", "mnist", "--lambda", "0.5"},
			"--lambda is the decay of --rule trace"},
		{[]string{"run", "--mode", "event", "--dataset", "mnist", "--delay", "0"},
			"--delay 0 must be a positive"},
		{[]string{"run", "--init-sigma", "0.1"}, "1 deviations for 2 layers"},
	} {
		stdout, stderr, status := snnsim(t, c.args...)
		if status != 1 || !strings.Contains(stderr, c.want) ||
			strings.Count(strings.TrimSpace(stderr), "\n") > 0 || stdout != "" {
			t.Errorf("snnsim %v: status %d, stdout %q, stderr %q; want status 1 and one line with %q",
				c.args, status, stdout, stderr, c.want)
		}
	}
}

// TestRunEventBin puts the recording on a 1 ms grid and checks the input spikes against
// the distinct (millisecond, input neuron) pairs counted straight from the file.
func TestRunEventBin(t *testing.T) {
	s := runEventJSON(t, "--input", davis346, "--bin", "1000")

	f, err := aedat.Open(davis346)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	grid, err := events.NewGrid(346, 260, image.Rectangle{}, 32, 32)
	if err != nil {
		t.Fatal(err)
	}
	pairs := map[[2]int64]bool{}
	var first int64 = -1
	for f.Next() {
		e := f.Event()
		if first < 0 {
			first = e.Time
		}
		n, _ := grid.Neuron(int(e.X), int(e.Y), e.On)
		pairs[[2]int64{(e.Time - first) / 1000, int64(n)}] = true
	}
	if s.InputSpikes != int64(len(pairs)) || s.InputSpikes+s.Merged != 117667 {
		t.Errorf("input spikes %d, merged %d; the file has %d distinct (ms, input) pairs "+
			"in 117667 events", s.InputSpikes, s.Merged, len(pairs))
	}
	if s.Bin != 1000 || s.Spikes[0] == 0 {
		t.Errorf("bin %d, spikes %v", s.Bin, s.Spikes)
	}
}

// TestRunEventLoad runs a network trained in clocked mode on the recording, through a
// 28×14×2 grid that gives the 784 inputs of an MNIST network, and refuses one with
// biases, which the event engine does not run.
func TestRunEventLoad(t *testing.T) {
	dir := t.TempDir()
	for _, bias := range []bool{false, true} {
		path := filepath.Join(dir, "net.snn")
		args := []string{"run", "--hidden", "20", "--epochs", "1", "--train-limit", "300",
			"--test-limit", "50", "--save", path, "--quiet"}
		if bias {
			args = append(args, "--bias")
		}
		if _, stderr, status := snnsim(t, args...); status != 0 {
			t.Fatalf("training: status %d: %s", status, stderr)
		}
		out, stderr, status := snnsim(t, "run", "--mode", "event", "--input", davis346,
			"--grid", "28x14", "--load", path, "--json", "--quiet")
		if bias {
			if status != 1 || !strings.Contains(stderr, path+": engine: the event engine "+
				"does not run networks with biases") {
				t.Errorf("biased network: status %d, stderr %q", status, stderr)
			}
			continue
		}
		var s eventSummary
		if err := json.Unmarshal([]byte(out), &s); status != 0 || err != nil {
			t.Fatalf("status %d, %v: %s", status, err, stderr)
		}
		if len(s.Layers) != 3 || s.Layers[0] != 784 || s.Layers[1] != 20 || s.Layers[2] != 10 ||
			s.Load != path || s.InputSpikes != 117667 {
			t.Errorf("loaded run: %+v", s)
		}
		if math.Abs(s.Alpha-0.9) > 1e-6 || math.Abs(s.TauMillis-9.491) > 1e-3 {
			t.Errorf("α %v, τ %v ms; want the checkpoint's 0.9 and τ = −1 ms/ln 0.9", s.Alpha,
				s.TauMillis)
		}
	}
}

// TestRunEventTimes runs a jAER file whose two events have negative timestamps, and label
// windows that miss the recording.
func TestRunEventTimes(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "negative.aedat")
	data := []byte("#!AER-DAT2.0\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n")
	for _, ts := range []int32{-16, -11} {
		data = binary.BigEndian.AppendUint32(data, 0)
		data = binary.BigEndian.AppendUint32(data, uint32(ts))
	}
	if err := os.WriteFile(rec, data, 0o644); err != nil {
		t.Fatal(err)
	}
	labels := filepath.Join(dir, "far.csv")
	if err := os.WriteFile(labels, []byte("class,startTime_usec,endTime_usec\n"+
		"1,0,10\n2,100,200\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s := runEventJSON(t, "--input", rec, "--labels", labels)
	if s.Events != 2 || s.SimSeconds != 5e-6 || s.Width != 128 {
		t.Errorf("%d events over %v s on a %d-wide sensor; want 2 over 5 µs on 128",
			s.Events, s.SimSeconds, s.Width)
	}
	if s.Missed != 2 || len(s.Windows) != 2 || *s.Accuracy != 0 {
		t.Errorf("windows %+v, %d outside, accuracy %v; want 2 outside and 0",
			s.Windows, s.Missed, *s.Accuracy)
	}
}

// rewrite writes the polarity events of the real recording, as edit changes them, to a
// new AEDAT 3.1 file called name, and returns its path.
func rewrite(t *testing.T, name string, edit func([]aedat.Event) []aedat.Event) string {
	t.Helper()
	f, err := aedat.Open(davis346)
	if err != nil {
		t.Fatal(err)
	}
	var evs []aedat.Event
	for f.Next() {
		evs = append(evs, f.Event())
	}
	info := f.Info()
	f.Close()
	path := filepath.Join(t.TempDir(), name)
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	w, err := aedat.NewWriter(out, info)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range edit(evs) {
		if err := w.Write(e); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunEventInterrupt sends SIGINT to an event run over a long recording, made of the
// real one written 20 times over as AEDAT 3.1, and expects status 130 soon after.
func TestRunEventInterrupt(t *testing.T) {
	path := rewrite(t, "long.aedat", func(evs []aedat.Event) []aedat.Event {
		var long []aedat.Event
		span := evs[len(evs)-1].Time - evs[0].Time + 1
		for k := range int64(20) {
			for _, e := range evs {
				e.Time += k * span
				long = append(long, e)
			}
		}
		return long
	})

	cmd := exec.Command(command, "run", "--mode", "event", "--input", path, "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitInterrupted ||
		!strings.Contains(stderr.String(), "interrupted after") {
		t.Fatalf("after SIGINT: %v, stderr %q; want status %d", err, stderr.String(),
			exitInterrupted)
	}
}

// TestRunEventDataset trains briefly in event mode with each rule, then evaluates a
// network saved in clocked mode in event mode on input on the step grid: the same test
// accuracy, loss and spikes as clocked mode gives.
func TestRunEventDataset(t *testing.T) {
	small := []string{"--hidden", "40", "--epochs", "1", "--train-limit", "300",
		"--test-limit", "100", "--json", "--quiet"}
	for _, rule := range []string{"eprop", "trace"} {
		out, stderr, status := snnsim(t, append([]string{"run", "--mode", "event",
			"--dataset", "mnist", "--rule", rule}, small...)...)
		var s summary
		if err := json.Unmarshal([]byte(out), &s); status != 0 || err != nil {
			t.Fatalf("rule %s: status %d, %v: %s", rule, status, err, stderr)
		}
		if s.Mode != "event" || s.TestSamples != 100 || s.Train == nil ||
			s.SpikesPerSample[1] == 0 {
			t.Errorf("rule %s: %+v", rule, s)
		}
	}

	path := filepath.Join(t.TempDir(), "net.snn")
	save := []string{"run", "--hidden", "40", "--epochs", "1", "--train-limit", "300",
		"--test-limit", "10", "--quiet", "--save", path}
	if _, stderr, status := snnsim(t, save...); status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	// A checkpoint saved in event mode keeps its rule and step when loaded.
	evPath := filepath.Join(t.TempDir(), "ev.snn")
	ev := []string{"run", "--mode", "event", "--dataset", "mnist", "--rule", "trace",
		"--dt", "500", "--hidden", "20", "--epochs", "1", "--train-limit", "100",
		"--test-limit", "20", "--quiet", "--save", evPath}
	if _, stderr, status := snnsim(t, ev...); status != 0 {
		t.Fatalf("status %d: %s", status, stderr)
	}
	out, stderr, status := snnsim(t, "run", "--mode", "event", "--dataset", "mnist", "--load",
		evPath, "--test-limit", "20", "--json", "--quiet")
	var loaded summary
	if err := json.Unmarshal([]byte(out), &loaded); status != 0 || err != nil {
		t.Fatalf("status %d, %v: %s", status, err, stderr)
	}
	if loaded.Rule != "trace" || loaded.Micros != 500 {
		t.Errorf("loaded event checkpoint: rule %q, Δ %d µs; want trace and 500",
			loaded.Rule, loaded.Micros)
	}

	var modes [2]summary
	for k, args := range [][]string{
		{"run", "--load", path, "--test-limit", "200", "--json", "--quiet"},
		{"run", "--mode", "event", "--dataset", "mnist", "--bin", "1000", "--load", path,
			"--test-limit", "200", "--json", "--quiet"},
	} {
		out, stderr, status := snnsim(t, args...)
		if err := json.Unmarshal([]byte(out), &modes[k]); status != 0 || err != nil {
			t.Fatalf("%v: status %d, %v: %s", args, status, err, stderr)
		}
	}
	c, e := modes[0], modes[1]
	if c.Mode != "clocked" || e.Mode != "event" || c.TestAccuracy != e.TestAccuracy ||
		!slices.Equal(c.SpikesPerSample, e.SpikesPerSample) {
		t.Errorf("clocked %+v\nevent %+v\nwant the same accuracy and spikes", c, e)
	}
}

// TestRunGesture trains and tests on a folder in the DVS128 Gesture layout, built from
// the real recording: users 1 and 2 train, user 24 tests.
func TestRunGesture(t *testing.T) {
	dir := t.TempDir()
	if err := dvsgesturetest.Build(dir, davis346, []int{1, 2, 24}, 23); err != nil {
		t.Fatal(err)
	}
	out, stderr, status := snnsim(t, "run", "--mode", "event", "--dataset", "dvsgesture",
		"--data", dir, "--epochs", "1", "--window", "50", "--hidden", "30", "--grid", "16x16",
		"--json", "--quiet")
	var s summary
	if err := json.Unmarshal([]byte(out), &s); status != 0 || err != nil {
		t.Fatalf("status %d, %v: %s", status, err, stderr)
	}
	if s.Dataset != "dvsgesture" || s.Layers[0] != 512 || s.Layers[2] != 11 ||
		s.PerClass[0] == nil ||
		s.Train == nil || s.Train.Samples != 24 || s.TestSamples != 12 ||
		len(s.PerClass) != 11 || s.Window != 50 || s.SpikesPerSample[0] != 117667 {
		t.Errorf("summary %+v", s)
	}

	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--dataset", "dvsgesture", "--data", dir}, "needs --mode event"},
		{[]string{"run", "--mode", "event", "--dataset", "dvsgesture"}, "needs --data DIR"},
		{[]string{"run", "--mode", "event", "--dataset", "dvsgesture", "--data", t.TempDir()},
			"trials_to_train.txt"},
		{[]string{"run", "--mode", "event", "--dataset", "cifar"}, `unknown --dataset "cifar"`},
		{[]string{"run", "--mode", "event", "--dataset", "dvsgesture", "--data", dir, "--bin",
			"1000"}, "--bin does not apply to --dataset dvsgesture"},
		{[]string{"run", "--mode", "event", "--dataset", "dvsgesture", "--data", dir, "--steps",
			"30"}, "--steps does not apply to --dataset dvsgesture"},
	} {
		stdout, stderr, status := snnsim(t, c.args...)
		if status != 1 || !strings.Contains(stderr, c.want) || stdout != "" {
			t.Errorf("snnsim %v: status %d, stderr %q; want status 1 and %q", c.args, status,
				stderr, c.want)
		}
	}
}

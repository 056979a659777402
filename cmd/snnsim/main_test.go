package main

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/snnsim/snnsim/engine"
)

// command is the snnsim command built once for the tests that run it as a user would.
var command string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "snnsim-test")
	if err != nil {
		panic(err)
	}
	command = filepath.Join(dir, "snnsim")
	build := exec.Command("go", "build", "-o", command, ".")
	build.Stderr = os.Stderr
	if err := build.Run(); err != nil {
		panic("building snnsim: " + err.Error())
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// snnsim runs the command and returns its stdout, stderr and exit status.
func snnsim(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	cmd := exec.Command(command, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		status = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), status
}

// TestBadInput checks that bad flags and bad data end with one clear line on stderr and a
// non-zero status, never a stack trace.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "mnist")
	if err := os.Mkdir(bad, 0o755); err != nil {
		t.Fatal(err)
	}
	// An image file cut off inside its header.
	if err := os.WriteFile(filepath.Join(bad, "train-images-idx3-ubyte"),
		[]byte{0, 0, 8, 3, 0, 0}, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--window", "30"}, "window 30 must be between 1 and the 25 steps"},
		{[]string{"run", "--gain", "-1"}, "gain -1"},
		{[]string{"run", "--lr", "-0.1"}, "learning rate -0.1"},
		{[]string{"run", "--encoding", "latency"}, `unknown encoding "latency"`},
		{[]string{"run", "--hidden", "500,x"}, `"x" is not a positive layer size`},
		{[]string{"run", "--mode", "batch"}, `unknown --mode "batch"`},
		{[]string{"run", "--dataset", "cifar"}, `unknown --dataset "cifar"`},
		{[]string{"run", "--data", dir}, "no train-images-idx3-ubyte"},
		{[]string{"run", "--data", bad}, "train-images-idx3-ubyte"},
		{[]string{"run", "--load", filepath.Join(dir, "none.snn")}, "none.snn"},
		{[]string{"run", "--load", "x.snn", "--hidden", "10"}, "--hidden cannot be combined"},
		{[]string{"run", "--load", ""}, "--load needs a path"},
		{[]string{"run", "--save", filepath.Join(dir, "none", "x.snn")}, "cannot write in"},
		{[]string{"run", "--save", dir}, "is a folder"},
		{[]string{"run", "--gain", "2", "--encoding", "rate"}, "--gain applies only"},
		{[]string{"run", "--steps", "0"}, "steps 0"},
		{[]string{"run", "--hidden", "100000000"}, "sizes must be between"},
		{[]string{"run", "--batch", "10000000000"}, "batch size"},
		{[]string{"run", "--beta", "inf"}, "beta +Inf"},
		{[]string{"run", "--clip", "-1"}, "gradient clip -1"},
		{[]string{"run", "--foo"}, "flag provided but not defined"},
		{[]string{"bogus"}, `unknown command "bogus"`},
	} {
		stdout, stderr, status := snnsim(t, c.args...)
		if status != 1 || !strings.Contains(stderr, c.want) ||
			strings.Count(strings.TrimSpace(stderr), "\n") > 0 || stdout != "" {
			t.Errorf("snnsim %v: status %d, stdout %q, stderr %q; want status 1 and one line with %q",
				c.args, status, stdout, stderr, c.want)
		}
		if strings.Contains(stderr, "goroutine") || strings.Contains(stderr, "panic") {
			t.Errorf("snnsim %v panicked:\n%s", c.args, stderr)
		}
	}
}

// TestSaveLoadSameAccuracy trains briefly with --save, then evaluates the checkpoint with
// --load, and checks that both report the same test accuracy.
func TestSaveLoadSameAccuracy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "net.snn")
	common := []string{"--test-limit", "500", "--json", "--quiet"}
	out, stderr, status := snnsim(t, append([]string{"run", "--mode", "clocked", "--dataset",
		"mnist", "--train-limit", "1000", "--epochs", "1", "--save", path}, common...)...)
	if status != 0 {
		t.Fatalf("training: status %d: %s", status, stderr)
	}
	var trained, loaded summary
	if err := json.Unmarshal([]byte(out), &trained); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	out, stderr, status = snnsim(t, append([]string{"run", "--load", path}, common...)...)
	if status != 0 {
		t.Fatalf("evaluating: status %d: %s", status, stderr)
	}
	if err := json.Unmarshal([]byte(out), &loaded); err != nil {
		t.Fatalf("summary %q: %v", out, err)
	}
	if trained.TestSamples != 500 || trained.TestAccuracy != loaded.TestAccuracy ||
		trained.Train == nil || loaded.Train != nil || loaded.EpochsTotal != 1 {
		t.Errorf("trained %+v\nloaded %+v", trained, loaded)
	}
	if trained.TestAccuracy < 0.3 {
		t.Errorf("test accuracy %.3f after an epoch on 1,000 digits", trained.TestAccuracy)
	}
}

// TestInterruptKeepsCheckpoint sends SIGINT in the middle of training and checks that the
// command stops with status 130 and that the last checkpoint still loads.
func TestInterruptKeepsCheckpoint(t *testing.T) {
	path := filepath.Join(t.TempDir(), "net.snn")
	cmd := exec.Command(command, "run", "--train-limit", "2000", "--test-limit", "100",
		"--epochs", "1000", "--save", path, "--quiet")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := os.Stat(path); err == nil {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no checkpoint appeared")
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond) // well into a later epoch
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("after SIGINT: %v, stderr %q; want status %d", err, stderr.String(), exitInterrupted)
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr %q does not say it was interrupted", stderr.String())
	}
	tr, err := engine.Load(path)
	if err != nil {
		t.Fatalf("checkpoint after interrupt: %v", err)
	}
	if tr.Epoch < 1 {
		t.Errorf("checkpoint holds epoch %d", tr.Epoch)
	}
}

func TestHelpExplainsFlags(t *testing.T) {
	out, _, status := snnsim(t, "run", "--help")
	if status != 0 {
		t.Fatalf("run --help: status %d", status)
	}
	for _, flag := range []string{"--epochs", "--steps", "--window", "--hidden", "--encoding",
		"--lr", "--batch", "--seed", "--save", "--load", "--json", "--data"} {
		if !strings.Contains(out, flag) {
			t.Errorf("run --help does not explain %s", flag)
		}
	}
	if !strings.Contains(out, "(default: 25)") {
		t.Errorf("run --help does not show the default of --steps:\n%s", out)
	}
}

// TestInspect describes the real DAVIS346 recording and checks the counts its provenance
// note gives, then a file that breaks off: described up to the fault, status 1.
func TestInspect(t *testing.T) {
	out, stderr, status := snnsim(t, "inspect", "--json",
		filepath.Join("..", "..", "aedat", "testdata", "davis346_aestream.aedat4"))
	if status != 0 {
		t.Fatalf("inspect: status %d: %s", status, stderr)
	}
	var rec recording
	if err := json.Unmarshal([]byte(out), &rec); err != nil {
		t.Fatalf("inspect --json %q: %v", out, err)
	}
	if rec.Version != "4.0" || rec.Width != 346 || rec.Height != 260 || rec.Events != 117667 ||
		rec.On != 72363 || rec.Off != 117667-72363 || rec.Skipped["frame"] == 0 {
		t.Errorf("inspect: %+v", rec)
	}
	if span := rec.Last - rec.First; span < 120_000 || span > 140_000 {
		t.Errorf("inspect: time span %d µs, want about 0.13 s", span)
	}

	// Two DVS128 events at −16 µs and −11 µs: the time range is theirs, not zero's.
	neg := filepath.Join(t.TempDir(), "negative.aedat")
	data := []byte("#!AER-DAT2.0\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n")
	for _, ts := range []int32{-16, -11} {
		data = binary.BigEndian.AppendUint32(data, 0)
		data = binary.BigEndian.AppendUint32(data, uint32(ts))
	}
	if err := os.WriteFile(neg, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, status = snnsim(t, "inspect", "--json", neg)
	rec = recording{}
	if err := json.Unmarshal([]byte(out), &rec); status != 0 || err != nil {
		t.Fatalf("inspect %s: status %d, %v: %s", neg, status, err, stderr)
	}
	if rec.Events != 2 || rec.First != -16 || rec.Last != -11 {
		t.Errorf("inspect %s: %d events from %d to %d µs, want 2 from -16 to -11",
			neg, rec.Events, rec.First, rec.Last)
	}

	out, stderr, status = snnsim(t, "inspect",
		filepath.Join("..", "..", "aedat", "testdata", "dvs128_jaer_header_only.aedat"))
	if status != 1 || !strings.Contains(out, "DVS128, 128×128") ||
		!strings.Contains(stderr, "truncated record") {
		t.Errorf("inspect of a broken file: status %d\nstdout %s\nstderr %s", status, out, stderr)
	}
}

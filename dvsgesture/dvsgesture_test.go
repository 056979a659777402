package dvsgesture_test

import (
	"image"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/snnsim/snnsim/dvsgesture"
	"github.com/snnsim/snnsim/dvsgesture/dvsgesturetest"
	"github.com/snnsim/snnsim/events"
)

const recording = "../aedat/testdata/davis346_aestream.aedat4"

func grid(t *testing.T) *events.Grid {
	t.Helper()
	g, err := events.NewGrid(dvsgesture.Sensor, dvsgesture.Sensor, image.Rectangle{}, 32, 32)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// TestSplit builds a folder of four trials from the real recording, users 1 to 3 for
// training and 4 for testing, and checks what each split holds: 12 windows per trial,
// ordered by start although the label rows are not, class 8 twice, and every real event
// of a window mapped to an input, with times from the window's start.
func TestSplit(t *testing.T) {
	dir := t.TempDir()
	if err := dvsgesturetest.Build(dir, recording, []int{1, 2, 3, 4}, 3); err != nil {
		t.Fatal(err)
	}
	train, err := dvsgesture.Open(dir, dvsgesture.Train, grid(t))
	if err != nil {
		t.Fatal(err)
	}
	test, err := dvsgesture.Open(dir, dvsgesture.Test, grid(t))
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 36 || test.Len() != 12 {
		t.Fatalf("%d training and %d test windows, want 36 and 12", train.Len(), test.Len())
	}
	for i := range train.Len() {
		if u := filepath.Base(train.File(i))[:6]; u != "user01" && u != "user02" && u != "user03" {
			t.Errorf("training window %d comes from %s", i, u)
		}
	}
	if u := filepath.Base(test.File(0)); !strings.HasPrefix(u, "user04") {
		t.Errorf("test window from %s, want user04", u)
	}
	want := []int{3, 1, 8, 2, 5, 4, 11, 6, 8, 7, 10, 9}
	eights := 0
	for k, c := range want {
		if got := test.Label(k) + 1; got != c {
			t.Errorf("window %d: class %d, want %d", k, got, c)
		}
		if c == 8 {
			eights++
		}
	}
	if eights != 2 {
		t.Fatal("the built labels do not repeat class 8")
	}

	spikes, duration, err := test.Sample(5, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(spikes) != 117667 || duration < 129_000 || duration > 131_000 {
		t.Errorf("window 5: %d spikes over %d µs, want the 117667 events over 0.13 s",
			len(spikes), duration)
	}
	for _, s := range spikes {
		if s.Time < 0 || s.Time >= duration || s.Input < 0 || s.Input >= 2048 {
			t.Fatalf("spike %+v outside the window or the grid", s)
		}
	}
	other, _, err := test.Sample(6, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(other) != len(spikes) || other[100] == spikes[100] {
		t.Errorf("windows of classes %d and %d: the same spikes", test.Label(5)+1,
			test.Label(6)+1)
	}
}

// TestOpenErrors checks that faults in the folder are named.
func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := dvsgesture.Open(dir, dvsgesture.Train, grid(t)); err == nil ||
		!strings.Contains(err.Error(), dvsgesture.Train) {
		t.Errorf("missing list: %v", err)
	}
	write := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(dvsgesture.Train, "../etc/passwd\n")
	if _, err := dvsgesture.Open(dir, dvsgesture.Train, grid(t)); err == nil ||
		!strings.Contains(err.Error(), "line 1") {
		t.Errorf("bad name: %v", err)
	}
	write(dvsgesture.Train, "user01_led.aedat\n")
	if _, err := dvsgesture.Open(dir, dvsgesture.Train, grid(t)); err == nil ||
		!strings.Contains(err.Error(), "user01_led.aedat") {
		t.Errorf("missing recording: %v", err)
	}
	src, err := os.ReadFile(recording)
	if err != nil {
		t.Fatal(err)
	}
	write("user01_led.aedat", string(src))
	if _, err := dvsgesture.Open(dir, dvsgesture.Train, grid(t)); err == nil ||
		!strings.Contains(err.Error(), "346×260 sensor") {
		t.Errorf("a DAVIS346 recording: %v", err)
	}
	if err := dvsgesturetest.Build(dir, recording, []int{1}, 1); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(dir, "user01_natural.aedat"),
		filepath.Join(dir, "user01_led.aedat")); err != nil {
		t.Fatal(err)
	}
	write(dvsgesture.Train, "user01_led.aedat\n")
	if _, err := dvsgesture.Open(dir, dvsgesture.Train, grid(t)); err == nil ||
		!strings.Contains(err.Error(), "user01_led_labels.csv") {
		t.Errorf("missing labels: %v", err)
	}
	write("user01_led_labels.csv", "class,startTime_usec,endTime_usec\n12,5,9\n")
	if _, err := dvsgesture.Open(dir, dvsgesture.Train, grid(t)); err == nil ||
		!strings.Contains(err.Error(), "class 12") {
		t.Errorf("class 12: %v", err)
	}
}

// Package dvsgesture reads the DVS128 Gesture dataset (Amir et al., "A low power, fully
// event-based gesture recognition system", CVPR 2017) in the layout it is published in:
// one folder holding, for each trial, an AEDAT 3.1 recording userNN_<lighting>.aedat and
// its labels userNN_<lighting>_labels.csv, and the lists trials_to_train.txt and
// trials_to_test.txt, which name the recordings of each split, one per line.
//
// Each labelled window of a recording is one sample: the polarity events with
// Start ≤ t < End, mapped onto input neurons by an events.Grid, their times counted from
// Start. Label rows may come in any order and a class may repeat within a file; classes
// 1 to 11 become labels 0 to 10.
//
// A Set holds only the list of windows. Sample reads a window's events from its file when
// asked, so memory is bounded by the longest window, not by the dataset, which is about
// 3 GB.
package dvsgesture

import (
	"bufio"
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/snnsim/snnsim/aedat"
	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/events"
)

// Classes is the number of gesture classes.
const Classes = 11

// Sensor is the size of the DVS128 sensor, in pixels.
const Sensor = 128

// The two splits, named by the files that list their trials.
const (
	Train = "trials_to_train.txt"
	Test  = "trials_to_test.txt"
)

// Set is one split of the dataset: its labelled windows.
type Set struct {
	grid    *events.Grid
	windows []window
}

// window is one labelled window of one recording.
type window struct {
	file  string
	label aedat.Label
}

// Open reads the list of trials of split (Train or Test) in dir, and the labels of each
// trial. grid maps the sensor's pixels onto input neurons.
func Open(dir, split string, grid *events.Grid) (*Set, error) {
	list := filepath.Join(dir, split)
	f, err := os.Open(list)
	if err != nil {
		return nil, fmt.Errorf("dvsgesture: %w", err)
	}
	defer f.Close()
	s := &Set{grid: grid}
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		name := strings.TrimSpace(sc.Text())
		if name == "" {
			continue
		}
		if filepath.Base(name) != name || !strings.HasSuffix(name, ".aedat") {
			return nil, fmt.Errorf("dvsgesture: %s: line %d: %q is not an .aedat file name",
				list, line, name)
		}
		rec := filepath.Join(dir, name)
		if err := checkRecording(rec); err != nil {
			return nil, err
		}
		labels, err := readLabels(strings.TrimSuffix(rec, ".aedat") + "_labels.csv")
		if err != nil {
			return nil, err
		}
		for _, l := range labels {
			if l.Class < 1 || l.Class > Classes {
				return nil, fmt.Errorf("dvsgesture: %s: class %d is not one of 1 to %d",
					rec, l.Class, Classes)
			}
			s.windows = append(s.windows, window{file: rec, label: l})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("dvsgesture: %s: %w", list, err)
	}
	return s, nil
}

// checkRecording reads the header of a recording, which must be from a DVS128.
func checkRecording(path string) error {
	f, err := aedat.Open(path)
	if err != nil {
		return fmt.Errorf("dvsgesture: %w", err)
	}
	defer f.Close()
	if info := f.Info(); info.Width != Sensor || info.Height != Sensor {
		return fmt.Errorf("dvsgesture: %s: a %d×%d sensor, not the DVS128's %d×%d",
			path, info.Width, info.Height, Sensor, Sensor)
	}
	return nil
}

func readLabels(path string) ([]aedat.Label, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("dvsgesture: %w", err)
	}
	defer f.Close()
	return aedat.ReadLabels(f, path)
}

// Len returns the number of windows.
func (s *Set) Len() int { return len(s.windows) }

// Label returns the label of window i: its class minus 1.
func (s *Set) Label(i int) int { return s.windows[i].label.Class - 1 }

// File returns the recording window i comes from.
func (s *Set) File(i int) string { return s.windows[i].file }

// Sample appends the input spikes of window i to dst, in order of time (of file order
// among equal times), with times counted from the window's start, and returns them with
// the window's duration in µs. It reads the recording up to the window's end. It may be
// called from several goroutines.
func (s *Set) Sample(i int, dst []encoding.Spike) ([]encoding.Spike, int64, error) {
	w := s.windows[i]
	f, err := aedat.Open(w.file)
	if err != nil {
		return dst, 0, fmt.Errorf("dvsgesture: %w", err)
	}
	defer f.Close()
	start := len(dst)
	buf := make([]aedat.Event, 4096)
	for n := f.Read(buf); n > 0; n = f.Read(buf) {
		for _, e := range buf[:n] {
			if e.Time < w.label.Start || e.Time >= w.label.End {
				continue
			}
			if in, ok := s.grid.Neuron(int(e.X), int(e.Y), e.On); ok {
				dst = append(dst, encoding.Spike{Time: e.Time - w.label.Start, Input: in})
			}
		}
		// Past the window, and no timestamp has gone back so far: nothing later can
		// fall inside it.
		if back, _ := aedat.Backwards(f); buf[n-1].Time >= w.label.End && back == 0 {
			break
		}
	}
	if err := f.Err(); err != nil {
		return dst, 0, err
	}
	byTime := func(a, b encoding.Spike) int { return cmp.Compare(a.Time, b.Time) }
	if spikes := dst[start:]; !slices.IsSortedFunc(spikes, byTime) {
		slices.SortStableFunc(spikes, byTime)
	}
	return dst, w.label.End - w.label.Start, nil
}

// Subset returns the first n windows of s, or s itself when it has no more than n.
func (s *Set) Subset(n int) *Set {
	if n >= len(s.windows) {
		return s
	}
	sub := *s
	sub.windows = s.windows[:n]
	return &sub
}

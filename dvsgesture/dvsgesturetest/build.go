// Package dvsgesturetest builds small folders in the layout of the DVS128 Gesture
// dataset, for tests: the real dataset is about 3 GB.
package dvsgesturetest

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"

	"github.com/snnsim/snnsim/aedat"
	"github.com/snnsim/snnsim/dvsgesture"
)

// Build writes into dir one trial per user in users, lit "natural", and the lists
// trials_to_train.txt (users up to lastTrain) and trials_to_test.txt (the others).
//
// Each trial is an AEDAT 3.1 DVS128 recording made of the real events of recording,
// scaled onto the 128×128 sensor: one copy per gesture, shifted in time, and for class k
// shifted k·11 pixels to the right (wrapping around), so that the classes differ. Its
// label file is shaped like the real ones: the 11 classes in shuffled order, class 8
// twice.
func Build(dir, recording string, users []int, lastTrain int) error {
	f, err := aedat.Open(recording)
	if err != nil {
		return err
	}
	var evs []aedat.Event
	for f.Next() {
		evs = append(evs, f.Event())
	}
	info := f.Info()
	f.Close()
	if err := f.Err(); err != nil {
		return err
	}
	if len(evs) == 0 || info.Width == 0 {
		return fmt.Errorf("dvsgesturetest: %s: no events or no sensor size", recording)
	}
	span := evs[len(evs)-1].Time - evs[0].Time + 1
	classes := []int{3, 1, 8, 2, 5, 4, 11, 6, 8, 7, 10, 9}

	var train, test []string
	for _, u := range users {
		name := fmt.Sprintf("user%02d_natural.aedat", u)
		labels := "class,startTime_usec,endTime_usec\n"
		start := int64(1_000_000 * u)
		if err := writeTrial(filepath.Join(dir, name), evs, info, classes, start, span,
			&labels); err != nil {
			return err
		}
		lf := filepath.Join(dir, fmt.Sprintf("user%02d_natural_labels.csv", u))
		if err := os.WriteFile(lf, []byte(labels), 0o644); err != nil {
			return err
		}
		if u <= lastTrain {
			train = append(train, name)
		} else {
			test = append(test, name)
		}
	}
	for _, l := range []struct {
		file  string
		names []string
	}{{dvsgesture.Train, train}, {dvsgesture.Test, test}} {
		text := ""
		for _, n := range l.names {
			text += n + "\n"
		}
		if err := os.WriteFile(filepath.Join(dir, l.file), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// writeTrial writes one trial's recording to path, one copy of evs per class, and adds
// the label rows to labels.
func writeTrial(path string, evs []aedat.Event, info aedat.Info, classes []int,
	start, span int64, labels *string) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close()
	bw := bufio.NewWriter(out)
	w, err := aedat.NewWriter(bw, aedat.Info{Chip: "DVS128"})
	if err != nil {
		return err
	}
	for k, c := range classes {
		t0 := start + int64(k)*(span+50_000)
		*labels += fmt.Sprintf("%d,%d,%d\n", c, t0, t0+span)
		for _, e := range evs {
			x := (int(e.X)*dvsgesture.Sensor/info.Width + 11*c) % dvsgesture.Sensor
			y := int(e.Y) * dvsgesture.Sensor / info.Height
			err := w.Write(aedat.Event{Time: t0 + e.Time - evs[0].Time, X: uint16(x),
				Y: uint16(y), On: e.On})
			if err != nil {
				return err
			}
		}
	}
	if err := w.Close(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return out.Close()
}

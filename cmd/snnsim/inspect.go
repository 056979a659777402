package main

import (
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/snnsim/snnsim/aedat"
)

func inspectCommand() *cli.Command {
	return &cli.Command{
		Name:      "inspect",
		Usage:     "describe an AEDAT event-camera recording",
		UsageText: "snnsim inspect [--json] FILE",
		Description: "Reads every event of an AEDAT 1.0, 2.0, 3.1 or 4.0 file and prints its\n" +
			"version, sensor, size, time range, ON and OFF event counts, the records skipped\n" +
			"by kind, and the event rate. A file that breaks off is described up to the\n" +
			"fault, and the fault is reported.",
		Flags: []cli.Flag{
			&cli.BoolFlag{Name: "json", Usage: "print the description as one JSON object"},
		},
		Action:       inspect,
		OnUsageError: usageError,
	}
}

// recording describes an AEDAT file.
type recording struct {
	File        string           `json:"file"`
	Bytes       int64            `json:"bytes"`
	Version     string           `json:"version"`
	Chip        string           `json:"chip,omitempty"`
	Width       int              `json:"width"`
	Height      int              `json:"height"`
	Events      int64            `json:"events"`
	On          int64            `json:"on"`
	Off         int64            `json:"off"`
	Skipped     map[string]int64 `json:"skipped"`
	Backwards   int64            `json:"timestamps_backwards"`
	First       int64            `json:"first_us"`
	Last        int64            `json:"last_us"`
	EventRate   float64          `json:"events_per_second"`
	Fault       string           `json:"fault,omitempty"` // JSON only; text goes to stderr
	WallSeconds float64          `json:"wall_seconds"`
}

// readBatch is how many events the commands decode at a time.
const readBatch = 4096

func inspect(c *cli.Context) error {
	if c.NArg() != 1 {
		return fmt.Errorf("inspect: want one FILE, after any flags, not %q "+
			"(see snnsim inspect --help)", c.Args().Slice())
	}
	path := c.Args().First()
	start := time.Now()
	f, err := aedat.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()

	info := f.Info()
	rec := recording{File: path, Version: info.Version, Chip: info.Chip,
		Width: info.Width, Height: info.Height}
	if fi, err := os.Stat(path); err == nil {
		rec.Bytes = fi.Size()
	}
	buf := make([]aedat.Event, readBatch)
	for n := f.Read(buf); n > 0; n = f.Read(buf) {
		if rec.Events == 0 {
			rec.First, rec.Last = buf[0].Time, buf[0].Time
		}
		for _, e := range buf[:n] {
			rec.First, rec.Last = min(rec.First, e.Time), max(rec.Last, e.Time)
			if e.On {
				rec.On++
			}
		}
		rec.Events += int64(n)
	}
	rec.Off = rec.Events - rec.On
	rec.Skipped = f.Skipped()
	rec.Backwards, _ = aedat.Backwards(f)
	if span := rec.Last - rec.First; span > 0 {
		rec.EventRate = float64(rec.Events) / (float64(span) / 1e6)
	}
	fault := f.Err()
	if fault != nil {
		rec.Fault = fault.Error()
	}
	rec.WallSeconds = time.Since(start).Seconds()

	if err := report(c, rec, rec.print); err != nil {
		return err
	}
	return fault
}

func (r *recording) print(w io.Writer) {
	fmt.Fprintf(w, "file        %s (%d bytes)\n", r.File, r.Bytes)
	fmt.Fprintf(w, "version     AEDAT %s\n", r.Version)
	sensor := "unknown size"
	if r.Width > 0 {
		sensor = fmt.Sprintf("%d×%d", r.Width, r.Height)
	}
	if r.Chip != "" {
		sensor = r.Chip + ", " + sensor
	}
	fmt.Fprintf(w, "sensor      %s\n", sensor)
	if r.Events > 0 {
		span := time.Duration(r.Last-r.First) * time.Microsecond
		fmt.Fprintf(w, "time        %d µs to %d µs (%s)\n", r.First, r.Last, span)
	}
	fmt.Fprintf(w, "events      %d polarity: %d ON, %d OFF\n", r.Events, r.On, r.Off)
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "skipped     %s\n", skipped(r.Skipped, r.Version))
	}
	if r.Backwards > 0 {
		fmt.Fprintf(w, "time order  %d events earlier than the one before\n", r.Backwards)
	}
	fmt.Fprintf(w, "event rate  %.0f events/s\n", r.EventRate)
}

// skipped describes the records a reader skipped, by kind: "frame 3, imu 13 packets".
func skipped(counts map[string]int64, version string) string {
	var kinds []string
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, counts[k]))
	}
	unit := "records"
	if version == "4.0" {
		unit = "packets" // 4.0 skips whole packets without decompressing them
	}
	return strings.Join(kinds, ", ") + " " + unit
}

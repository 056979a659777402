package aedat

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// Label is one labelled gesture of a DVS128 Gesture trial: the events of a recording
// with Start <= Time < End show gesture Class.
type Label struct {
	Class      int   // the gesture class, as the file numbers it
	Start, End int64 // microseconds, in the time base of the recording's events
}

// ReadLabels reads a DVS128 Gesture label file: CSV with the header line
// "class,startTime_usec,endTime_usec" and one row per gesture. It returns the rows
// sorted by Start (rows with equal Start keep their file order); a file may list them
// in any order and a class more than once.
//
// A fault is a *FormatError naming the file, the byte offset and the line: a wrong
// header, a row without exactly three fields, a field that is not an integer, a
// negative class or start, an end not after its start.
func ReadLabels(r io.Reader, name string) ([]Label, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	fail := func(off int64, line int, format string, args ...any) error {
		return formatErr(name, off, "line %d: %s", line, fmt.Sprintf(format, args...))
	}
	var labels []Label
	for row := 0; ; row++ {
		off := cr.InputOffset()
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fail(off, pe.Line, "%v", pe.Err)
			}
			return nil, err
		}
		line, _ := cr.FieldPos(0)
		if row == 0 {
			h := make([]string, len(rec))
			for i, f := range rec {
				h[i] = strings.TrimSpace(strings.TrimPrefix(f, "\uFEFF"))
			}
			if !slices.Equal(h, []string{"class", "startTime_usec", "endTime_usec"}) {
				return nil, fail(off, line,
					"header %q, want \"class,startTime_usec,endTime_usec\"",
					clip(strings.Join(rec, ","), 80))
			}
			continue
		}
		if len(rec) != 3 {
			return nil, fail(off, line, "%d fields, want 3", len(rec))
		}
		var v [3]int64
		for i, f := range rec {
			n, err := strconv.ParseInt(strings.TrimSpace(f), 10, 64)
			if err != nil {
				return nil, fail(off, line, "field %d: %q is not an integer", i+1, clip(f, 40))
			}
			v[i] = n
		}
		switch {
		case v[0] < 0 || v[0] > 1<<31-1:
			return nil, fail(off, line, "class %d out of range", v[0])
		case v[1] < 0:
			return nil, fail(off, line, "negative start %d", v[1])
		case v[2] <= v[1]:
			return nil, fail(off, line, "end %d not after start %d", v[2], v[1])
		}
		labels = append(labels, Label{Class: int(v[0]), Start: v[1], End: v[2]})
	}
	if labels == nil && cr.InputOffset() == 0 {
		return nil, formatErr(name, 0, "line 1: empty file, want a header")
	}
	slices.SortStableFunc(labels, func(a, b Label) int {
		switch {
		case a.Start < b.Start:
			return -1
		case a.Start > b.Start:
			return 1
		}
		return 0
	})
	return labels, nil
}

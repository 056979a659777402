package plots

import (
	"errors"
	"fmt"
	"slices"

	"github.com/snnsim/snnsim/profile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// legendRoom is the fraction of the rates' range added above them for each line of the
// legend.
const legendRoom = 0.12

// Activity draws the activity of s over the time from the start of a sample, in two
// panels that share the time axis: on top the input event rate in events/s, and below
// it the mean firing rate per neuron of each LIF layer in Hz, one line per layer. Each
// value is that of a time bin, averaged over the samples that last into the bin, and is
// drawn as a step across the bin. The figure is DefaultWidth by DefaultHeight.
//
// Activity returns an error if s has no layers, or a bin without a rate for each.
func Activity(s *profile.Summary) (*Figure, error) {
	nl := len(s.Layers)
	if nl == 0 {
		return nil, errors.New("plots: the summary has no layers")
	}
	for _, b := range s.Bins {
		if len(b.Rates) != nl {
			return nil, fmt.Errorf("plots: the bin at %d µs holds %d rates for %d layers",
				b.Start, len(b.Rates), nl)
		}
	}

	end := duration(s)
	axis := axisFor(end)
	in, lif := newPanel(), newPanel()
	in.Y.Label.Text = "input (events/s)"
	lif.Y.Label.Text = "rate per neuron (Hz)"
	lif.Legend.Top = true
	lif.Legend.TextStyle.Font.Size = 10
	var lines []*plotter.Line // of the LIF layers
	for l, ls := range s.Layers {
		per := 1.0
		if l > 0 {
			per = float64(ls.Neurons)
		}
		line, err := plotter.NewLine(steps(s, axis, l, per))
		if err != nil {
			return nil, fmt.Errorf("plots: activity of layer %d: %w", l, err)
		}
		line.StepStyle = plotter.PostStep
		line.Color = layerColor(l)
		line.Width = vg.Points(1.25)
		if l == 0 {
			in.Add(line)
			continue
		}
		lines = append(lines, line)
		lif.Legend.Add(ls.Name, line)
	}
	// Drawn from the output down: the output's rate, over few neurons, jumps from bin
	// to bin and would hide the hidden layers' lines, which are usually smoother.
	for _, line := range slices.Backward(lines) {
		lif.Add(line)
	}
	lif.Y.Max *= 1 + legendRoom*float64(nl-1) // above the lines, room for the legend
	for _, p := range []*plot.Plot{in, lif} {
		p.Y.Min = 0
		if !(p.Y.Max > 0) { // no bins, or no activity
			p.Y.Max = 1
		}
	}
	panels := []*plot.Plot{in, lif}
	shareX(panels, axis, end)

	title := "Activity over the sample"
	if s.Samples > 1 {
		title = fmt.Sprintf("Activity from the start of a sample, mean of %d samples",
			s.Samples)
	}
	return &Figure{Title: title, Panels: panels, Width: DefaultWidth,
		Height: DefaultHeight}, nil
}

// steps returns the rate of layer l in each bin of s, divided by per, as the points of
// a line stepping after each on the time axis a: one at the start of each bin, and one
// at the end of the last.
func steps(s *profile.Summary, a timeAxis, l int, per float64) plotter.XYs {
	if len(s.Bins) == 0 {
		return nil
	}
	xys := make(plotter.XYs, 0, len(s.Bins)+1)
	for _, b := range s.Bins {
		xys = append(xys, plotter.XY{X: a.at(b.Start), Y: b.Rates[l] / per})
	}
	last := s.Bins[len(s.Bins)-1]
	return append(xys, plotter.XY{X: a.at(last.Start + s.BinMicros),
		Y: last.Rates[l] / per})
}

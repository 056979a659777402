package plots

import (
	"errors"
	"fmt"

	"github.com/snnsim/snnsim/profile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BUG(snnsim): the SVG of a raster holds one shape per spike, so that of a dense sample
// is large: 14 MB for the 147,250 spikes of the DAVIS346 recording in W-DVS. Spikes that
// fall on the same pixel could be drawn once.

// Raster draws the spikes of the raster sample of s: a panel per layer, the output on
// top and the input at the bottom, each with a dot per spike at its time from the start
// of the sample (ms, or s past ten seconds) and neuron. Every panel spans the same
// time: the sample's, or when the raster was cut at profile.MaxRaster spikes, up to the
// cut. A layer without spikes, or a summary without a raster, gives empty panels. The
// figure is DefaultWidth wide, and 6 inches or 1.6 inches per layer tall, whichever is
// more.
//
// Raster returns an error if s has no layers or a spike lies outside them.
func Raster(s *profile.Summary) (*Figure, error) {
	nl := len(s.Layers)
	if nl == 0 {
		return nil, errors.New("plots: the summary has no layers")
	}
	end := duration(s)
	if s.Raster.End > 0 {
		end = s.Raster.End
	}
	axis := axisFor(end)
	xys := make([]plotter.XYs, nl)
	for _, sp := range s.Raster.Spikes {
		if sp.Layer < 0 || sp.Layer >= nl || sp.Neuron < 0 ||
			int(sp.Neuron) >= s.Layers[sp.Layer].Neurons {
			return nil, fmt.Errorf("plots: raster spike at %d µs of neuron %d in layer %d "+
				"lies outside the network's %d layers", sp.Time, sp.Neuron, sp.Layer, nl)
		}
		xys[sp.Layer] = append(xys[sp.Layer],
			plotter.XY{X: axis.at(sp.Time), Y: float64(sp.Neuron)})
	}

	panels := make([]*plot.Plot, nl)
	for l, ls := range s.Layers {
		p := newPanel()
		p.Y.Tick.Marker = whole{p.Y.Tick.Marker}
		dots, err := plotter.NewScatter(xys[l])
		if err != nil {
			return nil, fmt.Errorf("plots: raster of layer %d: %w", l, err)
		}
		dots.GlyphStyle = draw.GlyphStyle{Color: layerColor(l), Radius: vg.Points(1),
			Shape: draw.CircleGlyph{}}
		p.Add(dots)
		p.Y.Min, p.Y.Max = -0.5, float64(ls.Neurons)-0.5
		p.Y.Label.Text = ls.Name + " neuron"
		panels[nl-1-l] = p
	}
	shareX(panels, axis, end)

	title := fmt.Sprintf("Spikes of sample %d", s.Raster.Sample)
	switch {
	case s.Raster.Sample < 0:
		title = "Spikes: no sample was kept"
	case len(s.Raster.Spikes) == 0:
		title += ": none recorded"
	case s.Raster.End > 0:
		title += fmt.Sprintf(", its first %.4g %s", axis.at(s.Raster.End), axis.unit)
	}
	return &Figure{Title: title, Panels: panels, Width: DefaultWidth,
		Height: max(6*vg.Inch, vg.Length(nl)*1.6*vg.Inch)}, nil
}

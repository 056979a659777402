package plots

import (
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/snnsim/snnsim/profile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// maxBins bounds the bins of a rate histogram.
const maxBins = 40

// Rates draws, for each layer of s from the input at the top, a histogram of its
// neurons' firing rates in Hz: spikes over the simulated seconds, s.Seconds. A layer
// whose neurons all fire at the same rate, silent ones included, gets a single bar one
// spike wide. The figure is DefaultWidth wide, and DefaultHeight or 1.8 inches per layer
// tall, whichever is more.
//
// Rates returns an error if s has no layers or no simulated time.
func Rates(s *profile.Summary) (*Figure, error) {
	if len(s.Layers) == 0 {
		return nil, errors.New("plots: the summary has no layers")
	}
	if !(s.Seconds > 0) || math.IsInf(s.Seconds, 0) {
		return nil, fmt.Errorf("plots: cannot draw rates over %v simulated seconds",
			s.Seconds)
	}

	panels := make([]*plot.Plot, len(s.Layers))
	for l, ls := range s.Layers {
		p := newPanel()
		p.Y.Tick.Marker = whole{p.Y.Tick.Marker}
		p.Title.Text = fmt.Sprintf("%s: %s, mean %.4g Hz, %d silent", ls.Name,
			profile.Count(int64(ls.Neurons), "neuron", "neurons"), ls.RateHz, len(ls.Dead))
		p.Title.TextStyle.Font.Size = 10
		if h := histogram(ls.NeuronSpikes, s.Seconds); h != nil {
			h.FillColor = layerColor(l)
			p.Add(h)
		}
		p.Y.Label.Text = "neurons"
		panels[l] = p
	}
	panels[len(panels)-1].X.Label.Text = "firing rate (Hz)"

	return &Figure{Title: "Firing rates per neuron", Panels: panels, Width: DefaultWidth,
		Height: max(DefaultHeight, vg.Length(len(panels))*1.8*vg.Inch)}, nil
}

// histogram returns a histogram of the rates counts[j] / seconds, in Hz, or nil when
// there are no counts. It has about √len(counts) bins, at most maxBins, each a whole
// number of spikes wide, so that each spans as many of the rates that can occur.
//
// plotter.NewHist is not used: it splits the range of the values evenly, whatever their
// spacing, and when the values are all equal it draws a bin 1 Hz wide, however wide one
// spike's rate is.
func histogram(counts []int64, seconds float64) *plotter.Histogram {
	if len(counts) == 0 {
		return nil
	}
	lo, hi := slices.Min(counts), slices.Max(counts)
	span := hi - lo + 1 // the spike counts the bins cover
	n := int64(math.Ceil(math.Sqrt(float64(len(counts)))))
	n = min(n, maxBins)
	step := (span + n - 1) / n // spikes per bin
	n = (span + step - 1) / step

	bins := make([]plotter.HistogramBin, n)
	for k := range bins {
		bins[k].Min = float64(lo+int64(k)*step) / seconds
		bins[k].Max = float64(lo+int64(k+1)*step) / seconds
	}
	for _, c := range counts {
		bins[(c-lo)/step].Weight++
	}
	return &plotter.Histogram{Bins: bins, Width: float64(step) / seconds,
		LineStyle: plotter.DefaultLineStyle}
}

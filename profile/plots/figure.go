package plots

import (
	"errors"
	"fmt"
	"image/color"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/snnsim/snnsim/profile"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// DPI is the resolution of PNG files, in pixels per inch.
const DPI = 150

const (
	// DefaultWidth is the width of a figure whose Width is zero.
	DefaultWidth = 8 * vg.Inch
	// DefaultHeight is the height of a figure whose Height is zero.
	DefaultHeight = 5 * vg.Inch
)

// Figure is a stack of panels under a title. Panels are drawn top to bottom with
// their data areas aligned, so that panels with the same x range share a time axis.
type Figure struct {
	// Title is drawn above the panels, unless it is empty.
	Title string
	// Panels are the plots, top first.
	Panels []*plot.Plot
	// Width and Height are the size of the whole figure; zero means DefaultWidth or
	// DefaultHeight.
	Width, Height vg.Length
}

// size returns the figure's width and height, defaults filled in.
func (f *Figure) size() (w, h vg.Length) {
	w, h = f.Width, f.Height
	if w == 0 {
		w = DefaultWidth
	}
	if h == 0 {
		h = DefaultHeight
	}
	return w, h
}

// margin is the space around the figure, and between its title and its panels.
const margin = 4 * vg.Millimeter

// Draw draws the figure on c, filling its background white.
func (f *Figure) Draw(c draw.Canvas) {
	c.SetColor(color.White)
	c.Fill(c.Rectangle.Path())

	if f.Title != "" {
		sty := text.Style{Color: color.Black, Font: font.From(plot.DefaultFont, 14),
			XAlign: draw.XCenter, YAlign: draw.YTop, Handler: plot.DefaultTextHandler}
		c.FillText(sty, vg.Point{X: c.Center().X, Y: c.Max.Y - margin}, f.Title)
		c.Max.Y -= sty.Height(f.Title) + margin
	}
	if len(f.Panels) == 0 {
		return
	}

	grid := make([][]*plot.Plot, len(f.Panels))
	for i, p := range f.Panels {
		grid[i] = []*plot.Plot{p}
	}
	tiles := draw.Tiles{Rows: len(f.Panels), Cols: 1, PadTop: margin, PadBottom: margin,
		PadLeft: margin, PadRight: margin, PadY: 2 * vg.Millimeter}
	for i, row := range plot.Align(grid, tiles, c) {
		f.Panels[i].Draw(row[0])
	}
}

// Save draws the figure into the file at path, in the format its extension names:
// .png (at DPI), .svg, .pdf, .eps, .jpg, .tif or .tex. An error in creating or writing
// the file is an *fs.PathError with path.
func (f *Figure) Save(path string) error {
	w, h := f.size()
	format := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	var vc vg.CanvasWriterTo
	if format == "png" {
		vc = vgimg.PngCanvas{Canvas: vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))}
	} else {
		var err error
		if vc, err = draw.NewFormattedCanvas(w, h, format); err != nil {
			return fmt.Errorf("plots: write %s: %w", path, err)
		}
	}
	f.Draw(draw.New(vc))

	file, err := os.Create(path)
	if err == nil {
		_, err = vc.WriteTo(file)
		if cerr := file.Close(); err == nil {
			err = cerr
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	if err != nil {
		return &fs.PathError{Op: "write", Path: path, Err: err}
	}
	return nil
}

// layerColor returns the colour of layer l, input first: dark grey for the input, then
// a colour per LIF layer.
func layerColor(l int) color.Color {
	palette := []color.Color{
		color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}, // blue
		color.RGBA{R: 0xd6, G: 0x27, B: 0x28, A: 0xff}, // red
		color.RGBA{R: 0x2c, G: 0xa0, B: 0x2c, A: 0xff}, // green
		color.RGBA{R: 0x94, G: 0x67, B: 0xbd, A: 0xff}, // purple
		color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}, // orange
	}
	if l == 0 {
		return color.Gray{Y: 0x40}
	}
	return palette[(l-1)%len(palette)]
}

// newPanel returns a plot whose tick labels carry no needless zeros ("25", not "25.00").
func newPanel() *plot.Plot {
	p := plot.New()
	p.X.Tick.Marker = trimmed{p.X.Tick.Marker}
	p.Y.Tick.Marker = trimmed{p.Y.Tick.Marker}
	return p
}

// trimmed removes the trailing zeros of the labels of another Ticker. Gonum's
// DefaultTicks gives all labels of an axis one precision, so that steps of 2.5 read
// "0.00", "25.00".
type trimmed struct{ plot.Ticker }

// Ticks returns the ticks of tr.Ticker with trailing zeros and points removed.
func (tr trimmed) Ticks(lo, hi float64) []plot.Tick {
	ts := tr.Ticker.Ticks(lo, hi)
	for i, t := range ts {
		if strings.Contains(t.Label, ".") && !strings.ContainsAny(t.Label, "eE") {
			ts[i].Label = strings.TrimRight(strings.TrimRight(t.Label, "0"), ".")
		}
	}
	return ts
}

// whole keeps the labels of another Ticker on whole numbers only, for axes that count
// neurons.
type whole struct{ plot.Ticker }

// Ticks returns the ticks of w.Ticker, those off whole numbers unlabelled and those on
// them labelled as integers. When that leaves no label, as on the axis of a layer of two
// neurons, it labels every whole number in [lo, hi] instead.
func (w whole) Ticks(lo, hi float64) []plot.Tick {
	ts := w.Ticker.Ticks(lo, hi)
	labelled := false
	for i, t := range ts {
		switch {
		case t.Value != math.Trunc(t.Value):
			ts[i].Label = ""
		case t.Label != "":
			ts[i].Label = integer(t.Value)
			labelled = true
		}
	}
	if labelled || math.Floor(hi)-math.Ceil(lo) > 10 {
		return ts
	}
	ts = ts[:0]
	for v := math.Ceil(lo); v <= hi; v++ {
		ts = append(ts, plot.Tick{Value: v, Label: integer(v)})
	}
	return ts
}

// integer formats a whole number v, without a sign for −0.
func integer(v float64) string { return strconv.FormatInt(int64(v), 10) }

// unlabelled marks the ticks of another Ticker without labels, for the x axes of the
// panels above the bottom one.
type unlabelled struct{ plot.Ticker }

// Ticks returns the ticks of u.Ticker with their labels removed.
func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ts := u.Ticker.Ticks(lo, hi)
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}

// shareX gives the panels the time axis a, from 0 to end µs, and keeps the x axis labels
// of the bottom one only.
func shareX(panels []*plot.Plot, a timeAxis, end int64) {
	for i, p := range panels {
		p.X.Min, p.X.Max = 0, a.at(end)
		if i < len(panels)-1 {
			p.X.Tick.Marker = unlabelled{p.X.Tick.Marker}
		} else {
			p.X.Label.Text = "time from sample start (" + a.unit + ")"
		}
	}
}

// timeAxis is the unit of a time axis: ms, or s for samples longer than ten seconds.
type timeAxis struct {
	micros float64 // µs per unit
	unit   string
}

// axisFor returns the time axis for a sample that lasts end µs.
func axisFor(end int64) timeAxis {
	if end > 10_000_000 {
		return timeAxis{1e6, "s"}
	}
	return timeAxis{1e3, "ms"}
}

// at returns t µs in the unit of a.
func (a timeAxis) at(t int64) float64 { return float64(t) / a.micros }

// duration returns the time s covers from the start of a sample, in µs: its bins, or
// more if a raster spike comes later, and at least a step.
func duration(s *profile.Summary) int64 {
	end := max(int64(len(s.Bins))*s.BinMicros, s.StepMicros)
	for _, sp := range s.Raster.Spikes {
		end = max(end, sp.Time+s.StepMicros)
	}
	return end
}

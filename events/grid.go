package events

import (
	"fmt"
	"image"
)

// Grid maps the pixels of an event sensor onto input neurons. A region of interest of the
// sensor is divided into Cols×Rows cells, and each cell has two neurons, one per polarity:
//
//	cx = (x − ROI.Min.X)·Cols / ROI.Dx()
//	cy = (y − ROI.Min.Y)·Rows / ROI.Dy()
//	neuron = (cy·Cols + cx)·2 + p,   p = 1 for ON, 0 for OFF
//
// With the whole 346×260 sensor as ROI and Cols = Rows = 32, a DAVIS346 recording maps
// onto 2,048 input neurons by (x·32/width, y·32/height, polarity).
type Grid struct {
	ROI        image.Rectangle
	Cols, Rows int
}

// NewGrid returns a grid of cols×rows cells over roi, or over the whole width×height
// sensor when roi is empty. The region must lie on the sensor, and each cell must cover
// at least one pixel.
func NewGrid(width, height int, roi image.Rectangle, cols, rows int) (*Grid, error) {
	sensor := image.Rect(0, 0, width, height)
	if sensor.Empty() {
		return nil, fmt.Errorf("events: sensor of %d×%d pixels", width, height)
	}
	if roi.Empty() {
		roi = sensor
	}
	if !roi.In(sensor) {
		return nil, fmt.Errorf("events: region %v is not inside the %d×%d sensor",
			roi, width, height)
	}
	if cols <= 0 || rows <= 0 || cols > roi.Dx() || rows > roi.Dy() {
		return nil, fmt.Errorf("events: %d×%d cells do not fit the %d×%d region",
			cols, rows, roi.Dx(), roi.Dy())
	}
	return &Grid{ROI: roi, Cols: cols, Rows: rows}, nil
}

// Inputs returns the number of input neurons, 2·Cols·Rows.
func (g *Grid) Inputs() int { return 2 * g.Cols * g.Rows }

// Neuron returns the input neuron of an event at pixel (x, y) with polarity on, and
// whether the pixel lies in the region of interest.
func (g *Grid) Neuron(x, y int, on bool) (int32, bool) {
	if !(image.Point{X: x, Y: y}).In(g.ROI) {
		return 0, false
	}
	cx := (x - g.ROI.Min.X) * g.Cols / g.ROI.Dx()
	cy := (y - g.ROI.Min.Y) * g.Rows / g.ROI.Dy()
	n := int32((cy*g.Cols + cx) * 2)
	if on {
		n++
	}
	return n, true
}

package events

import (
	"image"
	"testing"
)

func TestGridWholeSensor(t *testing.T) {
	g, err := NewGrid(346, 260, image.Rectangle{}, 32, 32)
	if err != nil {
		t.Fatal(err)
	}
	if g.Inputs() != 2048 {
		t.Errorf("Inputs = %d, want 2048", g.Inputs())
	}
	seen := make([]bool, g.Inputs())
	for y := range 260 {
		for x := range 346 {
			for _, on := range []bool{false, true} {
				n, ok := g.Neuron(x, y, on)
				// The mapping written out: (x·32/width, y·32/height, polarity).
				want := int32((y*32/260*32+x*32/346)*2 + map[bool]int{false: 0, true: 1}[on])
				if !ok || n != want {
					t.Fatalf("Neuron(%d, %d, %v) = %d, %v; want %d", x, y, on, n, ok, want)
				}
				seen[n] = true
			}
		}
	}
	for n, s := range seen {
		if !s {
			t.Errorf("input neuron %d is reached by no pixel", n)
		}
	}
}

func TestGridRegion(t *testing.T) {
	g, err := NewGrid(128, 128, image.Rect(32, 16, 96, 80), 8, 4)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		x, y int
		on   bool
		want int32
		ok   bool
	}{
		{32, 16, false, 0, true},            // the region's top-left pixel: cell (0, 0)
		{32, 16, true, 1, true},             // ON goes to the second neuron of the cell
		{95, 79, true, (3*8+7)*2 + 1, true}, // bottom-right pixel: cell (7, 3)
		{40, 16, false, 2, true},            // 8 pixels on: the next of 8 columns of 64
		{31, 16, false, 0, false},           // left of the region
		{96, 40, true, 0, false},            // right of it
		{50, 80, true, 0, false},            // below it
	} {
		n, ok := g.Neuron(c.x, c.y, c.on)
		if n != c.want || ok != c.ok {
			t.Errorf("Neuron(%d, %d, %v) = %d, %v; want %d, %v", c.x, c.y, c.on, n, ok,
				c.want, c.ok)
		}
	}
}

func TestNewGridErrors(t *testing.T) {
	for _, c := range []struct {
		w, h       int
		roi        image.Rectangle
		cols, rows int
	}{
		{0, 128, image.Rectangle{}, 4, 4},
		{128, 128, image.Rect(100, 0, 200, 50), 4, 4},
		{128, 128, image.Rectangle{}, 0, 4},
		{128, 128, image.Rect(0, 0, 10, 10), 11, 4},
	} {
		if _, err := NewGrid(c.w, c.h, c.roi, c.cols, c.rows); err == nil {
			t.Errorf("NewGrid(%d, %d, %v, %d, %d) = nil error", c.w, c.h, c.roi, c.cols, c.rows)
		}
	}
}

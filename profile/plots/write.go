package plots

import (
	"context"
	"path/filepath"

	"github.com/snnsim/snnsim/profile"
)

// figures are the figures Write draws, in the order it writes them.
var figures = []struct {
	name string
	draw func(*profile.Summary) (*Figure, error)
}{{"raster", Raster}, {"rates", Rates}, {"activity", Activity}}

// formats are the formats Write saves each figure in.
var formats = []string{".png", ".svg"}

// Files returns the names of the files that Write writes with prefix, in order:
//
//	prefix-raster.png, prefix-raster.svg      Raster
//	prefix-rates.png, prefix-rates.svg        Rates
//	prefix-activity.png, prefix-activity.svg  Activity
func Files(prefix string) []string {
	var names []string
	for _, f := range figures {
		for _, ext := range formats {
			names = append(names, prefix+"-"+f.name+ext)
		}
	}
	return names
}

// Write draws the three figures of s and saves each as PNG and SVG in dir, which must
// exist, under the names Files gives. It returns the paths it wrote, in that order.
//
// It draws every figure before it writes any, so that an error in s leaves no files; an
// error in writing names the file, and the paths returned with it are those written
// before. It stops before the next figure or file once ctx is done, and returns
// ctx.Err().
func Write(ctx context.Context, s *profile.Summary, dir, prefix string) ([]string, error) {
	drawn := make([]*Figure, len(figures))
	for i, f := range figures {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		fig, err := f.draw(s)
		if err != nil {
			return nil, err
		}
		drawn[i] = fig
	}

	var paths []string
	names := Files(prefix)
	for i, fig := range drawn {
		for k := range formats {
			if err := ctx.Err(); err != nil {
				return paths, err
			}
			path := filepath.Join(dir, names[i*len(formats)+k])
			if err := fig.Save(path); err != nil {
				return paths, err
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}

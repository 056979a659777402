package main

import (
	"context"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/snnsim/snnsim/dvsgesture"
	"github.com/snnsim/snnsim/engine"
	"github.com/snnsim/snnsim/events"
	"github.com/snnsim/snnsim/mnist"
	"github.com/snnsim/snnsim/profile"
)

// sets are the training and test sets of a run: static samples (MNIST) or event
// streams (DVS128 Gesture).
type sets struct {
	name            string
	inputs, outputs int
	train, test     engine.Dataset
	trainEv, testEv *dvsgesture.Set
}

// loadSets reads the dataset --dataset names from --data, keeping the first
// --train-limit and --test-limit samples when given; the training set only if
// training.
func loadSets(c *cli.Context, training bool) (*sets, error) {
	s := &sets{name: c.String("dataset")}
	trainLimit, testLimit := c.Int("train-limit"), c.Int("test-limit")
	switch s.name {
	case "mnist":
		train, test, err := loadMNIST(c.String("data"))
		if err != nil {
			return nil, err
		}
		if trainLimit > 0 {
			train = train.Subset(trainLimit)
		}
		if testLimit > 0 {
			test = test.Subset(testLimit)
		}
		s.train, s.test, s.inputs, s.outputs = train, test, mnist.Pixels, 10
	case "dvsgesture":
		dir := c.String("data")
		if dir == "" {
			return nil, fmt.Errorf("--dataset dvsgesture needs --data DIR, the folder " +
				"of the recordings, their labels and trials_to_train.txt and trials_to_test.txt")
		}
		grid, err := gestureGrid(c)
		if err != nil {
			return nil, err
		}
		if training {
			if s.trainEv, err = dvsgesture.Open(dir, dvsgesture.Train, grid); err != nil {
				return nil, err
			}
		}
		if s.testEv, err = dvsgesture.Open(dir, dvsgesture.Test, grid); err != nil {
			return nil, err
		}
		if trainLimit > 0 && training {
			s.trainEv = s.trainEv.Subset(trainLimit)
		}
		if testLimit > 0 {
			s.testEv = s.testEv.Subset(testLimit)
		}
		s.inputs, s.outputs = grid.Inputs(), dvsgesture.Classes
	default:
		return nil, fmt.Errorf("unknown --dataset %q (want mnist or dvsgesture)", s.name)
	}
	return s, nil
}

// gestureGrid maps the DVS128 sensor onto input neurons as --grid and --roi say.
func gestureGrid(c *cli.Context) (*events.Grid, error) {
	cols, rows, err := parsePair(c.String("grid"), "grid")
	if err != nil {
		return nil, err
	}
	roi, err := parseROI(c.String("roi"))
	if err != nil {
		return nil, err
	}
	g, err := events.NewGrid(dvsgesture.Sensor, dvsgesture.Sensor, roi, cols, rows)
	if err != nil {
		return nil, fmt.Errorf("--grid %dx%d, --roi: %w", cols, rows, err)
	}
	return g, nil
}

func (s *sets) trainLen() int {
	switch {
	case s.trainEv != nil:
		return s.trainEv.Len()
	case s.train != nil:
		return s.train.Len()
	}
	return 0
}

func (s *sets) testLen() int {
	if s.testEv != nil {
		return s.testEv.Len()
	}
	return s.test.Len()
}

// trainEpoch trains tr for one epoch on the training set.
func (s *sets) trainEpoch(ctx context.Context, tr *engine.Trainer,
	progress func(engine.Stats)) (engine.Stats, error) {
	if s.trainEv != nil {
		return tr.TrainEvents(ctx, s.trainEv, progress)
	}
	return tr.TrainEpoch(ctx, s.train, progress)
}

// evaluate runs the test set through net, adding to prof, unless nil, what the engine
// did.
func (s *sets) evaluate(ctx context.Context, net *engine.Network, tc engine.TrainConfig,
	prof *profile.Profile) (engine.Stats, error) {
	if s.testEv != nil {
		return engine.EvaluateEventsProfile(ctx, net, tc, s.testEv, prof)
	}
	return engine.EvaluateProfile(ctx, net, tc, s.test, prof)
}

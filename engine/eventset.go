package engine

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/snnsim/snnsim/encoding"
	"github.com/snnsim/snnsim/profile"
)

// EventSet is a labelled set of event streams, such as the gestures of DVS128 Gesture:
// each sample is a list of input spikes over a duration.
type EventSet interface {
	Len() int
	// Label returns the class of sample i.
	Label(i int) int
	// Sample appends the input spikes of sample i to dst, sorted by time and starting at
	// time 0 or later, and returns them with the sample's duration in µs. It may be
	// called from several goroutines at once.
	Sample(i int, dst []encoding.Spike) ([]encoding.Spike, int64, error)
}

// ErrEventMode marks a call that needs a trainer in event mode.
var ErrEventMode = errors.New("engine: event streams need event mode")

// TrainEvents trains one epoch over the event streams of set in shuffled mini-batches,
// as TrainEpoch does over static samples. The trainer must be in event mode.
func (tr *Trainer) TrainEvents(ctx context.Context, set EventSet,
	progress func(Stats)) (Stats, error) {
	if tr.Config.Mode != ModeEvent {
		return Stats{}, ErrEventMode
	}
	if err := checkLabels(tr.Net, set); err != nil {
		return Stats{}, err
	}
	return tr.epoch(ctx, set.Len(), set.Label, func(w *worker, i int, res *Result) error {
		return w.runEvents(tr.Net, set, i, res)
	}, progress)
}

// EvaluateEvents runs every event stream of set through net without learning, and sums
// the results. In clocked mode, or in event mode with GridInput, each spike is moved to
// the start of its step of Δ = StepMicros, keeping one per input and step. It stops
// early when ctx is done and returns ctx.Err().
func EvaluateEvents(ctx context.Context, net *Network, tc TrainConfig,
	set EventSet) (Stats, error) {
	return EvaluateEventsProfile(ctx, net, tc, set, nil)
}

// EvaluateEventsProfile is EvaluateEvents that also adds to prof, unless nil, what the
// engine did on every stream. prof must come from NewProfile for net and tc.
func EvaluateEventsProfile(ctx context.Context, net *Network, tc TrainConfig, set EventSet,
	prof *profile.Profile) (Stats, error) {
	if err := checkLabels(net, set); err != nil {
		return Stats{}, err
	}
	return evaluateAll(ctx, net, tc, set.Len(), set.Label, func(w *worker, i int,
		res *Result) error {
		return w.runEvents(net, set, i, res)
	}, prof)
}

// runEvents shows event stream i of set to the worker's event engine.
func (w *worker) runEvents(net *Network, set EventSet, i int, res *Result) error {
	in, duration, err := set.Sample(i, w.spikes[:0])
	if err != nil {
		return err
	}
	w.spikes = in
	byTime := func(a, b encoding.Spike) int { return cmp.Compare(a.Time, b.Time) }
	if !slices.IsSortedFunc(in, byTime) {
		return fmt.Errorf("engine: %w: the spikes of sample %d are not in order of time",
			ErrDataset, i)
	}
	for _, sp := range in {
		if sp.Input < 0 || int(sp.Input) >= net.Config.Inputs || sp.Time < 0 {
			return fmt.Errorf("engine: %w: sample %d has a spike of input %d at %d µs for "+
				"%d inputs", ErrDataset, i, sp.Input, sp.Time, net.Config.Inputs)
		}
	}
	in = w.grid.place(in, net.Config.Inputs)
	w.begin(i)
	if w.ev != nil {
		w.ev.runSpikes(in, duration, set.Label(i), res)
	} else {
		w.runClocked(in, duration, set.Label(i), res)
	}
	w.end()
	return nil
}

// checkLabels reports whether every label of set names an output neuron of net.
func checkLabels(net *Network, set EventSet) error {
	for i := range set.Len() {
		if l := set.Label(i); l < 0 || l >= net.Config.Outputs {
			return fmt.Errorf("engine: %w: sample %d has label %d for %d outputs",
				ErrDataset, i, l, net.Config.Outputs)
		}
	}
	return nil
}

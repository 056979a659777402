package engine

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas/blas32"

	"github.com/snnsim/snnsim/events"
	"github.com/snnsim/snnsim/neuron"
	"github.com/snnsim/snnsim/profile"
)

// EventDriven runs a Network event by event, in continuous time. Input spikes come one at
// a time, each at its own time; a layer is updated only when a spike reaches it, and a
// neuron that nothing reaches costs nothing, however long it stays silent.
//
// The model is the clocked one with its step Δ: α is the membrane's decay over Δ, a spike
// reaches the next layer's current after the synaptic delay (Δ unless set otherwise), the
// current reaches the membrane Δ later, and a spike takes θ/α from its membrane at once,
// so that θ is gone one step later, as in U(t+1) = α·U(t) + I(t) − S(t)·θ. As in the
// clocked model, a neuron fires at most once per step: one that reaches the threshold
// less than Δ after its last spike fires Δ after that spike, if it is still over the
// threshold then. Between events a membrane decays exactly, by α^(dt/Δ) over any dt.
// Spikes of one layer travel through an events.Queue, which orders them by time and then
// by the order they were sent, so a run is deterministic.
//
// On input whose times are whole multiples of Δ, an EventDriven fires exactly the spikes
// of a Clocked simulator of the same network, at the same steps: both integrate the
// membranes in the scaled form of neuron.Scale with the same arithmetic. Where several
// spikes reach a layer at the same instant, they are summed first, in the order they were
// sent, as the clocked engine sums a step's spikes.
//
// An EventDriven is not safe for concurrent use.
type EventDriven struct {
	net   *Network
	step  int64
	delay int64
	scale neuron.Scale
	q     *events.Queue
	lays  []eventLayer

	// Input spikes not yet processed: all arrive at time pendAt.
	pend   []int32
	pendAt int64
	// last is the latest time processed or pending; an input due before it is late.
	last int64

	batch []events.Event // the queued events of the instant being processed
	lists [][]int32      // the neurons of the events.Spikes in flight, by number
	free  []int32        // numbers of lists no longer in flight
	arr   []int32        // scratch: the spikes reaching one layer
	wake  []int32        // scratch: the neurons of one layer to look at again
	one   [1]int32       // scratch: the input handed to OnInput

	// Stats counts what the simulation did since it was made.
	Stats EventStats

	// OnSpikes, when set, is called with the neurons of LIF layer layer (1 for the first)
	// that fire at time t, in increasing order. Calls come in order of time. The slice is
	// reused after the call returns.
	OnSpikes func(t int64, layer int, neurons []int32)

	// OnInput, when set, is called by Input with the input it is given and the time it
	// is taken at, which is later than the one given for a late spike.
	OnInput func(t int64, inputs []int32)

	// OnProbe, when set, is called for each probe asked for with Probe, with the
	// membranes U(t) of every neuron of LIF layer layer, before the resets of the spikes
	// at t. The slice is reused after the call returns.
	OnProbe func(t int64, layer int, u []float32)

	// OnArrive, when set, is called after every update that spikes from the layer below
	// reach, with the presynaptic neurons arr (inputs for layer 1) and the membranes U at
	// t, one step after they arrived, before the resets of the spikes at t. It makes
	// every such update look at every neuron. The slices are reused after the call.
	OnArrive func(t int64, layer int, arr []int32, u []float32)
}

// eventLayer is the state of one LIF layer.
type eventLayer struct {
	v   []float32 // scaled membranes
	cur []float32 // scratch: the summed current of several spikes arriving at once
	u   []float32 // scratch: U after an update that is probed
	spk []int32   // scratch: the neurons that fire
	t0  int64     // the reference time of v

	// A neuron fires at most once per step: until holds, per neuron, the first time it
	// may fire again, and mask is −∞ until then, 0 after, so that adding it to V hides
	// the neurons that may not fire from the search for those that do.
	until []int64
	mask  []float32
	tmp   []float32 // scratch: V + mask
}

// EventStats counts the work of an EventDriven.
type EventStats struct {
	// Inputs counts the input spikes received.
	Inputs int64
	// Late counts input spikes that came after a later one: each is taken at the time of
	// the latest input spike seen before it.
	Late int64
	// Spikes counts the spikes of each LIF layer.
	Spikes []int64
	// Work counts, per LIF layer, the synaptic events (one accumulate per spike per
	// neuron it reaches) and the membrane updates: every neuron of the layer at an
	// update that spikes reach or that is probed, for the current is added to all of
	// them and all are looked at; and only the neurons looked at again after their step
	// at an update that nothing reaches. Rebasing, which both engines do once every
	// span of neuron.Scale, is not counted.
	Work []profile.Work
	// Queued counts the events put in the queue: spikes between layers, wake-ups and
	// probes.
	Queued int64
}

// Synaptic returns the number of synaptic events over all layers.
func (s *EventStats) Synaptic() int64 {
	var n int64
	for _, w := range s.Work {
		n += w.Accumulates
	}
	return n
}

// ErrEventBias reports a network with biases, which the event engine does not run: a
// bias is a drive at every step, not an event.
var ErrEventBias = errors.New("engine: the event engine does not run networks with biases")

// NewEventDriven returns an event-driven simulator of net with time step step and
// synaptic delay delay, both in microseconds and positive. Its clock starts at 0; for a
// recording whose timestamps start far from 0, Reset it to the first one.
func NewEventDriven(net *Network, step, delay int64) (*EventDriven, error) {
	if net.Config.Bias {
		return nil, ErrEventBias
	}
	if step <= 0 || delay <= 0 {
		return nil, fmt.Errorf("engine: step %d µs and delay %d µs must be positive",
			step, delay)
	}
	e := &EventDriven{
		net:   net,
		step:  step,
		delay: delay,
		scale: net.Config.Neuron.Scale(step),
		q:     events.NewQueue(),
		Stats: EventStats{Spikes: make([]int64, len(net.Layers)),
			Work: make([]profile.Work, len(net.Layers))},
	}
	for _, lay := range net.Layers {
		e.lays = append(e.lays, eventLayer{
			v:     make([]float32, lay.N),
			cur:   make([]float32, lay.N),
			u:     make([]float32, lay.N),
			spk:   make([]int32, 0, lay.N),
			until: make([]int64, lay.N),
			mask:  make([]float32, lay.N),
			tmp:   make([]float32, lay.N),
		})
	}
	e.Reset(0)
	return e, nil
}

// Reset brings every neuron to rest, drops the spikes in flight and sets the clock to
// origin. Stats keeps counting.
func (e *EventDriven) Reset(origin int64) {
	for l := range e.lays {
		lay := &e.lays[l]
		clear(lay.v)
		lay.t0 = origin
		for j := range lay.until {
			lay.until[j] = math.MinInt64
		}
		clear(lay.mask)
	}
	e.q = events.NewQueue()
	e.free = e.free[:0]
	for n := range e.lists {
		e.free = append(e.free, int32(n))
	}
	e.pend = e.pend[:0]
	e.last = origin
}

// Probe asks for the membranes of LIF layer layer (1 for the first) at time t; t−Δ must
// not be before the last instant processed. OnProbe receives them when the simulation
// has reached t. They are exactly the U(t) of a Clocked simulator at step t/Δ
// on the same input quantised to the step.
func (e *EventDriven) Probe(t int64, layer int) {
	e.q.Push(events.Event{Time: t - e.step, Layer: int32(layer), Kind: events.Probe})
	e.Stats.Queued++
}

// Input delivers a spike of input i at time t. Input spikes should come in order of time;
// one that comes after a later one is counted in Stats.Late and taken at the later time.
func (e *EventDriven) Input(t int64, i int32) {
	at := t + e.delay
	if at < e.last {
		e.Stats.Late++
		at = e.last
	}
	if len(e.pend) > 0 && at > e.pendAt {
		e.flush()
	}
	e.pend = append(e.pend, i)
	e.pendAt, e.last = at, at
	e.Stats.Inputs++
	if e.OnInput != nil {
		e.one[0] = i
		e.OnInput(at-e.delay, e.one[:])
	}
}

// Skip reports a spike of input i at time t to OnInput without delivering it, for a
// spike that could reach the network only after the time of interest.
func (e *EventDriven) Skip(t int64, i int32) {
	if e.OnInput != nil {
		e.one[0] = i
		e.OnInput(t, e.one[:])
	}
}

// flush processes the queued events before the pending input spikes, then those spikes
// together with whatever else happens at their time.
func (e *EventDriven) flush() {
	e.runBefore(e.pendAt)
	e.instant(e.pendAt, e.pend)
	e.pend = e.pend[:0]
}

// RunUntil processes every update before time t: the input spikes already given and the
// spikes they cause. An update finds the spikes that fire one step Δ later, so afterwards
// every spike before t+Δ has been counted and reported, and the membranes hold every
// current that reaches them by t.
func (e *EventDriven) RunUntil(t int64) {
	if len(e.pend) > 0 && e.pendAt < t {
		e.flush()
	}
	e.runBefore(t)
	e.last = max(e.last, t)
}

// Drain processes every input spike given and every spike they cause, until the network
// has nothing left in flight.
func (e *EventDriven) Drain() {
	e.DrainContext(context.Background())
}

// DrainContext is Drain that stops early, returning ctx's error, when ctx is done. It
// looks at ctx every few thousand instants.
func (e *EventDriven) DrainContext(ctx context.Context) error {
	if len(e.pend) > 0 {
		e.flush()
	}
	for n := 1; ; n++ {
		ev, ok := e.q.Peek()
		if !ok {
			return nil
		}
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		e.instant(ev.Time, nil)
		e.last = max(e.last, ev.Time)
	}
}

// runBefore processes the queued events before t, instant by instant.
func (e *EventDriven) runBefore(t int64) {
	for {
		ev, ok := e.q.Peek()
		if !ok || ev.Time >= t {
			return
		}
		e.instant(ev.Time, nil)
	}
}

// instant processes everything that happens at time p: the input spikes in, and every
// queued event at p. Nothing it does is due before p+1, so each instant is handled once.
func (e *EventDriven) instant(p int64, in []int32) {
	e.batch = e.batch[:0]
	for {
		ev, ok := e.q.Peek()
		if !ok || ev.Time != p {
			break
		}
		e.q.Pop()
		e.batch = append(e.batch, ev)
	}
	for l := range e.lays {
		arr, wake := e.arr[:0], e.wake[:0]
		if l == 0 {
			arr = append(arr, in...)
		}
		probe := false
		for _, ev := range e.batch {
			switch {
			case ev.Kind == events.Spike && int(ev.Layer) == l:
				arr = append(arr, ev.Neuron)
			case ev.Kind == events.Spikes && int(ev.Layer) == l:
				arr = append(arr, e.lists[ev.Neuron]...)
				e.free = append(e.free, ev.Neuron)
			case ev.Kind == events.Wake && int(ev.Layer) == l+1:
				wake = append(wake, ev.Neuron)
			case ev.Kind == events.Wakes && int(ev.Layer) == l+1:
				wake = append(wake, e.lists[ev.Neuron]...)
				e.free = append(e.free, ev.Neuron)
			case ev.Kind == events.Probe && int(ev.Layer) == l+1:
				probe = true
			}
		}
		if len(arr) > 0 || len(wake) > 0 || probe {
			e.update(l, p, arr, wake, probe)
		}
		e.arr, e.wake = arr, wake
	}
}

// update applies to LIF layer l at time p the spikes arr from the layer below, and looks
// again at the neurons in wake. It finds the neurons that fire at p+Δ, resets them and
// sends their spikes on. With probe set it looks at every neuron and hands U(p+Δ) to
// OnProbe.
func (e *EventDriven) update(l int, p int64, arr, wake []int32, probe bool) {
	lay := &e.lays[l]
	e.rebase(lay, p)
	prm := e.net.Config.Neuron
	f := prm.Factors(e.scale, p-lay.t0)
	w := e.net.Layers[l].W
	spk := lay.spk[:0]

	// The neurons woken now have had their step since their last spike.
	now := p + e.step // the spikes found fire now
	for _, j := range wake {
		if lay.until[j] <= now {
			lay.mask[j] = 0
		}
	}

	switch {
	case probe || e.OnArrive != nil && len(arr) > 0:
		clear(lay.cur)
		w.Deliver(lay.cur, arr)
		spk = prm.StepScaled(lay.v, lay.cur, lay.u, lay.mask, f, spk)
		clear(lay.cur)
		if probe && e.OnProbe != nil {
			e.OnProbe(p+e.step, l+1, lay.u)
		}
		if len(arr) > 0 && e.OnArrive != nil {
			e.OnArrive(p+e.step, l+1, arr, lay.u)
		}
	case len(arr) == 1:
		// One spike: its weights are the current.
		spk = integrate(lay, w.Row(int(arr[0])), f, prm.Theta, spk)
	case len(arr) > 1:
		clear(lay.cur)
		w.Deliver(lay.cur, arr)
		spk = integrate(lay, lay.cur, f, prm.Theta, spk)
	default:
		slices.Sort(wake)
		wake = slices.Compact(wake)
		for _, j := range wake {
			if lay.until[j] <= now && float32(lay.v[j]*f.At) >= prm.Theta {
				lay.v[j] -= f.Reset
				spk = append(spk, j)
			}
		}
	}
	work := &e.Stats.Work[l]
	work.Accumulates += int64(len(arr) * w.Post)
	if probe || len(arr) > 0 {
		work.Updates += int64(w.Post)
	} else {
		work.Updates += int64(len(wake))
	}
	lay.spk = spk
	if len(spk) == 0 {
		return
	}

	// The spikes fire at c = p+Δ. Each reaches the layer above after the delay. The
	// neurons may not fire again before c+Δ; they are looked at again at c, when the
	// update that gives U(c+Δ) happens, in case they are still over the threshold then.
	c := p + e.step
	e.Stats.Spikes[l] += int64(len(spk))
	if l < len(e.lays)-1 {
		e.send(c+e.delay, l+1, spk, events.Spike, events.Spikes)
	}
	e.send(c, l+1, spk, events.Wake, events.Wakes)
	inf := float32(math.Inf(-1))
	for _, j := range spk {
		lay.until[j], lay.mask[j] = c+e.step, inf
	}
	if e.OnSpikes != nil {
		e.OnSpikes(c, l+1, spk)
	}
}

// send queues an event of kind one about each neuron of spk, in layer layer, at t: for a
// single neuron as it is, for several as one event of kind many that names their list.
func (e *EventDriven) send(t int64, layer int, spk []int32, one, many events.Kind) {
	e.Stats.Queued++
	if len(spk) == 1 {
		e.q.Push(events.Event{Time: t, Layer: int32(layer), Neuron: spk[0], Kind: one})
		return
	}
	var n int32
	if k := len(e.free); k > 0 {
		n, e.free = e.free[k-1], e.free[:k-1]
	} else {
		n = int32(len(e.lists))
		e.lists = append(e.lists, nil)
	}
	e.lists[n] = append(e.lists[n][:0], spk...)
	e.q.Push(events.Event{Time: t, Layer: int32(layer), Neuron: n, Kind: many})
}

// integrate adds the current I·f.Gain to the scaled membranes of lay, then resets the
// neurons that reach the threshold and may fire, and appends them to spk. It is
// neuron.Params.StepScaled without U, with the same roundings, in vector instructions.
// Rounding is monotonic, so no neuron of a block reaches the threshold unless the
// block's largest V + mask does, and the search looks inside only such blocks.
func integrate(lay *eventLayer, cur []float32, f neuron.Factors, theta float32,
	spk []int32) []int32 {
	const block = 64
	v, n := lay.v, len(lay.v)
	blas32.Axpy(f.Gain, blas32.Vector{N: n, Data: cur, Inc: 1},
		blas32.Vector{N: n, Data: v, Inc: 1})
	vek32.Add_Into(lay.tmp, v, lay.mask)
	for lo := 0; lo < n; lo += block {
		hi := min(lo+block, n)
		if float32(vek32.Max(lay.tmp[lo:hi])*f.At) < theta {
			continue
		}
		for j := lo; j < hi; j++ {
			if x := v[j]; lay.mask[j] == 0 && float32(x*f.At) >= theta {
				v[j] = x - f.Reset
				spk = append(spk, int32(j))
			}
		}
	}
	return spk
}

// Potential returns the membrane potential U of neuron j of LIF layer layer (1 for the
// first) at time t, as far as the spikes processed so far make it: the spikes still in
// flight or pending are not in it. t must not be before the last update of the layer. For
// a neuron that fires at t, the result is after its reset.
func (e *EventDriven) Potential(layer, j int, t int64) float32 {
	lay := &e.lays[layer-1]
	return float32(lay.v[j] * e.scale.At(t-lay.t0))
}

// maxRebase is the number of rebasings after which every float32 is 0: each multiplies
// by at most 2⁻³², and 2¹²⁸·2⁻³²⁰ is below the smallest float32.
const maxRebase = 10

// rebase brings the reference time of lay as close to p as the clocked engine would,
// multiplying by the rebasing factor once for each span passed, as that engine does.
func (e *EventDriven) rebase(lay *eventLayer, p int64) {
	span := e.scale.Span
	if span == 0 || p-lay.t0 < span {
		return
	}
	n := (p - lay.t0) / span
	for range min(n, maxRebase) {
		for j := range lay.v {
			lay.v[j] *= e.scale.Rebase
		}
	}
	lay.t0 += n * span
}

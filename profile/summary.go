package profile

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
)

// Costs prices the operations of the energy estimate, in picojoules.
type Costs struct {
	// AC is the energy of one accumulate and MAC that of one multiply-accumulate.
	AC  float64 `json:"ac"`
	MAC float64 `json:"mac"`
}

// DefaultCosts are 32-bit floating-point figures for a 45 nm process (Horowitz 2014,
// "Computing's energy problem", ISSCC): an add costs 0.9 pJ, and a multiply (3.7 pJ)
// with its add 4.6 pJ.
var DefaultCosts = Costs{AC: 0.9, MAC: 4.6}

// MaxCost bounds the energy of one operation, in pJ: a microjoule, far above any
// circuit's, and low enough that no run's estimate overflows.
const MaxCost = 1e6

// Validate reports costs that are not numbers from 0 to MaxCost.
func (c Costs) Validate() error {
	for _, v := range []float64{c.AC, c.MAC} {
		if !(v >= 0 && v <= MaxCost) {
			return fmt.Errorf("profile: energy per operation %v pJ must be a number "+
				"from 0 to %g", v, float64(MaxCost))
		}
	}
	return nil
}

// Caveat says what the energy estimate leaves out.
const Caveat = "The estimate counts only synaptic operations. It leaves out memory " +
	"traffic (reading weights and states usually costs more than the arithmetic), " +
	"membrane updates and, in event mode, the event queue; those are counted beside it."

// Ratio is a ratio of counts or energies, NaN or infinite when its denominator is 0, as
// when an operation is priced at 0 pJ. Such a ratio is null in JSON and "n/a" in text.
type Ratio float64

// String formats r with four decimals, or as "n/a" when it is not a finite number.
func (r Ratio) String() string {
	if !r.finite() {
		return "n/a"
	}
	return strconv.FormatFloat(float64(r), 'f', 4, 64)
}

// MarshalJSON writes r as a JSON number, or as null when it is not a finite number.
func (r Ratio) MarshalJSON() ([]byte, error) {
	if !r.finite() {
		return []byte("null"), nil
	}
	return json.Marshal(float64(r))
}

// UnmarshalJSON reads a JSON number into r, and null as NaN.
func (r *Ratio) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*r = Ratio(math.NaN())
		return nil
	}
	return json.Unmarshal(data, (*float64)(r))
}

func (r Ratio) finite() bool { return !math.IsNaN(float64(r)) && !math.IsInf(float64(r), 0) }

// Summary is what a profile shows: its counts and the figures derived from them.
type Summary struct {
	Mode       string         `json:"mode"`
	StepMicros int64          `json:"dt_us"`
	BinMicros  int64          `json:"bin_us"`
	Samples    int64          `json:"samples"`
	Steps      int64          `json:"steps"`
	Seconds    float64        `json:"simulated_seconds"`
	Layers     []LayerSummary `json:"layers"`
	Input      InputSummary   `json:"input"`
	Work       WorkSummary    `json:"work"`
	Energy     EnergySummary  `json:"energy"`
	Bins       []BinSummary   `json:"bins"`
	Raster     RasterSummary  `json:"raster"`
}

// LayerSummary describes one layer; the work fields are zero for the input.
type LayerSummary struct {
	Name    string `json:"name"`
	Neurons int    `json:"neurons"`
	Spikes  int64  `json:"spikes"`
	// SpikesPerNeuron is per neuron and sample; RateHz the mean firing rate.
	SpikesPerNeuron float64 `json:"spikes_per_neuron_per_sample"`
	RateHz          float64 `json:"rate_hz"`
	// Sparsity is the fraction of neurons × steps without a spike, and Active the mean
	// fraction of neurons that fire in a sample.
	Sparsity float64 `json:"activation_sparsity"`
	Active   float64 `json:"active_fraction"`
	// Dead lists the neurons that never fired, Saturated those that fired at every step
	// from the layer's first spike to the end of every sample.
	Dead      []int `json:"dead"`
	Saturated []int `json:"saturated"`
	// Work is what the engine did; DenseMACs and ClockedUpdates are what a dense
	// clocked engine does on the same steps: fan-in × neurons MACs and a membrane
	// update per neuron, every step.
	Work           Work    `json:"work"`
	DenseMACs      int64   `json:"dense_macs"`
	ClockedUpdates int64   `json:"clocked_updates"`
	NeuronSpikes   []int64 `json:"neuron_spikes"`
}

// InputSummary describes the input.
type InputSummary struct {
	// Channels counts the inputs, and Firing those that fired at least once.
	Channels int     `json:"channels"`
	Firing   int     `json:"channels_firing"`
	Fraction float64 `json:"fraction_firing"`
	// EventsPerSecond is the mean rate of input spikes over the simulated time.
	EventsPerSecond float64 `json:"events_per_second"`
}

// WorkSummary totals the work over the LIF layers.
type WorkSummary struct {
	Work
	DenseMACs      int64 `json:"dense_macs"`
	ClockedUpdates int64 `json:"clocked_updates"`
	Queued         int64 `json:"queued_events"`
	// SynapticRatio is the synaptic operations performed (accumulates and MACs) over the
	// dense MACs, and UpdateRatio the membrane updates over the clocked ones.
	SynapticRatio Ratio `json:"synaptic_ratio"`
	UpdateRatio   Ratio `json:"update_ratio"`
}

// EnergySummary is the energy estimate, in picojoules.
type EnergySummary struct {
	Costs  Costs   `json:"costs_pj"`
	Engine float64 `json:"engine_pj"`
	Dense  float64 `json:"dense_pj"`
	// Ratio is Engine / Dense.
	Ratio  Ratio  `json:"ratio"`
	Caveat string `json:"caveat"`
}

// BinSummary describes one time bin.
type BinSummary struct {
	Start   int64 `json:"start_us"`
	Samples int64 `json:"samples"`
	// Covered is the time of the samples within the bin, in µs summed over them.
	Covered int64 `json:"covered_us"`
	// Spikes counts each layer's spikes, input first; Rates gives them in spikes per
	// second of the samples' time within the bin, so that Rates[0] is the input event
	// rate.
	Spikes []int64   `json:"spikes"`
	Rates  []float64 `json:"rates"`
}

// RasterSummary holds the spikes of one sample: all of them, or when End is not 0 those
// before End µs.
type RasterSummary struct {
	Sample int     `json:"sample"`
	Spikes []Spike `json:"spikes"`
	End    int64   `json:"end_us,omitempty"`
}

// ErrEmpty reports a profile of no samples.
var ErrEmpty = errors.New("profile: no samples were run")

// Summarize derives the figures of p, pricing its work at costs.
func (p *Profile) Summarize(costs Costs) (*Summary, error) {
	if err := costs.Validate(); err != nil {
		return nil, err
	}
	if p.Samples == 0 || p.Steps == 0 {
		return nil, ErrEmpty
	}
	s := &Summary{Mode: p.Mode, StepMicros: p.StepMicros, BinMicros: p.BinMicros,
		Samples: p.Samples, Steps: p.Steps,
		Seconds: float64(p.Steps) * float64(p.StepMicros) / 1e6,
		Raster:  RasterSummary{Sample: p.RasterSample, Spikes: p.Raster, End: p.RasterEnd}}
	nl := len(p.Layers)
	for l, lay := range p.Layers {
		n := int64(p.Sizes[l])
		ls := LayerSummary{Name: Name(l, nl), Neurons: int(n), Spikes: lay.Spikes,
			NeuronSpikes: lay.Neuron, Dead: []int{}, Saturated: []int{}}
		ls.SpikesPerNeuron = float64(lay.Spikes) / float64(n*p.Samples)
		ls.RateHz = float64(lay.Spikes) / float64(n) / s.Seconds
		var busy int64
		for j, v := range lay.Busy {
			busy += v
			switch {
			case v == 0:
				ls.Dead = append(ls.Dead, j)
			case v >= lay.Open:
				ls.Saturated = append(ls.Saturated, j)
			}
		}
		ls.Sparsity = 1 - float64(busy)/float64(n*p.Steps)
		ls.Active = float64(lay.Active) / float64(n*p.Samples)
		if l > 0 {
			ls.Work = lay.Work
			ls.DenseMACs = p.Steps * int64(p.FanIn[l-1]) * n
			ls.ClockedUpdates = p.Steps * n
			s.Work.Add(lay.Work)
			s.Work.DenseMACs += ls.DenseMACs
			s.Work.ClockedUpdates += ls.ClockedUpdates
		}
		s.Layers = append(s.Layers, ls)
	}

	in := s.Layers[0]
	s.Input = InputSummary{Channels: in.Neurons, Firing: in.Neurons - len(in.Dead),
		EventsPerSecond: float64(in.Spikes) / s.Seconds}
	s.Input.Fraction = float64(s.Input.Firing) / float64(in.Neurons)

	w := &s.Work
	w.Queued = p.Queued
	w.SynapticRatio = Ratio(float64(w.Accumulates+w.MACs) / float64(w.DenseMACs))
	w.UpdateRatio = Ratio(float64(w.Updates) / float64(w.ClockedUpdates))
	s.Energy = EnergySummary{Costs: costs,
		Engine: float64(w.Accumulates)*costs.AC + float64(w.MACs)*costs.MAC,
		Dense:  float64(w.DenseMACs) * costs.MAC, Caveat: Caveat}
	s.Energy.Ratio = Ratio(s.Energy.Engine / s.Energy.Dense)

	for k, b := range p.Bins {
		bs := BinSummary{Start: int64(k) * p.BinMicros, Samples: b.Samples, Covered: b.Covered,
			Spikes: b.Spikes, Rates: make([]float64, nl)}
		if b.Covered > 0 {
			for l, v := range b.Spikes {
				bs.Rates[l] = float64(v) / (float64(b.Covered) / 1e6)
			}
		}
		s.Bins = append(s.Bins, bs)
	}
	return s, nil
}

// Name names layer l of n, input first: "input", "hidden" (or "hidden 1", "hidden 2",
// … when there are several) and "output".
func Name(l, n int) string {
	switch {
	case l == 0:
		return "input"
	case l == n-1:
		return "output"
	case n == 3:
		return "hidden"
	}
	return fmt.Sprintf("hidden %d", l)
}

package profile

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
)

// listed is how many neuron indices the text shows before it abbreviates.
const listed = 16

// WriteText writes s as readable tables.
func (s *Summary) WriteText(w io.Writer) error {
	ew := &errWriter{w: w}
	ew.printf("profile · %s mode · %s · %s of %d µs (%.3f s simulated)\n\n", s.Mode,
		Count(s.Samples, "sample", "samples"), Count(s.Steps, "step", "steps"),
		s.StepMicros, s.Seconds)

	tw := tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "layer\tneurons\tspikes\tspikes/neuron/sample\trate Hz\tsparsity\t"+
		"active/sample\tdead\tsaturated\t")
	for _, l := range s.Layers {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.4g\t%.4g\t%.4f\t%.4f\t%d\t%d\t\n", l.Name, l.Neurons,
			l.Spikes, l.SpikesPerNeuron, l.RateHz, l.Sparsity, l.Active, len(l.Dead),
			len(l.Saturated))
	}
	tw.Flush()
	for _, l := range s.Layers {
		if len(l.Dead) > 0 {
			ew.printf("dead %s neurons: %s\n", l.Name, indices(l.Dead))
		}
		if len(l.Saturated) > 0 {
			ew.printf("saturated %s neurons: %s\n", l.Name, indices(l.Saturated))
		}
	}
	ew.printf("input: %d of %d channels fire (%.2f%%), %.4g events/s on average\n\n",
		s.Input.Firing, s.Input.Channels, 100*s.Input.Fraction, s.Input.EventsPerSecond)

	tw = tabwriter.NewWriter(ew, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "work into\taccumulates\tMACs\tdense MACs\tratio\tmembrane updates\t"+
		"clocked updates\tratio\t")
	row := func(name string, w Work, dense, clocked int64) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%s\t%d\t%d\t%s\t\n", name, w.Accumulates,
			w.MACs, dense, Ratio(float64(w.Accumulates+w.MACs)/float64(dense)), w.Updates,
			clocked, Ratio(float64(w.Updates)/float64(clocked)))
	}
	for _, l := range s.Layers[1:] {
		row(l.Name, l.Work, l.DenseMACs, l.ClockedUpdates)
	}
	row("all", s.Work.Work, s.Work.DenseMACs, s.Work.ClockedUpdates)
	tw.Flush()
	if s.Mode == "event" {
		ew.printf("event queue: %s\n", Count(s.Work.Queued, "event", "events"))
	}
	e := s.Energy
	ew.printf("\nenergy estimate: %s by this engine against %s by a dense clocked engine "+
		"(ratio %s),\nat %g pJ per accumulate and %g pJ per MAC.\n", joules(e.Engine),
		joules(e.Dense), e.Ratio, e.Costs.AC, e.Costs.MAC)
	ew.printf("%s\n", wrap(e.Caveat, 88))
	return ew.err
}

// Count writes n and the noun for one or for many, as fits n.
func Count(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// indices lists neuron indices, abbreviated after the first few.
func indices(js []int) string {
	var b strings.Builder
	for k, j := range js[:min(len(js), listed)] {
		if k > 0 {
			b.WriteString(" ")
		}
		b.WriteString(strconv.Itoa(j))
	}
	if len(js) > listed {
		fmt.Fprintf(&b, " … (%d in all)", len(js))
	}
	return b.String()
}

// joules writes an energy given in pJ with a suitable unit.
func joules(pj float64) string {
	for _, u := range []struct {
		scale float64
		name  string
	}{{1e12, "J"}, {1e9, "mJ"}, {1e6, "µJ"}, {1e3, "nJ"}} {
		if pj >= u.scale {
			return fmt.Sprintf("%.4g %s", pj/u.scale, u.name)
		}
	}
	return fmt.Sprintf("%.4g pJ", pj)
}

// WriteLayersCSV writes one CSV row per layer, input first.
func (s *Summary) WriteLayersCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"layer", "name", "neurons", "spikes", "spikes_per_neuron_per_sample",
		"rate_hz", "activation_sparsity", "active_fraction", "dead", "saturated",
		"accumulates", "macs", "dense_macs", "membrane_updates", "clocked_updates"})
	for l, ls := range s.Layers {
		cw.Write([]string{strconv.Itoa(l), ls.Name, strconv.Itoa(ls.Neurons), itoa(ls.Spikes),
			ftoa(ls.SpikesPerNeuron), ftoa(ls.RateHz), ftoa(ls.Sparsity), ftoa(ls.Active),
			strconv.Itoa(len(ls.Dead)), strconv.Itoa(len(ls.Saturated)),
			itoa(ls.Work.Accumulates), itoa(ls.Work.MACs), itoa(ls.DenseMACs),
			itoa(ls.Work.Updates), itoa(ls.ClockedUpdates)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteBinsCSV writes one CSV row per time bin: its start, the samples that last into
// it, their time within it summed over them, and per layer the spikes and their rate
// per second of that time.
func (s *Summary) WriteBinsCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"start_us", "samples", "covered_us"}
	for _, l := range s.Layers {
		name := strings.ReplaceAll(l.Name, " ", "")
		head = append(head, name+"_spikes", name+"_spikes_per_s")
	}
	cw.Write(head)
	for _, b := range s.Bins {
		rec := []string{itoa(b.Start), itoa(b.Samples), itoa(b.Covered)}
		for l, v := range b.Spikes {
			rec = append(rec, itoa(v), ftoa(b.Rates[l]))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// wrap breaks s into lines of at most width bytes, between words.
func wrap(s string, width int) string {
	var b strings.Builder
	n := 0
	for _, w := range strings.Fields(s) {
		switch {
		case n == 0:
		case n+1+len(w) > width:
			b.WriteString("\n")
			n = 0
		default:
			b.WriteString(" ")
			n++
		}
		b.WriteString(w)
		n += len(w)
	}
	return b.String()
}

func itoa(v int64) string   { return strconv.FormatInt(v, 10) }
func ftoa(v float64) string { return strconv.FormatFloat(v, 'g', 8, 64) }

// errWriter keeps the first error of a series of writes.
type errWriter struct {
	w   io.Writer
	err error
}

func (ew *errWriter) Write(p []byte) (int, error) {
	if ew.err != nil {
		return 0, ew.err
	}
	n, err := ew.w.Write(p)
	ew.err = err
	return n, err
}

func (ew *errWriter) printf(format string, args ...any) {
	fmt.Fprintf(ew, format, args...)
}

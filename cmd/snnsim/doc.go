// Command snnsim simulates and trains spiking neural networks of leaky integrate-and-fire
// neurons.
//
// Usage:
//
//	snnsim run --mode clocked --dataset mnist [flags]
//	snnsim run --mode event --dataset mnist|dvsgesture [flags]
//	snnsim run --mode event --input FILE [flags]
//	snnsim profile [run's flags, training aside] [--compare] [--out DIR]
//	snnsim inspect [--json] FILE
//
// run with --dataset trains a network, then tests it: in clocked mode on the MNIST
// digits, in event mode on the digits as spikes at any microsecond or on a DVS128
// Gesture folder, through the event engine. --save writes a checkpoint after every epoch
// and --load starts from one, made in either mode.
//
// run in event mode streams an AEDAT event-camera recording through a network, every
// event at its own microsecond time, and reports the spikes of each layer, the synaptic
// events and the speed; with a DVS128 Gesture label file, also the winning class of each
// labelled window.
//
// profile runs the test set or a recording as run does, without training, and reports
// from the engines' counters where the spikes and the work are: per layer spikes per
// neuron, firing rate, activation sparsity, active, dead and saturated neurons; the
// synaptic operations and membrane updates against a dense clocked engine; an energy
// estimate. run --profile adds the same to a run.
//
// In both modes a progress bar runs on stderr when it is a terminal, and one summary goes
// to stdout (--json for JSON).
//
// inspect describes an AEDAT event-camera recording: version, sensor, time range, ON and
// OFF event counts, skipped records and event rate.
//
// "snnsim --help", "snnsim run --help", "snnsim profile --help" and "snnsim inspect --help"
// list every flag and its default.
//
// The exit status is 0 on success, 1 on an error (one line on stderr) and 130 after an
// interrupt.
package main

// Command snnsim simulates and trains spiking neural networks of leaky integrate-and-fire
// neurons.
//
// Usage:
//
//	snnsim run --mode clocked --dataset mnist [flags]
//	snnsim run --mode event --dataset mnist|dvsgesture [flags]
//	snnsim run --mode event --input FILE [flags]
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
// In both modes a progress bar runs on stderr when it is a terminal, and one summary goes
// to stdout (--json for JSON).
//
// inspect describes an AEDAT event-camera recording: version, sensor, time range, ON and
// OFF event counts, skipped records and event rate.
//
// "snnsim --help", "snnsim run --help" and "snnsim inspect --help" list every flag and its
// default.
//
// The exit status is 0 on success, 1 on an error (one line on stderr) and 130 after an
// interrupt.
package main

// Command snnsim simulates and trains spiking neural networks of leaky integrate-and-fire
// neurons.
//
// Usage:
//
//	snnsim run --mode clocked --dataset mnist [flags]
//	snnsim inspect [--json] FILE
//
// run trains a network on the MNIST digits in the clocked engine, then tests it. A
// progress bar runs on stderr and one summary goes to stdout (--json for JSON). --save
// writes a checkpoint after every epoch and --load starts from one.
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

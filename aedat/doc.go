// Package aedat reads the AEDAT files that event cameras (DVS) and their software write:
// jAER's AEDAT 2.0, the packet format 3.1 of the DVS128 Gesture dataset, and the
// flatbuffer-based 4.0 of newer cameras. Each decoded polarity event becomes an Event with
// a microsecond timestamp, sensor coordinates and a polarity, ready to be mapped onto the
// input neurons of an event-mode network.
package aedat

// BUG(snnsim): no decoder exists yet; the package holds only the Event type that the
// readers of AEDAT 2.0, 3.1 and 4.0 will produce.

// Event is one polarity event from a DVS sensor.
type Event struct {
	// Time is the timestamp in microseconds.
	Time int64
	// X and Y are the pixel coordinates, with (0, 0) at the top left of the sensor.
	X, Y uint16
	// On is true for a brightness increase (ON event), false for a decrease (OFF).
	On bool
}

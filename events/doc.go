// Package events holds timed events for event-driven simulation, the priority queue that
// orders them, and the Grid that maps the pixels of an event sensor onto input neurons.
//
// An Event is something that happens about one neuron at one instant: its spike reaching
// the next layer after the synaptic delay, or a reminder to look at it again. Times are
// integers in microseconds. The Queue hands events out in order of time; events at the
// same time come out in the order they were pushed, so a simulation that pushes the same
// events in the same order replays exactly, whatever the map iteration order or goroutine
// schedule around it.
package events

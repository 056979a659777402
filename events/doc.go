// Package events holds timed events for event-driven simulation, the priority queue that
// orders them, and the Grid that maps the pixels of an event sensor onto input neurons.
//
// An Event is something that happens to one neuron at one instant: an input spike arriving,
// or a spike delivered after its synaptic delay. Times are integers in microseconds. The
// Queue hands events out in order of time; events at the same time come out in the order
// they were pushed, so a simulation that pushes the same events in the same order replays
// exactly, whatever the map iteration order or goroutine schedule around it.
package events

package events

import (
	"cmp"

	"github.com/emirpasic/gods/queues/priorityqueue"
)

// Kind says what an event does.
type Kind uint8

const (
	// Spike is a spike of neuron Neuron of layer Layer reaching the layer above it, after
	// its synaptic delay.
	Spike Kind = iota
	// Spikes is Spike for several neurons of layer Layer that fired together: Neuron
	// numbers the list of them, which the sender keeps.
	Spikes
	// Wake asks for neuron Neuron of layer Layer to be looked at again: it fired, and its
	// membrane may still be over the threshold after the reset.
	Wake
	// Wakes is Wake for several neurons of layer Layer: Neuron numbers the list of them,
	// which the sender keeps.
	Wakes
	// Probe asks for the membranes of every neuron of layer Layer, one step after Time.
	Probe
)

// Event is one timed event about one neuron.
type Event struct {
	// Time is when the event takes effect, in microseconds.
	Time int64
	// Layer and Neuron name the neuron: layer 0 is the input.
	Layer  int32
	Neuron int32
	// Kind says what the event does.
	Kind Kind
}

// item is an event with its insertion number, which breaks ties in time.
type item struct {
	Event
	seq uint64
}

// Queue is a priority queue of events ordered by time, then by insertion. The zero value
// is not ready for use; call NewQueue.
type Queue struct {
	pq  *priorityqueue.Queue
	seq uint64
}

// NewQueue returns an empty queue.
func NewQueue() *Queue {
	return &Queue{pq: priorityqueue.NewWith(func(a, b any) int {
		x, y := a.(item), b.(item)
		if c := cmp.Compare(x.Time, y.Time); c != 0 {
			return c
		}
		return cmp.Compare(x.seq, y.seq)
	})}
}

// Push adds e. It costs O(log n).
func (q *Queue) Push(e Event) {
	q.pq.Enqueue(item{Event: e, seq: q.seq})
	q.seq++
}

// Pop removes and returns the earliest event; among events at the same time, the one
// pushed first. ok is false when the queue is empty. It costs O(log n).
func (q *Queue) Pop() (e Event, ok bool) {
	v, ok := q.pq.Dequeue()
	if !ok {
		return Event{}, false
	}
	return v.(item).Event, true
}

// Peek returns the event Pop would return, without removing it.
func (q *Queue) Peek() (e Event, ok bool) {
	v, ok := q.pq.Peek()
	if !ok {
		return Event{}, false
	}
	return v.(item).Event, true
}

// Len returns the number of events waiting.
func (q *Queue) Len() int { return q.pq.Size() }

package events

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestQueueOrder pushes events with many equal times in random order and checks that they
// come out sorted by time and, within a time, in the order they were pushed.
func TestQueueOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	q := NewQueue()
	var pushed []Event
	for k := range 1000 {
		e := Event{Time: int64(rng.IntN(20)), Neuron: int32(k)}
		pushed = append(pushed, e)
		q.Push(e)
	}
	want := slices.Clone(pushed)
	slices.SortStableFunc(want, func(a, b Event) int { return int(a.Time - b.Time) })

	if q.Len() != len(want) {
		t.Fatalf("Len = %d, want %d", q.Len(), len(want))
	}
	for k, w := range want {
		if p, _ := q.Peek(); p != w {
			t.Fatalf("Peek #%d = %+v, want %+v", k, p, w)
		}
		got, ok := q.Pop()
		if !ok || got != w {
			t.Fatalf("Pop #%d = %+v, %v; want %+v", k, got, ok, w)
		}
	}
	if _, ok := q.Pop(); ok {
		t.Fatal("Pop on an empty queue reported an event")
	}
}

// TestQueueTiesAcrossPops checks that the insertion order of ties holds when pushes and
// pops interleave.
func TestQueueTiesAcrossPops(t *testing.T) {
	q := NewQueue()
	q.Push(Event{Time: 5, Neuron: 1})
	q.Push(Event{Time: 3, Neuron: 2})
	if e, _ := q.Pop(); e.Neuron != 2 {
		t.Fatalf("first Pop = neuron %d, want 2", e.Neuron)
	}
	q.Push(Event{Time: 5, Neuron: 3})
	q.Push(Event{Time: 5, Neuron: 4})
	for _, want := range []int32{1, 3, 4} {
		if e, _ := q.Pop(); e.Neuron != want {
			t.Fatalf("Pop = neuron %d, want %d", e.Neuron, want)
		}
	}
}

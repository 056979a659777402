package synapse

import (
	"math"
	"math/rand/v2"
	"testing"
)

const tol = 1e-5

func randomDense(pre, post int, seed uint64) *Dense {
	rng := rand.New(rand.NewPCG(seed, 1))
	d := NewDense(pre, post)
	for i := range d.W {
		d.W[i] = float32(rng.NormFloat64())
	}
	return d
}

// TestDeliver compares spike delivery with the matrix product S·Wᵀ written out in full, for
// rows short enough for the narrow path and long enough for the vector kernel.
func TestDeliver(t *testing.T) {
	for _, post := range []int{1, 4, 10, 13, narrow, 67} {
		testDeliver(t, randomDense(7, post, uint64(post)))
	}
}

func testDeliver(t *testing.T, d *Dense) {
	spikes := []int32{0, 3, 6}
	vals := []float32{0.5, -2, 1.25}

	got := make([]float32, d.Post)
	d.Deliver(got, spikes)
	gotW := make([]float32, d.Post)
	d.DeliverWeighted(gotW, spikes, vals)

	for j := range d.Post {
		var want, wantW float64
		for k, i := range spikes {
			want += float64(d.W[int(i)*d.Post+j])
			wantW += float64(vals[k]) * float64(d.W[int(i)*d.Post+j])
		}
		if math.Abs(float64(got[j])-want) > tol {
			t.Errorf("Post %d: Deliver: I[%d] = %v, want %v", d.Post, j, got[j], want)
		}
		if math.Abs(float64(gotW[j])-wantW) > tol {
			t.Errorf("Post %d: DeliverWeighted: I[%d] = %v, want %v", d.Post, j, gotW[j], wantW)
		}
	}
}

func TestAddOuter(t *testing.T) {
	d := NewDense(4, 3)
	a := []float32{1, 0, 2, 5}
	b := []float32{1, -1, 0.5}
	d.AddOuter([]int32{0, 1, 2}, a, b) // row 3 not listed: stays zero
	want := []float32{1, -1, 0.5, 0, 0, 0, 2, -2, 1, 0, 0, 0}
	for i := range want {
		if d.W[i] != want[i] {
			t.Fatalf("W = %v, want %v", d.W, want)
		}
	}
}

// TestTrace checks the trace against its recurrence worked by hand: a spike at t = 0
// reaches Q at t = 1 and P at t = 2, then P decays by α per step.
func TestTrace(t *testing.T) {
	tr := NewTrace(2, 0.5)
	tr.Step([]int32{0}, nil)             // X(0): input 0 spikes
	tr.Step(nil, nil)                    // X(1): silence
	tr.Step([]int32{1}, []float32{0.25}) // X(2): input 1 at intensity 0.25
	tr.Step(nil, nil)

	// P(1) = 0, P(2) = 1, P(3) = 0.5, P(4) = 0.25 for input 0; P(4) = 0.25 for input 1.
	if tr.P[0] != 0.25 || tr.P[1] != 0.25 {
		t.Errorf("P(4) = %v, want [0.25 0.25]", tr.P)
	}
	tr.Reset()
	if tr.P[0] != 0 || tr.Q[1] != 0 {
		t.Errorf("after Reset P = %v, Q = %v", tr.P, tr.Q)
	}
}

func BenchmarkDeliver(b *testing.B) {
	d := randomDense(784, 500, 1)
	spikes := make([]int32, 100)
	for k := range spikes {
		spikes[k] = int32(k * 7)
	}
	dst := make([]float32, d.Post)
	b.SetBytes(int64(len(spikes) * d.Post * 4))
	for b.Loop() {
		d.Deliver(dst, spikes)
	}
}

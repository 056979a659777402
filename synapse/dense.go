package synapse

import (
	"fmt"

	"github.com/viterin/vek/vek32"
	"gonum.org/v1/gonum/blas/blas32"
)

// narrow is the row length below which a plain loop beats a call to the vector kernel.
const narrow = 32

// Dense is a fully connected projection from Pre to Post neurons. W holds Wᵀ row-major:
// W[i*Post+j] is the weight from presynaptic neuron i to postsynaptic neuron j.
type Dense struct {
	// Pre and Post are the numbers of presynaptic and postsynaptic neurons.
	Pre, Post int
	// W holds the Pre×Post weights, one row per presynaptic neuron.
	W []float32
}

// NewDense returns a Pre×Post projection with all weights zero.
func NewDense(pre, post int) *Dense {
	if pre < 0 || post < 0 {
		panic(fmt.Sprintf("synapse: negative size %d×%d", pre, post))
	}
	return &Dense{Pre: pre, Post: post, W: make([]float32, pre*post)}
}

// Row returns the outgoing weights of presynaptic neuron i, sharing memory with d.W.
func (d *Dense) Row(i int) []float32 {
	return d.W[i*d.Post : (i+1)*d.Post : (i+1)*d.Post]
}

// Deliver adds the rows of the presynaptic neurons listed in spikes to dst:
//
//	dst += S·Wᵀ
//
// It costs O(len(spikes)·Post).
func (d *Dense) Deliver(dst []float32, spikes []int32) {
	if d.Post < narrow {
		d.deliverNarrow(dst[:d.Post], spikes)
		return
	}
	dst = dst[:d.Post]
	for _, i := range spikes {
		vek32.Add_Inplace(dst, d.Row(int(i)))
	}
}

// deliverNarrow is Deliver for short rows. It keeps four columns at a time in registers
// across all spikes instead of reloading dst for every spike; each column still sums its
// spikes in the same order, so the result is the same to the bit.
func (d *Dense) deliverNarrow(dst []float32, spikes []int32) {
	post := d.Post
	lo := 0
	for ; lo+4 <= post; lo += 4 {
		a0, a1, a2, a3 := dst[lo], dst[lo+1], dst[lo+2], dst[lo+3]
		for _, i := range spikes {
			at := int(i)*post + lo
			r := d.W[at : at+4 : at+4]
			a0 += r[0]
			a1 += r[1]
			a2 += r[2]
			a3 += r[3]
		}
		dst[lo], dst[lo+1], dst[lo+2], dst[lo+3] = a0, a1, a2, a3
	}
	for ; lo < post; lo++ {
		a := dst[lo]
		for _, i := range spikes {
			a += d.W[int(i)*post+lo]
		}
		dst[lo] = a
	}
}

// DeliverWeighted is Deliver for graded presynaptic activity: it adds x[k]·Wᵀ[idx[k],:] to
// dst for every k. It serves rate-coded input, whose activity is an intensity, not a spike.
func (d *Dense) DeliverWeighted(dst []float32, idx []int32, x []float32) {
	y := blas32.Vector{N: d.Post, Data: dst[:d.Post], Inc: 1}
	for k, i := range idx {
		blas32.Axpy(x[k], blas32.Vector{N: d.Post, Data: d.Row(int(i)), Inc: 1}, y)
	}
}

// AddOuter adds the outer product a·bᵀ to the rows of d listed in rows, skipping zero
// entries of a:
//
//	W[i,:] += a[i]·b  for i in rows
//
// It is the building block of the weight gradients: a is a presynaptic trace, b a
// postsynaptic error.
func (d *Dense) AddOuter(rows []int32, a, b []float32) {
	y := blas32.Vector{N: d.Post, Data: b[:d.Post], Inc: 1}
	for _, i := range rows {
		if a[i] == 0 {
			continue
		}
		blas32.Axpy(a[i], y, blas32.Vector{N: d.Post, Data: d.Row(int(i)), Inc: 1})
	}
}

// Package encoding turns static intensities, such as the pixels of an MNIST digit, into the
// presynaptic activity X(t) that drives the first layer of a network:
//
//	I₁(t+1) = X(t)·W₁ᵀ + b₁
//
// Poisson draws an independent Bernoulli spike for every input at every step, with
// probability p = min(1, intensity × gain). Rate feeds the intensity itself as a constant
// drive at every step. Intensities are in [0, 1]; an input of intensity 0 never fires and
// costs nothing, in either encoding.
//
// Randomness comes only from the source the caller passes in, so a seeded source repeats
// the same spikes.
package encoding

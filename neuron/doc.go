// Package neuron holds the leaky integrate-and-fire (LIF) neuron that snnsim simulates,
// and the surrogate derivative used to train it.
//
// A population of LIF neurons advances in discrete time steps t = 0, 1, 2, … as
//
//	I(t+1) = B(t) + S(t)·Wᵀ
//	U(t+1) = α·U(t) + I(t) − S(t)·θ
//	S(t)   = H(U(t) − θ)
//
// U is the membrane potential and I the synaptic current, in the same units as θ.
// B is the external drive, S(t)·Wᵀ the weighted spikes of the presynaptic population (see
// package synapse), α the membrane decay per step and H the Heaviside step, here with
// H(0) = 1: a neuron fires when U reaches θ. The reset is subtractive: a spike removes θ and
// keeps any excess. The current is a one-step buffer, so a presynaptic spike at t changes
// I at t+1 and the membrane at t+2.
//
// Params.StepScaled carries out the U and S lines for a whole population; the I line
// belongs to the caller, who owns the weights. It keeps the membrane in a scaled form (see
// Scale), in which a neuron that receives nothing needs no update at all. Both of snnsim's
// engines use it: the clocked one at every step, the event one only when an event reaches
// a neuron.
//
// For learning, H has no useful derivative. SuperSpike replaces ∂S/∂U with
//
//	σ′(U) = 1 / (1 + β·|U − θ|)²
//
// the normalised fast-sigmoid surrogate of Zenke & Ganguli, "SuperSpike: Supervised learning
// in multilayer spiking neural networks", Neural Computation 30(6), 2018, eq. 6: it peaks at
// 1 on the threshold and falls off with steepness β.
package neuron

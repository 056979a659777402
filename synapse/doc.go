// Package synapse holds the connections between populations: dense weight matrices, the
// spike delivery that turns presynaptic spikes into postsynaptic current, and the
// presynaptic traces that serve as synaptic eligibilities during learning.
//
// A projection from m presynaptic to n postsynaptic neurons contributes the term
//
//	S(t)·Wᵀ
//
// to the current I(t+1) of its target (see package neuron), where W is n×m and S(t) is the
// row of presynaptic spikes at step t. Dense stores Wᵀ row-major, one row per presynaptic
// neuron, so a spike from neuron i adds the single contiguous row Wᵀ[i,:] to the target's
// current. Delivery therefore costs O(fan-out) per spike and nothing for a silent neuron.
//
// Trace is the eligibility that clocked training uses. For a synapse from i to j,
// ∂U_j(t)/∂W_ji, with the reset treated as a constant, is the presynaptic spike train
// passed through the same filter as the membrane:
//
//	P(t+1) = α·P(t) + Q(t)
//	Q(t+1) = S(t)
//
// Q mirrors the one-step current buffer and P the leaky membrane. P is the same for every
// postsynaptic neuron, so a layer keeps one trace per presynaptic neuron, not per synapse.
package synapse

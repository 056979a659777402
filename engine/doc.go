// Package engine runs layered LIF networks and trains them.
//
// A Network is a description plus weights: Inputs inputs, then hidden LIF layers, then the
// output layer, each fully connected to the next. Layer l (from 1) follows
//
//	I_l(t+1) = B_l(t) + S_{l−1}(t)·W_lᵀ
//	U_l(t+1) = α·U_l(t) + I_l(t) − S_l(t)·θ
//	S_l(t)   = H(U_l(t) − θ)
//
// with S_0(t) = X(t), the encoded input (see package encoding), and B_l(t) = b_l, a learned
// bias, or zero. Every layer thus adds two steps of delay: a spike at t reaches the next
// membrane at t+2.
//
// # Clocked mode
//
// Clocked steps every neuron of every layer through T time steps per sample. Only spikes
// do synaptic work: a silent input or neuron adds nothing to the next layer's current.
//
// # Event mode
//
// EventDriven runs the same Network in continuous time, for event cameras: each input
// spike comes at its own microsecond time, a layer is updated only when a spike reaches
// it, and a membrane decays exactly, by α^(dt/Δ), over the time nothing reaches it.
// Spikes between layers travel through an events.Queue.
//
// Both engines keep the membranes in the scaled form of neuron.Scale, in which a silent
// neuron's state does not change, and use the same arithmetic on it. On input quantised
// to the step Δ, the event engine therefore fires the clocked engine's spikes exactly, and
// its membranes hold the same bits.
//
// # Learning in event mode
//
// A Trainer whose EngineConfig names ModeEvent shows its samples to the event engine:
// static samples (Dataset) as Poisson spikes at any microsecond or on the step grid, and
// event streams (EventSet, such as DVS128 Gesture) as they are, with TrainEvents and
// EvaluateEvents. It learns with the same error and feedback as below, with the
// eligibility the Rule names: RuleEprop, the clocked rule, computed with the error
// filtered backwards in time so that each presynaptic spike costs one row; or RuleTrace,
// a trace per synapse that jumps by the surrogate at each presynaptic spike and decays
// by λ per step. A network trained in one engine evaluates the same in the other on
// input on the step grid.
//
// # Learning
//
// Trainer trains with mini-batches and a local, online rule. The loss is the cross-entropy
// of the softmax of the output spike counts c over the last learning window, the last K
// of the T steps; earlier steps only integrate. Its error e = softmax(c) − onehot(y)
// reaches each layer as
//
//	ΔW_l[j,i] = −η·Σ_t σ′(U_{l,j}(t))·ε_{l,j}·P_{l,i}(t),   t = T−K, …, T−1
//
// where σ′ is the SuperSpike surrogate (package neuron), P_l the presynaptic trace of
// layer l (package synapse), ε = e for the output layer, and ε_l = e·B_l for a hidden
// layer. B_l is a fixed random matrix drawn when the network is created: the error reaches
// hidden layers by direct feedback alignment (Nøkland, "Direct feedback alignment provides
// learning in deep neural networks", NeurIPS 2016), never through the transposed forward
// weights. Nothing is propagated backwards in time; each synapse needs only its own trace
// and its neuron's surrogate.
//
// # Determinism
//
// Every random draw comes from a PCG stream chosen by the seed and by what is drawn: the
// weights of a layer, the order of an epoch, the input spikes of a sample. A mini-batch
// is split into a fixed number of shards whose gradients are summed in order. The same
// seed therefore gives the same bits whatever GOMAXPROCS is, and a run resumed from a
// checkpoint continues exactly as an uninterrupted one.
package engine

// Package profile measures how sparse a spiking network is and what that sparsity saves:
// where the spikes are, and where the work is.
//
// A Profile sums, over every sample of a run, the spikes of each neuron, how many
// neurons of each layer fired in each sample, the spikes per time bin from the start of
// a sample, and the operations the engines performed, counted where they performed them
// (Work). The engines record into a Recorder, one per goroutine; Add sums Profiles, so
// that a run split into batches or goroutines gives the same counts as one in a piece.
//
// From the counts, Summarize derives per layer
//
//	spikes per neuron per sample   S / (N·samples)
//	firing rate                    S / (N·steps·Δ)
//	activation sparsity            1 − B / (N·steps)
//	fraction active per sample     Σ_samples active / (N·samples)
//
// with S the layer's spikes, B the steps × neurons with a spike (S itself, unless input
// spikes come closer together than a step) and N its neurons. A neuron is dead if it
// never fires, and saturated if it fires in every step from its layer's first spike to
// the end of every sample: a layer cannot fire before spikes reach it. Summarize also
// sets the work performed against what a dense clocked engine would do on the same
// input: steps·fan-in·N multiply-accumulates and steps·N membrane updates per layer. An
// energy estimate prices the operations at stated costs (Costs); it leaves out memory
// traffic and neuron updates, which are reported beside it.
package profile

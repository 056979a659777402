package synapse

// Trace is the presynaptic eligibility trace of a projection, one value per presynaptic
// neuron:
//
//	P(t+1) = α·P(t) + Q(t)
//	Q(t+1) = X(t)
//
// where X(t) is the presynaptic activity at step t (spikes, or intensities for rate-coded
// input). P(t) equals ∂U(t)/∂W for every synapse leaving that neuron.
type Trace struct {
	// Alpha is the decay α per step, the same as the membrane's.
	Alpha float32
	// P and Q hold P(t) and Q(t), one value per presynaptic neuron.
	P, Q []float32
}

// NewTrace returns a zeroed trace for n presynaptic neurons.
func NewTrace(n int, alpha float32) *Trace {
	return &Trace{Alpha: alpha, P: make([]float32, n), Q: make([]float32, n)}
}

// Reset zeroes the trace.
func (tr *Trace) Reset() {
	clear(tr.P)
	clear(tr.Q)
}

// Step advances the trace from t to t+1, given the activity X(t) as a sparse list: x[k] at
// index idx[k], or 1 for every index when x is nil (spikes).
func (tr *Trace) Step(idx []int32, x []float32) {
	q := tr.Q[:len(tr.P)]
	for i, p := range tr.P {
		tr.P[i] = tr.Alpha*p + q[i]
	}
	clear(q)
	if x == nil {
		for _, i := range idx {
			q[i] = 1
		}
		return
	}
	for k, i := range idx {
		q[i] = x[k]
	}
}

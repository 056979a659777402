// Package optim holds the optimisers that turn accumulated gradients into weight changes.
//
// SGD takes the plain step w ← w − η·g. Adam (Kingma & Ba, "Adam: A method for stochastic
// optimization", ICLR 2015, Algorithm 1) keeps running moments of each gradient,
//
//	m ← β₁·m + (1−β₁)·g
//	v ← β₂·v + (1−β₂)·g²
//	w ← w − η·m̂ / (√v̂ + ε),   m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ)
//
// and so adapts the step to each weight. Both work on flat float32 parameter slices and
// keep their state in exported fields, so that a checkpoint can save and restore it.
package optim

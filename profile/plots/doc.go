// Package plots draws a profile.Summary as three figures, each a stack of panels:
//
//	Raster     the spikes of the raster sample, one panel per layer, output on top
//	Rates      a histogram of the neurons' firing rates, one panel per layer
//	Activity   the input event rate and each LIF layer's mean firing rate per neuron,
//	           over the time from the start of a sample
//
// Times are drawn in ms from the start of a sample, rates in Hz. Write saves all
// three as PNG and SVG; Figure.Save saves one in any format that gonum.org/v1/plot
// knows, chosen by the file's extension.
//
// A firing rate is a neuron's spikes over the simulated time,
//
//	rate_j = S_j / (steps·Δ)
//
// so that the rates of a layer are multiples of one spike's rate, 1 / (steps·Δ). The
// histogram bins hold whole numbers of spikes, to keep that grid from leaving empty
// bins between full ones.
package plots

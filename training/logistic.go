package training

import (
	"fmt"
	"math"
)

// Fit methods.
const (
	// FitRidgeOLS fits least squares of the 0/1 labels with a ridge
	// penalty: the score is a linear stand-in for the label.
	FitRidgeOLS = "ridge"
	// FitLogistic fits logistic regression with a ridge penalty by
	// iteratively reweighted least squares: the score is the log-odds.
	FitLogistic = "logistic"
)

// irlsMaxIter bounds the IRLS iterations; irlsTol is the largest change
// of a coefficient at which they stop.
const (
	irlsMaxIter = 50
	irlsTol     = 1e-9
	// irlsMinWeight keeps a row's weight p(1-p) away from zero, where the
	// working response would divide by it.
	irlsMinWeight = 1e-6
)

// FitLogisticRidge fits logistic regression of y (0/1 labels) on the
// standardised rows Z with a ridge penalty lambda*|w|^2 on the weights,
// by iteratively reweighted least squares: each step is a weighted ridge
// solve (FitRidge, sajari/regression on the row-compressed system) of
// the working responses eta + (y - p) / (p (1 - p)) with row weights
// p (1 - p). The intercept and weights it returns give the log-odds.
//
// Options are FitRidge's; with NonNegative the most negative weight's
// column is dropped and the fit repeated, as for FitRidge.
func FitLogisticRidge(Z [][]float64, y []float64, constant []bool, opts RidgeOptions) (LinearModel, []string, error) {
	if len(Z) == 0 {
		return LinearModel{}, nil, fmt.Errorf("no training rows")
	}
	return withoutNegatives(irls, Z, y, constant, opts)
}

// irls runs iteratively reweighted least squares to convergence.
func irls(Z [][]float64, y []float64, constant []bool, opts RidgeOptions) (LinearModel, []string, error) {
	n := len(Z)
	mean := 0.0
	for _, v := range y {
		mean += v
	}
	mean /= float64(n)
	mean = math.Min(math.Max(mean, 1e-6), 1-1e-6)
	m := LinearModel{Weights: make([]float64, len(Z[0])), Intercept: math.Log(mean / (1 - mean))}
	weights := make([]float64, n)
	work := make([]float64, n)
	var warns []string
	for iter := 0; iter < irlsMaxIter; iter++ {
		for i, z := range Z {
			eta := m.Intercept
			for j, w := range m.Weights {
				if w != 0 {
					eta += w * z[j]
				}
			}
			prob := 1 / (1 + math.Exp(-eta))
			v := math.Max(prob*(1-prob), irlsMinWeight)
			weights[i] = v
			work[i] = eta + (y[i]-prob)/v
		}
		o := opts
		o.RowWeights = weights
		next, w, err := fitRidge(Z, work, constant, o)
		if err != nil {
			return LinearModel{}, w, fmt.Errorf("logistic regression, step %d: %w", iter+1, err)
		}
		warns = w
		// Newton's step can overshoot where the data are nearly
		// separable: halve it until the penalised deviance does not grow.
		before := penalisedDeviance(Z, y, m, opts.Lambda)
		for k := 0; k < 30 && penalisedDeviance(Z, y, next, opts.Lambda) > before; k++ {
			next.Intercept = (next.Intercept + m.Intercept) / 2
			for j := range next.Weights {
				next.Weights[j] = (next.Weights[j] + m.Weights[j]) / 2
			}
		}
		change := math.Abs(next.Intercept - m.Intercept)
		for j := range next.Weights {
			change = math.Max(change, math.Abs(next.Weights[j]-m.Weights[j]))
		}
		m = next
		if change < irlsTol {
			break
		}
	}
	return m, warns, nil
}

// penalisedDeviance is the logistic loss of a model on the rows plus its
// ridge penalty: what each IRLS step must not increase.
func penalisedDeviance(Z [][]float64, y []float64, m LinearModel, lambda float64) float64 {
	d := 0.0
	for i, z := range Z {
		eta := m.Intercept
		for j, w := range m.Weights {
			if w != 0 {
				eta += w * z[j]
			}
		}
		// log(1 + exp(eta)) - y*eta, computed without overflow.
		if eta > 0 {
			d += eta + math.Log1p(math.Exp(-eta)) - y[i]*eta
		} else {
			d += math.Log1p(math.Exp(eta)) - y[i]*eta
		}
	}
	pen := 0.0
	for _, w := range m.Weights {
		pen += w * w
	}
	return 2*d + lambda*pen
}

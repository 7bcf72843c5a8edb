package training

import (
	"errors"
	"fmt"
	"math"

	"github.com/sajari/regression"
)

// Standardizer holds per-feature means and scales: z = (x - mean) / scale.
type Standardizer struct {
	Means  []float64
	Scales []float64
	// Constant marks columns with no variance in the training data; their
	// scale is 1 and their weight must be 0.
	Constant []bool
}

// FitStandardizer computes means and standard deviations of the columns of
// X. A constant column gets scale 1 and is marked.
func FitStandardizer(X [][]float64, nFeatures int) Standardizer {
	s := Standardizer{Means: make([]float64, nFeatures), Scales: make([]float64, nFeatures), Constant: make([]bool, nFeatures)}
	n := float64(len(X))
	for j := 0; j < nFeatures; j++ {
		sum := 0.0
		for _, x := range X {
			sum += x[j]
		}
		mean := sum / n
		ss := 0.0
		for _, x := range X {
			d := x[j] - mean
			ss += d * d
		}
		sd := math.Sqrt(ss / n)
		s.Means[j] = mean
		if sd < 1e-12 {
			s.Scales[j] = 1
			s.Constant[j] = true
		} else {
			s.Scales[j] = sd
		}
	}
	return s
}

// Apply returns the standardised copy of x.
func (s Standardizer) Apply(x []float64) []float64 {
	z := make([]float64, len(x))
	for j := range x {
		z[j] = (x[j] - s.Means[j]) / s.Scales[j]
	}
	return z
}

// LinearModel is a fitted linear score over standardised features; the
// detector scores with it (detector.Model.Score).
type LinearModel struct {
	Weights   []float64
	Intercept float64
}

// RidgeOptions control the fit.
type RidgeOptions struct {
	// Lambda is the ridge penalty on the standardised weights.
	Lambda float64
	// Use selects the columns that may get a weight; nil means all.
	Use []bool
	// Names label the columns in warnings.
	Names []string
	// NonNegative keeps every weight at zero or above. Every feature is
	// built so that a larger value means more suspicious; a negative weight
	// would only mean the feature is collinear with others in this data,
	// and would make a reason point the wrong way.
	NonNegative bool
}

// FitRidge fits ordinary least squares of y (0/1 labels) on the
// standardised rows Z with a ridge penalty, using sajari/regression.
//
// The penalty is added by augmenting the data: for every used column j,
// two rows +sqrt(lambda/2)*e_j and -sqrt(lambda/2)*e_j with target 0. The
// pair penalises w_j by lambda*w_j^2 exactly and, being symmetric, pulls
// the intercept neither way (a single row would also shrink the
// intercept). y is centred first, so the fitted intercept is mean(y) plus
// the regression's constant, which is zero up to rounding.
//
// Columns that are constant, unused, or duplicates of an earlier column
// get weight 0 and a warning each.
//
// With NonNegative, the most negative weight's column is dropped and the
// fit repeated until no weight is negative (an active-set approximation of
// non-negative least squares), with a warning for each dropped column.
func FitRidge(Z [][]float64, y []float64, constant []bool, opts RidgeOptions) (LinearModel, []string, error) {
	if !opts.NonNegative {
		return fitRidge(Z, y, constant, opts)
	}
	use := make([]bool, 0)
	if len(Z) > 0 {
		use = make([]bool, len(Z[0]))
		for j := range use {
			use[j] = opts.Use == nil || opts.Use[j]
		}
	}
	var dropped []string
	for {
		o := opts
		o.Use = use
		m, warns, err := fitRidge(Z, y, constant, o)
		if err != nil {
			return m, append(dropped, warns...), err
		}
		worst := -1
		for j, w := range m.Weights {
			if w < 0 && (worst < 0 || w < m.Weights[worst]) {
				worst = j
			}
		}
		if worst < 0 {
			return m, append(warns, dropped...), nil
		}
		use[worst] = false
		name := fmt.Sprintf("column %d", worst)
		if worst < len(opts.Names) {
			name = opts.Names[worst]
		}
		dropped = append(dropped, fmt.Sprintf("feature %s got a negative weight (%.4f): it adds nothing the others do not in this data; weight set to 0", name, m.Weights[worst]))
	}
}

func fitRidge(Z [][]float64, y []float64, constant []bool, opts RidgeOptions) (LinearModel, []string, error) {
	if len(Z) == 0 {
		return LinearModel{}, nil, errors.New("no training rows")
	}
	p := len(Z[0])
	var warnings []string
	name := func(j int) string {
		if j < len(opts.Names) {
			return opts.Names[j]
		}
		return fmt.Sprintf("column %d", j)
	}
	var cols []int
	for j := 0; j < p; j++ {
		if opts.Use != nil && !opts.Use[j] {
			continue
		}
		if constant != nil && constant[j] {
			warnings = append(warnings, fmt.Sprintf("feature %s is constant in the training data; weight set to 0", name(j)))
			continue
		}
		if k, dup := duplicateOf(Z, cols, j); dup {
			warnings = append(warnings, fmt.Sprintf("feature %s duplicates %s in the training data; weight set to 0", name(j), name(k)))
			continue
		}
		cols = append(cols, j)
	}
	ybar := 0.0
	for _, v := range y {
		ybar += v
	}
	ybar /= float64(len(y))
	m := LinearModel{Weights: make([]float64, p), Intercept: ybar}
	if len(cols) == 0 {
		return m, warnings, nil
	}
	r := new(regression.Regression)
	r.SetObserved("label")
	for k, j := range cols {
		r.SetVar(k, name(j))
	}
	for i, z := range Z {
		x := make([]float64, len(cols))
		for k, j := range cols {
			x[k] = z[j]
		}
		r.Train(regression.DataPoint(y[i]-ybar, x))
	}
	if opts.Lambda > 0 {
		a := math.Sqrt(opts.Lambda / 2)
		for k := range cols {
			for _, sign := range []float64{1, -1} {
				x := make([]float64, len(cols))
				x[k] = sign * a
				r.Train(regression.DataPoint(0, x))
			}
		}
	}
	if err := r.Run(); err != nil {
		return LinearModel{}, warnings, fmt.Errorf("regression: %w", err)
	}
	coeffs := r.GetCoeffs()
	m.Intercept += coeffs[0]
	for k, j := range cols {
		w := coeffs[k+1]
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return LinearModel{}, warnings, fmt.Errorf("regression gave weight %v for %s: the data are degenerate", w, name(j))
		}
		m.Weights[j] = w
	}
	return m, warnings, nil
}

// duplicateOf reports whether column j equals one of the kept columns.
func duplicateOf(Z [][]float64, kept []int, j int) (int, bool) {
	for _, k := range kept {
		same := true
		for _, z := range Z {
			if math.Abs(z[j]-z[k]) > 1e-9 {
				same = false
				break
			}
		}
		if same {
			return k, true
		}
	}
	return 0, false
}

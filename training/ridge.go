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
	// RowWeights weighs each row's squared error (iteratively reweighted
	// least squares); nil weighs every row 1.
	RowWeights []float64
	// NonNegative keeps every weight at zero or above. Every feature is
	// built so that a larger value means more suspicious; a negative weight
	// would only mean the feature is collinear with others in this data,
	// and would make a reason point the wrong way.
	NonNegative bool
}

// FitRidge fits least squares of y (0/1 labels, or IRLS's working
// responses) on the standardised rows Z, each row weighted by
// RowWeights, with a ridge penalty lambda*|w|^2 on the weights (not the
// intercept), using sajari/regression.
//
// sajari's QR builds a rows-by-rows matrix, so it is not handed the rows:
// the normal equations are formed here and handed over as the few rows of
// an equivalent system (see fitRidge), which makes a fit cost the same for
// a thousand pages or a hundred thousand.
//
// Columns that are constant, unused, or duplicates of an earlier column
// get weight 0 and a warning each.
//
// With NonNegative, the most negative weight's column is dropped and the
// fit repeated until no weight is negative (an active-set approximation of
// non-negative least squares), with a warning for each dropped column.
func FitRidge(Z [][]float64, y []float64, constant []bool, opts RidgeOptions) (LinearModel, []string, error) {
	return withoutNegatives(fitRidge, Z, y, constant, opts)
}

// withoutNegatives runs fit, and with opts.NonNegative drops the column
// of the most negative weight and fits again until no weight is negative
// (an active-set approximation of a non-negative fit), with a warning for
// each dropped column.
func withoutNegatives(fit fitFunc, Z [][]float64, y []float64, constant []bool, opts RidgeOptions) (LinearModel, []string, error) {
	if !opts.NonNegative {
		return fit(Z, y, constant, opts)
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
		o.Use, o.NonNegative = use, false
		m, warns, err := fit(Z, y, constant, o)
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
	if opts.RowWeights != nil && len(opts.RowWeights) != len(Z) {
		return LinearModel{}, nil, fmt.Errorf("%d row weights for %d rows", len(opts.RowWeights), len(Z))
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
	weight := func(i int) float64 {
		if opts.RowWeights == nil {
			return 1
		}
		return opts.RowWeights[i]
	}
	// The weighted ridge problem, with an explicit intercept column (the
	// first) that is not penalised: minimise
	//   sum_i v_i (y_i - c - z_i.w)^2 + lambda |w|^2.
	// Its normal equations A beta = b are formed here, in O(rows x
	// columns^2), and handed to sajari/regression as a system of a few
	// rows with the same normal equations (compressedRows), so that a fit
	// costs the same for a thousand rows or a hundred thousand.
	q := len(cols) + 1
	A := make([][]float64, q)
	for k := range A {
		A[k] = make([]float64, q)
	}
	b := make([]float64, q)
	x := make([]float64, q)
	for i, z := range Z {
		v := weight(i)
		if v == 0 {
			continue
		}
		x[0] = 1
		for k, j := range cols {
			x[k+1] = z[j]
		}
		for k := 0; k < q; k++ {
			vk := v * x[k]
			b[k] += vk * y[i]
			for l := 0; l <= k; l++ {
				A[k][l] += vk * x[l]
			}
		}
	}
	for k := 0; k < q; k++ {
		for l := 0; l < k; l++ {
			A[l][k] = A[k][l]
		}
	}
	for k := 1; k < q; k++ {
		A[k][k] += opts.Lambda
	}
	m := LinearModel{Weights: make([]float64, p)}
	if A[0][0] <= 0 {
		return m, warnings, errors.New("no training rows with a weight")
	}
	if len(cols) == 0 {
		m.Intercept = b[0] / A[0][0]
		return m, warnings, nil
	}
	R, t, err := compressedRows(A, b)
	if err != nil {
		return LinearModel{}, warnings, fmt.Errorf("regression: %w", err)
	}
	r := new(regression.Regression)
	r.SetObserved("label")
	r.SetVar(0, "intercept")
	for k, j := range cols {
		r.SetVar(k+1, name(j))
	}
	for k := range R {
		// Each row and its mirror: sajari adds an intercept column of its
		// own, unweighted; over mirrored rows it sums to zero against
		// every other column and the targets, so its coefficient is zero
		// and the others solve 2A beta = 2b, the same system.
		neg := make([]float64, q)
		for l := range R[k] {
			neg[l] = -R[k][l]
		}
		r.Train(regression.DataPoint(t[k], R[k]), regression.DataPoint(-t[k], neg))
	}
	if err := r.Run(); err != nil {
		return LinearModel{}, warnings, fmt.Errorf("regression: %w", err)
	}
	coeffs := r.GetCoeffs()
	m.Intercept = coeffs[1]
	for k, j := range cols {
		w := coeffs[k+2]
		if math.IsNaN(w) || math.IsInf(w, 0) {
			return LinearModel{}, warnings, fmt.Errorf("regression gave weight %v for %s: the data are degenerate", w, name(j))
		}
		m.Weights[j] = w
	}
	return m, warnings, nil
}

// compressedRows returns a square system (rows R, targets t) whose normal
// equations are A beta = b: with A = L L^T (Cholesky), R = L^T and t the
// solution of L t = b give R^T R = A and R^T t = b. A must be symmetric
// positive definite, as a ridge system with at least one weighted row
// is.
func compressedRows(A [][]float64, b []float64) ([][]float64, []float64, error) {
	q := len(A)
	L := make([][]float64, q)
	for i := range L {
		L[i] = make([]float64, q)
	}
	for i := 0; i < q; i++ {
		for j := 0; j <= i; j++ {
			s := A[i][j]
			for k := 0; k < j; k++ {
				s -= L[i][k] * L[j][k]
			}
			if i == j {
				if !(s > 0) {
					return nil, nil, fmt.Errorf("the system is not positive definite at column %d (%g)", i, s)
				}
				L[i][i] = math.Sqrt(s)
			} else {
				L[i][j] = s / L[j][j]
			}
		}
	}
	t := make([]float64, q)
	for i := 0; i < q; i++ {
		s := b[i]
		for k := 0; k < i; k++ {
			s -= L[i][k] * t[k]
		}
		t[i] = s / L[i][i]
	}
	R := make([][]float64, q)
	for i := range R {
		R[i] = make([]float64, q)
		for j := i; j < q; j++ {
			R[i][j] = L[j][i]
		}
	}
	return R, t, nil
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

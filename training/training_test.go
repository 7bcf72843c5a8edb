package training

import (
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/source"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features"
	"github.com/sajari/regression"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFitRidgeRecoversWeightsWithoutPenalty(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	var Z [][]float64
	var y []float64
	for i := 0; i < 200; i++ {
		z := []float64{rng.NormFloat64(), rng.NormFloat64()}
		Z = append(Z, z)
		y = append(y, 0.5+0.2*z[0]-0.1*z[1])
	}
	m, warns, err := FitRidge(Z, y, nil, RidgeOptions{})
	require.NoError(t, err)
	assert.Empty(t, warns)
	assert.InDelta(t, 0.2, m.Weights[0], 1e-9)
	assert.InDelta(t, -0.1, m.Weights[1], 1e-9)
	assert.InDelta(t, 0.5, m.Intercept, 1e-9)
}

func TestFitRidgePenaltyMatchesClosedForm(t *testing.T) {
	t.Parallel()
	// One centred feature: the ridge solution is sum(z*y) / (sum(z^2) + lambda),
	// and the intercept stays mean(y) because the augmenting rows come in
	// symmetric pairs.
	Z := [][]float64{{-1.5}, {-0.5}, {0.5}, {1.5}}
	y := []float64{0, 0, 1, 1}
	const lambda = 3.0
	m, _, err := FitRidge(Z, y, nil, RidgeOptions{Lambda: lambda})
	require.NoError(t, err)
	var zy, zz float64
	for i, z := range Z {
		zy += z[0] * (y[i] - 0.5)
		zz += z[0] * z[0]
	}
	assert.InDelta(t, zy/(zz+lambda), m.Weights[0], 1e-9)
	assert.InDelta(t, 0.5, m.Intercept, 1e-9)
}

func TestFitRidgeDropsConstantDuplicateAndUnusedColumns(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(3, 4))
	var X [][]float64
	var y []float64
	for i := 0; i < 50; i++ {
		a := rng.NormFloat64()
		X = append(X, []float64{a, 7, a, rng.NormFloat64()})
		y = append(y, float64(i%2))
	}
	st := FitStandardizer(X, 4)
	require.True(t, st.Constant[1])
	Z := make([][]float64, len(X))
	for i, x := range X {
		Z[i] = st.Apply(x)
	}
	m, warns, err := FitRidge(Z, y, st.Constant, RidgeOptions{Lambda: 1, Use: []bool{true, true, true, false}, Names: []string{"a", "c", "a2", "unused"}})
	require.NoError(t, err)
	assert.Zero(t, m.Weights[1], "constant column")
	assert.Zero(t, m.Weights[2], "duplicate column")
	assert.Zero(t, m.Weights[3], "unused column")
	assert.Len(t, warns, 2)
	assert.Contains(t, warns[0], "c is constant")
	assert.Contains(t, warns[1], "a2 duplicates a")
}

func TestFitPlattRecoversLogistic(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(5, 6))
	var s, y []float64
	for i := 0; i < 20000; i++ {
		x := rng.NormFloat64()
		p := 1 / (1 + math.Exp(-(2*x - 1)))
		label := 0.0
		if rng.Float64() < p {
			label = 1
		}
		s = append(s, x)
		y = append(y, label)
	}
	c, err := FitPlatt(s, y)
	require.NoError(t, err)
	assert.InDelta(t, -2, c.A, 0.1)
	assert.InDelta(t, 1, c.B, 0.1)

	_, err = FitPlatt([]float64{1, 2}, []float64{1, 1})
	assert.Error(t, err, "one class only")
}

func TestChooseThreshold(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		neg    []float64
		target float64
		want   func(float64) bool
	}{
		{"no false positive allowed: above the highest negative", []float64{0.1, 0.7, 0.3}, 0.001, func(t float64) bool { return t > 0.7 && t < 0.7000001 }},
		{"one allowed of ten, less the margin: above the highest", []float64{0.95, 0.9, 0.6, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1}, 0.1, func(t float64) bool { return t > 0.95 && t < 0.9500001 }},
		{"two allowed of ten, less the margin: above the second highest", []float64{0.95, 0.9, 0.6, 0.2, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1}, 0.2, func(t float64) bool { return t > 0.9 && t < 0.95 }},
		{"never below even odds", []float64{0.1, 0.2}, 0.001, func(t float64) bool { return t == 0.5 }},
		{"no negatives", nil, 0.001, func(t float64) bool { return t == 0.5 }},
		{"never 1", []float64{1}, 0.001, func(t float64) bool { return t < 1 }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ChooseThreshold(tc.neg, tc.target)
			assert.True(t, tc.want(got), "threshold %v", got)
		})
	}
}

func TestGroupFolds(t *testing.T) {
	t.Parallel()
	var groups []string
	for i := 0; i < 300; i++ {
		groups = append(groups, fmt.Sprintf("site%d", i%37))
	}
	a := GroupFolds(groups, 5, 7)
	b := GroupFolds(groups, 5, 7)
	assert.Equal(t, a, b, "deterministic")
	foldOf := map[string]int{}
	load := make([]int, 5)
	for i, g := range groups {
		if f, ok := foldOf[g]; ok {
			assert.Equal(t, f, a[i], "group %s split across folds", g)
		}
		foldOf[g] = a[i]
		load[a[i]]++
	}
	for _, l := range load {
		assert.InDelta(t, 60, l, 10, "folds balanced: %v", load)
	}
}

// toyDataset builds rows whose first repackaged-family feature separates
// the classes, with the extractors' real feature names.
func toyDataset(t testing.TB, n int, seed uint64) *Dataset {
	// The two features that carry the classes draw from a stream of their
	// own, so that the rows do not change with the number of features
	// the catalogue has; the others are noise.
	rng := rand.New(rand.NewPCG(seed, seed+1))
	noise := rand.New(rand.NewPCG(seed, seed+2))
	names := featureNames(t)
	ds := &Dataset{Features: names}
	for i := 0; i < n; i++ {
		label := corpus.Authentic
		if i%3 == 0 {
			label = corpus.Repackaged
		}
		v := make([]float64, len(names))
		for j := range v {
			r := noise
			if j < 2 {
				r = rng
			}
			v[j] = math.Max(0, r.NormFloat64()*0.3)
		}
		if label == corpus.Repackaged {
			v[0] += 1 + rng.Float64()
			v[1] += rng.Float64()
		}
		ds.Rows = append(ds.Rows, Row{ID: fmt.Sprintf("doc%03d", i), Label: label, Group: fmt.Sprintf("g%d", i%23), Values: v})
	}
	return ds
}

func TestTrainIsDeterministicAndSeparates(t *testing.T) {
	t.Parallel()
	ds := toyDataset(t, 400, 11)
	encode := func() []byte {
		res, err := Train(ds, Options{Seed: 3})
		require.NoError(t, err)
		require.NoError(t, Seal(res.Model))
		b, err := res.Model.Encode()
		require.NoError(t, err)
		return b
	}
	first := encode()
	assert.True(t, bytes.Equal(first, encode()), "same data and seed, same file")

	res, err := Train(ds, Options{Seed: 3})
	require.NoError(t, err)
	require.Len(t, res.Heads, 1)
	h := res.Heads[0]
	assert.Greater(t, h.Head.Weights[0], 0.0, "the separating feature gets a positive weight")
	assert.Equal(t, DefaultMinCues[h.Kind], h.Head.MinCues, "the head records how many cues must agree")
	caught, false_ := 0, 0
	for i, p := range h.OOF {
		if p >= h.Head.Threshold {
			if h.Positive[i] {
				caught++
			} else {
				false_++
			}
		}
	}
	assert.Zero(t, false_, "no authentic row above the threshold out of fold")
	assert.Greater(t, caught, 100, "most repackaged rows caught out of fold")
}

func TestTrainRefusesBadData(t *testing.T) {
	t.Parallel()
	onlyAuthentic := toyDataset(t, 30, 1).Subset(func(r Row) bool { return r.Label == corpus.Authentic })
	noAuthentic := toyDataset(t, 30, 1).Subset(func(r Row) bool { return r.Label != corpus.Authentic })
	wrongFeatures := toyDataset(t, 30, 1)
	wrongFeatures.Features = append([]string{"not_a_feature"}, wrongFeatures.Features[1:]...)
	fewGroups := toyDataset(t, 30, 1)
	for i := range fewGroups.Rows {
		fewGroups.Rows[i].Group = "one"
	}
	tests := []struct {
		name string
		ds   *Dataset
		want string
	}{
		{"empty", &Dataset{Features: featureNames(t)}, "empty"},
		{"only authentic", onlyAuthentic, "no repackaged or injected"},
		{"no authentic", noAuthentic, "no authentic"},
		{"unknown feature", wrongFeatures, "not_a_feature"},
		{"one group", fewGroups, "source groups"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Train(tc.ds, Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestFitRidgeNonNegative(t *testing.T) {
	t.Parallel()
	// Two collinear spam indicators: OLS gives the weaker one a negative
	// weight; the constrained fit drops it instead.
	rng := rand.New(rand.NewPCG(9, 9))
	var Z [][]float64
	var y []float64
	for i := 0; i < 300; i++ {
		label := float64(i % 2)
		a := label + 0.1*rng.NormFloat64()
		b := 0.9*a + 0.3*rng.NormFloat64() - 0.5*label
		Z = append(Z, []float64{a, b})
		y = append(y, label)
	}
	free, _, err := FitRidge(Z, y, nil, RidgeOptions{Lambda: 1})
	require.NoError(t, err)
	require.Negative(t, free.Weights[1], "the test needs a negative OLS weight")
	nn, warns, err := FitRidge(Z, y, nil, RidgeOptions{Lambda: 1, NonNegative: true, Names: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Positive(t, nn.Weights[0])
	assert.Zero(t, nn.Weights[1])
	require.Len(t, warns, 1)
	assert.Contains(t, warns[0], "feature b got a negative weight")
}

// featureNames returns the names of the features a model weighs (the
// extractors in use, then the source features), failing the test if the
// catalogue is invalid.
func featureNames(t testing.TB) []string {
	t.Helper()
	c, err := features.Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	return detector.FeatureNames(c)
}

// TestFitRidgeCompressedMatchesTheRows checks the row-compressed fit
// against sajari/regression run on every row: same weights without a
// penalty, a row of weight 2 counts as the row twice, and a zero weight
// drops a row.
func TestFitRidgeCompressedMatchesTheRows(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(7, 8))
	var Z [][]float64
	var y []float64
	for i := 0; i < 300; i++ {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		Z = append(Z, []float64{a, b, a + 0.3*rng.NormFloat64()})
		y = append(y, 0.4*a-0.2*b+0.1*rng.NormFloat64()+0.3)
	}
	r := new(regression.Regression)
	for i, z := range Z {
		r.Train(regression.DataPoint(y[i], z))
	}
	require.NoError(t, r.Run())
	got, _, err := FitRidge(Z, y, nil, RidgeOptions{})
	require.NoError(t, err)
	want := r.GetCoeffs()
	assert.InDelta(t, want[0], got.Intercept, 1e-9)
	for j := range 3 {
		assert.InDelta(t, want[j+1], got.Weights[j], 1e-9, "weight %d", j)
	}

	// Weights: the first ten rows doubled, the last ten dropped.
	v := make([]float64, len(Z))
	var Z2 [][]float64
	var y2 []float64
	for i := range Z {
		switch {
		case i < 10:
			v[i] = 2
			Z2, y2 = append(Z2, Z[i], Z[i]), append(y2, y[i], y[i])
		case i >= len(Z)-10:
			v[i] = 0
		default:
			v[i] = 1
			Z2, y2 = append(Z2, Z[i]), append(y2, y[i])
		}
	}
	weighted, _, err := FitRidge(Z, y, nil, RidgeOptions{Lambda: 2, RowWeights: v})
	require.NoError(t, err)
	expanded, _, err := FitRidge(Z2, y2, nil, RidgeOptions{Lambda: 2})
	require.NoError(t, err)
	assert.InDelta(t, expanded.Intercept, weighted.Intercept, 1e-9)
	for j := range 3 {
		assert.InDelta(t, expanded.Weights[j], weighted.Weights[j], 1e-9, "weight %d", j)
	}
}

// TestFitLogisticRidgeRecoversTheLogOdds: on data drawn from a logistic
// model, the IRLS fit recovers its weights, and a penalty shrinks them.
func TestFitLogisticRidgeRecoversTheLogOdds(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	var Z [][]float64
	var y []float64
	for i := 0; i < 20000; i++ {
		a, b := rng.NormFloat64(), rng.NormFloat64()
		p := 1 / (1 + math.Exp(-(-1 + 2*a - 0.5*b)))
		label := 0.0
		if rng.Float64() < p {
			label = 1
		}
		Z = append(Z, []float64{a, b})
		y = append(y, label)
	}
	m, _, err := FitLogisticRidge(Z, y, nil, RidgeOptions{})
	require.NoError(t, err)
	assert.InDelta(t, -1, m.Intercept, 0.08)
	assert.InDelta(t, 2, m.Weights[0], 0.08)
	assert.InDelta(t, -0.5, m.Weights[1], 0.08)

	nn, warns, err := FitLogisticRidge(Z, y, nil, RidgeOptions{NonNegative: true, Names: []string{"a", "b"}})
	require.NoError(t, err)
	assert.Zero(t, nn.Weights[1], "the negative weight is dropped")
	assert.Positive(t, nn.Weights[0])
	assert.Len(t, warns, 1)

	shrunk, _, err := FitLogisticRidge(Z, y, nil, RidgeOptions{Lambda: 5000})
	require.NoError(t, err)
	assert.Less(t, shrunk.Weights[0], m.Weights[0])
}

func TestLooksUpTheShareOfGroups(t *testing.T) {
	ix, err := source.Read(source.NewBuilder().Bytes(), "empty")
	require.NoError(t, err)
	assert.False(t, ExtractOptions{}.LooksUp("a.example"), "no index, no lookup")
	assert.True(t, ExtractOptions{Index: ix}.LooksUp("a.example"), "share 0 means all")
	assert.True(t, ExtractOptions{Index: ix, IndexShare: 1}.LooksUp("a.example"))
	half := ExtractOptions{Index: ix, IndexShare: 0.5}
	n := 0
	for i := range 1000 {
		g := fmt.Sprintf("site-%d.example", i)
		if half.LooksUp(g) {
			n++
		}
	}
	assert.InDelta(t, 500, n, 60, "about half the groups")
}

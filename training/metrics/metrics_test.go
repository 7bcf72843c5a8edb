package metrics

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestConfusionAndRates(t *testing.T) {
	t.Parallel()
	scores := []float64{0.9, 0.8, 0.7, 0.4, 0.3, 0.1}
	pos := []bool{true, true, false, true, false, false}
	tests := []struct {
		name      string
		threshold float64
		want      Confusion
		precision float64
		recall    float64
		fpr       float64
	}{
		{"high", 0.85, Confusion{TP: 1, FP: 0, TN: 3, FN: 2}, 1, 1.0 / 3, 0},
		{"middle", 0.5, Confusion{TP: 2, FP: 1, TN: 2, FN: 1}, 2.0 / 3, 2.0 / 3, 1.0 / 3},
		{"all", 0, Confusion{TP: 3, FP: 3, TN: 0, FN: 0}, 0.5, 1, 1},
		{"none", 1.5, Confusion{TP: 0, FP: 0, TN: 3, FN: 3}, 1, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := At(scores, pos, tc.threshold)
			assert.Equal(t, tc.want, c)
			assert.InDelta(t, tc.precision, c.Precision(), 1e-12)
			assert.InDelta(t, tc.recall, c.Recall(), 1e-12)
			assert.InDelta(t, tc.fpr, c.FPR(), 1e-12)
		})
	}
}

func TestAUC(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		scores []float64
		pos    []bool
		auc    float64
		ap     float64
	}{
		{"perfect", []float64{0.9, 0.8, 0.2, 0.1}, []bool{true, true, false, false}, 1, 1},
		// Positives ranked last: precision 1/3 at recall 1/2, 1/2 at recall 1.
		{"inverted", []float64{0.9, 0.8, 0.2, 0.1}, []bool{false, false, true, true}, 0, 0.5*(1.0/3) + 0.5*0.5},
		// One swap among 2x2 pairs: 3 of 4 pairs ordered right.
		{"one swap", []float64{0.9, 0.8, 0.7, 0.1}, []bool{true, false, true, false}, 0.75, (1 + 2.0/3) / 2},
		// All tied: the curve is the diagonal.
		{"ties", []float64{0.5, 0.5, 0.5, 0.5}, []bool{true, false, true, false}, 0.5, 0.5},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assert.InDelta(t, tc.auc, AUC(ROC(tc.scores, tc.pos)), 1e-12)
			assert.InDelta(t, tc.ap, AveragePrecision(tc.scores, tc.pos), 1e-12)
		})
	}
}

func TestRecallAtFPR(t *testing.T) {
	t.Parallel()
	scores := []float64{0.95, 0.9, 0.85, 0.6, 0.5, 0.4, 0.3, 0.2}
	pos := []bool{true, true, false, true, true, false, false, false}
	r, thr := RecallAtFPR(scores, pos, 0)
	assert.InDelta(t, 0.5, r, 1e-12)
	assert.InDelta(t, 0.9, thr, 1e-12)
	r, thr = RecallAtFPR(scores, pos, 0.25)
	assert.InDelta(t, 1, r, 1e-12)
	assert.InDelta(t, 0.5, thr, 1e-12)
	r, _ = RecallAtFPR(nil, nil, 0.1)
	assert.False(t, math.IsNaN(r))
}

func TestSweep(t *testing.T) {
	t.Parallel()
	rows := Sweep([]float64{0.9, 0.1}, []bool{true, false}, []float64{0.5, 0.05})
	assert.Equal(t, 1, rows[0].TP)
	assert.Equal(t, 0, rows[0].FP)
	assert.Equal(t, 1, rows[1].FP)
	assert.InDelta(t, 1, rows[1].FPR, 1e-12)
}

func TestClopperPearson(t *testing.T) {
	t.Parallel()
	tests := []struct {
		k, n   int
		lo, hi float64
	}{
		{0, 269, 0, 0.013618},              // 1 - 0.025^(1/269)
		{1, 269, 0.000094114, 0.020537280}, // binomial tails solved directly
		{5, 10, 0.187086, 0.812914},
		{10, 10, 0.691503, 1},
	}
	for _, tt := range tests {
		lo, hi := ClopperPearson(tt.k, tt.n, 0.95)
		assert.InDelta(t, tt.lo, lo, 1e-5, "%d of %d: low", tt.k, tt.n)
		assert.InDelta(t, tt.hi, hi, 1e-5, "%d of %d: high", tt.k, tt.n)
	}
}

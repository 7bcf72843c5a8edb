// Package metrics computes the evaluation figures of a binary scorer from
// scores and labels: confusion matrix, precision, recall, F1, ROC and PR
// curves with their areas, recall at a fixed false-positive rate and a
// threshold sweep. It is pure arithmetic and imports nothing of repack.
package metrics

import (
	"math"
	"sort"

	"gonum.org/v1/gonum/stat/distuv"
)

// Confusion counts outcomes at one threshold (score >= threshold flags).
type Confusion struct {
	TP int `json:"tp"`
	FP int `json:"fp"`
	TN int `json:"tn"`
	FN int `json:"fn"`
}

// At counts the confusion matrix of scores against labels at threshold t.
func At(scores []float64, positive []bool, t float64) Confusion {
	var c Confusion
	for i, s := range scores {
		switch {
		case s >= t && positive[i]:
			c.TP++
		case s >= t:
			c.FP++
		case positive[i]:
			c.FN++
		default:
			c.TN++
		}
	}
	return c
}

// Precision is TP / (TP + FP), 1 when nothing is flagged.
func (c Confusion) Precision() float64 {
	if c.TP+c.FP == 0 {
		return 1
	}
	return float64(c.TP) / float64(c.TP+c.FP)
}

// Recall is TP / (TP + FN), 0 without positives.
func (c Confusion) Recall() float64 {
	if c.TP+c.FN == 0 {
		return 0
	}
	return float64(c.TP) / float64(c.TP+c.FN)
}

// FPR is FP / (FP + TN), 0 without negatives.
func (c Confusion) FPR() float64 {
	if c.FP+c.TN == 0 {
		return 0
	}
	return float64(c.FP) / float64(c.FP+c.TN)
}

// F1 is the harmonic mean of precision and recall.
func (c Confusion) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

// Point is one point of a curve.
type Point struct {
	X, Y      float64
	Threshold float64
}

// ranked returns indexes sorted by score, highest first, ties by index.
func ranked(scores []float64) []int {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	return idx
}

// ROC returns the ROC curve (X = false-positive rate, Y = recall), one
// point per distinct score, from (0,0) to (1,1).
func ROC(scores []float64, positive []bool) []Point {
	nPos, nNeg := count(positive)
	pts := []Point{{X: 0, Y: 0, Threshold: math.Inf(1)}}
	tp, fp := 0, 0
	idx := ranked(scores)
	for k, i := range idx {
		if positive[i] {
			tp++
		} else {
			fp++
		}
		if k+1 < len(idx) && scores[idx[k+1]] == scores[i] {
			continue
		}
		pts = append(pts, Point{X: ratio(fp, nNeg), Y: ratio(tp, nPos), Threshold: scores[i]})
	}
	return pts
}

// AUC is the area under a curve by the trapezoid rule.
func AUC(pts []Point) float64 {
	a := 0.0
	for k := 1; k < len(pts); k++ {
		a += (pts[k].X - pts[k-1].X) * (pts[k].Y + pts[k-1].Y) / 2
	}
	return a
}

// PR returns the precision-recall curve (X = recall, Y = precision), one
// point per distinct score.
func PR(scores []float64, positive []bool) []Point {
	nPos, _ := count(positive)
	var pts []Point
	tp, fp := 0, 0
	idx := ranked(scores)
	for k, i := range idx {
		if positive[i] {
			tp++
		} else {
			fp++
		}
		if k+1 < len(idx) && scores[idx[k+1]] == scores[i] {
			continue
		}
		pts = append(pts, Point{X: ratio(tp, nPos), Y: ratio(tp, tp+fp), Threshold: scores[i]})
	}
	return pts
}

// AveragePrecision is the area under the PR curve as the sum of precision
// at each recall step (no interpolation).
func AveragePrecision(scores []float64, positive []bool) float64 {
	ap, prevRecall := 0.0, 0.0
	for _, p := range PR(scores, positive) {
		ap += (p.X - prevRecall) * p.Y
		prevRecall = p.X
	}
	return ap
}

// RecallAtFPR returns the highest recall reachable with a false-positive
// rate of at most fpr, and the threshold that reaches it.
func RecallAtFPR(scores []float64, positive []bool, fpr float64) (float64, float64) {
	best, thr := 0.0, math.Inf(1)
	for _, p := range ROC(scores, positive) {
		if p.X <= fpr+1e-12 && p.Y >= best {
			best, thr = p.Y, p.Threshold
		}
	}
	return best, thr
}

// SweepRow is the confusion matrix at one threshold.
type SweepRow struct {
	Threshold float64 `json:"threshold"`
	Confusion
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	FPR       float64 `json:"fpr"`
}

// Sweep evaluates the given thresholds.
func Sweep(scores []float64, positive []bool, thresholds []float64) []SweepRow {
	out := make([]SweepRow, len(thresholds))
	for k, t := range thresholds {
		c := At(scores, positive, t)
		out[k] = SweepRow{Threshold: t, Confusion: c, Precision: c.Precision(), Recall: c.Recall(), FPR: c.FPR()}
	}
	return out
}

func count(positive []bool) (int, int) {
	p := 0
	for _, b := range positive {
		if b {
			p++
		}
	}
	return p, len(positive) - p
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// ClopperPearson returns the exact two-sided confidence interval of a
// proportion, k successes of n trials, at confidence conf (0.95 for 95%):
// the interval a reader of "1 of 269" needs, since a normal approximation
// says nothing sound about rates near zero.
func ClopperPearson(k, n int, conf float64) (lo, hi float64) {
	if n <= 0 {
		return math.NaN(), math.NaN()
	}
	alpha := 1 - conf
	if k > 0 {
		lo = distuv.Beta{Alpha: float64(k), Beta: float64(n - k + 1)}.Quantile(alpha / 2)
	}
	hi = 1
	if k < n {
		hi = distuv.Beta{Alpha: float64(k + 1), Beta: float64(n - k)}.Quantile(1 - alpha/2)
	}
	return lo, hi
}

package training

import (
	"errors"
	"math"
	"sort"

	"github.com/repack/repack/detector"
)

// FitPlatt fits P(y=1|s) = 1/(1+exp(A*s+B)) to scores and 0/1 labels by
// Newton's method with backtracking, on Platt's smoothed targets
// ((N+ + 1)/(N+ + 2) and 1/(N- + 2)) so that separable data do not send
// the parameters to infinity. The scores should be out-of-fold: fitted on
// training scores, the calibration would be overconfident.
func FitPlatt(scores, labels []float64) (detector.Platt, error) {
	if len(scores) != len(labels) || len(scores) == 0 {
		return detector.Platt{}, errors.New("platt: need as many labels as scores, and at least one")
	}
	var nPos, nNeg float64
	for _, y := range labels {
		if y > 0.5 {
			nPos++
		} else {
			nNeg++
		}
	}
	if nPos == 0 || nNeg == 0 {
		return detector.Platt{}, errors.New("platt: need both classes")
	}
	hi, lo := (nPos+1)/(nPos+2), 1/(nNeg+2)
	t := make([]float64, len(labels))
	for i, y := range labels {
		if y > 0.5 {
			t[i] = hi
		} else {
			t[i] = lo
		}
	}
	A, B := 0.0, math.Log((nNeg+1)/(nPos+1))
	const sigma = 1e-12
	fval := plattLoss(scores, t, A, B)
	for iter := 0; iter < 100; iter++ {
		// Gradient and Hessian of the negative log likelihood.
		var h11, h22, h21, g1, g2 float64
		h11, h22 = sigma, sigma
		for i, s := range scores {
			fApB := s*A + B
			var p, q float64
			if fApB >= 0 {
				p = math.Exp(-fApB) / (1 + math.Exp(-fApB))
				q = 1 / (1 + math.Exp(-fApB))
			} else {
				p = 1 / (1 + math.Exp(fApB))
				q = math.Exp(fApB) / (1 + math.Exp(fApB))
			}
			d2 := p * q
			h11 += s * s * d2
			h22 += d2
			h21 += s * d2
			d1 := t[i] - p
			g1 += s * d1
			g2 += d1
		}
		if math.Abs(g1) < 1e-6 && math.Abs(g2) < 1e-6 {
			break
		}
		det := h11*h22 - h21*h21
		dA := -(h22*g1 - h21*g2) / det
		dB := -(-h21*g1 + h11*g2) / det
		gd := g1*dA + g2*dB
		step := 1.0
		for step >= 1e-10 {
			nA, nB := A+step*dA, B+step*dB
			nf := plattLoss(scores, t, nA, nB)
			if nf < fval+1e-4*step*gd {
				A, B, fval = nA, nB, nf
				break
			}
			step /= 2
		}
		if step < 1e-10 {
			break
		}
	}
	return detector.Platt{A: A, B: B}, nil
}

func plattLoss(scores, t []float64, A, B float64) float64 {
	f := 0.0
	for i, s := range scores {
		fApB := s*A + B
		if fApB >= 0 {
			f += t[i]*fApB + math.Log1p(math.Exp(-fApB))
		} else {
			f += (t[i]-1)*fApB + math.Log1p(math.Exp(fApB))
		}
	}
	return f
}

// minThreshold is the lowest probability threshold training will choose:
// below even odds a page is never flagged, whatever the target rate says.
const minThreshold = 0.5

// ChooseThreshold returns the lowest probability threshold at which at
// most targetFPR of the negative (authentic) probabilities reach it, less
// one page of margin, and never below minThreshold. The margin is for the
// pages training has not seen: with 1,400 authentic pages a 0.1% target
// would allow one, which leaves no room for sampling error, so none is
// allowed and the threshold sits just above the highest authentic
// probability. A false positive on a genuine page is the costliest error.
func ChooseThreshold(negProbs []float64, targetFPR float64) float64 {
	return chooseAmong(negProbs, len(negProbs), targetFPR)
}

// chooseAmong is ChooseThreshold when only some of n negatives could be
// flagged at all: probs are theirs, and the target rate is over all n.
func chooseAmong(probs []float64, n int, targetFPR float64) float64 {
	if len(probs) == 0 {
		return minThreshold
	}
	p := append([]float64(nil), probs...)
	sort.Sort(sort.Reverse(sort.Float64Slice(p)))
	allowed := max(0, int(math.Floor(targetFPR*float64(n)))-1)
	if allowed >= len(p) {
		return minThreshold
	}
	// Flag only what is strictly above the (allowed+1)-th highest negative.
	t := math.Nextafter(p[allowed], 1)
	if t < minThreshold {
		t = minThreshold
	}
	if t >= 1 {
		t = math.Nextafter(1, 0)
	}
	return t
}

package training

import (
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/signal"
)

// RowVerdict is a model's label for a row, and the probability of the
// head that gave it (the highest head's when no head flags the row).
type RowVerdict struct {
	Label       string
	Probability float64
}

// FeedbackChange is how three models judge one reported page: the model
// it was reported against (Before), the model retrained on every row, the
// report included (After), and the outer fold's model that never saw the
// page's publisher (HeldOut: whether the lesson generalises).
type FeedbackChange struct {
	Row                    int
	Claimed                corpus.Label
	Before, After, HeldOut RowVerdict
}

// Judge returns a model's verdict on a row as the detector gives it: the
// flagged kind with the highest probability, or authentic.
func Judge(m *detector.Model, r Row) RowVerdict {
	best, top := RowVerdict{Label: detector.LabelAuthentic}, -1.0
	for _, h := range m.Heads {
		p := predict(m, h, r, 0)
		if p.Flagged && p.Probability > top {
			best, top = RowVerdict{Label: string(h.Kind), Probability: p.Probability}, p.Probability
		}
		if top < 0 && p.Probability > best.Probability {
			best.Probability = p.Probability
		}
	}
	return best
}

// FeedbackChanges judges every row that came from a feedback file
// (Source corpus.FeedbackSource) with the baseline model, the evaluation's
// final model and the held-out predictions. The baseline must name the
// dataset's features.
func FeedbackChanges(ev *Evaluation, baseline *detector.Model) ([]FeedbackChange, error) {
	ds := ev.Dataset
	var out []FeedbackChange
	for i, r := range ds.Rows {
		if r.Source != corpus.FeedbackSource {
			continue
		}
		if !slices.Equal(baseline.Features, ds.Features) {
			return nil, fmt.Errorf("baseline model %s names other features than the extractors in use", baseline.Version)
		}
		out = append(out, FeedbackChange{Row: i, Claimed: r.Label, Before: Judge(baseline, r), After: Judge(ev.Final.Model, r), HeldOut: ev.heldOutVerdict(i)})
	}
	return out, nil
}

// heldOutVerdict is the verdict of row i from the heads' out-of-fold
// predictions.
func (ev *Evaluation) heldOutVerdict(i int) RowVerdict {
	best, top := RowVerdict{Label: detector.LabelAuthentic}, -1.0
	for _, h := range ev.Heads {
		j := sort.Search(len(h.Predictions), func(k int) bool { return h.Predictions[k].Row >= i })
		if j == len(h.Predictions) || h.Predictions[j].Row != i {
			continue
		}
		p := h.Predictions[j]
		if p.Flagged && p.Probability > top {
			best, top = RowVerdict{Label: string(h.Kind), Probability: p.Probability}, p.Probability
		}
		if top < 0 && p.Probability > best.Probability {
			best.Probability = p.Probability
		}
	}
	return best
}

// WeightShift is how one feature's weight in one head moved between two
// models.
type WeightShift struct {
	Kind          signal.Family
	Feature       string
	Before, After float64
}

// WeightShifts lists the weights of every head and feature the two models
// share, largest move first (ties by head and feature name).
func WeightShifts(before, after *detector.Model) []WeightShift {
	var out []WeightShift
	for _, ha := range after.Heads {
		hb, ok := before.Head(ha.Kind)
		if !ok {
			continue
		}
		for j, name := range after.Features {
			k := slices.Index(before.Features, name)
			if k < 0 {
				continue
			}
			out = append(out, WeightShift{Kind: ha.Kind, Feature: name, Before: hb.Weights[k], After: ha.Weights[j]})
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		da, db := math.Abs(out[a].After-out[a].Before), math.Abs(out[b].After-out[b].Before)
		if da != db {
			return da > db
		}
		if out[a].Kind != out[b].Kind {
			return out[a].Kind < out[b].Kind
		}
		return out[a].Feature < out[b].Feature
	})
	return out
}

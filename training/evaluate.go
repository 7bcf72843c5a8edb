package training

import (
	"fmt"
	"sort"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/signal"
)

// EvalOptions control an evaluation.
type EvalOptions struct {
	// Train are the training options used inside every split.
	Train Options
	// Folds is the number of outer folds, grouped by publisher (default 5).
	Folds int
	// HoldOut lists the metadata keys whose values are held out one at a
	// time (leave-one-template-out): a key path into Document.Meta such as
	// "synth.brand_kind" or "inject.kind".
	HoldOut []string
	// Progress, when set, hears each model trained: what it is for, and
	// how many of the evaluation's models are done.
	Progress func(what string, done, total int)
}

// Prediction is one row's held-out result for one head.
type Prediction struct {
	Row         int
	Probability float64
	Score       float64
	Threshold   float64
	// Cues is how many independent cues support the verdict
	// (detector.Model.Support).
	Cues     int
	Flagged  bool
	Positive bool
}

// HeadEval is the held-out evaluation of one head.
type HeadEval struct {
	Kind signal.Family
	// Predictions are out-of-fold: every row scored by a model (weights,
	// calibration and threshold) fitted without its publisher's pages.
	Predictions []Prediction
	// HoldOuts are the leave-one-template-out results.
	HoldOuts []HoldOutEval
	// MinCues is the head's corroboration rule (detector.Head.MinCues).
	MinCues int
}

// HoldOutEval is the recall on one held-out template value.
type HoldOutEval struct {
	Key, Value string
	// Rows is how many rows of this kind carry the value; Caught how many
	// the model trained without them flagged.
	Rows, Caught int
	// LookedUpRows and LookedUpCaught count the rows among them that
	// were looked up in the story index (their original indexed).
	LookedUpRows, LookedUpCaught int
	// LookedUpByLanguage counts them by the page's language
	// (synth.language, its first two letters): rows, caught.
	LookedUpByLanguage map[string][2]int
	// Threshold is the threshold of the model trained without them.
	Threshold float64
}

// Recall is Caught / Rows.
func (h HoldOutEval) Recall() float64 {
	if h.Rows == 0 {
		return 0
	}
	return float64(h.Caught) / float64(h.Rows)
}

// Evaluation is the full held-out evaluation of a dataset.
type Evaluation struct {
	Dataset *Dataset
	Heads   []HeadEval
	// Final is the model trained on all rows, for its weights only: no
	// figure of the evaluation comes from it.
	Final *Result
}

// Evaluate measures a dataset honestly: nested cross-validation grouped by
// publisher (each outer training split fits its own weights, calibration
// and threshold with its own inner folds), and leave-one-template-out for
// every held-out key and value.
func Evaluate(ds *Dataset, opts EvalOptions) (*Evaluation, error) {
	if opts.Folds == 0 {
		opts.Folds = 5
	}
	// Sealed rows are scored, never trained on.
	trainable := ds.Subset(func(r Row) bool { return !r.Sealed })
	total := 1 + opts.Folds
	for _, kind := range []signal.Family{signal.Injected, signal.Repackaged} {
		for _, key := range opts.HoldOut {
			for _, r := range ds.Rows {
				if _, ok := MetaValue(r.Meta, key); ok && r.Label == corpus.Label(kind) {
					total++
					break
				}
			}
		}
	}
	done := 0
	progress := func(what string) {
		done++
		if opts.Progress != nil {
			opts.Progress(what, done, total)
		}
	}
	final, err := Train(trainable, opts.Train)
	if err != nil {
		return nil, err
	}
	progress("the model on all the data, for its weights")
	ev := &Evaluation{Dataset: ds, Final: final}
	groups := make([]string, len(ds.Rows))
	for i, r := range ds.Rows {
		groups[i] = r.Group
	}
	outer := GroupFolds(groups, opts.Folds, opts.Train.Seed+1)
	preds := map[signal.Family][]Prediction{}
	for f := 0; f < opts.Folds; f++ {
		train := &Dataset{Features: ds.Features}
		var test []int
		for i, r := range ds.Rows {
			if outer[i] == f {
				test = append(test, i)
			} else if !r.Sealed {
				train.Rows = append(train.Rows, r)
			}
		}
		res, err := Train(train, opts.Train)
		if err != nil {
			return nil, fmt.Errorf("outer fold %d: %w", f, err)
		}
		progress(fmt.Sprintf("outer fold %d of %d", f+1, opts.Folds))
		for _, h := range res.Model.Heads {
			for _, i := range test {
				preds[h.Kind] = append(preds[h.Kind], predict(res.Model, h, ds.Rows[i], i))
			}
		}
	}
	for _, h := range final.Model.Heads {
		p := preds[h.Kind]
		sort.Slice(p, func(a, b int) bool { return p[a].Row < p[b].Row })
		he := HeadEval{Kind: h.Kind, Predictions: p, MinCues: h.MinCues}
		for _, key := range opts.HoldOut {
			hos, err := holdOut(ds, opts.Train, h.Kind, key)
			if err != nil {
				return nil, err
			}
			he.HoldOuts = append(he.HoldOuts, hos...)
			if len(hos) > 0 {
				progress(fmt.Sprintf("%s head, leave-one-out of %s (%d values)", h.Kind, key, len(hos)))
			}
		}
		ev.Heads = append(ev.Heads, he)
	}
	return ev, nil
}

// predict scores one row with one head of a model, as the detector does
// (Model.Score).
func predict(m *detector.Model, h detector.Head, r Row, i int) Prediction {
	s := m.Score(h, r.Values)
	p := h.Calibration.Probability(s)
	_, cues := m.Support(h, r.Values, r.Places)
	return Prediction{Row: i, Probability: p, Score: s, Threshold: h.Threshold, Cues: cues, Flagged: h.Flags(p, cues), Positive: r.Label == corpus.Label(h.Kind)}
}

// holdOut trains without the rows of kind whose metadata key has each
// value in turn and measures recall on them.
func holdOut(ds *Dataset, topts Options, kind signal.Family, key string) ([]HoldOutEval, error) {
	values := map[string]int{}
	for _, r := range ds.Rows {
		if r.Label != corpus.Label(kind) {
			continue
		}
		if v, ok := MetaValue(r.Meta, key); ok {
			values[v]++
		}
	}
	var names []string
	for v := range values {
		names = append(names, v)
	}
	sort.Strings(names)
	var out []HoldOutEval
	for _, v := range names {
		held := func(r Row) bool {
			got, ok := MetaValue(r.Meta, key)
			return r.Label == corpus.Label(kind) && ok && got == v
		}
		train := ds.Subset(func(r Row) bool { return !held(r) && !r.Sealed })
		if train.Counts()[corpus.Label(kind)] == 0 {
			continue // nothing left to learn this kind from
		}
		res, err := Train(train, topts)
		if err != nil {
			return nil, fmt.Errorf("hold out %s=%s: %w", key, v, err)
		}
		h, _ := res.Model.Head(kind)
		he := HoldOutEval{Key: key, Value: v, Threshold: h.Threshold}
		for i, r := range ds.Rows {
			if held(r) {
				flagged := predict(res.Model, h, r, i).Flagged
				he.Rows++
				if flagged {
					he.Caught++
				}
				if r.LookedUp {
					he.LookedUpRows++
					lang, _ := MetaValue(r.Meta, "synth.language")
					lang = lang[:min(2, len(lang))]
					if he.LookedUpByLanguage == nil {
						he.LookedUpByLanguage = map[string][2]int{}
					}
					c := he.LookedUpByLanguage[lang]
					c[0]++
					if flagged {
						he.LookedUpCaught++
						c[1]++
					}
					he.LookedUpByLanguage[lang] = c
				}
			}
		}
		out = append(out, he)
	}
	return out, nil
}

// MetaValue reads a dotted key path ("synth.brand_kind") from document
// metadata as a string; lists and numbers are formatted.
func MetaValue(meta map[string]any, key string) (string, bool) {
	var cur any = meta
	start := 0
	for i := 0; i <= len(key); i++ {
		if i < len(key) && key[i] != '.' {
			continue
		}
		m, ok := cur.(map[string]any)
		if !ok {
			return "", false
		}
		cur, ok = m[key[start:i]]
		if !ok {
			return "", false
		}
		start = i + 1
	}
	switch v := cur.(type) {
	case string:
		return v, true
	case bool:
		return fmt.Sprint(v), true
	case float64:
		return fmt.Sprint(v), true
	case nil:
		return "", false
	}
	return fmt.Sprint(cur), true
}

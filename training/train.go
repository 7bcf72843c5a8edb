package training

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features"
	"github.com/repack/repack/features/signal"
)

// Options control training.
type Options struct {
	// Lambda is the ridge penalty (default 1).
	Lambda float64
	// Folds is the number of grouped cross-validation folds used for
	// out-of-fold scores (default 5).
	Folds int
	// Seed fixes the fold assignment.
	Seed uint64
	// TargetFPR is the false-positive rate on authentic pages the threshold
	// aims for (default 0.001).
	TargetFPR float64
	// AllFeatures lets every head weigh every feature; by default a head
	// weighs only the features of its own family.
	AllFeatures bool
	// AllowNegative lets weights go below zero; by default they are kept
	// non-negative (see RidgeOptions.NonNegative).
	AllowNegative bool
	// MinFired is, per kind, how many of a head's features must support
	// a verdict (detector.Model.Fired) for it to flag a page
	// (detector.Head.MinFired). nil means DefaultMinFired; an empty map
	// sets no such rule.
	MinFired map[signal.Family]int
}

// DefaultMinFired asks two features to agree before the repackaged head
// flags a page: a genuine page may trip any one of them (a finance
// publisher's name on a wire story, a byline slot a template left odd),
// and the network's pages trip four or more. The injected head needs
// one, because its main feature, injection_evidence, already counts only
// evidence that stands on its own.
var DefaultMinFired = map[signal.Family]int{signal.Repackaged: 2, signal.Injected: 1}

func (o Options) withDefaults() Options {
	if o.Lambda == 0 {
		o.Lambda = 1
	}
	if o.Folds == 0 {
		o.Folds = 5
	}
	if o.TargetFPR == 0 {
		o.TargetFPR = 0.001
	}
	if o.MinFired == nil {
		o.MinFired = DefaultMinFired
	}
	return o
}

// HeadResult is what training one head produced besides the head itself:
// the out-of-fold probability of every row, for evaluation.
type HeadResult struct {
	Kind signal.Family
	// OOF are the out-of-fold probabilities, one per dataset row.
	OOF []float64
	// OOFScores are the out-of-fold raw scores.
	OOFScores []float64
	// Positive marks the rows of this head's kind.
	Positive []bool
	Head     detector.Head
}

// Result is a trained model with its out-of-fold predictions and warnings.
type Result struct {
	Model    *detector.Model
	Heads    []HeadResult
	Folds    []int
	Warnings []string
}

// Train fits one head per kind of spam present in the data (repackaged,
// injected), each against every other row, and assembles a sealed model.
func Train(ds *Dataset, opts Options) (*Result, error) {
	opts = opts.withDefaults()
	if len(ds.Rows) == 0 {
		return nil, errors.New("empty dataset")
	}
	cat, err := features.Catalogue()
	if err != nil {
		return nil, err
	}
	if err := checkFeatures(cat, ds.Features); err != nil {
		return nil, err
	}
	counts := ds.Counts()
	if counts[corpus.Authentic] == 0 {
		return nil, errors.New("no authentic documents: the threshold needs authentic pages")
	}
	var kinds []signal.Family
	for _, k := range []signal.Family{signal.Injected, signal.Repackaged} {
		if counts[corpus.Label(k)] > 0 {
			kinds = append(kinds, k)
		}
	}
	if len(kinds) == 0 {
		return nil, errors.New("no repackaged or injected documents to learn from")
	}
	X := make([][]float64, len(ds.Rows))
	groups := make([]string, len(ds.Rows))
	for i, r := range ds.Rows {
		X[i] = r.Values
		groups[i] = r.Group
	}
	nGroups := len(uniq(groups))
	folds := opts.Folds
	if nGroups < folds {
		return nil, fmt.Errorf("only %d source groups for %d folds: cross-validation by publisher needs more sources", nGroups, folds)
	}
	foldOf := GroupFolds(groups, folds, opts.Seed)
	final := FitStandardizer(X, len(ds.Features))
	family := familyOf(cat, ds.Features)

	res := &Result{Folds: foldOf}
	model := &detector.Model{FormatVersion: detector.FormatVersion, Features: ds.Features, Means: final.Means, Scales: final.Scales}
	for _, kind := range kinds {
		use := make([]bool, len(ds.Features))
		for j := range use {
			use[j] = opts.AllFeatures || family[j] == kind
		}
		y := make([]float64, len(ds.Rows))
		pos := make([]bool, len(ds.Rows))
		for i, r := range ds.Rows {
			if r.Label == corpus.Label(kind) {
				y[i], pos[i] = 1, true
			}
		}
		oofScores, err := outOfFold(X, y, foldOf, folds, use, ds.Features, opts.Lambda, !opts.AllowNegative)
		if err != nil {
			return nil, fmt.Errorf("%s head, cross-validation: %w", kind, err)
		}
		Z := make([][]float64, len(X))
		for i, x := range X {
			Z[i] = final.Apply(x)
		}
		lm, warns, err := FitRidge(Z, y, final.Constant, RidgeOptions{Lambda: opts.Lambda, Use: use, Names: ds.Features, NonNegative: !opts.AllowNegative})
		if err != nil {
			return nil, fmt.Errorf("%s head: %w", kind, err)
		}
		for _, w := range warns {
			res.Warnings = append(res.Warnings, string(kind)+" head: "+w)
		}
		platt, err := FitPlatt(oofScores, y)
		if err != nil {
			return nil, fmt.Errorf("%s head, calibration: %w", kind, err)
		}
		oof := make([]float64, len(oofScores))
		var negProbs []float64
		for i, s := range oofScores {
			oof[i] = platt.Probability(s)
			if ds.Rows[i].Label == corpus.Authentic {
				negProbs = append(negProbs, oof[i])
			}
		}
		head := detector.Head{Kind: kind, Weights: lm.Weights, Intercept: lm.Intercept, Calibration: platt, Threshold: ChooseThreshold(negProbs, opts.TargetFPR), MinFired: opts.MinFired[kind]}
		model.Heads = append(model.Heads, head)
		res.Heads = append(res.Heads, HeadResult{Kind: kind, OOF: oof, OOFScores: oofScores, Positive: pos, Head: head})
	}
	sort.Slice(model.Heads, func(i, j int) bool { return model.Heads[i].Kind < model.Heads[j].Kind })
	summary := summarise(ds, opts, nGroups, res.Warnings)
	b, err := json.Marshal(summary)
	if err != nil {
		return nil, err
	}
	model.Training = b
	res.Model = model
	return res, nil
}

// outOfFold returns, for every row, the raw score of a model fitted
// without that row's fold, standardised on the training folds only.
func outOfFold(X [][]float64, y []float64, foldOf []int, k int, use []bool, names []string, lambda float64, nonNegative bool) ([]float64, error) {
	scores := make([]float64, len(X))
	for f := 0; f < k; f++ {
		var trX [][]float64
		var trY []float64
		for i := range X {
			if foldOf[i] != f {
				trX = append(trX, X[i])
				trY = append(trY, y[i])
			}
		}
		st := FitStandardizer(trX, len(names))
		Z := make([][]float64, len(trX))
		for i, x := range trX {
			Z[i] = st.Apply(x)
		}
		lm, _, err := FitRidge(Z, trY, st.Constant, RidgeOptions{Lambda: lambda, Use: use, Names: names, NonNegative: nonNegative})
		if err != nil {
			return nil, fmt.Errorf("fold %d: %w", f, err)
		}
		// Scored as the detector scores (detector.Model.Score): one
		// formula, one summation order.
		m := &detector.Model{Features: names, Means: st.Means, Scales: st.Scales}
		h := detector.Head{Weights: lm.Weights, Intercept: lm.Intercept}
		for i := range X {
			if foldOf[i] == f {
				scores[i] = m.Score(h, X[i])
			}
		}
	}
	return scores, nil
}

// Seal sets the model's version from its content hash and seals it: the
// same data and options give the same file byte for byte.
func Seal(m *detector.Model) error {
	m.Version, m.Hash = "", ""
	h, err := m.ContentHash()
	if err != nil {
		return err
	}
	m.Version = "m-" + h[len("sha256:"):len("sha256:")+12]
	return m.Seal()
}

// checkFeatures refuses a dataset whose columns are not the extractors in
// use, in order.
func checkFeatures(cat *signal.Catalogue, names []string) error {
	want := cat.Names()
	if len(names) != len(want) {
		return fmt.Errorf("dataset has %d features, the extractors produce %d", len(names), len(want))
	}
	for i := range want {
		if names[i] != want[i] {
			return fmt.Errorf("dataset feature %d is %q, the extractors produce %q", i, names[i], want[i])
		}
	}
	return nil
}

func familyOf(cat *signal.Catalogue, names []string) []signal.Family {
	fam := map[string]signal.Family{}
	for _, e := range cat.Extractors() {
		fam[e.Name] = e.Family
	}
	out := make([]signal.Family, len(names))
	for i, n := range names {
		out[i] = fam[n]
	}
	return out
}

func uniq(xs []string) map[string]bool {
	m := map[string]bool{}
	for _, x := range xs {
		m[x] = true
	}
	return m
}

// Summary describes the data and settings a model was trained on; it is
// stored in the model file.
type Summary struct {
	Documents int            `json:"documents"`
	Labels    map[string]int `json:"labels"`
	Sources   map[string]int `json:"sources"`
	Groups    int            `json:"groups"`
	Lambda    float64        `json:"lambda"`
	Folds     int            `json:"folds"`
	Seed      uint64         `json:"seed"`
	TargetFPR float64        `json:"target_fpr"`
	// DataHash fingerprints the training set (ids and labels, in order).
	DataHash string   `json:"data_hash"`
	Warnings []string `json:"warnings,omitempty"`
}

func summarise(ds *Dataset, opts Options, groups int, warnings []string) Summary {
	s := Summary{Documents: len(ds.Rows), Labels: map[string]int{}, Sources: map[string]int{}, Groups: groups,
		Lambda: opts.Lambda, Folds: opts.Folds, Seed: opts.Seed, TargetFPR: opts.TargetFPR, Warnings: warnings}
	h := sha256.New()
	for _, r := range ds.Rows {
		s.Labels[string(r.Label)]++
		s.Sources[r.Source]++
		h.Write([]byte(r.ID + "\x00" + string(r.Label) + "\n"))
	}
	s.DataHash = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return s
}

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
	"github.com/repack/repack/features/source"
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
	// TargetFPR is the false-positive rate on real authentic pages the
	// threshold aims for (default 0.001).
	TargetFPR float64
	// HardNegativeFPR is the rate on hard negatives (the generators'
	// authentic look-alikes) the threshold aims for (default 0.005). The
	// threshold is the larger of the two.
	HardNegativeFPR float64
	// AllFeatures lets every head weigh every feature; by default a head
	// weighs only the features of its own family.
	AllFeatures bool
	// Fit is the fitting method: FitLogistic (the default) or
	// FitRidgeOLS.
	Fit string
	// AllowNegative lets weights go below zero; by default they are kept
	// non-negative (see RidgeOptions.NonNegative).
	AllowNegative bool
	// MinCues is, per kind, how many independent cues a head's
	// supporting features must show for it to flag a page
	// (detector.Head.MinCues). nil means DefaultMinCues; an empty map
	// sets no such rule.
	MinCues map[signal.Family]int
}

// DefaultMinCues asks two independent places on the page to agree before
// either head flags it: a genuine page may show any one cue (a finance
// publisher's name on a wire story, a byline slot a template left odd, a
// sponsored box, a casino word on a page about casinos), and the
// network's pages and a hacked page's injections show several.
var DefaultMinCues = map[signal.Family]int{signal.Repackaged: 2, signal.Injected: 2}

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
	if o.Fit == "" {
		o.Fit = FitLogistic
	}
	if o.HardNegativeFPR == 0 {
		o.HardNegativeFPR = 0.005
	}
	if o.MinCues == nil {
		o.MinCues = DefaultMinCues
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
	if opts.Fit != FitLogistic && opts.Fit != FitRidgeOLS {
		return nil, fmt.Errorf("unknown fit %q (want %s or %s)", opts.Fit, FitLogistic, FitRidgeOLS)
	}
	if len(ds.Rows) == 0 {
		return nil, errors.New("empty dataset")
	}
	ds = ds.Witnessed()
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
			use[j] = (opts.AllFeatures || family[j] == kind) && !Unweighed[ds.Features[j]]
		}
		y := make([]float64, len(ds.Rows))
		pos := make([]bool, len(ds.Rows))
		for i, r := range ds.Rows {
			if r.Label == corpus.Label(kind) {
				y[i], pos[i] = 1, true
			}
		}
		fitter := opts.fitter()
		ropts := RidgeOptions{Lambda: opts.Lambda, Use: use, Names: ds.Features, NonNegative: !opts.AllowNegative}
		oofScores, err := outOfFold(X, y, foldOf, folds, fitter, ropts)
		if err != nil {
			return nil, fmt.Errorf("%s head, cross-validation: %w", kind, err)
		}
		Z := make([][]float64, len(X))
		for i, x := range X {
			Z[i] = final.Apply(x)
		}
		lm, warns, err := fitter(Z, y, final.Constant, ropts)
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
		for i, s := range oofScores {
			oof[i] = platt.Probability(s)
		}
		head := detector.Head{Kind: kind, Weights: lm.Weights, Intercept: lm.Intercept, Calibration: platt, MinCues: opts.MinCues[kind]}
		head.Threshold = chooseHeadThreshold(model, head, ds, oof, opts)
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
func outOfFold(X [][]float64, y []float64, foldOf []int, k int, fit fitFunc, ropts RidgeOptions) ([]float64, error) {
	names := ropts.Names
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
		lm, _, err := fit(Z, trY, st.Constant, ropts)
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
	want := detector.FeatureNames(cat)
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
	for _, s := range detector.SourceSignals(nil, nil) {
		fam[s.Name] = s.Family
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
	// HardNegativeFPR and Fit are Options'.
	HardNegativeFPR float64 `json:"hard_negative_fpr"`
	Fit             string  `json:"fit"`
	// Spreads are each feature's median on authentic pages and 99th
	// percentile on spam, for the one-cue test.
	Spreads []FeatureSpread `json:"spreads"`
	// Index is the story index the pages were looked up in, absent when
	// none was (the source features then carry no weight).
	Index *IndexSummary `json:"index,omitempty"`
	// DataHash fingerprints the training set (ids and labels, in order).
	DataHash string   `json:"data_hash"`
	Warnings []string `json:"warnings,omitempty"`
}

// Unweighed are the features no head may weigh: they explain a verdict
// and never move it. copy_of_indexed_story is one: carrying a story is
// what a licensed carrier does, so being a copy must not make a page
// more suspect; what the copy inserted and dropped is weighed instead.
var Unweighed = map[string]bool{source.CopyOfIndexedStory.Name: true}

// IndexSummary names the story index a model's training pages were
// looked up in (by checksum, not by file name) and how many were.
type IndexSummary struct {
	Checksum string  `json:"checksum"`
	Stories  int     `json:"stories"`
	Share    float64 `json:"share"`
	// LookedUp is how many training pages were looked up.
	LookedUp int `json:"looked_up"`
}

func summarise(ds *Dataset, opts Options, groups int, warnings []string) Summary {
	s := Summary{Documents: len(ds.Rows), Labels: map[string]int{}, Sources: map[string]int{}, Groups: groups,
		Lambda: opts.Lambda, Folds: opts.Folds, Seed: opts.Seed, TargetFPR: opts.TargetFPR, HardNegativeFPR: opts.HardNegativeFPR, Fit: opts.Fit, Warnings: warnings,
		Spreads: Spreads(ds)}
	if ds.Index != nil {
		ix := *ds.Index
		for _, r := range ds.Rows {
			if r.LookedUp {
				ix.LookedUp++
			}
		}
		s.Index = &ix
	}
	h := sha256.New()
	for _, r := range ds.Rows {
		s.Labels[string(r.Label)]++
		s.Sources[r.Source]++
		h.Write([]byte(r.ID + "\x00" + string(r.Label) + "\n"))
	}
	s.DataHash = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return s
}

// IsHardNegative reports whether a row is a hard negative: an authentic
// page made by a generator (synth's look-alikes, inject's), as opposed to
// a real authentic page.
func IsHardNegative(r Row) bool {
	if r.Label != corpus.Authentic {
		return false
	}
	for _, k := range []string{"synth", "inject"} {
		m, ok := r.Meta[k].(map[string]any)
		if !ok {
			continue
		}
		// The repackager records kind "hard_negative"; the injector
		// records which look-alike it planted under "hard_negative".
		if _, named := m["hard_negative"]; named || m["kind"] == "hard_negative" {
			return true
		}
	}
	return false
}

// fitFunc fits a linear model of y on standardised rows.
type fitFunc func(Z [][]float64, y []float64, constant []bool, opts RidgeOptions) (LinearModel, []string, error)

// fitter returns the fitting function of the options' method.
func (o Options) fitter() fitFunc {
	if o.Fit == FitRidgeOLS {
		return FitRidge
	}
	return FitLogisticRidge
}

// chooseHeadThreshold sets a head's threshold from the out-of-fold
// probabilities of the negatives the whole rule could flag: the larger of
// the TargetFPR point of the real authentic pages and the HardNegativeFPR
// point of the hard negatives. A negative whose supporting features lie
// in fewer than MinCues cues is never flagged, whatever its probability,
// so it sets no threshold: one odd link on a genuine page must not push
// the threshold past the spam it would otherwise catch. Cues are counted
// with the head at the probabilities-only threshold, the lowest it can
// get, where the most features support a verdict: the count errs on the
// side of more negatives, and so of a higher threshold.
func chooseHeadThreshold(m *detector.Model, h detector.Head, ds *Dataset, oof []float64, opts Options) float64 {
	var realAll, hardAll []float64
	for i, r := range ds.Rows {
		switch {
		case IsHardNegative(r):
			hardAll = append(hardAll, oof[i])
		case r.Label == corpus.Authentic:
			realAll = append(realAll, oof[i])
		}
	}
	h.Threshold = max(ChooseThreshold(realAll, opts.TargetFPR), ChooseThreshold(hardAll, opts.HardNegativeFPR))
	if h.MinCues <= 1 {
		return h.Threshold
	}
	var realProbs, hardProbs []float64
	for i, r := range ds.Rows {
		if r.Label != corpus.Authentic {
			continue
		}
		if _, cues := m.Support(h, r.Values, r.Places); cues < h.MinCues {
			continue
		}
		if IsHardNegative(r) {
			hardProbs = append(hardProbs, oof[i])
		} else {
			realProbs = append(realProbs, oof[i])
		}
	}
	// The rates are over every negative of the set, flaggable or not.
	return max(chooseAmong(realProbs, len(realAll), opts.TargetFPR), chooseAmong(hardProbs, len(hardAll), opts.HardNegativeFPR))
}

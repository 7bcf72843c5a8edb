package detector

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/repack/repack/features/source"
)

// Labels a verdict can carry.
const (
	LabelAuthentic = "authentic"
)

// Input is one page to score.
type Input struct {
	// Body is the page: HTML or plain text.
	Body []byte
	// URL is where the page came from, if known.
	URL string
	// ContentType is the HTTP Content-Type, if known.
	ContentType string
	// Format forces HTML or text; page.FormatAuto sniffs.
	Format page.Format
	// MaxBytes caps the bytes analysed; 0 means page.DefaultMaxBytes.
	MaxBytes int
}

// InputOf returns the input for a corpus document: its body, URL and
// format, and the HTTP Content-Type its reader kept (a WARC response's),
// so that a page is decoded alike whichever command reads it.
func InputOf(d corpus.Document) Input {
	in := Input{Body: d.Body, URL: d.URL}
	switch d.Format {
	case corpus.FormatHTML:
		in.Format = page.FormatHTML
	case corpus.FormatText:
		in.Format = page.FormatText
	}
	if ct, ok := d.Meta[corpus.MetaContentType].(string); ok {
		in.ContentType = ct
	}
	return in
}

// Detector scores pages with one model and the extractors in use. It is
// immutable and safe for concurrent use.
type Detector struct {
	model     *Model
	catalogue *signal.Catalogue
	// index maps signal order (FeatureNames: the extractors, then the
	// source features) to model feature order, signalOf the other way.
	index, signalOf []int
	// derived marks the extractors that read others' results (in
	// extractor order): they make no place of their own (Places).
	derived []bool
	// stories is the story index pages are looked up in, nil for none.
	stories *source.Index
}

// New returns a detector for a model, refusing a model whose features are
// not exactly the extractors in use.
func New(m *Model) (*Detector, error) {
	cat, err := features.Catalogue()
	if err != nil {
		return nil, err
	}
	names := FeatureNames(cat)
	if err := m.CheckFeatures(names); err != nil {
		return nil, err
	}
	pos := map[string]int{}
	for i, f := range m.Features {
		pos[f] = i
	}
	index := make([]int, len(names))
	signalOf := make([]int, len(names))
	for i, n := range names {
		index[i] = pos[n]
		signalOf[pos[n]] = i
	}
	return &Detector{model: m, catalogue: cat, index: index, signalOf: signalOf, derived: Derived(cat)}, nil
}

// FeatureNames returns the features a model weighs, in the order of the
// signals the detector scores: the catalogue's extractors, then the
// features of a match in the story index (source.Features), which are
// zero on a page without a match.
func FeatureNames(cat *signal.Catalogue) []string {
	names := cat.Names()
	for _, f := range source.Features() {
		names = append(names, f.Name)
	}
	return names
}

// SourceSignals returns the features of a page's match in the story
// index (source.Features, in order): the match's, or the same features
// with value zero and no evidence when m is nil. Appended to the
// catalogue's signals, they are what a model scores (FeatureNames).
func SourceSignals(m *source.Match, p *page.Page) []signal.Signal {
	if m != nil && p != nil {
		return m.Signals(p)
	}
	fs := source.Features()
	out := make([]signal.Signal, len(fs))
	for i, f := range fs {
		out[i] = signal.Signal{Name: f.Name, Family: signal.Repackaged, Description: f.Description(), Evidence: []signal.Evidence{}}
	}
	return out
}

// Derived marks the extractors of a catalogue that read other extractors'
// results, in catalogue order: they repeat their inputs' evidence and
// make no place of their own (Places).
func Derived(cat *signal.Catalogue) []bool {
	list := cat.Extractors()
	out := make([]bool, len(list))
	for i, e := range list {
		out[i] = len(e.Requires) > 0
	}
	return out
}

// NewDefault returns a detector with the embedded default model.
func NewDefault() (*Detector, error) {
	m, err := DefaultModel()
	if err != nil {
		return nil, err
	}
	return New(m)
}

// Catalogue returns the extractors the detector runs.
func (d *Detector) Catalogue() *signal.Catalogue { return d.catalogue }

// Load returns a detector for the model file at path ("" for the model
// embedded in the binary), with the thresholds of some heads replaced:
// an operating point a user chose (a probability in (0, 1) per kind).
func Load(path string, thresholds map[signal.Family]float64) (*Detector, error) {
	var m *Model
	var err error
	if path == "" {
		m, err = DefaultModel()
	} else {
		m, err = LoadModel(path)
	}
	if err != nil {
		return nil, err
	}
	if m, err = m.WithThresholds(thresholds); err != nil {
		return nil, err
	}
	return New(m)
}

// WithThresholds returns the model with the thresholds of some heads
// replaced (a probability in (0, 1) per kind), or m itself when there
// are none; m is not changed.
func (m *Model) WithThresholds(thresholds map[signal.Family]float64) (*Model, error) {
	if len(thresholds) == 0 {
		return m, nil
	}
	c := *m
	c.Heads = append([]Head(nil), m.Heads...)
	for kind, t := range thresholds {
		if !(t > 0 && t < 1) {
			return nil, fmt.Errorf("threshold %v for %s is not a probability in (0, 1)", t, kind)
		}
		found := false
		for i := range c.Heads {
			if c.Heads[i].Kind == kind {
				c.Heads[i].Threshold, found = t, true
			}
		}
		if !found {
			return nil, fmt.Errorf("threshold for %s: the model has no %s head", kind, kind)
		}
	}
	return &c, nil
}

// ParseThresholds reads an operating point as the --threshold flag gives
// it: "P" for every head, or "KIND=P[,KIND=P]" with KIND repackaged or
// injected; "" is none.
func ParseThresholds(s string) (map[signal.Family]float64, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, nil
	}
	out := map[signal.Family]float64{}
	if p, err := strconv.ParseFloat(s, 64); err == nil {
		out[signal.Repackaged], out[signal.Injected] = p, p
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		kind, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		p, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
		k := signal.Family(strings.TrimSpace(kind))
		if !ok || err != nil || k != signal.Repackaged && k != signal.Injected {
			return nil, fmt.Errorf("%q: want P or KIND=P,... with KIND repackaged or injected", s)
		}
		out[k] = p
	}
	return out, nil
}

// Model returns the detector's model.
func (d *Detector) Model() *Model { return d.model }

// Analysis is everything scoring one page produced: the parsed page (its
// text is what evidence offsets index), every signal, and the verdict
// (zero when the page was only extracted).
type Analysis struct {
	Page    *page.Page
	Signals []signal.Signal
	Verdict Verdict
	// Match is the page's original in the detector's index, nil when it
	// has none or the detector no index.
	Match *source.Match
}

// Analyze parses one input, extracts every feature and scores it. It
// returns an error when the input cannot be read as a page, or when ctx
// is done first: a deadline on ctx is a time limit on the page, and
// Analyze returns at once when it passes (a *TimeLimitError), while the
// abandoned work stops at its next extractor.
func (d *Detector) Analyze(ctx context.Context, in Input) (*Analysis, error) {
	a, err := within(ctx, func() (*Analysis, error) {
		a, err := extract(ctx, d.catalogue, in)
		if err != nil {
			return nil, err
		}
		d.lookUp(ctx, a)
		a.Verdict = d.Score(slices.Concat(a.Signals, SourceSignals(a.Match, a.Page)), a.Page)
		a.Verdict.Index = InfoOf(d.stories)
		a.Verdict.Source = SourceOf(a.Match, a.Page)
		return a, ctx.Err()
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// TimeLimitError says that a page was not analysed within its time limit.
type TimeLimitError struct {
	Limit time.Duration
}

func (e *TimeLimitError) Error() string {
	return fmt.Sprintf("not analysed within the time limit of %s", e.Limit)
}

// Unwrap lets errors.Is(err, context.DeadlineExceeded) see the cause.
func (e *TimeLimitError) Unwrap() error { return context.DeadlineExceeded }

// WithTimeLimit returns a context that limits the analysis of one page to
// limit (0: no limit), and its cancel function; Analyze reports the limit
// in a *TimeLimitError when it passes.
func WithTimeLimit(ctx context.Context, limit time.Duration) (context.Context, context.CancelFunc) {
	if limit <= 0 {
		return context.WithCancel(ctx)
	}
	ctx = context.WithValue(ctx, timeLimitKey{}, limit)
	return context.WithTimeout(ctx, limit)
}

type timeLimitKey struct{}

// within runs work and returns its result, or ctx's error as soon as ctx
// is done when ctx has a deadline: the caller gets control back at the
// limit, whatever the work is doing.
func within(ctx context.Context, work func() (*Analysis, error)) (*Analysis, error) {
	if _, ok := ctx.Deadline(); !ok {
		return work()
	}
	type result struct {
		a   *Analysis
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("internal error (panic): %v", r)}
			}
		}()
		a, err := work()
		done <- result{a, err}
	}()
	select {
	case r := <-done:
		if r.err != nil && errors.Is(r.err, context.DeadlineExceeded) {
			return nil, deadlineError(ctx)
		}
		return r.a, r.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, deadlineError(ctx)
		}
		return nil, ctx.Err()
	}
}

// deadlineError names the time limit WithTimeLimit set, if any.
func deadlineError(ctx context.Context) error {
	if limit, ok := ctx.Value(timeLimitKey{}).(time.Duration); ok {
		return &TimeLimitError{Limit: limit}
	}
	return context.DeadlineExceeded
}

// Extract parses one input and computes every feature of the catalogue in
// use, without a model: the part of Analyze that training, fire rates and
// `repack features` need. The Analysis it returns has no Verdict.
func Extract(ctx context.Context, in Input) (*Analysis, error) {
	cat, err := features.Catalogue()
	if err != nil {
		return nil, err
	}
	return extract(ctx, cat, in)
}

// extract is the one path from an input to a parsed page and its signals.
func extract(ctx context.Context, cat *signal.Catalogue, in Input) (*Analysis, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	p, err := page.Parse(in.Body, page.Options{Format: in.Format, URL: in.URL, ContentType: in.ContentType, MaxBytes: in.MaxBytes})
	if err != nil {
		return nil, err
	}
	sigs, err := cat.ExtractContext(ctx, p)
	if err != nil {
		return nil, err
	}
	return &Analysis{Page: p, Signals: sigs}, nil
}

// VerdictSchema is the version of the Verdict's JSON, which every verdict
// carries (docs/formats.md keeps the changelog): 2 added cues and
// min_cues and the schema version itself; 3 added index and source.
const VerdictSchema = 3

// ProbabilityResolution is how close to 0 or 1 a calibrated probability
// is shown to people: the calibration and the thresholds rest on about a
// thousand real authentic pages, which cannot tell 0.9995 from 0.99999.
// Machine-readable outputs keep the full value.
const ProbabilityResolution = 0.001

// ProbabilityText formats a probability for people with three decimals,
// as "> 0.999" or "< 0.001" beyond ProbabilityResolution.
func ProbabilityText(p float64) string {
	switch {
	case p >= 1-ProbabilityResolution:
		return fmt.Sprintf("> %.3f", 1-ProbabilityResolution)
	case p < ProbabilityResolution:
		return fmt.Sprintf("< %.3f", ProbabilityResolution)
	}
	return fmt.Sprintf("%.3f", p)
}

// Verdict is the decision on one page with the reasons for it.
type Verdict struct {
	// SchemaVersion is VerdictSchema.
	SchemaVersion int `json:"schema_version"`
	// Label is "authentic", or the kind of spam with the highest
	// probability among the kinds flagged ("repackaged", "injected").
	Label string `json:"label"`
	// Kind lists every kind flagged, [] for an authentic page.
	Kind []signal.Family `json:"kind"`
	// Probability, Score and Threshold are those of the label's head (the
	// most probable head for an authentic page).
	Probability float64 `json:"probability"`
	Score       float64 `json:"score"`
	Threshold   float64 `json:"threshold"`
	// Intercept is the head's intercept: Score = Intercept + the sum of
	// the reasons' contributions, in the order listed.
	Intercept float64 `json:"intercept"`
	// Model is the model's version.
	Model string `json:"model"`
	// Reasons are every feature's part in Score, largest contribution
	// first.
	Reasons []Reason `json:"reasons"`
	// Kinds holds each head's own result.
	Kinds []KindResult `json:"kinds"`
	// Truncated reports that the page was cut at a size cap before
	// analysis; TruncatedBy says which.
	Truncated   bool   `json:"truncated"`
	TruncatedBy string `json:"truncated_by,omitempty"`
	// Index names the story index the page was looked up in; absent when
	// the detector has none.
	Index *IndexInfo `json:"index,omitempty"`
	// Source is the story of the index the page copies, absent when it
	// copies none (or there is no index).
	Source *Source `json:"source,omitempty"`
}

// Flagged reports whether any kind was flagged.
func (v Verdict) Flagged() bool { return len(v.Kind) > 0 }

// KindResult is one head's score on a page.
type KindResult struct {
	Kind        signal.Family `json:"kind"`
	Probability float64       `json:"probability"`
	Score       float64       `json:"score"`
	Threshold   float64       `json:"threshold"`
	// Fired is how many of the head's features support the verdict, and
	// Cues in how many independent places on the page their evidence
	// lies (Model.Support).
	Fired int `json:"fired"`
	Cues  int `json:"cues"`
	// MinCues is how many cues the head needs to flag the page
	// (Head.MinCues).
	MinCues int `json:"min_cues"`
	// Flagged: Probability reaches Threshold and Cues reaches MinCues.
	Flagged bool `json:"flagged"`
}

// Reason is one feature's part in a score.
type Reason struct {
	Feature string  `json:"feature"`
	Value   float64 `json:"value"`
	Weight  float64 `json:"weight"`
	// Contribution is Weight times the standardised value.
	Contribution float64           `json:"contribution"`
	Description  string            `json:"description"`
	Evidence     []signal.Evidence `json:"evidence"`
}

// Score turns the signals of a page into a verdict. Signals must come from
// the detector's extractors, in their order, followed by the source
// features (SourceSignals); without them the page is scored as one
// without a match in the story index.
func (d *Detector) Score(sigs []signal.Signal, p *page.Page) Verdict {
	if n := len(d.catalogue.Extractors()); len(sigs) == n {
		sigs = append(sigs[:n:n], SourceSignals(nil, nil)...)
	}
	m := d.model
	v := Verdict{SchemaVersion: VerdictSchema, Model: m.Version, Kind: []signal.Family{}}
	if p != nil {
		v.Truncated, v.TruncatedBy = p.Truncated, p.TruncatedBy
	}
	type headResult struct {
		res     KindResult
		reasons []Reason
		icpt    float64
	}
	var results []headResult
	values := make([]float64, len(m.Features))
	for i, s := range sigs {
		values[d.index[i]] = s.Value
	}
	places := make([][]Place, len(m.Features))
	for i, ps := range SignalPlaces(sigs, d.derived) {
		places[d.index[i]] = ps
	}
	for _, kind := range m.sortedKinds() {
		h, _ := m.Head(kind)
		contrib, order := m.contributions(h, values)
		// The reasons in the order the score is summed in (Model.Score),
		// so that a reader who adds their contributions to the intercept
		// gets the score exactly.
		reasons := make([]Reason, 0, len(sigs))
		score := h.Intercept
		for _, j := range order {
			s := sigs[d.signalOf[j]]
			reasons = append(reasons, Reason{Feature: s.Name, Value: s.Value, Weight: h.Weights[j], Contribution: contrib[j], Description: s.Description, Evidence: s.Evidence})
			score += contrib[j]
		}
		prob := h.Calibration.Probability(score)
		fired, cues := m.Support(h, values, places)
		res := KindResult{Kind: kind, Probability: prob, Score: score, Threshold: h.Threshold, Fired: fired, Cues: cues, MinCues: h.MinCues, Flagged: h.Flags(prob, cues)}
		results = append(results, headResult{res: res, reasons: reasons, icpt: h.Intercept})
		v.Kinds = append(v.Kinds, res)
	}
	// Primary head: the flagged one with the highest probability, else the
	// most probable one.
	best := -1
	for i, r := range results {
		if r.res.Flagged {
			v.Kind = append(v.Kind, r.res.Kind)
			if best < 0 || !results[best].res.Flagged || r.res.Probability > results[best].res.Probability {
				best = i
			}
		} else if best < 0 || (!results[best].res.Flagged && r.res.Probability > results[best].res.Probability) {
			best = i
		}
	}
	primary := results[best]
	v.Label = LabelAuthentic
	if primary.res.Flagged {
		v.Label = string(primary.res.Kind)
	}
	v.Probability, v.Score, v.Threshold, v.Intercept = primary.res.Probability, primary.res.Score, primary.res.Threshold, primary.icpt
	v.Reasons = primary.reasons
	return v
}

// Weighed reports whether a reason explains the verdict: its feature
// fired (a non-zero value) and the head weighs it (a non-zero weight).
// Features that did not fire contribute a small constant each (their
// weight times the distance of zero from the mean) and explain nothing
// about this page; a feature that fired with no weight in this head moved
// nothing. Every front end lists only these as reasons (the explain
// table, batch records, the API's highlights), and shows a fired
// feature without weight apart, if at all.
func (r Reason) Weighed() bool {
	return r.Value != 0 && r.Weight != 0 && !math.IsNaN(r.Contribution)
}

// TopReasons returns the first n reasons that carry weight (Weighed),
// largest contribution first.
func (v Verdict) TopReasons(n int) []Reason {
	out := []Reason{}
	for _, r := range v.Reasons {
		if len(out) == n {
			break
		}
		if r.Weighed() {
			out = append(out, r)
		}
	}
	return out
}

// Unweighed returns the features that fired but carry no weight in the
// head the verdict reports.
func (v Verdict) Unweighed() []Reason {
	var out []Reason
	for _, r := range v.Reasons {
		if r.Value != 0 && r.Weight == 0 {
			out = append(out, r)
		}
	}
	return out
}

// String summarises the verdict on one line.
func (v Verdict) String() string {
	return fmt.Sprintf("%s (p=%.3f, score %.3f, threshold %.3f, model %s)", v.Label, v.Probability, v.Score, v.Threshold, v.Model)
}

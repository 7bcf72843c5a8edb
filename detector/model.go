// Package detector owns the model file format and scoring: it loads a
// model (a file, or the default embedded in the binary), runs the feature
// extractors over a page, and returns a Verdict whose reasons add up to
// its score.
//
// Scoring is a dot product; this package must not import the training
// code or its fitting library.
package detector

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/repack/repack/features/signal"
)

// FormatVersion is the model file format this package reads and writes.
const FormatVersion = 2

// Model is a trained linear model: one head per kind of spam, each a
// weighted sum of standardised features, a Platt calibration and a
// threshold. The file names its features, so a model and an extractor set
// that disagree are refused instead of mis-scored.
type Model struct {
	FormatVersion int `json:"format_version"`
	// Version names this model ("2026-11-26-3f2a9c1b"): its training date
	// and the start of its content hash.
	Version string `json:"version"`
	// Features are the feature names, in the order of the vectors below.
	Features []string `json:"features"`
	// Means and Scales standardise each feature: z = (x - mean) / scale.
	Means  []float64 `json:"means"`
	Scales []float64 `json:"scales"`
	// Heads are the per-kind linear models.
	Heads []Head `json:"heads"`
	// Training summarises the data and settings the model was fitted on.
	Training json.RawMessage `json:"training,omitempty"`
	// Metrics are the held-out evaluation figures recorded at training.
	Metrics json.RawMessage `json:"metrics,omitempty"`
	// Hash is "sha256:" and the hex digest of the file with this field
	// empty; Load checks it.
	Hash string `json:"hash"`
}

// Head is the linear model for one kind.
type Head struct {
	// Kind is the family this head detects: "repackaged" or "injected".
	Kind signal.Family `json:"kind"`
	// Weights are per standardised feature; a zero weight means unused.
	Weights   []float64 `json:"weights"`
	Intercept float64   `json:"intercept"`
	// Calibration maps the raw score s to a probability
	// 1 / (1 + exp(A*s + B)) (Platt scaling).
	Calibration Platt `json:"calibration"`
	// Threshold is the probability at or above which the page is flagged.
	Threshold float64 `json:"threshold"`
	// MinCues is how many independent cues (places on the page, see
	// Cues) the head's supporting features must show for the head to
	// flag a page, whatever its probability: no single cue decides alone.
	// 0 or 1 sets no such rule.
	MinCues int `json:"min_cues,omitempty"`
}

// SupportShare is the share of the way from an empty page's score (every
// feature zero) to the threshold's score that one feature must move a
// head's score for it to support a verdict: a feature whose contribution
// is negative (a value below its mean) or negligible (a tiny weight) does
// not corroborate anything.
const SupportShare = 0.1

// Support counts what supports head h flagging a page with the given
// feature values and places (both in the model's feature order; places as
// Places returns them): the supporting features, those with a positive
// weight whose contribution is more than SupportShare of the way from an
// empty page's score to the score at the head's threshold, and the
// independent cues their evidence shows (CountCues).
func (m *Model) Support(h Head, values []float64, places [][]Place) (features, cues int) {
	s := m.supporting(h, values)
	return len(s), CountCues(places, s)
}

// supporting returns the indexes of the features of head h that support
// flagging a page with the given values.
func (m *Model) supporting(h Head, values []float64) []int {
	empty := h.Intercept
	for j, w := range h.Weights {
		empty -= w * m.Means[j] / m.Scales[j]
	}
	least := SupportShare * (h.Calibration.Score(h.Threshold) - empty)
	if !(least > 0) {
		least = 0
	}
	var out []int
	for j, w := range h.Weights {
		if w <= 0 || j >= len(values) || values[j] <= 0 {
			continue
		}
		if c := w * (values[j] - m.Means[j]) / m.Scales[j]; c > least {
			out = append(out, j)
		}
	}
	return out
}

// Score returns head h's raw score for a value vector in the model's
// feature order: the intercept plus every feature's contribution (its
// weight times its standardised value), added largest contribution first
// and, among equal ones, by feature name. That is the order a verdict
// lists its reasons in, so that a reader who adds them up gets the score
// exactly; the detector and the training code both score by it.
func (m *Model) Score(h Head, values []float64) float64 {
	contrib, order := m.contributions(h, values)
	s := h.Intercept
	for _, j := range order {
		s += contrib[j]
	}
	return s
}

// contributions returns each feature's contribution to head h's score,
// and the order they are summed in.
func (m *Model) contributions(h Head, values []float64) (contrib []float64, order []int) {
	contrib = make([]float64, len(m.Features))
	order = make([]int, len(m.Features))
	for j := range m.Features {
		contrib[j] = h.Weights[j] * ((values[j] - m.Means[j]) / m.Scales[j])
		order[j] = j
	}
	sort.SliceStable(order, func(a, b int) bool {
		ca, cb := contrib[order[a]], contrib[order[b]]
		if ca != cb {
			return ca > cb
		}
		return m.Features[order[a]] < m.Features[order[b]]
	})
	return contrib, order
}

// Flags reports whether the head flags a page of the given probability
// whose supporting features lie in the given number of independent cues
// (Model.Support): the probability reaches the threshold and enough
// places on the page agree.
func (h Head) Flags(probability float64, cues int) bool {
	return probability >= h.Threshold && cues >= h.MinCues
}

// Platt holds Platt-scaling parameters.
type Platt struct {
	A float64 `json:"a"`
	B float64 `json:"b"`
}

// Probability maps a raw score to a calibrated probability.
func (c Platt) Probability(score float64) float64 {
	return 1 / (1 + math.Exp(c.A*score+c.B))
}

// Score is the raw score at which the calibrated probability is p, the
// inverse of Probability (NaN when A is zero or p is not in (0, 1)).
func (c Platt) Score(p float64) float64 {
	if c.A == 0 || !(p > 0 && p < 1) {
		return math.NaN()
	}
	return (math.Log(1/p-1) - c.B) / c.A
}

//go:embed default_model.json
var defaultModelJSON []byte

//go:embed example/spliced-page.html
var examplePage []byte

// ExampleURL is where the example page would live: a random subdomain of a
// finance-sounding domain, as the network's pages do.
const ExampleURL = "https://mintcove.tidewealth-digest.test/news/5a77e1.html"

// ExamplePage returns the example page embedded in the binary: a page we
// wrote in the network's shape (an invented brand spliced into the
// headline and inside the dateline of an invented wire story, a fake date,
// a "View" byline, a counter, unrelated lists), for `repack score
// --example` and the demo.
func ExamplePage() []byte { return append([]byte(nil), examplePage...) }

// DefaultModel returns the model embedded in the binary, validated
// against the extractors in use.
func DefaultModel() (*Model, error) {
	m, err := ParseModel(defaultModelJSON)
	if err != nil {
		return nil, fmt.Errorf("embedded default model: %w", err)
	}
	return m, nil
}

// LoadModel reads and validates a model file.
func LoadModel(path string) (*Model, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("model file: %w", err)
	}
	m, err := ParseModel(b)
	if err != nil {
		return nil, fmt.Errorf("model file %s: %w", path, err)
	}
	return m, nil
}

// ParseModel decodes and validates a model file's bytes: format version,
// vector lengths, hash, and that its features are exactly the extractors
// in use.
func ParseModel(b []byte) (*Model, error) {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	var m Model
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("not a repack model file: %w", err)
	}
	if m.FormatVersion != FormatVersion {
		return nil, fmt.Errorf("model format version %d, this repack reads version %d", m.FormatVersion, FormatVersion)
	}
	if err := m.validateShape(); err != nil {
		return nil, err
	}
	if want, err := m.ContentHash(); err != nil {
		return nil, err
	} else if m.Hash != want {
		return nil, fmt.Errorf("model hash %q does not match its content (%s): the file was edited or corrupted", m.Hash, want)
	}
	return &m, nil
}

func (m *Model) validateShape() error {
	n := len(m.Features)
	if n == 0 {
		return errors.New("model names no features")
	}
	if len(m.Means) != n || len(m.Scales) != n {
		return fmt.Errorf("model has %d features but %d means and %d scales", n, len(m.Means), len(m.Scales))
	}
	seen := map[string]bool{}
	for i, f := range m.Features {
		if seen[f] {
			return fmt.Errorf("model names feature %q twice", f)
		}
		seen[f] = true
		if !(m.Scales[i] > 0) || math.IsInf(m.Scales[i], 0) || math.IsNaN(m.Means[i]) {
			return fmt.Errorf("model feature %q has invalid standardisation (mean %v, scale %v)", f, m.Means[i], m.Scales[i])
		}
	}
	if len(m.Heads) == 0 {
		return errors.New("model has no heads")
	}
	kinds := map[signal.Family]bool{}
	for _, h := range m.Heads {
		if h.Kind != signal.Repackaged && h.Kind != signal.Injected {
			return fmt.Errorf("model head of unknown kind %q", h.Kind)
		}
		if kinds[h.Kind] {
			return fmt.Errorf("model has two %q heads", h.Kind)
		}
		kinds[h.Kind] = true
		if len(h.Weights) != n {
			return fmt.Errorf("model head %q has %d weights for %d features", h.Kind, len(h.Weights), n)
		}
		for i, w := range h.Weights {
			if math.IsNaN(w) || math.IsInf(w, 0) {
				return fmt.Errorf("model head %q weight of %q is %v", h.Kind, m.Features[i], w)
			}
		}
		if !(h.Threshold > 0 && h.Threshold < 1) {
			return fmt.Errorf("model head %q threshold %v is not a probability in (0, 1)", h.Kind, h.Threshold)
		}
		if h.MinCues < 0 || h.MinCues > n {
			return fmt.Errorf("model head %q min_cues %d is not between 0 and the %d features", h.Kind, h.MinCues, n)
		}
	}
	return nil
}

// CheckFeatures refuses a model whose features are not exactly the given
// extractor names: a missing feature would silently score as zero, an
// extra one could not be computed.
func (m *Model) CheckFeatures(names []string) error {
	have := map[string]bool{}
	for _, f := range m.Features {
		have[f] = true
	}
	want := map[string]bool{}
	var missing, unknown []string
	for _, n := range names {
		want[n] = true
		if !have[n] {
			missing = append(missing, n)
		}
	}
	for _, f := range m.Features {
		if !want[f] {
			unknown = append(unknown, f)
		}
	}
	if len(missing) == 0 && len(unknown) == 0 {
		return nil
	}
	var parts []string
	if len(missing) > 0 {
		parts = append(parts, "lacks features the extractors produce: "+strings.Join(missing, ", "))
	}
	if len(unknown) > 0 {
		parts = append(parts, "names features no extractor produces: "+strings.Join(unknown, ", "))
	}
	return fmt.Errorf("model %s %s; retrain it with this version of repack", m.Version, strings.Join(parts, "; "))
}

// Head returns the head for a kind.
func (m *Model) Head(kind signal.Family) (Head, bool) {
	for _, h := range m.Heads {
		if h.Kind == kind {
			return h, true
		}
	}
	return Head{}, false
}

// ContentHash returns the "sha256:..." digest of the model's canonical
// encoding with Hash empty.
func (m *Model) ContentHash() (string, error) {
	c := *m
	c.Hash = ""
	b, err := c.encode()
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(b)
	return "sha256:" + hex.EncodeToString(sum[:]), nil
}

// Seal sets Hash from the content. Call it after the last change.
func (m *Model) Seal() error {
	h, err := m.ContentHash()
	if err != nil {
		return err
	}
	m.Hash = h
	return nil
}

// Encode returns the model file's bytes: indented JSON, fields in a fixed
// order, so that the same model is the same file byte for byte.
func (m *Model) Encode() ([]byte, error) {
	return m.encode()
}

func (m *Model) encode() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode model: %w", err)
	}
	return buf.Bytes(), nil
}

// FeatureWeights returns, for the catalogue, every feature's weight per
// head (weights apply to standardised values).
func (m *Model) FeatureWeights() map[string]map[signal.Family]float64 {
	out := map[string]map[signal.Family]float64{}
	for i, f := range m.Features {
		out[f] = map[signal.Family]float64{}
		for _, h := range m.Heads {
			out[f][h.Kind] = h.Weights[i]
		}
	}
	return out
}

// sortedKinds returns the model's head kinds in a fixed order.
func (m *Model) sortedKinds() []signal.Family {
	var ks []signal.Family
	for _, h := range m.Heads {
		ks = append(ks, h.Kind)
	}
	sort.Slice(ks, func(i, j int) bool { return ks[i] < ks[j] })
	return ks
}

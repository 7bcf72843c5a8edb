package detector

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/repack/repack/features"
	"github.com/repack/repack/features/fixture"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func defaultDetector(t *testing.T) *Detector {
	t.Helper()
	d, err := NewDefault()
	require.NoError(t, err, "the embedded model must match the extractors: retrain it when they change")
	return d
}

// pages are the fixture pages: ours, in testdata.
var pages = []struct {
	name, file, url string
	format          page.Format
	flagged         bool
}{
	{"spliced html (the embedded example)", "../example/spliced-page.html", ExampleURL, page.FormatAuto, true},
	{"spliced text", "spliced-page.txt", "", page.FormatText, true},
	{"member station", "member-page.html", "https://www.wkgn.example/news/2024/02/06/ferry-fares", page.FormatAuto, false},
}

func analyze(t *testing.T, d *Detector, file, url string, format page.Format) *Analysis {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	require.NoError(t, err)
	a, err := d.Analyze(context.Background(), Input{Body: b, URL: url, Format: format})
	require.NoError(t, err)
	return a
}

// TestReasonsAddUpToScore checks what the verdict promises: the intercept
// plus the contributions, summed in the order listed, is the score,
// exactly, and each contribution is its weight times the standardised
// value.
func TestReasonsAddUpToScore(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	m := d.Model()
	for _, tc := range pages {
		t.Run(tc.name, func(t *testing.T) {
			v := analyze(t, d, tc.file, tc.url, tc.format).Verdict
			sum := v.Intercept
			for _, r := range v.Reasons {
				sum += r.Contribution
			}
			assert.Equal(t, v.Score, sum, "intercept + contributions must equal the score exactly")
			assert.Len(t, v.Reasons, len(m.Features), "every feature is a reason")
			for i, r := range v.Reasons {
				j := indexOf(m.Features, r.Feature)
				require.GreaterOrEqual(t, j, 0)
				z := (r.Value - m.Means[j]) / m.Scales[j]
				assert.Equal(t, r.Weight*z, r.Contribution, r.Feature)
				if i > 0 {
					assert.GreaterOrEqual(t, v.Reasons[i-1].Contribution, r.Contribution, "sorted by contribution")
				}
				if r.Value != 0 {
					assert.NotEmpty(t, r.Evidence, "%s fired without evidence", r.Feature)
				}
			}
			assert.Equal(t, tc.flagged, v.Flagged(), "verdict %s", v)
		})
	}
}

func indexOf(xs []string, x string) int {
	for i, s := range xs {
		if s == x {
			return i
		}
	}
	return -1
}

func TestVerdictIsDeterministicAndNamesItsFields(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	a := analyze(t, d, pages[0].file, pages[0].url, page.FormatAuto)
	b := analyze(t, d, pages[0].file, pages[0].url, page.FormatAuto)
	ja, err := json.Marshal(a.Verdict)
	require.NoError(t, err)
	jb, err := json.Marshal(b.Verdict)
	require.NoError(t, err)
	assert.Equal(t, string(ja), string(jb))

	var generic map[string]any
	require.NoError(t, json.Unmarshal(ja, &generic))
	for _, k := range []string{"label", "kind", "probability", "score", "threshold", "intercept", "model", "reasons", "kinds", "truncated"} {
		assert.Contains(t, generic, k)
	}
	reason := generic["reasons"].([]any)[0].(map[string]any)
	for _, k := range []string{"feature", "value", "weight", "contribution", "description", "evidence"} {
		assert.Contains(t, reason, k)
	}
}

// TestGoldenVerdicts pins the verdicts of the fixtures (go test -update
// rewrites them after a model change; review the diff).
func TestGoldenVerdicts(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	for _, tc := range pages {
		t.Run(tc.name, func(t *testing.T) {
			v := analyze(t, d, tc.file, tc.url, tc.format).Verdict
			got, err := json.MarshalIndent(v, "", "  ")
			require.NoError(t, err)
			got = append(got, '\n')
			base := filepath.Base(tc.file)
			fixture.Golden(t, filepath.Join("testdata", "golden", strings.TrimSuffix(base, filepath.Ext(base))+"-"+filepath.Ext(base)[1:]+".json"), got)
		})
	}
}

func TestTopReasonsListsOnlyFiredFeatures(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	v := analyze(t, d, pages[0].file, pages[0].url, page.FormatAuto).Verdict
	top := v.TopReasons(3)
	require.Len(t, top, 3)
	for _, r := range top {
		assert.NotZero(t, r.Value)
	}
	quiet := analyze(t, d, "member-page.html", pages[2].url, page.FormatAuto).Verdict
	assert.Empty(t, quiet.TopReasons(5), "nothing fired on the member station's page")
}

func TestAnalyzeRefusesUnreadableInput(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	_, err := d.Analyze(context.Background(), Input{Body: []byte("   ")})
	assert.ErrorIs(t, err, page.ErrEmpty)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = d.Analyze(ctx, Input{Body: []byte("<p>x</p>")})
	assert.ErrorIs(t, err, context.Canceled)
}

// validModel returns a small, sealed model over the extractors in use.
func validModel(t *testing.T) *Model {
	t.Helper()
	names := featureNames(t)
	m := &Model{FormatVersion: FormatVersion, Version: "test", Features: names}
	w := make([]float64, len(names))
	for i := range names {
		m.Means = append(m.Means, 0)
		m.Scales = append(m.Scales, 1)
		w[i] = 0.1
	}
	m.Heads = []Head{{Kind: signal.Repackaged, Weights: w, Intercept: -1, Calibration: Platt{A: -2, B: 0}, Threshold: 0.5}}
	require.NoError(t, m.Seal())
	return m
}

func encode(t *testing.T, m *Model) []byte {
	t.Helper()
	b, err := m.Encode()
	require.NoError(t, err)
	return b
}

func TestParseModelRefusesBadFiles(t *testing.T) {
	t.Parallel()
	resealed := func(edit func(*Model)) []byte {
		m := validModel(t)
		edit(m)
		require.NoError(t, m.Seal())
		return encode(t, m)
	}
	tampered := bytes.Replace(encode(t, validModel(t)), []byte(`"intercept": -1`), []byte(`"intercept": -0.5`), 1)
	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"not JSON", []byte("weights: 1"), "not a repack model file"},
		{"unknown field", []byte(`{"format_version":1,"surprise":true}`), "not a repack model file"},
		{"other format version", resealed(func(m *Model) { m.FormatVersion = FormatVersion + 1 }), fmt.Sprintf("format version %d", FormatVersion+1)},
		{"edited after sealing", tampered, "does not match its content"},
		{"no features", resealed(func(m *Model) { m.Features, m.Means, m.Scales = nil, nil, nil; m.Heads[0].Weights = nil }), "no features"},
		{"vector lengths", resealed(func(m *Model) { m.Means = m.Means[1:] }), "means"},
		{"duplicate feature", resealed(func(m *Model) { m.Features[1] = m.Features[0] }), "twice"},
		{"zero scale", resealed(func(m *Model) { m.Scales[0] = 0 }), "invalid standardisation"},
		// JSON has no NaN or infinity; a number out of range is refused.
		{"weight out of range", bytes.Replace(encode(t, validModel(t)), []byte("0.1,"), []byte("1e999,"), 1), "not a repack model file"},
		{"threshold not a probability", resealed(func(m *Model) { m.Heads[0].Threshold = 1.5 }), "threshold"},
		{"min_cues out of range", resealed(func(m *Model) { m.Heads[0].MinCues = -1 }), "min_cues"},
		{"unknown head", resealed(func(m *Model) { m.Heads[0].Kind = "phishing" }), "unknown kind"},
		{"no heads", resealed(func(m *Model) { m.Heads = nil }), "no heads"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseModel(tc.file)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	_, err := ParseModel(encode(t, validModel(t)))
	assert.NoError(t, err, "the valid model parses")
}

func TestNewRefusesAModelThatDisagreesWithTheExtractors(t *testing.T) {
	t.Parallel()
	lacking := validModel(t)
	lacking.Features = lacking.Features[1:]
	lacking.Means, lacking.Scales = lacking.Means[1:], lacking.Scales[1:]
	lacking.Heads[0].Weights = lacking.Heads[0].Weights[1:]
	_, err := New(lacking)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "lacks features the extractors produce: "+featureNames(t)[0])

	extra := validModel(t)
	extra.Features = append(extra.Features, "retired_feature")
	extra.Means, extra.Scales = append(extra.Means, 0), append(extra.Scales, 1)
	extra.Heads[0].Weights = append(extra.Heads[0].Weights, 1)
	_, err = New(extra)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "names features no extractor produces: retired_feature")

	// Order does not matter: the detector maps features by name.
	shuffled := validModel(t)
	sort.Sort(sort.Reverse(sort.StringSlice(shuffled.Features)))
	_, err = New(shuffled)
	assert.NoError(t, err)
}

func TestLoadModelNamesTheFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "old.json")
	m := validModel(t)
	m.FormatVersion = 0
	require.NoError(t, m.Seal())
	require.NoError(t, os.WriteFile(bad, encode(t, m), 0o644))
	_, err := LoadModel(bad)
	require.Error(t, err)
	assert.Contains(t, err.Error(), bad)

	_, err = LoadModel(filepath.Join(dir, "missing.json"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing.json")

	good := filepath.Join(dir, "good.json")
	require.NoError(t, os.WriteFile(good, encode(t, validModel(t)), 0o644))
	loaded, err := LoadModel(good)
	require.NoError(t, err)
	assert.Equal(t, "test", loaded.Version)
}

func TestModelEncodingIsStable(t *testing.T) {
	t.Parallel()
	a, b := encode(t, validModel(t)), encode(t, validModel(t))
	assert.Equal(t, a, b)
	m, err := ParseModel(a)
	require.NoError(t, err)
	assert.Equal(t, a, encode(t, m), "decode then encode gives the same bytes")
}

func TestExamplePageIsFlagged(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	a, err := d.Analyze(context.Background(), Input{Body: ExamplePage(), URL: ExampleURL})
	require.NoError(t, err)
	assert.Equal(t, string(signal.Repackaged), a.Verdict.Label)
}

func TestPlatt(t *testing.T) {
	t.Parallel()
	c := Platt{A: -2, B: 1}
	assert.InDelta(t, 0.5, c.Probability(0.5), 1e-12)
	assert.Greater(t, c.Probability(3), c.Probability(1), "monotone")
	for _, s := range []float64{-2, 0.5, 3} {
		assert.InDelta(t, s, c.Score(c.Probability(s)), 1e-9, "Score inverts Probability")
	}
	assert.True(t, math.IsNaN(c.Score(1)), "no score has probability 1")
}

// TestNoSingleCueFlags: a head with MinCues 2 does not flag a page on
// which one cue supports the verdict, however strongly, and flags it once
// a second, independent one agrees; two features whose evidence lies in
// one place are one cue, and a feature below its mean or of negligible
// weight does not count. The model lists its features in another order
// than the extractors, with non-zero means, so that an index mix-up shows.
func TestNoSingleCueFlags(t *testing.T) {
	t.Parallel()
	names := featureNames(t)
	m := &Model{FormatVersion: FormatVersion, Version: "test"}
	for i := len(names) - 1; i >= 0; i-- { // reversed
		m.Features = append(m.Features, names[i])
		m.Means = append(m.Means, 0.5)
		m.Scales = append(m.Scales, 1)
	}
	w := make([]float64, len(names))
	strong1, strong2 := indexOf(m.Features, "title_site_mismatch"), indexOf(m.Features, "byline_anomaly")
	tiny, stale := indexOf(m.Features, "lead_weekday_mismatch"), indexOf(m.Features, "stale_story_date")
	w[strong1], w[strong2], w[tiny], w[stale] = 10, 10, 0.001, 10
	m.Means[stale] = 100 // a value of 1 is far below it
	// Platt A=-1, B=0: probability 0.5 at score 0. The empty page scores
	// 1005 - 10x0.5 - 10x0.5 - 10x100 - 0.001x0.5 = -5.0005, so a feature
	// must add half a point to count; one strong feature adds 10.
	m.Heads = []Head{{Kind: signal.Repackaged, Weights: w, Calibration: Platt{A: -1}, Threshold: 0.5, MinCues: 2, Intercept: 1005}}
	require.NoError(t, m.Seal())
	d, err := New(m)
	require.NoError(t, err)

	value := map[string]float64{}
	// Evidence: the title's site name, a byline, and a byline span that
	// overlaps the first byline's.
	at := func(start, end int) []signal.Evidence {
		return []signal.Evidence{{Field: signal.FieldText, Start: start, End: end}}
	}
	evidence := map[string][]signal.Evidence{"title_site_mismatch": at(0, 10), "byline_anomaly": at(20, 30), "stale_story_date": at(40, 50), "lead_weekday_mismatch": at(60, 70)}
	tests := []struct {
		name        string
		fire        map[string]float64
		moved       map[string][]signal.Evidence
		fired, cues int
		flagged     bool
	}{
		{"one feature alone", map[string]float64{"title_site_mismatch": 1}, nil, 1, 1, false},
		{"with one below its mean and one of no weight", map[string]float64{"title_site_mismatch": 1, "stale_story_date": 1, "lead_weekday_mismatch": 1}, nil, 1, 1, false},
		{"two agree in one place", map[string]float64{"title_site_mismatch": 1, "byline_anomaly": 1}, map[string][]signal.Evidence{"byline_anomaly": at(5, 15)}, 2, 1, false},
		{"two agree in two places", map[string]float64{"title_site_mismatch": 1, "byline_anomaly": 1}, nil, 2, 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sigs := make([]signal.Signal, len(names))
			for i, n := range names {
				sigs[i] = signal.Signal{Name: n, Value: value[n] + tt.fire[n]}
				if tt.fire[n] != 0 {
					sigs[i].Evidence = evidence[n]
					if ev, ok := tt.moved[n]; ok {
						sigs[i].Evidence = ev
					}
				}
			}
			v := d.Score(sigs, nil)
			require.Len(t, v.Kinds, 1)
			k := v.Kinds[0]
			assert.Equal(t, tt.fired, k.Fired)
			assert.Equal(t, tt.cues, k.Cues)
			assert.Equal(t, 2, k.MinCues)
			assert.Equal(t, tt.flagged, k.Flagged)
			assert.GreaterOrEqual(t, k.Probability, k.Threshold, "the probability alone would flag it")
			if !tt.flagged {
				assert.Equal(t, LabelAuthentic, v.Label)
			}
		})
	}
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
	return FeatureNames(c)
}

func TestProbabilityText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		p    float64
		want string
	}{
		{0, "< 0.001"}, {0.0004, "< 0.001"}, {0.001, "0.001"}, {0.5, "0.500"},
		{0.9984, "0.998"}, {0.999, "> 0.999"}, {0.99999999, "> 0.999"}, {1, "> 0.999"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ProbabilityText(tt.p), "%v", tt.p)
	}
}

func TestTimeLimit(t *testing.T) {
	t.Parallel()
	d, err := NewDefault()
	require.NoError(t, err)
	in := Input{Body: ExamplePage(), URL: ExampleURL}
	ctx, cancel := WithTimeLimit(context.Background(), time.Nanosecond)
	defer cancel()
	_, err = d.Analyze(ctx, in)
	var tle *TimeLimitError
	require.ErrorAs(t, err, &tle)
	assert.Equal(t, time.Nanosecond, tle.Limit)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "time limit of 1ns")

	ctx, cancel = WithTimeLimit(context.Background(), time.Minute)
	defer cancel()
	a, err := d.Analyze(ctx, in)
	require.NoError(t, err, "a page well within the limit is analysed")
	assert.True(t, a.Verdict.Flagged())

	ctx, cancel = context.WithCancel(context.Background())
	cancel()
	_, err = d.Analyze(ctx, in)
	assert.ErrorIs(t, err, context.Canceled, "a cancelled context is no time limit")
}

package detector

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/corpus/synth"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/repack/repack/features/source"
)

// raceFactor is k under the race detector, whose tenfold cost makes the
// corpus tests score a sample, and 1 otherwise: the race detector's run
// checks the code paths, the plain run the figures.
func raceFactor(k int) int {
	if raceEnabled {
		return k
	}
	return 1
}

// raceSample returns every raceFactor(k)-th document.
func raceSample(docs []corpus.Document, k int) []corpus.Document {
	var out []corpus.Document
	for i := 0; i < len(docs); i += raceFactor(k) {
		out = append(out, docs[i])
	}
	return out
}

// synthesise runs repack synth with seed over the shared authentic pages
// (every raceFactor(k)-th under the race detector).
func synthesise(t *testing.T, seed uint64, k int, o synth.GenerateOptions) []corpus.Document {
	t.Helper()
	return synthesiseWith(t, synth.DefaultOptions(seed), k, o)
}

// synthesiseWith is synthesise with the generator's options.
func synthesiseWith(t *testing.T, opts synth.Options, k int, o synth.GenerateOptions) []corpus.Document {
	t.Helper()
	ctx := context.Background()
	docs := raceSample(corpus.ReadAll(ctx, []string{sharedtest.Dir(t, "corpus/authentic")}, corpus.Options{}), k)
	stories, _, err := synth.Stories(ctx, docs, 0, nil)
	require.NoError(t, err)
	gen, err := synth.New(opts)
	require.NoError(t, err)
	out, err := gen.Generate(ctx, stories, synth.NewPool(stories), o)
	require.NoError(t, err)
	return out
}

// spanScore counts the non-space bytes of a page's text that are
// inserted in truth (the synthesiser's recorded splices) and as found
// (the match's insertions into the story's text), and both.
type spanScore struct {
	copies, found, wrong  int
	truth, predicted, hit int
}

func (s *spanScore) add(o spanScore) {
	s.copies += o.copies
	s.found += o.found
	s.wrong += o.wrong
	s.truth += o.truth
	s.predicted += o.predicted
	s.hit += o.hit
}

func (s spanScore) recall() float64    { return ratio(s.hit, s.truth) }
func (s spanScore) precision() float64 { return ratio(s.hit, s.predicted) }
func (s spanScore) foundRate() float64 { return ratio(s.found, s.copies) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// recordedSplices marks the bytes of text the synthesiser recorded as
// inserted into the story's lines (Meta synth.splices), found by their
// context; splices the text does not show (a headline a capture left
// out) mark nothing.
func recordedSplices(meta map[string]any, text string) []bool {
	truth := make([]bool, len(text))
	splices, _ := meta["splices"].([]any)
	for _, x := range splices {
		sp, _ := x.(map[string]any)
		before, _ := sp["before"].(string)
		ins, _ := sp["text"].(string)
		after, _ := sp["after"].(string)
		// Context across a line break is not on the inserted text's line.
		if i := strings.LastIndexByte(before, '\n'); i >= 0 {
			before = before[i+1:]
		}
		if i := strings.IndexByte(after, '\n'); i >= 0 {
			after = after[:i]
		}
		needle := before + ins + after
		for off := 0; ; {
			i := strings.Index(text[off:], needle)
			if i < 0 {
				break
			}
			s := off + i + len(before)
			for j := s; j < s+len(ins); j++ {
				truth[j] = true
			}
			off = s + len(ins)
		}
	}
	return truth
}

// scoreCopy matches one synthetic copy and scores its inserted spans.
func scoreCopy(t *testing.T, ix *source.Index, d corpus.Document) (spanScore, string) {
	meta, _ := d.Meta["synth"].(map[string]any)
	srcID, _ := meta["source_id"].(string)
	in := InputOf(d)
	p, err := page.Parse(in.Body, page.Options{Format: in.Format, URL: in.URL})
	if !assert.NoError(t, err, d.ID) {
		return spanScore{copies: 1}, "unreadable"
	}
	slice, _ := meta["rendering"].(string)
	if start, ok := meta["text_start"].(string); ok {
		slice += "/" + start
	}
	sc := spanScore{copies: 1}
	m := ix.Match(context.Background(), p)
	switch {
	case m == nil:
		return sc, slice
	case m.Story.ID != srcID:
		sc.wrong++
		return sc, slice
	}
	sc.found++
	truth := recordedSplices(meta, p.Text)
	predicted := make([]bool, len(p.Text))
	for _, ins := range m.Inserted {
		if ins.InSentence {
			for j := ins.Start; j < ins.End; j++ {
				predicted[j] = true
			}
		}
	}
	for j := range p.Text {
		if c := p.Text[j]; c == ' ' || c == '\n' || c == '\t' {
			continue
		}
		if truth[j] {
			sc.truth++
		}
		if predicted[j] {
			sc.predicted++
		}
		if truth[j] && predicted[j] {
			sc.hit++
		}
	}
	return sc, slice
}

// TestSyntheticCopiesFoundWithTheirInsertedSpans: copies the synthesiser
// made of the shared authentic pages (held out: no rule of the index was
// shaped on them) are matched against an index of both authentic corpora.
// Each copy must find the page it was made from, and its inserted spans
// are scored byte by byte against the splices the synthesiser recorded.
// The targets are found >= 0.99 and precision and recall >= 0.95;
// the floors below are what the index reaches today (docs/index.md), so
// that a change that loses ground fails.
func TestSyntheticCopiesFoundWithTheirInsertedSpans(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of the shared corpora and a synthetic corpus")
	}
	ctx := context.Background()
	authentic := sharedtest.Dir(t, "corpus/authentic")
	ix := sharedIndex(t)
	// The network's copies only: their splices are recorded; other
	// operators' copies insert whole lines, which this does not score.
	opts := synth.DefaultOptions(7)
	opts.OperatorShare, opts.SpinShare = 0, 0
	copies := synthesiseWith(t, opts, 3, synth.GenerateOptions{PerSource: 1})
	require.Greater(t, len(copies), 300/raceFactor(3))

	scores, names := make([]spanScore, len(copies)), make([]string, len(copies))
	require.NoError(t, corpus.ForEach(ctx, len(copies), 0, func(i int) {
		scores[i], names[i] = scoreCopy(t, ix, copies[i])
	}, nil))
	var all spanScore
	slices := map[string]*spanScore{}
	for i, sc := range scores {
		slice := names[i]
		all.add(sc)
		if slices[slice] == nil {
			slices[slice] = &spanScore{}
		}
		slices[slice].add(sc)
	}
	keys := make([]string, 0, len(slices))
	for k := range slices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	fmt.Fprintf(&b, "%-14s %6s %6s %6s %9s %9s\n", "rendering", "copies", "found", "wrong", "precision", "recall")
	for _, k := range append(keys, "all") {
		s := all
		if k != "all" {
			s = *slices[k]
		}
		fmt.Fprintf(&b, "%-14s %6d %6.3f %6d %9.3f %9.3f\n", k, s.copies, s.foundRate(), s.wrong, s.precision(), s.recall())
	}
	t.Logf("synthetic copies of %s against an index of %d stories:\n%s", authentic, ix.Len(), b.String())

	assert.GreaterOrEqual(t, all.foundRate(), 0.97, "copies that find the page they were made from")
	assert.LessOrEqual(t, all.wrong, 3, "copies matched to another story")
	assert.GreaterOrEqual(t, all.precision(), 0.95, "inserted bytes that the synthesiser inserted")
	assert.GreaterOrEqual(t, all.recall(), 0.90, "bytes the synthesiser inserted that are found inserted")
	if lead := slices[synth.RenderText+"/"+synth.StartLead]; assert.NotNil(t, lead, "text captures that start at the lead") {
		assert.GreaterOrEqual(t, lead.foundRate(), 0.9)
		assert.GreaterOrEqual(t, lead.recall(), 0.85, "the brand glued into a headless capture's first words")
	}
}

// TestCarriersOfIndexedStoriesStayAuthentic: carriers (trimmed, later
// versions, caption-only credits; repack synth's hard negatives on
// another site) of the shared authentic pages, looked up in an index that
// holds their originals, are found to carry them, keep every credit they
// have, and keep the verdict they get without the index: carrying a
// story is no evidence of spam.
func TestCarriersOfIndexedStoriesStayAuthentic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of the shared corpora and a synthetic corpus")
	}
	ix := sharedIndex(t)
	out := synthesise(t, 13, 4, synth.GenerateOptions{HardNegatives: 2})
	var carriers []corpus.Document
	for _, d := range out {
		if m, _ := d.Meta["synth"].(map[string]any); d.Label == corpus.Authentic && m["carrier_url"] != nil {
			carriers = append(carriers, d)
		}
	}
	plain, err := NewDefault()
	require.NoError(t, err)
	indexed := plain.WithIndex(ix)
	found, n := map[string]int{}, map[string]int{}
	spliced, matched := 0, 0
	for _, d := range carriers {
		looks := d.Meta["synth"].(map[string]any)["lookalikes"].([]string)
		a := analyzeDoc(t, indexed, d)
		b := analyzeDoc(t, plain, d)
		if !assert.Equal(t, b.Verdict.Label, a.Verdict.Label, "%s: the index changed the verdict", d.ID) {
			for _, r := range a.Verdict.TopReasons(8) {
				t.Logf("  %s %.2f %+.2f %v", r.Feature, r.Value, r.Contribution, r.Evidence)
			}
			t.Logf("  %+v %v", a.Verdict.Kinds, looks)
		}
		for _, look := range looks {
			if slices.Contains(synth.Carriers, look) {
				n[look]++
				if a.Verdict.Source != nil {
					found[look]++
				}
			}
		}
		meta := d.Meta["synth"].(map[string]any)
		if s := a.Verdict.Source; s != nil {
			matched++
			for _, f := range s.Features {
				if f.Name == source.InsertedSpans.Name && slices.ContainsFunc(f.Evidence, func(ev signal.Evidence) bool { return strings.Contains(ev.Note, "into a sentence") }) {
					spliced++
					break
				}
			}
		}
		// A text capture keeps no meta author, and may start below the
		// byline: only the HTML page keeps every credit.
		if s := a.Verdict.Source; s != nil && meta["rendering"] == synth.RenderHTML && !slices.Contains(looks, synth.LookCaptionCredit) {
			assert.False(t, s.CreditDropped, "%s: a carrier that kept its credits dropped %v", d.ID, s.Credits)
		}
	}
	t.Logf("%d of %d carriers found have an insertion into a sentence of the original", spliced, matched)
	for _, look := range synth.Carriers {
		t.Logf("%s: %d of %d found carrying their original", look, found[look], n[look])
		if assert.Positive(t, n[look], look) {
			assert.GreaterOrEqual(t, float64(found[look])/float64(n[look]), 0.8, look)
		}
	}
}

// TestLeadStartCapturesFlaggedWithTheirOriginal: text captures that
// start at the lead keep no headline, byline or template, and the page's
// own features catch few of them; with their original indexed, the name
// glued into the lead is an insertion the original witnesses, which the
// model weighs. Scored with the default model, which was trained on other
// copies of the same pages (seed 1, half the publishers looked up), so
// this guards the behaviour; the held-out figure is docs/evaluation.md's.
func TestLeadStartCapturesFlaggedWithTheirOriginal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of the shared corpora and a synthetic corpus")
	}
	opts := synth.DefaultOptions(21)
	opts.TextShare, opts.SpinShare = 1, 0
	var leads []corpus.Document
	for _, d := range synthesiseWith(t, opts, 3, synth.GenerateOptions{PerSource: 1}) {
		if m, _ := d.Meta["synth"].(map[string]any); m["text_start"] == synth.StartLead {
			leads = append(leads, d)
		}
	}
	require.Greater(t, len(leads), 80/raceFactor(3))
	plain, err := NewDefault()
	require.NoError(t, err)
	indexed := plain.WithIndex(sharedIndex(t))
	flagged, flaggedPlain, withSource := 0, 0, 0
	for _, d := range leads {
		a := analyzeDoc(t, indexed, d)
		if a.Verdict.Flagged() {
			flagged++
			assert.NotEmpty(t, a.Verdict.TopReasons(1)[0].Evidence, "%s: a verdict without evidence", d.ID)
		}
		if a.Verdict.Source != nil {
			withSource++
		}
		if analyzeDoc(t, plain, d).Verdict.Flagged() {
			flaggedPlain++
		}
	}
	n := float64(len(leads))
	t.Logf("%d lead-start captures: %d found their original; flagged %d with the index, %d without", len(leads), withSource, flagged, flaggedPlain)
	assert.GreaterOrEqual(t, float64(withSource)/n, 0.9, "captures that find their original")
	assert.GreaterOrEqual(t, float64(flagged)/n, 0.75, "captures flagged with their original indexed")
	assert.Greater(t, flagged, flaggedPlain+len(leads)/7, "the index must add what the page alone does not show")
}

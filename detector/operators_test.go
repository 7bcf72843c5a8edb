package detector

import (
	"context"
	"slices"
	"testing"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/corpus/synth"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// operatorCues are the features of issue 16: the cues of other
// operators' copies.
var operatorCues = []string{"scraper_boilerplate", "foreign_publisher_line", "site_trade_mismatch", "copy_artefacts"}

// TestOtherOperatorsPages scores the nine real pages of
// ../shared/examples/other-operators with the default model and no index.
// No weight was fitted on them, but the rules of issue 16's extractors
// were taught by them (each rule names its page), so this is a guard, not
// a held-out figure: the originals stay authentic, the three copies that
// show two cues or more are flagged with an operator's cue among their
// reasons, and every page's verdict and cues are logged (the closing note
// reports them).
func TestOtherOperatorsPages(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	flagged := map[string]bool{}
	for _, path := range sharedtest.Glob(t, "examples/other-operators/0*.txt") {
		doc := readExample(t, path)
		a, err := d.Analyze(context.Background(), InputOf(doc))
		require.NoError(t, err, doc.ID)
		var cues []string
		for _, r := range a.Verdict.Reasons {
			if r.Value != 0 && r.Weight > 0 {
				cues = append(cues, r.Feature)
			}
		}
		t.Logf("%s: %s p=%.3f cues %v", doc.ID, a.Verdict.Label, a.Verdict.Probability, cues)
		flagged[doc.ID] = a.Verdict.Flagged()
		if slices.Contains([]string{"009-copy.txt", "012-copy.txt", "032-copy.txt"}, doc.ID) {
			assert.Equal(t, "repackaged", a.Verdict.Label, doc.ID)
			assert.True(t, slices.ContainsFunc(cues, func(c string) bool { return slices.Contains(operatorCues, c) }), "%s flagged without an operator's cue: %v", doc.ID, cues)
		}
	}
	require.Len(t, flagged, 9, "the nine pages of other-operators/")
	assert.False(t, flagged["010-original.txt"], "an original flagged")
	assert.False(t, flagged["028-original.txt"], "an original flagged")
}

// TestOperatorCopiesAndTheirLookAlikes generates other operators' copies
// and hard negatives of a seed the model was not trained on (17; the
// model's data are seed 1's, from the same authentic pages, so this is a
// guard, not a held-out figure: docs/evaluation.md's leave-one-out of
// synth.family is) and scores them without an index: most copies of each
// family are flagged, and the hard negatives that carry issue 16's
// look-alikes (licensed syndication, a blog's Read more, the site's own
// Read more, an ad label, a specialist's site) stay within 0.5%.
func TestOperatorCopiesAndTheirLookAlikes(t *testing.T) {
	t.Parallel()
	opts := synth.DefaultOptions(17)
	opts.OperatorShare = 1
	docs := synthesiseWith(t, opts, 2, synth.GenerateOptions{PerSource: 1, HardNegatives: 1})
	d := defaultDetector(t)
	type tally struct{ n, flagged int }
	byFamily := map[string]*tally{}
	var looks tally
	newLooks := []string{synth.LookLicensedSyndication, synth.LookBlogQuote, synth.LookOwnReadMore, synth.LookAdLabel, synth.LookSpecialistHost}
	for _, doc := range docs {
		m := doc.Meta["synth"].(map[string]any)
		if doc.Label == corpus.Authentic {
			ls, _ := m["lookalikes"].([]string)
			if !slices.ContainsFunc(ls, func(l string) bool { return slices.Contains(newLooks, l) }) {
				continue
			}
		}
		a, err := d.Analyze(context.Background(), InputOf(doc))
		require.NoError(t, err, doc.ID)
		if doc.Label == corpus.Authentic {
			looks.n++
			if a.Verdict.Flagged() {
				looks.flagged++
				t.Logf("hard negative flagged: %s %v", doc.ID, m["lookalikes"])
			}
			continue
		}
		f := m["family"].(string)
		if byFamily[f] == nil {
			byFamily[f] = &tally{}
		}
		byFamily[f].n++
		if a.Verdict.Label == "repackaged" {
			byFamily[f].flagged++
		}
	}
	// Floors under what the default model gives: about 3 in 10 copies of
	// publisher_artefacts and of trade_site carry their family's cue
	// alone (one place), which the corroboration rule leaves unflagged by
	// design, and some trades of the generator's hosts are not in
	// lexis.TradeOfHost.
	floors := map[string]float64{synth.FamilyScraperFeed: 0.85, synth.FamilyPublisherArtefacts: 0.5, synth.FamilyTradeSite: 0.55}
	for _, f := range synth.OperatorFamilies {
		tl := byFamily[f]
		require.NotNil(t, tl, "no copy of family %s", f)
		share := float64(tl.flagged) / float64(tl.n)
		t.Logf("%s: %d of %d flagged (%.3f)", f, tl.flagged, tl.n, share)
		assert.GreaterOrEqual(t, share, floors[f], "family %s", f)
	}
	require.Greater(t, looks.n, 20/raceFactor(2), "hard negatives with issue 16's look-alikes")
	t.Logf("hard negatives with issue 16's look-alikes: %d of %d flagged", looks.flagged, looks.n)
	assert.LessOrEqual(t, float64(looks.flagged)/float64(looks.n), 0.005)
}

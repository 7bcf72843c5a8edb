package detector

import (
	"fmt"
	"path/filepath"
	"slices"
	"testing"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/corpus/synth"
	"github.com/repack/repack/features/source"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRealSpunCopiesWithTheirOriginals: the shared real spun copies whose
// original the data holds are flagged repackaged with the original named,
// once the original is indexed with the shared corpora: the Iran story's
// rewrite (against the AP member station's page) and 011-spun.txt
// (against 010-original.txt). 030 and 031, whose originals are not in the
// data, are reported as they come out. The model was trained on
// synthetic spun copies only (no weight was fitted on these pages), but
// the rewording alignment's thresholds were checked on the Iran page, so
// this is a guard.
func TestRealSpunCopiesWithTheirOriginals(t *testing.T) {
	real := sharedtest.Dir(t, "examples/real")
	others := sharedtest.Dir(t, "examples/other-operators")
	member := readExample(t, filepath.Join(real, "authentic-iran-story-member-site.txt"))
	cnn := readExample(t, filepath.Join(others, "010-original.txt"))
	det := defaultDetector(t).WithIndex(sharedIndex(t, member, cnn))
	for _, tc := range []struct {
		path, original string
	}{
		{filepath.Join(real, "spun-copy-iran-story.txt"), member.ID},
		{filepath.Join(others, "011-spun.txt"), cnn.ID},
		{filepath.Join(others, "030-spun.txt"), ""},
		{filepath.Join(others, "031-spun.txt"), ""},
	} {
		doc := readExample(t, tc.path)
		a := analyzeDoc(t, det, doc)
		v := a.Verdict
		var fired []string
		for _, r := range v.Reasons {
			if r.Value != 0 && r.Weight > 0 {
				fired = append(fired, r.Feature)
			}
		}
		src := "none"
		if v.Source != nil {
			src = v.Source.ID
			for _, f := range v.Source.Features {
				if f.Name == source.RewordedCopy.Name && f.Value > 0 {
					src += fmt.Sprintf(" (reworded_copy %.2f)", f.Value)
				}
			}
		}
		t.Logf("%s: %s p=%.3f source %s, cues %v", doc.ID, v.Label, v.Probability, src, fired)
		if tc.original == "" {
			continue
		}
		assert.Equal(t, "repackaged", v.Label, doc.ID)
		if assert.NotNil(t, v.Source, "%s: no original found", doc.ID) {
			assert.Equal(t, tc.original, v.Source.ID, doc.ID)
		}
		top := v.TopReasons(1)
		require.NotEmpty(t, top, doc.ID)
		assert.NotEmpty(t, top[0].Evidence, "%s: a verdict without evidence", doc.ID)
	}
}

// TestSpunCopiesAndEditedCarriers generates spun copies and carriers of
// a seed the model was not trained on (23) from the shared authentic
// pages and scores them with their originals indexed: most spun copies
// are flagged with reworded_copy among their reasons, and the carriers
// that edit the wire (a trimmed lead, a paragraph rewritten, a local
// angle) stay within 0.5%. A guard of the behaviour; the held-out
// figures (leave-one-out by spinner choice) are docs/evaluation.md's.
func TestSpunCopiesAndEditedCarriers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds an index of the shared corpora and a synthetic corpus")
	}
	opts := synth.DefaultOptions(23)
	opts.SpinShare = 1
	docs := synthesiseWith(t, opts, 3, synth.GenerateOptions{PerSource: 1, HardNegatives: 2})
	det := defaultDetector(t).WithIndex(sharedIndex(t))
	var spun, spunFlagged, reworded, edited, editedFlagged int
	for _, doc := range docs {
		m := doc.Meta["synth"].(map[string]any)
		if doc.Label == corpus.Authentic {
			ls, _ := m["lookalikes"].([]string)
			if !slices.Contains(ls, synth.LookEditedWire) {
				continue
			}
			edited++
			if a := analyzeDoc(t, det, doc); a.Verdict.Flagged() {
				editedFlagged++
				t.Logf("edited carrier flagged: %s %v", doc.ID, ls)
				for _, r := range a.Verdict.TopReasons(5) {
					t.Logf("  %s %.2f %+.2f %v", r.Feature, r.Value, r.Contribution, r.Evidence)
				}
			}
			continue
		}
		if m["family"] != synth.FamilySpunCopy {
			continue
		}
		spun++
		a := analyzeDoc(t, det, doc)
		if a.Verdict.Flagged() {
			spunFlagged++
		}
		if slices.ContainsFunc(a.Verdict.Reasons, func(r Reason) bool { return r.Feature == source.RewordedCopy.Name && r.Value > 0 }) {
			reworded++
		}
	}
	t.Logf("spun copies: %d of %d flagged, reworded_copy on %d; edited carriers: %d of %d flagged", spunFlagged, spun, reworded, editedFlagged, edited)
	require.Greater(t, spun, 100/raceFactor(3))
	require.Greater(t, edited, 20/raceFactor(3))
	assert.GreaterOrEqual(t, float64(spunFlagged)/float64(spun), 0.9)
	assert.GreaterOrEqual(t, float64(reworded)/float64(spun), 0.85)
	assert.LessOrEqual(t, float64(editedFlagged)/float64(edited), 0.005)
}

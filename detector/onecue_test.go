package detector

import (
	"encoding/json"
	"sort"
	"testing"

	"github.com/repack/repack/features/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestOneCueNeverFlags builds, for each head of the embedded model and
// each feature it weighs, the page the Trust issue names: that feature,
// with the features that share its cue on spam pages, at its 99th
// percentile on spam (one place on the page), and every other feature at
// its median on real authentic pages (each in a place of its own). No
// such page may be flagged: no single cue decides. The spreads come from
// the training data, recorded in the model file. With -v it lists every
// page and its probability.
func TestOneCueNeverFlags(t *testing.T) {
	t.Parallel()
	d := defaultDetector(t)
	m := d.Model()
	var summary struct {
		Spreads []struct {
			Feature         string                     `json:"feature"`
			AuthenticMedian float64                    `json:"authentic_median"`
			SpamP99         map[signal.Family]float64  `json:"spam_p99"`
			CueGroup        map[signal.Family][]string `json:"cue_group"`
		} `json:"spreads"`
	}
	require.NoError(t, json.Unmarshal(m.Training, &summary))
	require.Len(t, summary.Spreads, len(m.Features), "the model records every feature's spread")
	names := featureNames(t)
	spread := map[string]int{}
	for i, s := range summary.Spreads {
		spread[s.Feature] = i
	}
	pages := 0
	for _, h := range m.Heads {
		for j, w := range h.Weights {
			if w <= 0 {
				continue
			}
			cue := summary.Spreads[spread[m.Features[j]]]
			group := map[string]bool{cue.Feature: true}
			for _, g := range cue.CueGroup[h.Kind] {
				group[g] = true
			}
			sigs := make([]signal.Signal, len(names))
			for i, n := range names {
				s := summary.Spreads[spread[n]]
				sigs[i] = signal.Signal{Name: n, Value: s.AuthenticMedian}
				if group[n] {
					sigs[i].Value = s.SpamP99[h.Kind]
				}
				if sigs[i].Value == 0 {
					continue
				}
				start := 1000 * (i + 1) // a place of its own
				if group[n] {
					start = 0 // the cue's one place
				}
				sigs[i].Evidence = []signal.Evidence{{Field: signal.FieldText, Start: start, End: start + 10}}
			}
			v := d.Score(sigs, nil)
			for _, k := range v.Kinds {
				if k.Kind != h.Kind {
					continue
				}
				pages++
				t.Logf("%s head, %s cue %v at spam p99: probability %.4f, %d cues, flagged %v", h.Kind, cue.Feature, keys(group), k.Probability, k.Cues, k.Flagged)
				assert.False(t, k.Flagged, "%s head flags a page on the one cue of %s", h.Kind, cue.Feature)
			}
		}
	}
	assert.Positive(t, pages)
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

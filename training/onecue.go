package training

import (
	"sort"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/signal"
)

// FeatureSpread is what the one-cue test needs of one feature, recorded in
// the model file at training: its median on real authentic pages, its
// 99th percentile on each kind of spam, and, per kind, the features that
// share a cue with it on most spam pages where both fire (one glued
// splice fires lead_brand_splice and glued_tokens together).
type FeatureSpread struct {
	Feature         string                     `json:"feature"`
	AuthenticMedian float64                    `json:"authentic_median"`
	SpamP99         map[signal.Family]float64  `json:"spam_p99"`
	CueGroup        map[signal.Family][]string `json:"cue_group,omitempty"`
}

// Spreads computes every feature's FeatureSpread over a dataset.
func Spreads(ds *Dataset) []FeatureSpread {
	out := make([]FeatureSpread, len(ds.Features))
	for j, name := range ds.Features {
		fs := FeatureSpread{Feature: name, SpamP99: map[signal.Family]float64{}, CueGroup: map[signal.Family][]string{}}
		var auth []float64
		spam := map[signal.Family][]float64{}
		for _, r := range ds.Rows {
			switch {
			case r.Label == corpus.Authentic && !IsHardNegative(r) && !r.Sealed:
				auth = append(auth, r.Values[j])
			case r.Label == corpus.Repackaged || r.Label == corpus.Injected:
				k := signal.Family(r.Label)
				spam[k] = append(spam[k], r.Values[j])
			}
		}
		fs.AuthenticMedian = quantile(auth, 0.5)
		for k, v := range spam {
			fs.SpamP99[k] = quantile(v, 0.99)
			fs.CueGroup[k] = cueGroup(ds, j, corpus.Label(k))
		}
		out[j] = fs
	}
	return out
}

// cueGroup returns the features that share a cue with feature j on more
// than half of the spam pages of a label where both fire: adding them to
// j's places shows no further cue.
func cueGroup(ds *Dataset, j int, label corpus.Label) []string {
	var out []string
	for g := range ds.Features {
		if g == j {
			continue
		}
		both, shared := 0, 0
		for _, r := range ds.Rows {
			if r.Label != label || r.Values[j] == 0 || r.Values[g] == 0 || j >= len(r.Places) || g >= len(r.Places) {
				continue
			}
			if len(r.Places[j]) == 0 || len(r.Places[g]) == 0 {
				continue
			}
			both++
			if detector.CountCues(r.Places, []int{j, g}) == detector.CountCues(r.Places, []int{j}) {
				shared++
			}
		}
		if both > 0 && 2*shared > both {
			out = append(out, ds.Features[g])
		}
	}
	return out
}

// quantile returns the q-quantile of xs (nearest rank), 0 for none.
func quantile(xs []float64, q float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	i := int(q*float64(len(s)-1) + 0.5)
	return s[min(i, len(s)-1)]
}

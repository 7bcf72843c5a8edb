package repackaged

import (
	"math"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// HeadlineBrandPrefix fires on "Brand:Headline", "Brand|Headline" and
// "Brand-Headline".
var HeadlineBrandPrefix = signal.Extractor{
	Name:   "headline_brand_prefix",
	Family: signal.Repackaged,
	Doc: `A name-like phrase opens the headline before a separator. ` +
		`The network puts an unrelated brand before the copied headline: "NovaQuant Quantitative Think Tank Center:The White House ...", ` +
		`"Poinbank Exchange|The Powerball ...", "PredictIQ-Who cares ...". Value: 1 for a separator with no space on either side, 0.6 with ` +
		`spaces, times 0.3 when the phrase also stands free in the story (then it is the topic: "Taylor Swift: ..."). Editorial labels ` +
		`("Analysis:", "Opinion |", "EXCLUSIVE-", "Live updates:") and the site's own name are not brands.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		a := analyse(p)
		var r signal.Result
		for _, h := range a.prefixes {
			v := 0.6
			if h.glued {
				v = 1
			}
			if h.inBody > 0 {
				v *= 0.3
			}
			r.Value = math.Max(r.Value, v)
			r.Evidence = append(r.Evidence, signal.CandidateSpan(p.Page, h.cand, h.phrase.Start, h.phrase.End, "brand before "+quote(h.sep)+" in "+h.cand.Origin))
		}
		r.Evidence = signal.Dedupe(r.Evidence)
		return r
	},
}

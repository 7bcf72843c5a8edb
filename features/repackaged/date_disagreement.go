package repackaged

import (
	"math"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// toleranceDays absorbs time zones: a story dated the 21st in New York is
// the 22nd in UTC.
const toleranceDays = 1

// DateDisagreement measures how far the claimed date is from the page's
// other dated evidence.
var DateDisagreement = signal.Extractor{
	Name:   "date_disagreement",
	Family: signal.Repackaged,
	Doc: `The page's claimed date disagrees with its other dated evidence. ` +
		`The claimed date (a "Date:" line, else the metadata's publication date, a date under the headline, <time> in the header, ` +
		`the URL) is compared with every other statement of the publication date (metadata, JSON-LD of the article, <time> and dated ` +
		`lines in the header, the URL) either way. Modification dates are ignored: updates are legitimate. The story's own dates are ` +
		`stale_story_date's business. Value: the largest gap in days, one day of tolerance, capped at 1095.`,
	Run: func(pass *signal.Pass) signal.Result { return runDateDisagreement(article.Of(pass.Page)) },
}

func runDateDisagreement(p *article.Article) signal.Result {
	claimed, ok := p.ClaimedDate()
	if !ok {
		return signal.Result{}
	}
	var r signal.Result
	var worst article.DatedString
	// Other publication claims: either direction counts.
	for _, d := range p.Dates {
		if !d.Published || d.Precision != article.PrecisionDay || sameDated(d, claimed) {
			continue
		}
		if g := gapDays(claimed.Day, d.Day); g > r.Value {
			r.Value, worst = g, d
		}
	}
	if r.Value > 0 {
		r.Value = math.Min(r.Value, maxGapDays)
		r.Evidence = []signal.Evidence{
			signal.DateSpan(p.Page, claimed, "claimed date ("+claimed.Origin+")"),
			signal.DateSpan(p.Page, worst, "disagreeing date ("+worst.Origin+")"),
		}
	}
	return r
}

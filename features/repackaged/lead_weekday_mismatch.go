package repackaged

import (
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// LeadWeekdayMismatch compares the weekday the lead names with the claimed
// date.
var LeadWeekdayMismatch = signal.Extractor{
	Name:   "lead_weekday_mismatch",
	Family: signal.Repackaged,
	Doc: `The weekday named in the lead does not fit the claimed date. ` +
		`Wire leads name the day of the news ("voiced concern Tuesday"): the same day as the story's date or the day before. A story ` +
		`re-stamped with a later date keeps its weekday, which then falls at random in the week. The gap is counted back from the ` +
		`claimed date to that weekday; a lead in the future tense ("will vote Tuesday") is not counted. Value: 0 for a gap of 0 or 1 ` +
		`day, 0.5 for the day after (a time-zone edge), otherwise the gap minus one (1 to 4).`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		claimed, ok := p.ClaimedDate()
		if !ok || p.Lead < 0 {
			return signal.Result{}
		}
		var r signal.Result
		for _, d := range p.Dates {
			if d.Origin != "text:weekday" {
				continue
			}
			if futureTense(p, d) {
				continue
			}
			g := (int(claimed.Day.Weekday()) - int(d.Weekday) + 7) % 7
			v := 0.0
			switch {
			case g <= 1:
				v = 0
			case g == 6:
				v = 0.5
			default:
				v = float64(g - 1)
			}
			if v > r.Value {
				r.Value = v
				r.Evidence = []signal.Evidence{
					signal.DateSpan(p.Page, d, "weekday in the lead"),
					signal.DateSpan(p.Page, claimed, "claimed date, a "+claimed.Day.Weekday().String()),
				}
			}
			break // the first weekday of the lead is the news day
		}
		return r
	},
}

// futureWords mark a lead sentence about what is to come.
var futureWords = []string{" will ", " plans to ", " is expected to ", " are expected to ", " is scheduled ", " are scheduled ", " set to ", " ahead of ", " next "}

func futureTense(p *article.Article, d article.DatedString) bool {
	b := p.Blocks[d.Block]
	start := b.Start
	if p.Dateline != nil && p.Dateline.Block == d.Block {
		start = p.Dateline.Sentence.Start
	}
	before := strings.ToLower(p.Text[start:d.Offset])
	for _, w := range futureWords {
		if strings.Contains(before, w) {
			return true
		}
	}
	return false
}

package repackaged

import (
	"math"
	"time"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// maxGapDays caps date gaps: past three years a gap says nothing more.
const maxGapDays = 1095

// StaleStoryDate measures how much later the claimed date is than
// everything the story itself dates.
var StaleStoryDate = signal.Extractor{
	Name:   "stale_story_date",
	Family: signal.Repackaged,
	Doc: `The claimed date is later than every date and year the story names. ` +
		`A story about 2023 re-stamped 2025 names 2023 and earlier and nothing after. A genuine story names old years too, so this ` +
		`is weak alone; it counts only when the story names at least one date or year. With no claim, the date the template stamps ` +
		`on its link blocks stands in. Value: days from the end of the latest date or year named to the claimed date, capped at 1095.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		claimed, ok := p.ClaimedDate()
		if !ok {
			return signal.Result{}
		}
		latest, found := latestStoryDate(p)
		if !found {
			return signal.Result{}
		}
		end := latest.Day
		if latest.Precision == article.PrecisionYear {
			end = time.Date(latest.Day.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		g := gapDays(claimed.Day, end)
		if !claimed.Day.After(end) || g == 0 {
			return signal.Result{}
		}
		return signal.Result{Value: math.Min(g, maxGapDays), Evidence: []signal.Evidence{
			signal.DateSpan(p.Page, claimed, "claimed date ("+claimed.Origin+")"),
			signal.DateSpan(p.Page, latest, "latest date the story names ("+latest.Origin+")"),
		}}
	},
}

// latestStoryDate returns the latest date or year named in the story. Link
// blocks are left out: on a genuine page crawled late they list newer
// stories.
func latestStoryDate(p *article.Article) (article.DatedString, bool) {
	var best article.DatedString
	found := false
	for _, d := range p.Dates {
		switch d.Origin {
		case "text:body", "text:year":
		default:
			continue
		}
		if d.Precision == article.PrecisionWeekday {
			continue
		}
		day := d.Day
		if d.Precision == article.PrecisionYear {
			day = time.Date(day.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		bestDay := best.Day
		if best.Precision == article.PrecisionYear {
			bestDay = time.Date(bestDay.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		if !found || day.After(bestDay) {
			best, found = d, true
		}
	}
	return best, found
}

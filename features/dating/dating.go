// Package dating holds the extractors that compare the dates a page
// states: the date it claims for itself against its metadata, its URL,
// the dates and years its story names and the weekday its lead names. The
// network stamps a fresh date (6 to 30 months later) on an old story and
// leaves the story's own dates as they were.
package dating

import (
	"math"
	"strings"
	"time"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// maxGapDays caps date gaps: past three years a gap says nothing more.
const maxGapDays = 1095

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
	Run: func(pass *signal.Pass) signal.Result { return runDateDisagreement(pass.Page) },
}

func runDateDisagreement(p *page.Page) signal.Result {
	claimed, ok := p.ClaimedDate()
	if !ok {
		return signal.Result{}
	}
	var r signal.Result
	var worst page.DatedString
	// Other publication claims: either direction counts.
	for _, d := range p.Dates {
		if !d.Published || d.Precision != page.PrecisionDay || sameDated(d, claimed) {
			continue
		}
		if g := gapDays(claimed.Day, d.Day); g > r.Value {
			r.Value, worst = g, d
		}
	}
	if r.Value > 0 {
		r.Value = math.Min(r.Value, maxGapDays)
		r.Evidence = []signal.Evidence{
			signal.DateSpan(p, claimed, "claimed date ("+claimed.Origin+")"),
			signal.DateSpan(p, worst, "disagreeing date ("+worst.Origin+")"),
		}
	}
	return r
}

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
		p := pass.Page
		claimed, ok := p.ClaimedDate()
		if !ok {
			return signal.Result{}
		}
		latest, found := latestStoryDate(p)
		if !found {
			return signal.Result{}
		}
		end := latest.Day
		if latest.Precision == page.PrecisionYear {
			end = time.Date(latest.Day.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		g := gapDays(claimed.Day, end)
		if !claimed.Day.After(end) || g == 0 {
			return signal.Result{}
		}
		return signal.Result{Value: math.Min(g, maxGapDays), Evidence: []signal.Evidence{
			signal.DateSpan(p, claimed, "claimed date ("+claimed.Origin+")"),
			signal.DateSpan(p, latest, "latest date the story names ("+latest.Origin+")"),
		}}
	},
}

func sameDated(a, b page.DatedString) bool {
	return a.Origin == b.Origin && a.Text == b.Text && a.Offset == b.Offset
}

// latestStoryDate returns the latest date or year named in the story. Link
// blocks are left out: on a genuine page crawled late they list newer
// stories.
func latestStoryDate(p *page.Page) (page.DatedString, bool) {
	var best page.DatedString
	found := false
	for _, d := range p.Dates {
		switch d.Origin {
		case "text:body", "text:year":
		default:
			continue
		}
		if d.Precision == page.PrecisionWeekday {
			continue
		}
		day := d.Day
		if d.Precision == page.PrecisionYear {
			day = time.Date(day.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		bestDay := best.Day
		if best.Precision == page.PrecisionYear {
			bestDay = time.Date(bestDay.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
		}
		if !found || day.After(bestDay) {
			best, found = d, true
		}
	}
	return best, found
}

func gapDays(a, b time.Time) float64 {
	d := math.Abs(a.Sub(b).Hours() / 24)
	return math.Max(0, math.Round(d)-toleranceDays)
}

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
		p := pass.Page
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
					signal.DateSpan(p, d, "weekday in the lead"),
					signal.DateSpan(p, claimed, "claimed date, a "+claimed.Day.Weekday().String()),
				}
			}
			break // the first weekday of the lead is the news day
		}
		return r
	},
}

// futureWords mark a lead sentence about what is to come.
var futureWords = []string{" will ", " plans to ", " is expected to ", " are expected to ", " is scheduled ", " are scheduled ", " set to ", " ahead of ", " next "}

func futureTense(p *page.Page, d page.DatedString) bool {
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

// Extractors returns the date extractors in their fixed order.
func Extractors() []*signal.Extractor {
	return []*signal.Extractor{&DateDisagreement, &StaleStoryDate, &LeadWeekdayMismatch}
}

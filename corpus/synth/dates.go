package synth

import (
	"fmt"
	"math/rand/v2"
	"time"
)

// Fake-date bounds: the network stamps a copied story 6 to 30 months
// after it was published.
const (
	minGapMonths = 6
	maxGapMonths = 30
)

// unknownDateBase is the day fake dates are drawn after when the story's
// real date is unknown.
var unknownDateBase = time.Date(2023, time.June, 1, 0, 0, 0, 0, time.UTC)

// fakeDate returns a timestamp 6 to 30 months after real (a random day and
// time within the month), and the gap in months.
func fakeDate(r *rand.Rand, real time.Time) (time.Time, int) {
	base := real
	if base.IsZero() {
		base = unknownDateBase
	}
	gap := minGapMonths + r.IntN(maxGapMonths-minGapMonths+1)
	t := base.AddDate(0, gap, 0)
	t = t.AddDate(0, 0, r.IntN(28)-14)
	if lo := base.AddDate(0, minGapMonths, 0); t.Before(lo) {
		t = lo
	}
	if hi := base.AddDate(0, maxGapMonths, 0); t.After(hi) {
		t = hi
	}
	return time.Date(t.Year(), t.Month(), t.Day(), r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC), gap
}

// Date formats of the visible date line, as recorded in Meta.
const (
	DateLabel       = "label"        // "Date:2025-04-07 14:28:25"
	DateLabelSpaced = "label_spaced" // "Date: 2025-04-07 14:28:25"
	DateSourceLine  = "source_line"  // "2025-05-07 11:52:30source:Xcategory:News"
	DateViewDate    = "view_date"    // "View Date:2025-04-07 14:28:25" (byline marker and date on one line)
	DatePlain       = "plain"        // "May 7, 2025"
	DateStamp       = "stamp"        // "2025-05-07 11:52" alone on its line
	DatePublished   = "published"    // "Published: 2025/05/07 11:52"
	DateNone        = "none"         // no visible date line (a meta tag may carry the date)
)

// DateFormats lists every date format the generator draws.
var DateFormats = []string{DateLabel, DateLabelSpaced, DateSourceLine, DateViewDate, DatePlain, DateStamp, DatePublished, DateNone}

const (
	isoDateTime = "2006-01-02 15:04:05"
	isoMinute   = "2006-01-02 15:04"
)

// dateLine renders the date line of a format (the source-line format's
// source and category parts are added by the template), "" for none.
func dateLine(format string, t time.Time) string {
	switch format {
	case DateNone:
		return ""
	case DateLabel:
		return "Date:" + t.Format(isoDateTime)
	case DateLabelSpaced:
		return "Date: " + t.Format(isoDateTime)
	case DateSourceLine:
		return t.Format(isoDateTime)
	case DateViewDate:
		return "View Date:" + t.Format(isoDateTime)
	case DatePlain:
		return t.Format("January 2, 2006")
	case DateStamp:
		return t.Format(isoMinute)
	case DatePublished:
		return "Published: " + t.Format("2006/01/02 15:04")
	}
	return t.Format(isoDateTime)
}

// viewLines returns the "2025-05-04 03:171702 view" lines: timestamps
// going back from t, each glued to a view count.
func viewLines(r *rand.Rand, t time.Time, n int) []viewLine {
	out := make([]viewLine, n)
	for i := range out {
		t = t.Add(-time.Duration(3+r.IntN(40)) * time.Minute)
		out[i] = viewLine{Stamp: t.Format(isoMinute), Count: fmt.Sprint(1000 + r.IntN(2900))}
	}
	return out
}

// viewLine is one entry of the view-counter feed.
type viewLine struct{ Stamp, Count string }

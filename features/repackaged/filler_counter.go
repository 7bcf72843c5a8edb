package repackaged

import (
	"math"
	"regexp"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// counterRule is one shape of filler counter, with its weight.
type counterRule struct {
	re     *regexp.Regexp
	weight float64
	note   string
}

// counterRules are tried in order on every short line; the first match
// counts. Each is written from a page that taught it.
var counterRules = []counterRule{
	// "veryGood! (5896)", "Great!(12)": an interjection and a count in
	// brackets, the network's rating widget (seed page).
	{regexp.MustCompile(`^\p{L}[\p{L} ]{0,20}!\s*\(\d[\d,.]*\)$`), 1, "interjection counter"},
	// "2025-05-04 03:171702 view": a timestamp glued to a view count
	// (network-dateline-splice-view-counters.txt).
	{regexp.MustCompile(`^\d{4}-\d{2}-\d{2}\s+\d{1,2}:\d{2}\d+\s*views?$`), 1, "timestamp glued to a view count"},
	// A label and a count without the exclamation ("Allgemein (43)",
	// "Bilder (1)") is a blog's category widget, and real: not counted.
	// "1234 views", "1.2k reads": a bare view count.
	{regexp.MustCompile(`(?i)^[\d.,]+\s*[km]?\s*(views?|reads?|visits|hits|plays|次浏览|阅读|浏览)$`), 0.5, "view count"},
}

// commentLabels name real counters of a comment section, in the corpus'
// languages.
var commentLabels = map[string]bool{
	"comments": true, "comment": true, "replies": true, "reply": true, "reviews": true, "answers": true,
	"kommentare": true, "kommentar": true, "commentaires": true, "comentarios": true, "commenti": true,
	"comentários": true, "reactions": true, "responses": true,
}

// FillerCounter counts template counters.
var FillerCounter = signal.Extractor{
	Name:   "filler_counter",
	Family: signal.Repackaged,
	Doc: `Template counters stand outside the story. ` +
		`Rating and view widgets of the spam template: "veryGood! (5896)", "Great!(12)", "2025-05-04 03:171702 view" (a time glued to a ` +
		`count), and at half weight "1234 views". Comment counts ("Comments (12)") and category counts ("Politics (43)") are real and ` +
		`not counted. ` +
		`Value: the weighted count, capped at 10.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		for i, b := range p.Blocks {
			if b.Words > 8 || b.End-b.Start > 60 || b.Words == 0 {
				continue
			}
			text := p.BlockText(i)
			if !strings.ContainsAny(text, "(0123456789") {
				continue
			}
			if w, note := counterWeight(text); w > 0 {
				r.Value += w
				r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, b.End, note))
			}
		}
		r.Value = math.Min(r.Value, 10)
		return r
	},
}

func counterWeight(text string) (float64, string) {
	if i := strings.IndexAny(text, "(!:"); i > 0 {
		label := strings.ToLower(strings.TrimSpace(text[:i]))
		if commentLabels[label] {
			return 0, ""
		}
	}
	for _, rule := range counterRules {
		if !rule.re.MatchString(text) {
			continue
		}
		w := rule.weight
		// A glued interjection label ("veryGood") is the template's own.
		if w < 1 && len(lexis.FindGlue(nil, text)) > 0 {
			w = 1
		}
		return w, rule.note
	}
	return 0, ""
}

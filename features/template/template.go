// Package template holds the extractors that recognise a spam site's page
// template around a copied story: filler counters ("veryGood! (5896)"),
// the byline slot filled with a brand or "View", lists of unrelated
// headlines under "Related", "Ranking" or "Recommendation", and label
// lines glued to their values ("Date:2025-04-07", "11:52:30source:").
package template

import (
	"math"
	"regexp"
	"sort"
	"strings"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
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
		p := pass.Page
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
				r.Evidence = append(r.Evidence, signal.TextSpan(p, b.Start, b.End, note))
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

// newsOrgWords make an organisation byline a news organisation's, which is
// a legitimate byline ("By The Associated Press", "CNN Wire Staff").
var newsOrgWords = map[string]bool{
	"press": true, "news": true, "times": true, "post": true, "wire": true, "staff": true, "reuters": true,
	"tribune": true, "herald": true, "journal": true, "gazette": true, "editorial": true, "desk": true,
	"redaktion": true, "agency": true, "agencies": true, "afp": true, "dpa": true, "bbc": true, "cnn": true,
	"radio": true, "tv": true, "television": true, "daily": true, "weekly": true, "magazine": true,
	"correspondent": true, "reporter": true, "reporters": true, "team": true, "board": true,
}

// BylineAnomaly scores byline candidates that are not a person or a news
// organisation.
var BylineAnomaly = signal.Extractor{
	Name:   "byline_anomaly",
	Family: signal.Repackaged,
	Doc: `The byline is a brand, an empty slot with "View", or contradicts the wire credit. ` +
		`The network fills the byline slot with a brand or an invented name followed by "View" ("Indexbit Exchange View", "Oliver James ` +
		`Montgomery View", a bare "View"). A byline naming an exchange, fund or other finance organisation on a news story, or one that ` +
		`names a non-news organisation where the dateline credits a wire service, or a coined camel-case brand ("ZeniLytics"), is ` +
		`anomalous too. Value: the strongest anomaly: 1 for a "View" byline (1.5 when it names an organisation), 0.7 for the others.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		type scored struct {
			v  float64
			ev signal.Evidence
		}
		var found []scored
		for _, c := range p.Bylines {
			if c.Origin == "link:rel=author" {
				continue
			}
			v, note := bylineScore(p, c)
			if v > 0 {
				found = append(found, scored{v, signal.CandidateSpan(p, c, 0, len(c.Text), note)})
			}
		}
		// Strongest first, so that a span found twice keeps its strongest
		// reading.
		sort.SliceStable(found, func(i, j int) bool { return found[i].v > found[j].v })
		var r signal.Result
		for _, f := range found {
			r.Value = math.Max(r.Value, f.v)
			r.Evidence = append(r.Evidence, f.ev)
		}
		r.Evidence = signal.Dedupe(r.Evidence)
		return r
	},
}

func bylineScore(p *page.Page, c page.Candidate) (float64, string) {
	name := c.Text
	if c.Origin == "text:view" {
		name = strings.TrimSuffix(strings.TrimPrefix(name, "View Date:"), "View")
		name = strings.TrimSpace(name)
		if name == "" {
			return 1, `empty byline followed by "View"`
		}
		if isOrgName(name) {
			return 1.5, `organisation byline followed by "View"`
		}
		return 1, `byline followed by "View"`
	}
	name = bylineName(name)
	if isCoinage(name) && inHeader(p, c) && !siteOwnName(p, name) {
		return 0.7, "coined brand name as byline"
	}
	if name == "" || !isOrgName(name) {
		return 0, ""
	}
	if lexis.CountFinanceWords(name) > 0 {
		return 0.7, "finance organisation as byline"
	}
	if p.Dateline != nil {
		return 0.7, "organisation byline on a " + p.Dateline.Agency + " story"
	}
	return 0, ""
}

// inHeader reports whether a byline candidate sits above the story (or
// in metadata): commenters' and video channels' names further down are
// not the page's byline.
func inHeader(p *page.Page, c page.Candidate) bool {
	if !c.Visible() {
		return true
	}
	return p.Lead < 0 || c.Block <= p.Lead+1
}

// siteOwnName reports whether a byline names the site itself ("By
// KentNews" on kentnews.online), which is a legitimate byline.
func siteOwnName(p *page.Page, name string) bool {
	n := strings.ToLower(name)
	for _, s := range p.SiteNames {
		t := strings.ToLower(strings.ReplaceAll(s.Text, " ", ""))
		if t != "" && (strings.Contains(t, n) || strings.Contains(n, t)) {
			return true
		}
	}
	return false
}

// isCoinage reports whether a byline is one camel-case word that no
// person is named ("ZeniLytics", "JastoraSignal"): the network's coined
// brands. Well-known camel-case names and particles ("McDonald") are not.
func isCoinage(name string) bool {
	if strings.ContainsAny(name, " \t@#/.") || lexis.IsAllCaps(name) || lexis.IsCamelName(name) {
		return false
	}
	parts := lexis.SplitCamel(name)
	return len(parts) >= 2 && len([]rune(parts[0])) > 3 && len([]rune(parts[1])) >= 2
}

// bylineName strips "By" and trailing dates or roles from a byline.
func bylineName(s string) string {
	for _, prefix := range []string{"By ", "BY ", "by ", "Von ", "Par ", "Por "} {
		s = strings.TrimPrefix(s, prefix)
	}
	if i := strings.IndexAny(s, "\n|,·•"); i >= 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}

// isOrgName reports whether a name reads as a non-news organisation: it
// holds an organisation or finance word and no news-organisation word.
func isOrgName(name string) bool {
	var ws []lexis.Span
	hasOrg := false
	for _, w := range lexis.Words(ws, name) {
		word := w.Of(name)
		if newsOrgWords[lexis.Lower(word)] {
			return false
		}
		for _, part := range lexis.SplitCamel(word) {
			if lexis.IsOrgWord(part) || lexis.IsFinanceWord(part) {
				hasOrg = true
			}
		}
	}
	return hasOrg
}

// maxJunkBlocks caps junk_link_blocks: the network appends three lists;
// a site with ten lists of its own is not ten times as suspicious.
const maxJunkBlocks = 3

// JunkLinkBlocks scores lists of headlines that have nothing to do with
// the story or with each other.
var JunkLinkBlocks = signal.Extractor{
	Name:   "junk_link_blocks",
	Family: signal.Repackaged,
	Doc: `Link blocks list headlines unrelated to the story and to each other. ` +
		`The template appends "Related", "Ranking" and "Recommendation" lists of headlines drawn from other stories at random; a real ` +
		`related-articles block shares the story's vocabulary. For each block after the lead, the share of its items' content words ` +
		`found in the story and among the other items is measured. Value: the sum over blocks of one minus that share, for blocks where ` +
		`it stays under 0.2, capped at 3.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		var r signal.Result
		var vocab map[string]int
		for _, lb := range p.LinkBlocks {
			if len(lb.Items) < 3 || (p.Lead >= 0 && lb.Items[0] < p.Lead) || p.Blocks[lb.Items[0]].Boilerplate {
				continue
			}
			if vocab == nil {
				// Only now that a block needs it: most pages have none.
				vocab = p.ArticleVocabulary()
			}
			if len(vocab) < 20 {
				return r // no story to compare with
			}
			related := relatedness(p, lb, vocab)
			if related >= 0.2 {
				continue
			}
			r.Value = math.Min(r.Value+1-related, maxJunkBlocks)
			at := lb.Heading
			note := "unrelated link block"
			if at < 0 {
				at = lb.Items[0]
				note = "unrelated headlines without a heading"
			}
			b := p.Blocks[at]
			r.Evidence = append(r.Evidence, signal.TextSpan(p, b.Start, b.End, note))
		}
		return r
	},
}

// relatedness returns the share of a link block's item words found in the
// story or in another item of the block.
func relatedness(p *page.Page, lb page.LinkBlock, vocab map[string]int) float64 {
	itemWords := make([][]string, len(lb.Items))
	counts := map[string]int{}
	for k, it := range lb.Items {
		ws := lexis.ContentWords(nil, p.BlockText(it))
		seen := map[string]bool{}
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				counts[w]++
			}
		}
		itemWords[k] = ws
	}
	total, shared := 0, 0
	for _, ws := range itemWords {
		for _, w := range ws {
			total++
			if vocab[w] > 0 || counts[w] > 1 {
				shared++
			}
		}
	}
	if total == 0 {
		return 1
	}
	return float64(shared) / float64(total)
}

// templateLabels are the label words the network's header lines glue to
// their values.
var templateLabels = map[string]bool{
	"date": true, "time": true, "source": true, "category": true, "author": true, "view": true, "views": true,
	"posted": true, "published": true, "updated": true, "tag": true, "tags": true, "current": true, "more": true,
}

// gluedLabel reports whether text holds a template label glued to its value
// or to the value before it: "Date:2025-04-07", "11:52:30source:EchoSense",
// "EchoSensecategory:News", "Current:Home". It scans each colon once.
func gluedLabel(text string) bool {
	for i := 1; i+1 < len(text); i++ {
		if text[i] != ':' || !isAlnum(text[i+1]) {
			continue
		}
		// The letters before the colon, and whether something is glued
		// before them.
		j := i
		for j > 0 && isLetter(text[j-1]) {
			j--
		}
		for k := j; k < i; k++ {
			// Any suffix of the run may be the label ("EchoSensecategory").
			if templateLabels[strings.ToLower(text[k:i])] && (k == 0 || k > j || !isLetter(text[k-1])) {
				return true
			}
		}
	}
	return false
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isAlnum(c byte) bool  { return isLetter(c) || '0' <= c && c <= '9' || c >= 0x80 }

// TemplateLabelGlue counts short lines holding labels glued to values.
var TemplateLabelGlue = signal.Extractor{
	Name:   "template_label_glue",
	Family: signal.Repackaged,
	Doc: `Template labels are glued to their values. ` +
		`The network's header lines run label and value together: "Date:2025-04-07 14:28:25", "2025-05-07 11:52:30source:EchoSense` +
		`category:News", "Current:Home > Invest", "More:News". Value: the number of short lines (up to 16 words) holding such a label.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		var r signal.Result
		for i, b := range p.Blocks {
			if b.Words > 16 || b.Words == 0 || b.Boilerplate {
				continue
			}
			text := p.BlockText(i)
			if strings.IndexByte(text, ':') < 0 {
				continue
			}
			if gluedLabel(text) {
				r.Value++
				r.Evidence = append(r.Evidence, signal.TextSpan(p, b.Start, b.End, "label glued to its value"))
			}
		}
		return r
	},
}

// Extractors returns the template extractors in their fixed order.
func Extractors() []*signal.Extractor {
	return []*signal.Extractor{&FillerCounter, &BylineAnomaly, &JunkLinkBlocks, &TemplateLabelGlue}
}

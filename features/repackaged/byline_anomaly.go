package repackaged

import (
	"math"
	"sort"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// newsOrgWords make an organisation byline a news organisation's, which is
// a legitimate byline ("By The Associated Press", "CNN Wire Staff").
var newsOrgWords = map[string]bool{
	"press": true, "news": true, "times": true, "post": true, "wire": true, "staff": true, "reuters": true,
	"tribune": true, "herald": true, "journal": true, "gazette": true, "editorial": true, "desk": true,
	"redaktion": true, "agency": true, "agencies": true, "afp": true, "dpa": true, "bbc": true, "cnn": true,
	"radio": true, "tv": true, "television": true, "daily": true, "weekly": true, "magazine": true,
	"correspondent": true, "reporter": true, "reporters": true, "team": true, "board": true,
}

// listBylines is how many byline candidates with one name make them the
// items of a list rather than the page's byline.
const listBylines = 3

// BylineAnomaly scores byline candidates that are not a person or a news
// organisation.
var BylineAnomaly = signal.Extractor{
	Name:   "byline_anomaly",
	Family: signal.Repackaged,
	Doc: `The byline is a brand, an empty slot with "View", or contradicts the wire credit. ` +
		`The network fills the byline slot with a brand or an invented name followed by "View" ("Indexbit Exchange View", "Oliver James ` +
		`Montgomery View", a bare "View"). A byline naming an exchange, fund or other finance organisation on a news story, or one that ` +
		`names a non-news organisation where the dateline credits a wire service, or a coined camel-case brand ("ZeniLytics"), is ` +
		`anomalous too. A reporter's name and a wire byline ("BY ASSOCIATED PRESS") are what bylines hold, and a name on ` +
		`three or more items of a list (a channel's name under each of its videos) is the list's, not the page's. Value: the strongest anomaly: 1 for a "View" byline (1.5 when it names an organisation), 0.7 for the others.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		type scored struct {
			v  float64
			ev signal.Evidence
		}
		var found []scored
		repeats := map[string]int{}
		for _, c := range p.Bylines {
			repeats[bylineName(c.Text)]++
		}
		for _, c := range p.Bylines {
			if c.Origin == "link:rel=author" || repeats[bylineName(c.Text)] >= listBylines {
				continue
			}
			v, note := bylineScore(p, c)
			if v > 0 {
				found = append(found, scored{v, signal.CandidateSpan(p.Page, c, 0, len(c.Text), note)})
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

func bylineScore(p *article.Article, c article.Candidate) (float64, string) {
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
func inHeader(p *article.Article, c article.Candidate) bool {
	if !c.Visible() {
		return true
	}
	return p.Lead < 0 || c.Block <= p.Lead+1
}

// siteOwnName reports whether a byline names the site itself ("By
// KentNews" on kentnews.online), which is a legitimate byline.
func siteOwnName(p *article.Article, name string) bool {
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

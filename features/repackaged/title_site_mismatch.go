package repackaged

import (
	"strings"
	"unicode/utf8"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// TitleSiteMismatch compares the page's site names with each other and
// with what the page publishes.
var TitleSiteMismatch = signal.Extractor{
	Name:   "title_site_mismatch",
	Family: signal.Repackaged,
	Doc: `The site's names disagree, or a finance-named site publishes general news. ` +
		`The title's site suffix, og:site_name and the host are compared (without case, spaces or punctuation, "The" and the top-level ` +
		`domain); the network's pages carry suffixes like "-Streamline Finance" or "-InvestPioneer" on unrelated hosts. A site name ` +
		`(suffix, og:site_name, publisher, the logo's home link) or breadcrumb section ("Home > Invest") made of finance or crypto words ` +
		`on a story with little finance vocabulary (under 3% of its content words) counts too, unless the page's host (its URL, else ` +
		`og:url, the canonical link or the domain its links point at) bears out one of the finance names: a finance publisher on its own domain (Yahoo Finance on finance.yahoo.com, ` +
		`MarketWatch on marketwatch.com) carries wire stories on every subject. Value: 1 for a finance name on general ` +
		`news plus 0.5 for names that disagree.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		storyWords, financeWords := -1, 0
		generalNews := func() bool {
			if storyWords < 0 {
				// Counted only for a finance-named site: most are not.
				storyWords = 0
				for w, n := range p.StoryVocabulary() {
					storyWords += n
					if lexis.IsFinanceWord(w) {
						financeWords += n
					}
				}
			}
			return storyWords >= 50 && float64(financeWords) < 0.03*float64(storyWords)
		}
		names := financeNames(p)
		if hostBearsOut(p, names) {
			names = nil
		}
		for _, s := range names {
			if generalNews() {
				r.Value = 1
				r.Evidence = append(r.Evidence, signal.CandidateSpan(p.Page, s, 0, len(s.Text), "finance "+s.Origin+" on a general news story"))
				break
			}
		}
		if a, b, ok := disagreeingNames(p); ok {
			r.Value += 0.5
			r.Evidence = append(r.Evidence, siteEvidence(p, a, "site name"), siteEvidence(p, b, "disagrees with this site name"))
		}
		r.Evidence = signal.Dedupe(r.Evidence)
		return r
	},
}

// hostBearsOut reports whether the page's host (article.Site's: its URL's,
// else og:url's, the canonical link's or its links' domain) matches one
// of the site names among names: the
// site is the finance publisher it says it is, not a spam template's
// suffix on some other host.
// Breadcrumb sections name a section, not the site, and are not compared.
func hostBearsOut(p *article.Article, names []article.Candidate) bool {
	host := p.Site().Host
	nh := normSite(host)
	if len(nh) < 3 {
		return false
	}
	for _, n := range names {
		if n.Origin == "breadcrumb section" {
			continue
		}
		// The name's own words must meet the host: two finance outfits
		// share "finance" or "invest" and nothing else.
		if own := normSite(withoutFinanceWords(n.Text)); len(own) >= 3 && namesAgree(own, nh) {
			return true
		}
		if nn := normSite(n.Text); nn != "" && strings.Contains(nh, nn) || initialsAgree(n.Text, nh) {
			return true
		}
	}
	return false
}

// withoutFinanceWords returns the words of a name that are not finance
// words, glued words split at their case boundaries ("Yahoo Finance" →
// "Yahoo", "InvestPioneer" → "Pioneer").
func withoutFinanceWords(name string) string {
	var b strings.Builder
	for _, w := range lexis.Words(nil, name) {
		for _, part := range lexis.SplitCamel(w.Of(name)) {
			if !lexis.IsFinanceWord(part) {
				b.WriteString(part)
				b.WriteByte(' ')
			}
		}
	}
	return b.String()
}

// financeNames returns the site's names made of finance or crypto words:
// site-name candidates (title suffix, og:site_name, publisher, the logo's
// home link) and the sections of a breadcrumb trail ("Home > Invest",
// "Home > Crypto"), each cut to its own span.
func financeNames(p *article.Article) []article.Candidate {
	var out []article.Candidate
	for _, s := range p.SiteNames {
		if s.Origin == "url:host" || s.Origin == "meta:twitter:site" {
			continue
		}
		if lexis.CountFinanceWords(s.Text) > 0 {
			out = append(out, s)
		}
	}
	for _, c := range p.Breadcrumbs {
		if !c.Visible() {
			continue
		}
		for _, step := range trailSteps(c) {
			if lexis.CountFinanceWords(step.Text) > 0 {
				out = append(out, step)
			}
		}
	}
	return out
}

// trailSteps splits a visible breadcrumb into its steps after the first
// ("Home"), as candidates with their own offsets. A last step glued to the
// title ("InvestCedarline Capital...") is cut at its case boundary.
func trailSteps(c article.Candidate) []article.Candidate {
	var out []article.Candidate
	text := c.Text
	off := 0
	first := true
	for {
		i := strings.IndexAny(text[off:], ">›»")
		end := len(text)
		if i >= 0 {
			end = off + i
		}
		step := strings.TrimSpace(text[off:end])
		start := off + strings.Index(text[off:end], step)
		if !first && step != "" {
			if i < 0 {
				// The last step may run into the title.
				if k := lexis.FirstCaseBoundary(step); k > 0 {
					step = step[:k]
				} else if lexis.WordCount(step) > 3 {
					step = ""
				}
			}
			if step != "" {
				out = append(out, article.Candidate{Origin: "breadcrumb section", Text: step, Block: c.Block, Offset: c.Offset + start, Node: c.Node})
			}
		}
		first = false
		if i < 0 {
			return out
		}
		_, size := utf8.DecodeRuneInString(text[off+i:])
		off += i + size
	}
}

func siteEvidence(p *article.Article, c article.Candidate, note string) signal.Evidence {
	return signal.CandidateSpan(p.Page, c, 0, len(c.Text), note)
}

// disagreeingNames returns the title suffix and another site name (host or
// og:site_name) that share nothing. Suffixes that do not read as a name
// (lower-case words, quotes: the tail of a headline split at a dash) and
// names in different scripts are not compared.
func disagreeingNames(p *article.Article) (article.Candidate, article.Candidate, bool) {
	var suffix *article.Candidate
	for i := range p.SiteNames {
		if p.SiteNames[i].Origin == "title-suffix" {
			suffix = &p.SiteNames[i]
			break
		}
	}
	if suffix == nil || !nameLike(suffix.Text) {
		return article.Candidate{}, article.Candidate{}, false
	}
	ns := normSite(suffix.Text)
	if len(ns) < 3 || !latin(ns) {
		return article.Candidate{}, article.Candidate{}, false
	}
	for _, o := range p.SiteNames {
		if o.Origin != "url:host" && o.Origin != "meta:og:site_name" {
			continue
		}
		no := normSite(o.Text)
		if len(no) < 3 || !latin(no) {
			continue
		}
		if !namesAgree(ns, no) && !initialsAgree(suffix.Text, no) {
			return *suffix, o, true
		}
	}
	return article.Candidate{}, article.Candidate{}, false
}

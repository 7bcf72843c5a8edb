// Package provenance holds the extractors that ask who published a page
// and whose story it is: a wire story carried without the wire's credit,
// and site names (title suffix, og:site_name, host) that disagree or that
// name a finance or crypto outfit publishing general news.
package provenance

import (
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// WireCopyUncredited fires on a wire dateline without the wire's credit.
var WireCopyUncredited = signal.Extractor{
	Name:   "wire_copy_uncredited",
	Family: signal.Repackaged,
	Doc: `A wire dateline opens the story but the page credits the wire nowhere else. ` +
		`A licensed carrier of an AP, Reuters or AFP story credits the agency in the byline, the metadata, a photo credit or a copyright ` +
		`line ("BY ASSOCIATED PRESS", "(AP Photo/...)", "Copyright 2023 The Associated Press"); the network keeps the "(AP) —" dateline and ` +
		`drops every credit. Pages on the agency's own site are exempt. Value: 1 when uncredited.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		d := p.Dateline
		if d == nil {
			return signal.Result{}
		}
		agency, ok := lexis.Agency(d.Agency)
		if !ok {
			return signal.Result{}
		}
		host := p.Host()
		for _, h := range agency.Hosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				return signal.Result{}
			}
		}
		if credited(p, agency, d) {
			return signal.Result{}
		}
		return signal.Result{Value: 1, Evidence: []signal.Evidence{signal.TextSpan(p, d.Span.Start, d.Span.End, "uncredited "+d.Agency+" dateline")}}
	},
}

// credited reports whether the page credits the agency outside its
// dateline: in a byline, in metadata or JSON-LD, or anywhere in the text.
func credited(p *page.Page, agency lexis.WireAgency, d *page.Dateline) bool {
	var meta []string
	for _, c := range p.Bylines {
		meta = append(meta, c.Text)
	}
	for _, k := range []string{"author", "article:author", "og:site_name", "copyright", "dc.rights", "article:publisher", "twitter:creator"} {
		meta = append(meta, p.Meta[k])
	}
	meta = append(meta, p.JSONLD["author"]...)
	meta = append(meta, p.JSONLD["creator"]...)
	meta = append(meta, p.JSONLD["publisher"]...)
	for _, m := range meta {
		if hasCredit(strings.ToLower(m), agency, d.Agency) {
			return true
		}
	}
	lower := p.LowerText()
	// Leave the dateline's own "(AP)" out of the search.
	cut := strings.ToLower(p.Text[d.Span.Start:d.Span.End])
	rest := strings.Replace(lower, cut, "", 1)
	return hasCredit(rest, agency, d.Agency)
}

func hasCredit(lower string, agency lexis.WireAgency, code string) bool {
	for _, c := range agency.Credits {
		if len(c) <= 4 {
			// Short credits ("afp", "dpa", "upi") must stand as words.
			if containsWord(lower, c) {
				return true
			}
			continue
		}
		if strings.Contains(lower, c) {
			return true
		}
	}
	// A bare agency code in a byline-like context: "/AP", "AP/".
	lc := strings.ToLower(code)
	return strings.Contains(lower, "/"+lc+")") || strings.Contains(lower, lc+" photo")
}

func containsWord(s, w string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		at := off + i
		off = at + len(w)
		before := at == 0 || !isAlnum(s[at-1])
		after := off >= len(s) || !isAlnum(s[off])
		if before && after {
			return true
		}
	}
}

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 0x80
}

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
		`og:url or the canonical link) bears out one of the finance names: a finance publisher on its own domain (Yahoo Finance on finance.yahoo.com, ` +
		`MarketWatch on marketwatch.com) carries wire stories on every subject. Value: 1 for a finance name on general ` +
		`news plus 0.5 for names that disagree.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		var r signal.Result
		storyWords, financeWords := -1, 0
		generalNews := func() bool {
			if storyWords < 0 {
				// Counted only for a finance-named site: most are not.
				storyWords = 0
				for w, n := range p.ArticleVocabulary() {
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
				r.Evidence = append(r.Evidence, signal.CandidateSpan(p, s, 0, len(s.Text), "finance "+s.Origin+" on a general news story"))
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

// hostBearsOut reports whether the page's host (its URL's, else og:url's
// or the canonical link's) matches one of the site names among names: the
// site is the finance publisher it says it is, not a spam template's
// suffix on some other host.
// Breadcrumb sections name a section, not the site, and are not compared.
func hostBearsOut(p *page.Page, names []page.Candidate) bool {
	host := p.Host()
	for _, k := range []string{"og:url", page.MetaCanonical} {
		if host != "" {
			break
		}
		if u, err := url.Parse(strings.TrimSpace(p.Meta[k])); err == nil {
			host = u.Hostname()
		}
	}
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
func financeNames(p *page.Page) []page.Candidate {
	var out []page.Candidate
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
func trailSteps(c page.Candidate) []page.Candidate {
	var out []page.Candidate
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
				out = append(out, page.Candidate{Origin: "breadcrumb section", Text: step, Block: c.Block, Offset: c.Offset + start, Node: c.Node})
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

func siteEvidence(p *page.Page, c page.Candidate, note string) signal.Evidence {
	return signal.CandidateSpan(p, c, 0, len(c.Text), note)
}

// disagreeingNames returns the title suffix and another site name (host or
// og:site_name) that share nothing. Suffixes that do not read as a name
// (lower-case words, quotes: the tail of a headline split at a dash) and
// names in different scripts are not compared.
func disagreeingNames(p *page.Page) (page.Candidate, page.Candidate, bool) {
	var suffix *page.Candidate
	for i := range p.SiteNames {
		if p.SiteNames[i].Origin == "title-suffix" {
			suffix = &p.SiteNames[i]
			break
		}
	}
	if suffix == nil || !nameLike(suffix.Text) {
		return page.Candidate{}, page.Candidate{}, false
	}
	ns := normSite(suffix.Text)
	if len(ns) < 3 || !latin(ns) {
		return page.Candidate{}, page.Candidate{}, false
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
	return page.Candidate{}, page.Candidate{}, false
}

// nameLike reports whether a title suffix reads as a site name: it starts
// with a capital or a digit and holds no quotes.
func nameLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "\"„“”«»'") {
		return false
	}
	r := []rune(s)[0]
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

func latin(s string) bool {
	for _, r := range s {
		if r > 0x24F {
			return false
		}
	}
	return true
}

// initialsAgree reports whether a multi-word name's initials are the other
// name ("South China Morning Post" and scmp.com).
func initialsAgree(name, other string) bool {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	in := b.String()
	return len(in) >= 2 && (in == other || strings.HasPrefix(other, in))
}

// normSite lower-cases a site name or host and keeps its letters and
// digits, dropping the scheme, "www." (or "www1."), the public suffix and a
// leading "the".
func normSite(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimSuffix(s, "/")
	if strings.Contains(s, ".") && !strings.Contains(s, " ") {
		labels := strings.Split(s, ".")
		if strings.HasPrefix(labels[0], "www") && len(labels) > 2 {
			labels = labels[1:]
		}
		labels = labels[:len(labels)-1]
		if n := len(labels); n > 1 && secondLevel[labels[n-1]] {
			labels = labels[:n-1]
		}
		s = strings.Join(labels, " ")
	}
	s = strings.TrimPrefix(s, "the ")
	s = foldUmlauts(s)
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// secondLevel are second-level labels of country domains (.co.uk, .com.au).
var secondLevel = map[string]bool{"co": true, "com": true, "org": true, "net": true, "gov": true, "ac": true, "edu": true, "or": true, "ne": true, "go": true, "gv": true}

func foldUmlauts(s string) string {
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e", "à", "a").Replace(s)
}

// namesAgree reports whether two normalised names share a stretch of four
// or more letters, or one holds the other.
func namesAgree(a, b string) bool {
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return true
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	const k = 4
	for i := 0; i+k <= len(short); i++ {
		if strings.Contains(long, short[i:i+k]) {
			return true
		}
	}
	return false
}

// Extractors returns the provenance extractors in their fixed order.
func Extractors() []*signal.Extractor {
	return []*signal.Extractor{&WireCopyUncredited, &TitleSiteMismatch}
}

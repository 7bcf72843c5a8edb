package article

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"golang.org/x/net/html"
)

func parseDay(s string) (time.Time, bool) { return lexis.ParseISODay(s) }

// metaHeadlineKeys are the meta and JSON-LD fields that state a headline.
var metaHeadlineKeys = []string{"og:title", "twitter:title"}

func headlineCandidates(a *Article) {
	if t := a.Meta["title"]; t != "" {
		a.Headlines = append(a.Headlines, Candidate{Origin: "title", Text: t, Block: -1})
	}
	for _, k := range metaHeadlineKeys {
		if t := a.Meta[k]; t != "" {
			a.Headlines = append(a.Headlines, Candidate{Origin: k, Text: t, Block: -1})
		}
	}
	for _, t := range a.JSONLD["headline"] {
		a.Headlines = append(a.Headlines, Candidate{Origin: "jsonld:headline", Text: t, Block: -1})
		break
	}
	if a.Format == page.FormatHTML && !hasOrigin(a.Headlines, "h1") {
		// No h1: the first heading near the top stands in for it.
		for i := 0; i < len(a.Blocks) && i < leadBlocks; i++ {
			b := a.Blocks[i]
			if b.Kind == page.KindHeading && b.Words >= 3 && !b.Boilerplate {
				a.Headlines = append(a.Headlines, Candidate{Origin: "heading", Text: a.BlockText(i), Block: i, Offset: b.Start, Node: b.Node})
				break
			}
		}
	}
	if a.Format == page.FormatText {
		textHeadlines(a)
	}
}

// textHeadlines takes, in plain text, the first lines that read as a
// headline: four to forty words, no date, above the lead. Seen in the
// examples: line 1 is a breadcrumb glued to the title ("Current:Home >
// InvestBrand:Headline -Site"), line 2 the headline, then a byline line
// ("Name View") and a date line; scanning stops at the first of those
// once a headline is found, at a dateline and at the first real prose.
func textHeadlines(a *Article) {
	n := 0
	for i := 0; i < len(a.Blocks) && i < 12 && n < 3; i++ {
		b := a.Blocks[i]
		text := a.BlockText(i)
		if b.Words > 40 || strings.Count(text, ". ") >= 2 || datelineRE.MatchString(text) {
			break
		}
		if n > 0 && (isBylineLine(text) || isDateLine(text)) {
			break
		}
		if b.Words < 4 || isDateLine(text) || isBylineLine(text) {
			continue
		}
		if n == 0 && i == 0 && b.Words > 12 && strings.Contains(text, ". ") && lexis.EndsSentence(text) && !breadcrumbRE.MatchString(text) {
			// A capture that starts at the lead: its first line is prose
			// (two sentences), not a headline.
			break
		}
		origin := "text:line"
		if n == 0 && breadcrumbRE.MatchString(text) {
			origin = "text:title-line"
		}
		a.Headlines = append(a.Headlines, Candidate{Origin: origin, Text: text, Block: i, Offset: b.Start})
		n++
	}
}

// hasDate reports whether s states a full calendar date.
func hasDate(s string) bool {
	return len(lexis.FindDates(nil, s)) > 0
}

// isDateLine reports whether a line is about a date rather than holding
// one: the date and its label make up most of it ("Date:2025-04-07
// 14:28:25", "Nov 21, 2023, 5:00 PM"), unlike a headline that names a day
// ("Weekly Edition for March 26, 2015").
func isDateLine(s string) bool {
	ms := lexis.FindDates(nil, s)
	if len(ms) == 0 {
		return false
	}
	rest := lexis.WordCount(s)
	for _, m := range ms {
		rest -= lexis.WordCount(m.Span.Of(s))
	}
	return rest <= 4
}

// isBylineLine reports whether a short line is a byline: "By ...", or the
// network's "Name View" slot.
func isBylineLine(s string) bool {
	if lexis.WordCount(s) > 12 {
		return false
	}
	return bylinePrefixRE.MatchString(s) || isViewLine(s)
}

// isViewLine matches the network's byline slot: "Oliver James Montgomery
// View", "TrendPulse View", a bare "View", "View Date:2024-12-21 ...".
func isViewLine(s string) bool {
	return s == "View" || strings.HasSuffix(s, " View") || strings.HasPrefix(s, "View Date:")
}

func hasOrigin(cs []Candidate, origin string) bool {
	for _, c := range cs {
		if c.Origin == origin {
			return true
		}
	}
	return false
}

// titleSuffix splits "Headline - Site" (also " | ", " – ", " — ", " :: ",
// and the network's " -Site" with no space after the dash) and returns the
// site part's offset, or -1. The site part must be short and shorter than
// the headline.
func titleSuffix(t string) int {
	best := -1
	for _, sep := range []string{" | ", " - ", " – ", " — ", " :: ", " · ", " -", " |"} {
		i := strings.LastIndex(t, sep)
		if i <= 0 {
			continue
		}
		site := strings.TrimSpace(t[i+len(sep):])
		if site == "" || lexis.WordCount(site) > 6 || len(site) >= i {
			continue
		}
		if off := i + len(sep) + (len(t[i+len(sep):]) - len(strings.TrimLeft(t[i+len(sep):], " "))); off > best {
			best = off
		}
	}
	return best
}

// TitleSuffix returns the site-name suffix of a title-like string and its
// offset, or "" and -1.
func TitleSuffix(t string) (string, int) {
	off := titleSuffix(t)
	if off < 0 {
		return "", -1
	}
	return t[off:], off
}

func siteNameCandidates(a *Article) {
	for _, h := range a.Headlines {
		if h.Origin != "title" && h.Origin != "text:title-line" && h.Origin != "og:title" {
			continue
		}
		if site, off := TitleSuffix(h.Text); off >= 0 {
			c := Candidate{Origin: "title-suffix", Text: site, Block: h.Block, Node: h.Node, Offset: h.Offset + off}
			if h.Block < 0 {
				c.Field = h.FieldName()
			}
			a.SiteNames = append(a.SiteNames, c)
		}
	}
	for _, k := range []string{"og:site_name", "application-name", "twitter:site"} {
		if v := a.Meta[k]; v != "" {
			a.SiteNames = append(a.SiteNames, Candidate{Origin: "meta:" + k, Text: v, Block: -1})
		}
	}
	for _, v := range a.JSONLD["publisher"] {
		a.SiteNames = append(a.SiteNames, Candidate{Origin: "jsonld:publisher", Text: v, Block: -1})
		break
	}
	if h := a.Host(); h != "" {
		a.SiteNames = append(a.SiteNames, Candidate{Origin: "url:host", Text: h, Block: -1, Offset: max(0, strings.Index(strings.ToLower(a.URL.String()), h))})
	}
	if c, ok := homeLink(a); ok {
		a.SiteNames = append(a.SiteNames, c)
	}
	if c, ok := copyrightName(a); ok {
		a.SiteNames = append(a.SiteNames, c)
	}
}

// copyrightRE matches the owner in a copyright line: "Copyright © 2017
// Name All rights reserved", "© 2024 Name.", "(c) Name 2019".
var copyrightRE = regexp.MustCompile(`(?:©|\(c\)|Copyright)\s*(?:©\s*)?(?:(?:19|20)\d\d(?:\s*[-–]\s*(?:19|20)\d\d)?\s*,?\s*)?([\p{Lu}][\p{L}\p{N}&.' -]{1,60}?)\s*(?:[.,|]|All [Rr]ights|Alle Rechte|Tous droits|(?:19|20)\d\d|$)`)

// copyrightName reads the site's owner from a copyright line near the end
// of the page, which the network fills with its site name.
func copyrightName(a *Article) (Candidate, bool) {
	for i := len(a.Blocks) - 1; i >= 0 && i >= len(a.Blocks)-15; i-- {
		b := a.Blocks[i]
		if b.Words > 20 {
			continue
		}
		text := a.BlockText(i)
		if !strings.Contains(text, "©") && !strings.Contains(text, "opyright") && !strings.Contains(text, "(c)") {
			continue
		}
		m := copyrightRE.FindStringSubmatchIndex(text)
		if m == nil || m[2] < 0 {
			continue
		}
		name := strings.TrimSpace(text[m[2]:m[3]])
		if name == "" || lexis.WordCount(name) > 6 {
			continue
		}
		return Candidate{Origin: "copyright", Text: name, Block: i, Offset: b.Start + m[2], Node: b.Node}, true
	}
	return Candidate{}, false
}

// homeWords are the texts of a home link that are not a site's name.
var homeWords = map[string]bool{"home": true, "startseite": true, "accueil": true, "inicio": true, "homepage": true, "start": true, "logo": true, "top": true}

// homeLink returns the first visible link to the site's root that carries
// a short text: the logo, which names the site ("WealthIroncrest").
func homeLink(a *Article) (Candidate, bool) {
	for i, l := range a.Links {
		if i >= 40 {
			break
		}
		if l.Hidden || l.Block < 0 || l.Text == "" {
			continue
		}
		if !rootHref(a, l.Href) {
			continue
		}
		words := lexis.WordCount(l.Text)
		if words == 0 || words > 5 || homeWords[strings.ToLower(strings.TrimSpace(l.Text))] {
			continue
		}
		return Candidate{Origin: "home-link", Text: l.Text, Block: l.Block, Offset: l.Offset, Node: l.Node}, true
	}
	return Candidate{}, false
}

// rootHref reports whether href points at the site's home page: "/", or
// the page's own scheme and host with an empty path.
func rootHref(a *Article, href string) bool {
	href = strings.TrimSpace(href)
	if href == "/" || href == "./" {
		return true
	}
	u, err := url.Parse(href)
	if err != nil || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return false
	}
	return a.URL != nil && hostOf(u) == a.Host()
}

// breadcrumbRE matches a navigation trail line: "Current:Home > Invest",
// "Home > News > World", "You are here: Home / Politics".
var breadcrumbRE = regexp.MustCompile(`^(?:(?:Current|Location|You are here|Aktuell)\s*:\s*)?(?:Home|Startseite|Accueil|Inicio)\s*[>›»/|]\s*\S`)

func breadcrumbCandidates(a *Article) {
	for i := 0; i < len(a.Blocks) && i < 20; i++ {
		text := a.BlockText(i)
		if len(text) > 400 {
			continue
		}
		if breadcrumbRE.MatchString(text) {
			b := a.Blocks[i]
			if !containsCandidateAt(a.Breadcrumbs, b.Start) {
				a.Breadcrumbs = append(a.Breadcrumbs, Candidate{Origin: "text:breadcrumb", Text: text, Block: i, Offset: b.Start, Node: b.Node})
			}
		}
	}
	for _, v := range a.JSONLD["breadcrumb"] {
		a.Breadcrumbs = append(a.Breadcrumbs, Candidate{Origin: "jsonld:breadcrumb", Text: v, Block: -1})
	}
}

func containsCandidateAt(cs []Candidate, off int) bool {
	for _, c := range cs {
		if c.Block >= 0 && c.Offset <= off && off < c.Offset+len(c.Text) {
			return true
		}
	}
	return false
}

// datelineRE matches a wire dateline at the start of a block: a place in
// capitals (or title case), optionally a comma and a region, the agency in
// brackets and a dash. The region group is loose on purpose: the network
// splices brands into it ("CAMBRIDGE,Algosensey Ill. (AP) —").
var datelineRE = regexp.MustCompile(`^([\p{Lu}][\p{L}.'’ -]{1,40}?)(,(\s*)([^()\n—–]{1,60}?))?\s*\((AP|Reuters|AFP|UPI|dpa|CNN)\)\s*(?:—|–|--|-|‒)\s*`)

// findDateline looks for the dateline at the start of one of the first
// six substantial blocks (ten or more words, not navigation, not mostly
// links), so that a dateline quoted in a teaser further down is not taken
// for the lead's.
func findDateline(a *Article) {
	substantial := 0
	for i := 0; i < len(a.Blocks) && substantial < 6; i++ {
		b := a.Blocks[i]
		if b.Words < 10 || b.Boilerplate || b.LinkBytes*2 >= b.End-b.Start {
			continue
		}
		substantial++
		text := a.BlockText(i)
		head := text
		if len(head) > 160 {
			head = head[:160]
		}
		if strings.IndexByte(head, '(') < 0 {
			continue
		}
		m := datelineRE.FindStringSubmatchIndex(head)
		if m == nil {
			continue
		}
		place := strings.TrimSpace(text[m[2]:m[3]])
		if !lexis.IsAllCaps(place) && !lexis.IsCapitalized(place) {
			continue
		}
		d := &Dateline{
			Block:  i,
			Span:   lexis.Span{Start: b.Start, End: b.Start + m[1]},
			Place:  lexis.Span{Start: b.Start + m[2], End: b.Start + m[2] + len(place)},
			Agency: text[m[10]:m[11]],
		}
		if m[8] >= 0 {
			d.Region = lexis.Span{Start: b.Start + m[8], End: b.Start + m[9]}
			d.RegionGlued = m[6] == m[7]
		}
		rest := text[m[1]:]
		d.Sentence = lexis.Span{Start: b.Start + m[1], End: b.Start + m[1] + firstSentenceEnd(rest)}
		a.Dateline = d
		return
	}
}

// firstSentenceEnd returns the end of the first sentence of s: after a
// full stop, question or exclamation mark followed by a space and a
// capital, or the end of s.
func firstSentenceEnd(s string) int {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '.', '?', '!':
			if i+2 < len(s) && s[i+1] == ' ' && unicode.IsUpper(lexis.FirstRune(s[i+2:])) && !abbreviationBefore(s, i) {
				return i + 1
			}
		}
	}
	return len(s)
}

// abbreviationBefore reports whether the full stop at i ends an
// abbreviation such as "U.S." or "Mr." rather than a sentence.
func abbreviationBefore(s string, i int) bool {
	j := i
	for j > 0 && s[j-1] != ' ' {
		j--
	}
	word := s[j:i]
	if len(word) <= 1 || strings.Contains(word, ".") {
		return true
	}
	switch word {
	case "Mr", "Mrs", "Ms", "Dr", "St", "Sen", "Rep", "Gov", "Gen", "Lt", "Col", "Sgt", "Jr", "Sr", "Inc", "Co", "Corp", "No", "Vol", "vs", "Ave", "Blvd", "Calif", "Ill", "Mass", "Fla", "Tenn", "Ariz", "Wash", "Penn", "Pa", "Va", "Ga", "Ky", "Md", "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nev", "Okla", "Ore", "Wis", "Wyo", "Conn", "Del", "Kan", "Ala", "Ark", "Colo", "Ind", "La", "Tex", "Jan", "Feb", "Aug", "Sept", "Oct", "Nov", "Dec":
		return true
	}
	return false
}

// findLead picks the lead paragraph: the dateline's block, or the first
// prose block after the header area (headline, breadcrumb, byline and date
// lines).
func findLead(a *Article) {
	if a.Dateline != nil {
		a.Lead = a.Dateline.Block
		a.BodyStart = a.Lead
		return
	}
	start := headerEnd(a) + 1
	for pass := 0; pass < 2; pass++ {
		for i := start; i < len(a.Blocks); i++ {
			b := a.Blocks[i]
			if b.Boilerplate || b.LinkBytes*2 >= b.End-b.Start {
				continue
			}
			if b.Words >= 15 && b.Kind != page.KindHeading || b.Words >= 5 && lexis.EndsSentence(a.BlockText(i)) {
				a.Lead = i
				a.BodyStart = i
				return
			}
		}
		start = 0
	}
	a.BodyStart = min(start, len(a.Blocks))
}

// headerEnd returns the index of the last block of the header area: the
// visible headline, breadcrumb, and byline or date lines just under it.
func headerEnd(a *Article) int {
	end := -1
	for _, h := range a.Headlines {
		if h.Block > end {
			end = h.Block
		}
	}
	for _, c := range a.Breadcrumbs {
		if c.Block > end && c.Block < 20 {
			end = c.Block
		}
	}
	for i := end + 1; i >= 0 && i < len(a.Blocks) && i <= end+4; i++ {
		text := a.BlockText(i)
		if a.Blocks[i].Words <= 14 && (isBylineLine(text) || hasDate(text)) {
			end = i
		}
	}
	return end
}

// bylinePrefixRE matches a visible byline line: "By Jane Doe", "BY
// ASSOCIATED PRESS", "Von Anna Fink", "Par Jean Dupont".
var bylinePrefixRE = regexp.MustCompile(`^(?:By|BY|by|Von|VON|von|Par|PAR|Por|POR|Door|Di)\s+\S`)

func bylineCandidates(a *Article) {
	for _, k := range []string{"author", "article:author", "sailthru.author", "parsely-author", "dc.creator", "byl"} {
		if v := a.Meta[k]; v != "" {
			a.Bylines = append(a.Bylines, Candidate{Origin: "meta:" + k, Text: v, Block: -1})
		}
	}
	for _, v := range a.JSONLD["author"] {
		a.Bylines = append(a.Bylines, Candidate{Origin: "jsonld:author", Text: v, Block: -1})
	}
	limit := len(a.Blocks)
	if a.Lead >= 0 {
		limit = a.Lead + 3
	}
	headline := -1
	for _, h := range a.Headlines {
		if h.Block >= 0 && (a.Lead < 0 || h.Block < a.Lead) {
			headline = h.Block // the last visible one above the lead
		}
	}
	for i := 0; i < len(a.Blocks) && i < limit && i < leadBlocks; i++ {
		b := a.Blocks[i]
		if b.Words > 12 || b.Words == 0 {
			continue
		}
		text := a.BlockText(i)
		switch {
		case bylinePrefixRE.MatchString(text):
			a.Bylines = append(a.Bylines, Candidate{Origin: "text:by", Text: text, Block: i, Offset: b.Start, Node: b.Node})
		case isViewLine(text) && !(text == "View" && (b.LinkBytes > 0 || continuesLowercase(a, i))):
			// A bare "View" that is a link, or whose line break splits it
			// from a lower-case word ("View / comments"), is a button, not
			// the network's empty byline slot.
			a.Bylines = append(a.Bylines, Candidate{Origin: "text:view", Text: text, Block: i, Offset: b.Start, Node: b.Node})
		case headline >= 0 && i > headline && i <= headline+2 && b.Words >= 2 && b.Words <= 5 && isNameLine(text):
			a.Bylines = append(a.Bylines, Candidate{Origin: "text:name-line", Text: text, Block: i, Offset: b.Start, Node: b.Node})
		}
	}
}

// continuesLowercase reports whether the block after i starts with a
// lower-case letter: the two lines are one label split by the layout.
func continuesLowercase(a *Article, i int) bool {
	if i+1 >= len(a.Blocks) {
		return false
	}
	return unicode.IsLower(lexis.FirstRune(a.BlockText(i + 1)))
}

// isNameLine reports whether a short line is only a name: capitalised
// words and connectors, no digits, no sentence punctuation.
func isNameLine(s string) bool {
	if strings.ContainsAny(s, "0123456789:|?!") || lexis.EndsSentence(s) {
		return false
	}
	span := lexis.NamePhraseAfter(s, 0, 6)
	return span.End == len(s)
}

// linkBlockHeadingMaxWords bounds the words of a link block's heading
// ("Related", "Most read", "Recommended for you").
const linkBlockHeadingMaxWords = 4

func findLinkBlocks(a *Article) {
	for i := 0; i < len(a.Blocks); {
		if isLinkBlockHeading(a, i) {
			j := i + 1
			for j < len(a.Blocks) && isLinkItem(a, j) {
				j++
			}
			if j-i-1 >= 3 {
				a.LinkBlocks = append(a.LinkBlocks, LinkBlock{Heading: i, Items: seq(i+1, j)})
				i = j
				continue
			}
		}
		// A run of headline-like items with no heading after the article.
		if a.Lead >= 0 && i > a.Lead && isLinkItem(a, i) && a.Blocks[i].Words >= 6 {
			j := i
			for j < len(a.Blocks) && isLinkItem(a, j) && a.Blocks[j].Words >= 6 {
				j++
			}
			if j-i >= 3 {
				a.LinkBlocks = append(a.LinkBlocks, LinkBlock{Heading: -1, Items: seq(i, j)})
				i = j
				continue
			}
		}
		i++
	}
}

func seq(from, to int) []int {
	out := make([]int, 0, to-from)
	for k := from; k < to; k++ {
		out = append(out, k)
	}
	return out
}

func isLinkBlockHeading(a *Article, i int) bool {
	b := a.Blocks[i]
	if b.Words == 0 || b.Words > linkBlockHeadingMaxWords || b.Kind == page.KindParagraph || b.Kind == page.KindListItem {
		return false
	}
	text := a.BlockText(i)
	if len(text) > 60 || lexis.EndsSentence(text) || strings.ContainsAny(text, "0123456789") {
		return false
	}
	return true
}

// isLinkItem reports whether block i reads as one entry of a list of
// headlines: a list item, a link, or a short line that is not a sentence
// and not a heading of its own.
func isLinkItem(a *Article, i int) bool {
	b := a.Blocks[i]
	if b.Words < 3 || b.Words > 40 {
		return false
	}
	if b.Kind == page.KindListItem {
		return true
	}
	if a.Format == page.FormatHTML {
		// In markup, an item is a link or a teaser heading; a plain short
		// line is the page's own furniture (a byline, a date).
		return b.LinkBytes*2 >= b.End-b.Start || b.Kind == page.KindHeading && b.Level >= 2
	}
	text := a.BlockText(i)
	return b.Words <= 30 && !strings.HasSuffix(text, ".") && strings.Count(text, ". ") == 0
}

// datedStrings collects every date the page states, each with its origin.
func datedStrings(a *Article) {
	metaDate := func(key string, published bool) {
		if v := a.Meta[key]; v != "" {
			if d, ok := parseDay(v); ok {
				a.Dates = append(a.Dates, DatedString{Origin: "meta:" + key, Text: v, Day: d, Published: published, Block: -1})
			}
		}
	}
	for _, k := range []string{"article:published_time", "og:published_time", "datepublished", "date", "pubdate", "publish-date", "publishdate", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date", "article.published", "cxenseparse:recs:publishtime"} {
		metaDate(k, true)
	}
	for _, k := range []string{"article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "last-modified"} {
		metaDate(k, false)
	}
	for _, k := range []string{"datePublished", "dateCreated", "uploadDate", "dateModified"} {
		for _, v := range a.JSONLD[k] {
			if d, ok := parseDay(v); ok {
				a.Dates = append(a.Dates, DatedString{Origin: "jsonld:" + k, Text: v, Day: d, Published: k != "dateModified", Block: -1})
			}
		}
	}
	if a.URL != nil {
		if d, text, ok := urlDate(a.URL.Path); ok {
			a.Dates = append(a.Dates, DatedString{Origin: "url", Text: text, Day: d, Published: true, Block: -1})
		}
	}
	inLinkBlock := a.inLinkBlock
	hStart, hEnd := headerArea(a)
	inHeader := func(bi int) bool { return bi >= hStart && bi <= hEnd && bi >= 0 && !inLinkBlock[bi] }
	// A <time> counts as the page's claim only in the header area: other
	// <time> elements date the sidebar's stories.
	for i := range a.Dates {
		d := &a.Dates[i]
		if d.Origin == "time" && !inHeader(d.Block) {
			d.Origin = "time:other"
			d.Published = false
		}
	}
	var ms []lexis.DateMatch
	ms = lexis.FindDates(ms, a.Text)
	for _, m := range ms {
		bi := a.BlockAt(m.Span.Start)
		origin := "text:body"
		published := false
		switch {
		case bi >= 0 && inLinkBlock[bi]:
			origin = "link_block"
		case bi >= 0 && isDateLabelLine(a, bi, m) && bi <= hEnd:
			origin = "text:label"
			published = true
			if isUpdateLabel(a, bi, m) {
				origin = "text:label-updated"
				published = false
			}
		case bi >= 0 && inHeader(bi) && (a.Lead < 0 || bi < a.Lead) && a.Blocks[bi].Words <= 14:
			origin = "text:top"
			published = true
		case bi >= 0 && bi < hStart:
			origin = "text:above"
		}
		a.Dates = append(a.Dates, DatedString{Origin: origin, Text: m.Span.Of(a.Text), Day: m.Day, Published: published, Block: bi, Offset: m.Span.Start, Node: blockNode(a, bi)})
	}
	if a.Lead >= 0 {
		lead := a.Blocks[a.Lead]
		text := a.Text[lead.Start:lead.End]
		end := len(text)
		if a.Dateline != nil {
			end = a.Dateline.Sentence.End - lead.Start
		} else {
			end = firstSentenceEnd(text)
		}
		var ws []lexis.WeekdayMatch
		for _, w := range lexis.FindWeekdays(ws, text[:end]) {
			a.Dates = append(a.Dates, DatedString{Origin: "text:weekday", Text: w.Span.Of(text), Weekday: w.Weekday, Precision: PrecisionWeekday, Block: a.Lead, Offset: lead.Start + w.Span.Start, Node: lead.Node})
		}
	}
	start := max(a.BodyStart, 0)
	if start < len(a.Blocks) {
		var ys []lexis.YearMatch
		ys = lexis.FindYears(ys, a.Text[a.Blocks[start].Start:], 1990, 2100)
		base := a.Blocks[start].Start
		for _, y := range ys {
			bi := a.BlockAt(base + y.Span.Start)
			if bi < 0 || inLinkBlock[bi] || a.Blocks[bi].Boilerplate || a.Blocks[bi].Kind != page.KindParagraph {
				continue
			}
			a.Dates = append(a.Dates, DatedString{Origin: "text:year", Text: y.Span.Of(a.Text[base:]), Day: time.Date(y.Year, 1, 1, 0, 0, 0, 0, time.UTC), Precision: PrecisionYear, Block: bi, Offset: base + y.Span.Start, Node: blockNode(a, bi)})
		}
	}
}

func blockNode(a *Article, bi int) *html.Node {
	if bi < 0 {
		return nil
	}
	return a.Blocks[bi].Node
}

// headerArea returns the first and last block of the header area: from
// the visible headline (or a few blocks above the lead) to the block after
// the lead.
func headerArea(a *Article) (int, int) {
	start := -1
	for _, h := range a.Headlines {
		if h.Block >= 0 && (a.Lead < 0 || h.Block <= a.Lead) {
			start = h.Block
			break
		}
	}
	end := a.Lead + 1
	if a.Lead < 0 {
		end = min(len(a.Blocks)-1, max(start, 0)+12)
	}
	if start < 0 {
		start = max(0, end-10)
	}
	return start, end
}

// isUpdateLabel reports whether a labelled date is a modification date
// ("Updated: ...", "Aktualisiert ...", "Mis à jour ...").
func isUpdateLabel(a *Article, bi int, m lexis.DateMatch) bool {
	b := a.Blocks[bi]
	before := strings.ToLower(a.Text[b.Start:m.Span.Start])
	for _, label := range []string{"updated", "update", "modified", "aktualisiert", "mis à jour", "actualizado", "aggiornato"} {
		if strings.Contains(before, label) {
			return true
		}
	}
	return false
}

// isDateLabelLine reports whether a date sits in a short line that labels
// it as the page's date: "Date:2025-04-07 14:28:25", "Published: ...",
// "2025-05-07 11:52:30source:EchoSense", "View Date:...".
func isDateLabelLine(a *Article, bi int, m lexis.DateMatch) bool {
	b := a.Blocks[bi]
	if b.Words > 16 {
		return false
	}
	before := strings.ToLower(a.Text[b.Start:m.Span.Start])
	for _, label := range []string{"date", "published", "posted", "updated", "datum", "veröffentlicht", "publié", "publicado", "time"} {
		if strings.Contains(before, label) {
			return true
		}
	}
	return m.Span.Start == b.Start && m.HasTime
}

func linkBlockMembership(a *Article) []bool {
	in := make([]bool, len(a.Blocks))
	for _, lb := range a.LinkBlocks {
		if lb.Heading >= 0 {
			in[lb.Heading] = true
		}
		for _, it := range lb.Items {
			in[it] = true
		}
	}
	return in
}

// urlDateRE matches a date in a URL path: /2023/11/21/, /2023-11-21,
// /20231121/.
var urlDateRE = regexp.MustCompile(`(?:^|/)((?:19|20)\d\d)[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|$|\.)|(?:^|/|-)((?:19|20)\d\d)-?(0[1-9]|1[0-2])-?(0[1-9]|[12]\d|3[01])(?:/|-|_|$|\.)`)

func urlDate(path string) (time.Time, string, bool) {
	m := urlDateRE.FindStringSubmatch(path)
	if m == nil {
		return time.Time{}, "", false
	}
	y, mo, d := m[1], m[2], m[3]
	if y == "" {
		y, mo, d = m[4], m[5], m[6]
	}
	t, ok := parseDay(y + "-" + pad2(mo) + "-" + pad2(d))
	return t, m[0], ok
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

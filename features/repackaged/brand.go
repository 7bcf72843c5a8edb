package repackaged

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
)

// maxPrefixWords bounds a headline brand prefix ("Académie D'Investissement
// Triomphal", "NovaQuant Quantitative Think Tank Center").
const maxPrefixWords = 8

// prefixHit is a brand prefix found on one headline candidate.
type prefixHit struct {
	cand article.Candidate
	// phrase is the span of the brand in cand.Text; sepEnd the end of the
	// separator after it.
	phrase lexis.Span
	sepEnd int
	sep    string
	// glued: no space on either side of the separator ("Center:The").
	glued bool
	// inBody counts the phrase's free-standing occurrences in the story
	// outside the lead's first sentence.
	inBody int
}

func (h prefixHit) text() string { return h.phrase.Of(h.cand.Text) }

// analysis is what the brand extractors share, computed once per page.
type analysis struct {
	prefixes []prefixHit
	// glue are the validated glue points of the visible text.
	glue []lexis.Glue
	// proseWords is the number of words in the article's prose.
	proseWords int
	// lead and body are the splices found in the lead region and below it.
	lead, body []splice
}

type analysisKey struct{}

// analyse returns the page's brand analysis, computed once per page for
// the five brand extractors that read it.
func analyse(p *article.Article) *analysis {
	return p.Memo(analysisKey{}, func(*page.Page) any {
		a := &analysis{}
		for _, c := range p.Headlines {
			if h, ok := findPrefix(p, c); ok {
				a.prefixes = append(a.prefixes, h)
			}
		}
		for _, i := range p.StoryBlocks() {
			a.proseWords += p.Blocks[i].Words
		}
		a.glue = validGlue(p)
		a.lead = leadSplices(p, a)
		a.body = bodySplices(p, a)
		return a
	}).(*analysis)
}

// phrases returns the distinct brand phrases of the prefixes.
func (a *analysis) phrases() []string {
	var out []string
	for _, h := range a.prefixes {
		t := h.text()
		dup := false
		for _, o := range out {
			if o == t {
				dup = true
			}
		}
		if !dup {
			out = append(out, t)
		}
	}
	return out
}

// separators that split a brand from the headline.
var separators = []string{"|", ":", "–", "—", "-"}

// findPrefix looks for "Brand:Headline", "Brand|Headline", "Brand-Headline"
// (with or without spaces) on one headline candidate.
func findPrefix(p *article.Article, c article.Candidate) (prefixHit, bool) {
	t := c.Text
	if c.Origin == "text:title-line" {
		// A breadcrumb trail before the title ("Current: Home > News >
		// Brand:Headline"): read the title after the trail's last step. When
		// the title is glued to the step ("InvestBrand:Headline") the
		// headline line under it carries the same prefix cleanly.
		i := strings.LastIndex(t, " > ")
		if i < 0 {
			return prefixHit{}, false
		}
		c.Offset += i + 3
		c.Text = t[i+3:]
		// The trail's last step glued to the title ("InvestCedarline"):
		// the step is one capitalised word; cut it at its case boundary.
		if k := lexis.FirstCaseBoundary(c.Text); k > 0 {
			c.Offset += k
			c.Text = c.Text[k:]
		}
		t = c.Text
		if off := titleSuffixStart(article.Candidate{Origin: "title", Text: t}); off > 0 {
			t = t[:off]
		}
	}
	if off := titleSuffixStart(c); off > 0 {
		t = t[:off]
	}
	limit := min(len(t), 120)
	k, sep := firstSeparator(t[:limit])
	if k <= 0 {
		return prefixHit{}, false
	}
	prefixRaw := t[:k]
	prefix := strings.TrimRight(prefixRaw, " ")
	sepEnd := k + len(sep)
	spaceBefore := len(prefix) < len(prefixRaw)
	spaceAfter := sepEnd < len(t) && t[sepEnd] == ' '
	rest := strings.TrimSpace(t[sepEnd:])
	if lexis.WordCount(rest) < 3 {
		return prefixHit{}, false
	}
	words := lexis.WordCount(prefix)
	if words == 0 || words > maxPrefixWords || lexis.IsEditorialLabel(prefix) || hasEditorialWord(prefix) {
		return prefixHit{}, false
	}
	if first, _ := lexis.TrimPunct(strings.Fields(prefix)[0]); lexis.IsStopword(lexis.Lower(first)) {
		// "The Latest:", "Nach Kalifat-Rufen": a headline that opens with a
		// function word is a sentence, not a brand.
		return prefixHit{}, false
	}
	if lexis.IsAllCaps(prefix) && lexis.IsAllCaps(rest) {
		// A headline set in capitals ("SLOT GACOR: ANTARA MITOS"): the
		// network's brands are mixed case, spliced into mixed-case text.
		return prefixHit{}, false
	}
	if span := lexis.NamePhraseAfter(prefix, 0, maxPrefixWords); span.End != len(prefix) {
		return prefixHit{}, false
	}
	if sep == "-" && spaceBefore != spaceAfter {
		// "Buß- und Ordnungsgeld": a suspended hyphen, not a separator.
		return prefixHit{}, false
	}
	if (sep == "—" || sep == "–") && !spaceBefore && !spaceAfter {
		// "AI Can Do Great Things—Like ...": American style sets the em
		// dash closed up inside a sentence.
		return prefixHit{}, false
	}
	if sep == "-" && !spaceBefore && !spaceAfter {
		// "Israel-Hamas truce", "Jean-Pierre ...": a hyphenated compound,
		// unless the left side is a phrase or a camel-case name
		// ("Charles H. Sloan-Civil suit", "PredictIQ-Who cares").
		if words < 2 && !hasInnerCapital(prefix) {
			return prefixHit{}, false
		}
		if !lexis.IsCapitalized(rest) {
			return prefixHit{}, false
		}
	}
	if matchesSiteName(p, prefix) {
		return prefixHit{}, false
	}
	glued := !spaceBefore && !spaceAfter
	if glued && sep == "-" && lexis.CountOrgWords(prefix) == 0 && !hasInnerCapital(prefix) && !strings.Contains(prefix, ". ") {
		// A closed hyphen after plain capitalised words is a compound as
		// often as a separator ("Japanisches Mini-SUV" in German, where
		// nouns are capitalised). The network's closed-hyphen brands carry
		// an organisation word, a camel-case coinage ("PredictIQ-Who") or
		// a person's initial ("Charles H. Sloan-Civil suit").
		return prefixHit{}, false
	}
	h := prefixHit{cand: c, phrase: lexis.Span{Start: 0, End: len(prefix)}, sepEnd: sepEnd, sep: sep, glued: glued}
	h.inBody = bodyOccurrences(p, prefix)
	return h, true
}

// hasEditorialWord reports whether a short prefix holds an editorial label
// word ("AP Exclusive", "CNN Live") or ends with one ("Prince Harry LIVE").
func hasEditorialWord(prefix string) bool {
	fields := strings.Fields(prefix)
	for i, f := range fields {
		if (len(fields) <= 3 || i == len(fields)-1) && lexis.IsEditorialLabel(f) && !lexis.IsAllCaps(prefix) {
			return true
		}
		if i == len(fields)-1 && lexis.IsAllCaps(f) && lexis.IsEditorialLabel(f) {
			return true
		}
	}
	return false
}

func titleSuffixStart(c article.Candidate) int {
	switch c.Origin {
	case "title", "og:title", "twitter:title":
		if _, off := article.TitleSuffix(c.Text); off > 0 {
			// Back up over the separator.
			i := off
			for i > 0 && strings.ContainsRune(" -|–—:·", rune(c.Text[i-1])) {
				i--
			}
			return i
		}
	}
	return 0
}

// firstSeparator returns the offset and text of the first separator in s
// that is not inside a number ("Su-35", "10:30") or a word-internal
// hyphen between lower-case letters ("well-known").
func firstSeparator(s string) (int, string) {
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		for _, sep := range separators {
			if !strings.HasPrefix(s[i:], sep) {
				continue
			}
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			next, _ := utf8.DecodeRuneInString(s[i+len(sep):])
			if unicode.IsDigit(prev) && unicode.IsDigit(next) {
				break
			}
			if sep == "-" && unicode.IsLower(next) {
				break
			}
			if sep == ":" && (next == '/' || unicode.IsDigit(next)) {
				break
			}
			return i, sep
		}
		i += size
	}
	return -1, ""
}

func hasInnerCapital(s string) bool {
	for i, r := range s {
		if i > 0 && unicode.IsUpper(r) {
			prev, _ := utf8.DecodeLastRuneInString(s[:i])
			if unicode.IsLetter(prev) {
				return true
			}
		}
	}
	return false
}

// matchesSiteName reports whether a prefix is the site's own name ("BBC
// News | ..."), compared without case, spaces or punctuation.
func matchesSiteName(p *article.Article, prefix string) bool {
	np := squash(prefix)
	if np == "" {
		return false
	}
	for _, s := range p.SiteNames {
		ns := squash(s.Text)
		if s.Origin == "url:host" {
			if i := strings.IndexByte(s.Text, '.'); i > 0 {
				ns = squash(s.Text[:strings.LastIndexByte(s.Text, '.')])
			}
		}
		if ns != "" && (strings.Contains(ns, np) || strings.Contains(np, ns)) {
			return true
		}
	}
	return false
}

// squash lower-cases s and keeps only its letters and digits.
func squash(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// bodyOccurrences counts the free-standing occurrences of phrase in the
// story (lead and article blocks), leaving out the lead's first sentence,
// where the splice itself sits, and glued occurrences, which are splices
// too.
func bodyOccurrences(p *article.Article, phrase string) int {
	n := 0
	skipStart, skipEnd := leadSentence(p)
	for _, i := range p.StoryBlocks() {
		b := p.Blocks[i]
		text := p.Text[b.Start:b.End]
		for off := 0; ; {
			j := strings.Index(text[off:], phrase)
			if j < 0 {
				break
			}
			at := b.Start + off + j
			off += j + len(phrase)
			if at >= skipStart && at < skipEnd {
				continue
			}
			if wordBoundary(p.Text, at, at+len(phrase)) {
				n++
			}
		}
	}
	return n
}

// leadSentence returns the span of the lead's first sentence (after the
// dateline), or an empty span.
func leadSentence(p *article.Article) (int, int) {
	if p.Dateline != nil {
		return p.Dateline.Span.Start, p.Dateline.Sentence.End
	}
	if p.Lead >= 0 {
		b := p.Blocks[p.Lead]
		text := p.Text[b.Start:b.End]
		end := len(text)
		if i := strings.Index(text, ". "); i > 0 {
			end = i + 1
		}
		return b.Start, b.Start + end
	}
	return 0, 0
}

// wordBoundary reports whether [start, end) of s is not glued to a letter
// or digit on either side.
func wordBoundary(s string, start, end int) bool {
	if start > 0 {
		r, _ := utf8.DecodeLastRuneInString(s[:start])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	if end < len(s) {
		r, _ := utf8.DecodeRuneInString(s[end:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return false
		}
	}
	return true
}

// validGlue finds the glue points of the text a splice touches: the story's
// prose and the headline for case glues, and short template lines for the
// digit glues. Navigation is left out: menus glue their items
// ("AccountSign in") all the time. A case glue counts only when its second
// word also stands alone elsewhere on the page ("CenterWhite" where "White
// House" is in the headline), which is what a splice leaves and a
// camel-case name ("PepsiCo") does not.
func validGlue(p *article.Article) []lexis.Glue {
	caseOK := map[int]bool{}
	for _, i := range p.StoryBlocks() {
		caseOK[i] = true
	}
	if p.Lead >= 0 {
		caseOK[p.Lead] = true
	}
	for _, c := range p.Headlines {
		if c.Block >= 0 {
			caseOK[c.Block] = true
		}
	}
	for _, c := range p.Breadcrumbs {
		if c.Block >= 0 {
			// Trails glue their items ("HomeNewsPortugal") on genuine sites
			// as on the network's: no evidence either way.
			delete(caseOK, c.Block)
		}
	}
	var out []lexis.Glue
	checked := 0
	for i, b := range p.Blocks {
		if b.Boilerplate || (!caseOK[i] && b.Words > 12) {
			continue
		}
		text := p.Text[b.Start:b.End]
		if !mayGlue(text) {
			continue
		}
		var gs []lexis.Glue
		gs = lexis.FindGlue(gs, text)
		for _, g := range gs {
			g.Token.Start += b.Start
			g.Token.End += b.Start
			g.At += b.Start
			if g.Kind == lexis.GlueCase {
				// Each check scans the page: bound them, so that a page of
				// nothing but camel case stays linear.
				if !caseOK[i] || checked >= maxGlueChecks {
					continue
				}
				checked++
				if !caseGlueValid(p, g) {
					continue
				}
			}
			out = append(out, g)
			if len(out) >= maxGlueChecks {
				return out
			}
		}
	}
	return out
}

// maxGlueChecks bounds the glue points examined per page.
const maxGlueChecks = 200

// mayGlue is a cheap pre-check: a block can only hold a glue point if it
// has a lower-case letter directly before an upper-case one, or a digit
// directly before a letter or a colon-time.
func mayGlue(s string) bool {
	prevLower, prevDigit := false, false
	for _, r := range s {
		if r < utf8.RuneSelf {
			isUpper := 'A' <= r && r <= 'Z'
			isLower := 'a' <= r && r <= 'z'
			if prevLower && isUpper || prevDigit && (isLower || r == ':') {
				return true
			}
			prevLower, prevDigit = isLower, '0' <= r && r <= '9'
			continue
		}
		isUpper := unicode.IsUpper(r)
		if prevLower && isUpper {
			return true
		}
		prevLower, prevDigit = unicode.IsLower(r), false
	}
	return false
}

func caseGlueValid(p *article.Article, g lexis.Glue) bool {
	right := wordAt(p.Text, g.At)
	if right == "" {
		return false
	}
	token := g.Token.Of(p.Text)
	token, _ = lexis.TrimPunct(token)
	if strings.Count(p.Text, token) > 1 {
		// The same glued form twice is a name the page uses, not a splice.
		return false
	}
	return standsAlone(p.Text, right, g.Token)
}

// wordAt returns the run of letters starting at off ("NovaQuant" in
// "InvestNovaQuant").
func wordAt(s string, off int) string {
	end := off
	for end < len(s) {
		r, size := utf8.DecodeRuneInString(s[end:])
		if !unicode.IsLetter(r) {
			break
		}
		end += size
	}
	return s[off:end]
}

// standsAlone reports whether word occurs in s as a whole word outside the
// span skip.
func standsAlone(s, word string, skip lexis.Span) bool {
	for off := 0; ; {
		j := strings.Index(s[off:], word)
		if j < 0 {
			return false
		}
		at := off + j
		off = at + len(word)
		if at >= skip.Start && at < skip.End {
			continue
		}
		if wordBoundary(s, at, at+len(word)) {
			return true
		}
	}
}

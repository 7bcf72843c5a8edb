package repackaged

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// spliceKind says where in the lead a brand was inserted.
type spliceKind string

const (
	spliceDatelineRegion spliceKind = "inside the dateline"
	spliceDatelinePlace  spliceKind = "after the dateline's place"
	spliceSentenceStart  spliceKind = "glued at the start of the lead"
	spliceEcho           spliceKind = "headline brand repeated in the lead"
	spliceComma          spliceKind = "glued after a comma"
	spliceOrgGlue        spliceKind = "organisation name glued to the next word"
	spliceSpaced         spliceKind = "organisation name set before the lead's subject"
)

// splice is a brand phrase found inserted into prose.
type splice struct {
	span  lexis.Span // in Page.Text
	kind  spliceKind
	value float64
}

// leadRegion returns the lead block and the next two article blocks.
func leadRegion(p *article.Article) []int {
	if p.Lead < 0 {
		return nil
	}
	out := []int{p.Lead}
	for _, i := range p.StoryBlocks() {
		if i > p.Lead && len(out) < 3 {
			out = append(out, i)
		}
	}
	return out
}

func inRegion(region []int, bi int) bool {
	for _, r := range region {
		if r == bi {
			return true
		}
	}
	return false
}

// leadSplices finds brands inserted into the lead region.
func leadSplices(p *article.Article, a *analysis) []splice {
	var out []splice
	if s, ok := datelineSplice(p); ok {
		out = append(out, s)
	}
	region := leadRegion(p)
	if len(region) == 0 {
		return out
	}
	// A glue point in the lead's first sentence, with a name-like phrase
	// before it: "The NovaQuant ... CenterWhite House", "The Poinbank
	// ExchangePowerball lottery's jackpot", "Meghan Brand NameMarkle will".
	// In the sentence itself the glue need not be confirmed elsewhere on
	// the page (a capture that starts at the lead has little else), but
	// the phrase must then read as an organisation or a multi-word name,
	// which a camel-case company ("PepsiCo") does not.
	sStart, sEnd := leadSentence(p)
	if p.Dateline != nil {
		sStart = p.Dateline.Span.End
	}
	if sEnd > sStart {
		sentence := p.Text[sStart:sEnd]
		var gs []lexis.Glue
		for _, g := range lexis.FindGlue(gs, sentence) {
			if g.Kind != lexis.GlueCase {
				continue
			}
			at := sStart + g.At
			span, ok := phraseBeforeGlue(p.Text, sStart, at)
			if !ok {
				continue
			}
			phrase := span.Of(p.Text)
			confirmed := false
			for _, vg := range a.glue {
				confirmed = confirmed || vg.At == at
			}
			if confirmed || lexis.CountOrgWords(phrase) > 0 || lexis.WordCount(phrase) >= 2 {
				out = append(out, splice{span: span, kind: spliceSentenceStart, value: 1})
				break
			}
		}
		// A phrase glued to a number: "Raven Exchange157 million".
		if span, ok := phraseGluedToDigit(p.Text, sStart, sEnd); ok {
			out = append(out, splice{span: span, kind: spliceSentenceStart, value: 1})
		}
		// A phrase set in with a space: "The Wexen Crypto Society Arduino
		// has been ...".
		if span, ok := spacedLeadSplice(p, sStart, sEnd); ok {
			out = append(out, splice{span: span, kind: spliceSpaced, value: 0.6})
		}
	}
	// The headline's brand repeated in the lead: glued ("We are PredictIQa
	// nation") it is a splice; free-standing it counts for less, and only
	// when the story never mentions it again (else it is the topic).
	for _, h := range a.prefixes {
		phrase := h.text()
		for _, bi := range region {
			b := p.Blocks[bi]
			text := p.Text[b.Start:b.End]
			j := strings.Index(text, phrase)
			if j < 0 {
				continue
			}
			at := b.Start + j
			v := 0.0
			switch {
			case glued(p.Text, at, at+len(phrase)):
				v = 1
			case h.inBody == 0:
				v = 0.5
			}
			if v > 0 {
				out = append(out, splice{span: lexis.Span{Start: at, End: at + len(phrase)}, kind: spliceEcho, value: v})
			}
			break
		}
	}
	for _, bi := range region {
		out = appendCommaSplices(out, p, bi)
	}
	return dedupeSplices(out)
}

// datelineSplice finds a phrase inside the dateline: between the comma and
// the state ("CAMBRIDGE,Algosensey Ill. (AP)", "SANTA FE,Charles H. Sloan
// N.M. (AP)"), or after an all-capitals place ("WASHINGTON Algosensey (AP)").
// AP writes a space after the comma and a region of one abbreviation or
// one or two words; a glued comma or extra capitalised words are the
// splice.
func datelineSplice(p *article.Article) (splice, bool) {
	d := p.Dateline
	if d == nil {
		return splice{}, false
	}
	if d.Region.Len() > 0 {
		region := d.Region.Of(p.Text)
		var fields []lexis.Span
		fields = lexis.Fields(fields, region)
		if len(fields) >= 2 {
			last := fields[len(fields)-1].Of(region)
			extraEnd := fields[len(fields)-2].End
			// A two-word region with no abbreviation ("Puerto Rico") is a
			// real place; with an abbreviation or three words, the words
			// before the last are extra.
			if strings.HasSuffix(last, ".") || len(fields) >= 3 {
				if d.RegionGlued || len(fields) >= 3 {
					v := 0.6
					if d.RegionGlued {
						v = 1
					}
					return splice{span: lexis.Span{Start: d.Region.Start, End: d.Region.Start + extraEnd}, kind: spliceDatelineRegion, value: v}, true
				}
			}
		}
		if d.RegionGlued {
			return splice{span: d.Region, kind: spliceDatelineRegion, value: 0.5}, true
		}
	}
	place := d.Place.Of(p.Text)
	var fields []lexis.Span
	fields = lexis.Fields(fields, place)
	for i, f := range fields {
		if i > 0 && !lexis.IsAllCaps(f.Of(place)) && lexis.IsAllCaps(fields[0].Of(place)) {
			return splice{span: lexis.Span{Start: d.Place.Start + f.Start, End: d.Place.End}, kind: spliceDatelinePlace, value: 1}, true
		}
	}
	return splice{}, false
}

// phraseBeforeGlue returns the name-like phrase that ends at the glue
// point at, within [from, at), without a leading article.
func phraseBeforeGlue(text string, from, at int) (lexis.Span, bool) {
	s := text[from:at]
	span := lexis.NamePhraseBefore(s, len(s), maxPrefixWords)
	if span.Len() == 0 {
		return lexis.Span{}, false
	}
	phrase := span.Of(s)
	for _, det := range []string{"The ", "A ", "An ", "Die ", "Der ", "Das ", "Le ", "La ", "Les ", "El ", "Los "} {
		if strings.HasPrefix(phrase, det) && len(phrase) > len(det) {
			span.Start += len(det)
			break
		}
	}
	if span.Len() < 3 {
		return lexis.Span{}, false
	}
	return lexis.Span{Start: from + span.Start, End: from + span.End}, true
}

// spacedLeadSplice finds a brand set in front of the lead's subject with a
// space: the capitalised run that opens the first sentence ("The Wexen
// Crypto Society Arduino has been") splits into a head the story never
// names again, holding an organisation word, and a tail it does name
// ("Arduino"). A real subject is named again in full or not split so: "The
// International Monetary Fund" recurs as a whole or as "the IMF", and its
// organisation word sits in the part that recurs, if any.
func spacedLeadSplice(p *article.Article, from, to int) (lexis.Span, bool) {
	s := p.Text[from:to]
	start := 0
	for _, det := range []string{"The ", "A ", "An "} {
		if strings.HasPrefix(s, det) {
			start = len(det)
			break
		}
	}
	run := lexis.NamePhraseAfter(s, start, 10)
	var fields []lexis.Span
	fields = lexis.Fields(fields, run.Of(s))
	if len(fields) < 3 {
		return lexis.Span{}, false
	}
	body := storyAfterLead(p)
	// The longest tail of the run that the story names again.
	split := -1
	for k := len(fields) - 1; k >= 1; k-- {
		tail := s[run.Start+fields[k].Start : run.End]
		if countWord(body, tail) == 0 {
			break
		}
		split = k
	}
	if split < 1 {
		return lexis.Span{}, false
	}
	head := s[run.Start : run.Start+fields[split-1].End]
	if lexis.CountOrgWords(head) == 0 || countWord(body, head) > 0 {
		return lexis.Span{}, false
	}
	for k := 0; k < split; k++ {
		// Every word of the head is new to the story.
		if countWord(body, fields[k].Of(run.Of(s))) > 0 {
			return lexis.Span{}, false
		}
	}
	return lexis.Span{Start: from + run.Start, End: from + run.Start + fields[split-1].End}, true
}

// storyAfterLead returns the story's text after the lead's first
// sentence.
func storyAfterLead(p *article.Article) string {
	_, end := leadSentence(p)
	var b strings.Builder
	for _, i := range p.StoryBlocks() {
		blk := p.Blocks[i]
		if blk.End <= end {
			continue
		}
		from := max(blk.Start, end)
		b.WriteString(p.Text[from:blk.End])
		b.WriteByte('\n')
	}
	if p.Lead >= 0 {
		// The rest of the lead block itself.
		lb := p.Blocks[p.Lead]
		if end < lb.End {
			b.WriteString(p.Text[end:lb.End])
		}
	}
	return b.String()
}

// countWord counts the free-standing occurrences of w in s.
func countWord(s, w string) int {
	n := 0
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return n
		}
		at := off + i
		off = at + len(w)
		if wordBoundary(s, at, at+len(w)) {
			n++
		}
	}
}

// phraseGluedToDigit finds, in the first words of [from, to), a name-like
// phrase of two or more words, one an organisation word, whose last letter
// runs straight into a digit ("Raven Exchange157 million").
func phraseGluedToDigit(text string, from, to int) (lexis.Span, bool) {
	limit := from
	words := 0
	for i := from; i < to && words < 14; i++ {
		if text[i] == ' ' {
			words++
		}
		limit = i
	}
	for i := from + 1; i <= limit && i < len(text); i++ {
		if !isASCIIDigit(text[i]) || !isASCIILetter(text[i-1]) {
			continue
		}
		// The phrase must end where the digits start.
		s := text[from:i]
		span := lexis.NamePhraseBefore(s, len(s), maxPrefixWords)
		if span.Len() == 0 {
			continue
		}
		phrase := span.Of(s)
		if lexis.WordCount(phrase) >= 2 && lexis.CountOrgWords(phrase) > 0 {
			return lexis.Span{Start: from + span.Start, End: from + span.End}, true
		}
	}
	return lexis.Span{}, false
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// appendCommaSplices finds a name-like phrase glued after a comma in prose
// and followed by the rest of the sentence: "near Miami,Blockchains Finance
// officials said", "charges,Burley Garcia authorities said". Numbers
// ("1,000") and abbreviations ("U.S.,") are not commas of this kind.
func appendCommaSplices(out []splice, p *article.Article, bi int) []splice {
	b := p.Blocks[bi]
	text := p.Text[b.Start:b.End]
	for off := 0; ; {
		j := strings.IndexByte(text[off:], ',')
		if j < 0 {
			return out
		}
		i := off + j
		off = i + 1
		if i == 0 || i+1 >= len(text) {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(text[:i])
		next, _ := utf8.DecodeRuneInString(text[i+1:])
		if !unicode.IsLower(prev) || !unicode.IsUpper(next) {
			continue
		}
		span := lexis.NamePhraseAfter(text, i+1, 6)
		if span.Len() < 3 {
			continue
		}
		rest := strings.TrimLeft(text[span.End:], " ")
		if rest != "" && !unicode.IsLower(lexis.FirstRune(rest)) {
			continue
		}
		out = append(out, splice{span: lexis.Span{Start: b.Start + span.Start, End: b.Start + span.End}, kind: spliceComma, value: 0.9})
		if len(out) >= maxSplices {
			return out
		}
	}
}

// gluesCommas reports whether a paragraph's writer types commas without a
// space: two commas or more glued to a letter ("metal,Eric Wagner was
// metal,Paul Dianno", a reader's comment on a genuine page of the
// sealed set, hearya.com). The network glues one brand into a paragraph
// that is otherwise spaced as a newsroom spaces it.
func gluesCommas(text string) bool {
	n := 0
	for i := 0; i+1 < len(text); i++ {
		if text[i] == ',' && i > 0 && text[i+1] != ' ' && !('0' <= text[i+1] && text[i+1] <= '9') && text[i-1] != ' ' {
			if n++; n >= 2 {
				return true
			}
		}
	}
	return false
}

// bodySplices finds brands inserted into the story outside the lead: comma
// glues, and case glues whose phrase holds an organisation word
// ("Blockchains FinanceOfficials").
func bodySplices(p *article.Article, a *analysis) []splice {
	region := leadRegion(p)
	var out []splice
	for _, bi := range p.StoryBlocks() {
		if inRegion(region, bi) || gluesCommas(p.Text[p.Blocks[bi].Start:p.Blocks[bi].End]) {
			continue
		}
		out = appendCommaSplices(out, p, bi)
	}
	story := p.StoryBlocks()
	for _, g := range a.glue {
		if g.Kind != lexis.GlueCase {
			continue
		}
		bi := p.BlockAt(g.At)
		if bi < 0 || inRegion(region, bi) || !inRegion(story, bi) {
			continue
		}
		b := p.Blocks[bi]
		if span, ok := phraseBeforeGlue(p.Text, b.Start, g.At); ok && lexis.CountOrgWords(span.Of(p.Text)) > 0 {
			out = append(out, splice{span: span, kind: spliceOrgGlue, value: 0.8})
		}
	}
	return dedupeSplices(out)
}

// glued reports whether [start, end) of s is joined to its neighbour at a
// case boundary: a letter before a capitalised phrase ("InvestNovaQuant"),
// a capital after it ("CenterWhite"), or a lower-case letter after a phrase
// ending in a capital ("PredictIQa"). A lower-case letter after a
// lower-case ending is inflection or compounding ("Georgiens",
// "Bußgeld"), not glue.
func glued(s string, start, end int) bool {
	if start > 0 {
		prev, _ := utf8.DecodeLastRuneInString(s[:start])
		first, _ := utf8.DecodeRuneInString(s[start:])
		if (unicode.IsLetter(prev) || unicode.IsDigit(prev)) && unicode.IsUpper(first) {
			return true
		}
	}
	if end >= len(s) {
		return false
	}
	next, _ := utf8.DecodeRuneInString(s[end:])
	last, _ := utf8.DecodeLastRuneInString(s[:end])
	switch {
	case unicode.IsUpper(next) && unicode.IsLetter(last):
		return true
	case unicode.IsLower(next) && unicode.IsUpper(last):
		return true
	}
	return false
}

// maxSplices bounds the splices kept per page: past a few, more say
// nothing new, and dedupeSplices is quadratic in them.
const maxSplices = 64

func dedupeSplices(in []splice) []splice {
	if len(in) > maxSplices {
		in = in[:maxSplices]
	}
	out := in[:0]
	for _, s := range in {
		dup := false
		for k, o := range out {
			if o.span.Start < s.span.End && s.span.Start < o.span.End {
				if s.value > o.value {
					out[k] = s
				}
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, s)
		}
	}
	return out
}

func splicesResult(p *article.Article, ss []splice) signal.Result {
	var r signal.Result
	for _, s := range ss {
		r.Value = math.Max(r.Value, s.value)
		r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, s.span.Start, s.span.End, string(s.kind)))
	}
	return r
}

package synth

import (
	"math/rand/v2"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Splice positions of the brand in the story's text, as recorded in Meta.
const (
	SpliceAfterDateline    = "after_dateline"     // "CITY (AP) — The BrandWhite House ..."
	SpliceAfterThe         = "after_the"          // "The BrandMega Millions jackpot ..." (no dateline; any leading article)
	SpliceInsideDateline   = "inside_dateline"    // "CITY,Brand Ill. (AP) — ..." (glued comma) or "CITY, Brand Ill. (AP)"
	SpliceAfterPlace       = "after_place"        // "CITY Brand (AP) — ...": after the place, no comma
	SpliceLeadStart        = "lead_start"         // "Brand A messy budget deal ..."
	SpliceMidSentence      = "mid_sentence"       // "We are Branda nation obsessed."
	SpliceBeforeAttributon = "before_attribution" // "near the river,Brand officials said"
	SpliceNone             = "none"               // headline only, or no brand
)

// SplicePositions lists every splice position the generator draws.
var SplicePositions = []string{SpliceAfterDateline, SpliceAfterThe, SpliceInsideDateline, SpliceAfterPlace, SpliceLeadStart, SpliceMidSentence, SpliceBeforeAttributon, SpliceNone}

// datelineRE matches a wire dateline opening a paragraph: place, optional
// comma and region, the credit in brackets, a dash. Groups: 1 place, 2
// the comma and region, 3 the credit.
var datelineRE = regexp.MustCompile(`^(\p{Lu}[\p{L}.'’ -]{1,40}?)(,\s*[^()\n—–]{1,40}?)?\s*\(([\p{L}][\p{L} .]{0,30})\)\s*(?:—|–|--|-)\s*`)

// dateline is a wire dateline found at the start of a lead.
type dateline struct {
	end      int // byte offset just past the dash and spaces
	placeEnd int // byte offset just past the place name
	hasComma bool
}

// findDateline returns the dateline opening lead, if any.
func findDateline(lead string) (dateline, bool) {
	m := datelineRE.FindStringSubmatchIndex(lead)
	if m == nil {
		return dateline{}, false
	}
	place := lead[m[2]:m[3]]
	if strings.ToUpper(place) != place && !unicode.IsUpper(firstRune(place)) {
		return dateline{}, false
	}
	return dateline{end: m[1], placeEnd: m[3], hasComma: m[4] >= 0}, true
}

// attributionRE finds an attribution after a comma ("..., officials said",
// "..., police told reporters", "..., sagte ...", "..., dijo ...") where a
// brand can be spliced in before the speaker.
var attributionRE = regexp.MustCompile(`, ((?:the |local |state |federal |city |county )?(?:officials|authorities|police|investigators|prosecutors|experts|analysts|researchers|organizers|officers|spokesperson|spokesman|spokeswoman|residents|witnesses|the company|the agency) (?:said|say|says|told|reported|added|confirmed)|(?:said|says|sagte|sagt|erklärte|teilte|betonte|dijo|afirmó|explicó|a déclaré|a indiqué|a affirmé|ha detto)(?:[\s,.;:]|$))`)

// attributionParas is how many paragraphs from the lead are searched for
// an attribution to splice before.
const attributionParas = 6

// spliceSpot is where and how a brand goes into the story: paragraph
// para's bytes [from, to) are replaced by text, which holds the brand.
type spliceSpot struct {
	para, from, to int
	text           string
	// afterThe reports a splice that went after a leading "The ".
	afterThe bool
}

// feasibleSplices returns the splice positions a story allows.
func feasibleSplices(paras []string) map[string]bool {
	ok := map[string]bool{SpliceNone: true}
	lead := paras[0]
	if dl, found := findDateline(lead); found {
		ok[SpliceAfterDateline] = true
		ok[SpliceInsideDateline] = true
		ok[SpliceAfterPlace] = true
		lead = lead[dl.end:]
	} else {
		ok[SpliceLeadStart] = true
		ok[SpliceAfterThe] = leadingArticle(lead) > 0
	}
	if len(wordStarts(firstSentence(lead))) >= 5 {
		ok[SpliceMidSentence] = true
	}
	for i := 0; i < len(paras) && i < attributionParas; i++ {
		if attributionRE.MatchString(paras[i]) {
			ok[SpliceBeforeAttributon] = true
			break
		}
	}
	return ok
}

// locateSplice returns where brand goes for a feasible position. glued
// says whether the brand is glued to the following word (inside a
// dateline and before an attribution: to the comma before it).
func locateSplice(r *rand.Rand, paras []string, pos, brand string, glued bool) spliceSpot {
	sp := " "
	if glued {
		sp = ""
	}
	lead := paras[0]
	dl, hasDL := findDateline(lead)
	switch pos {
	case SpliceAfterDateline:
		at := dl.end
		if n := leadingArticle(lead[at:]); n > 0 {
			return spliceSpot{from: at + n, to: at + n, text: brand + sp, afterThe: true}
		}
		return spliceSpot{from: at, to: at, text: brand + sp}
	case SpliceAfterThe:
		n := leadingArticle(lead)
		return spliceSpot{from: n, to: n, text: brand + sp, afterThe: true}
	case SpliceInsideDateline:
		// "CITY, Ill. (AP)" becomes "CITY,Brand Ill. (AP)"; "CITY (AP)"
		// becomes "CITY,Brand (AP)".
		if !dl.hasComma {
			return spliceSpot{from: dl.placeEnd, to: dl.placeEnd, text: "," + sp + brand}
		}
		to := dl.placeEnd + 1
		for to < len(lead) && lead[to] == ' ' {
			to++
		}
		return spliceSpot{from: dl.placeEnd, to: to, text: "," + sp + brand + " "}
	case SpliceAfterPlace:
		// "CITY (AP)" becomes "CITY Brand (AP)", "CITY, Ill. (AP)"
		// "CITY Brand, Ill. (AP)".
		return spliceSpot{from: dl.placeEnd, to: dl.placeEnd, text: " " + brand}
	case SpliceMidSentence:
		start := 0
		if hasDL {
			start = dl.end
		}
		words := wordStarts(firstSentence(lead[start:]))
		at := start + words[1+r.IntN(min(5, len(words)-2))]
		return spliceSpot{from: at, to: at, text: brand + sp}
	case SpliceBeforeAttributon:
		var spots []spliceSpot
		for i := 0; i < len(paras) && i < attributionParas; i++ {
			for _, m := range attributionRE.FindAllStringIndex(paras[i], -1) {
				spots = append(spots, spliceSpot{para: i, from: m[0], to: m[0] + 2, text: "," + sp + brand + " "})
			}
		}
		return pick(r, spots)
	}
	return spliceSpot{from: 0, to: 0, text: brand + sp} // lead start
}

// leadingArticles are the articles a lead may open with, which the
// network splices after ("The BrandWhite House"); the other languages of
// the corpus follow the same pattern.
var leadingArticles = []string{"The ", "A ", "An ", "Der ", "Die ", "Das ", "Ein ", "Eine ", "Le ", "La ", "Les ", "Un ", "Une ", "El ", "Los ", "Las ", "Una "}

// leadingArticle returns the length of the article (and its space) that
// opens s, or 0.
func leadingArticle(s string) int {
	for _, a := range leadingArticles {
		if strings.HasPrefix(s, a) {
			return len(a)
		}
	}
	return 0
}

// applySplice returns paras with the spot's replacement made (the input
// is not modified).
func applySplice(paras []string, spot spliceSpot) []string {
	out := append([]string(nil), paras...)
	p := out[spot.para]
	out[spot.para] = p[:spot.from] + spot.text + p[spot.to:]
	return out
}

// firstSentence returns s up to the end of its first sentence.
func firstSentence(s string) string {
	for i := 0; i+2 < len(s); i++ {
		if (s[i] == '.' || s[i] == '?' || s[i] == '!') && s[i+1] == ' ' && unicode.IsUpper(firstRune(s[i+2:])) {
			return s[:i+1]
		}
	}
	return s
}

// wordStarts returns the byte offsets where the words of s start.
func wordStarts(s string) []int {
	var out []int
	prevSpace := true
	for i, r := range s {
		if unicode.IsSpace(r) {
			prevSpace = true
			continue
		}
		if prevSpace {
			out = append(out, i)
		}
		prevSpace = false
	}
	return out
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

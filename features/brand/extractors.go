package brand

import (
	"math"
	"strings"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// HeadlineBrandPrefix fires on "Brand:Headline", "Brand|Headline" and
// "Brand-Headline".
var HeadlineBrandPrefix = signal.Extractor{
	Name:   "headline_brand_prefix",
	Family: signal.Repackaged,
	Doc: `A name-like phrase opens the headline before a separator. ` +
		`The network puts an unrelated brand before the copied headline: "NovaQuant Quantitative Think Tank Center:The White House ...", ` +
		`"Poinbank Exchange|The Powerball ...", "PredictIQ-Who cares ...". Value: 1 for a separator with no space on either side, 0.6 with ` +
		`spaces, times 0.3 when the phrase also stands free in the story (then it is the topic: "Taylor Swift: ..."). Editorial labels ` +
		`("Analysis:", "Opinion |", "EXCLUSIVE-", "Live updates:") and the site's own name are not brands.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		a := analyse(p)
		var r signal.Result
		for _, h := range a.prefixes {
			v := 0.6
			if h.glued {
				v = 1
			}
			if h.inBody > 0 {
				v *= 0.3
			}
			r.Value = math.Max(r.Value, v)
			r.Evidence = append(r.Evidence, signal.CandidateSpan(p, h.cand, h.phrase.Start, h.phrase.End, "brand before "+quote(h.sep)+" in "+h.cand.Origin))
		}
		r.Evidence = signal.Dedupe(r.Evidence)
		return r
	},
}

// LeadBrandSplice fires on a brand inserted into the lead.
var LeadBrandSplice = signal.Extractor{
	Name:   "lead_brand_splice",
	Family: signal.Repackaged,
	Doc: `A name-like phrase is inserted into the lead. ` +
		`Inside the wire dateline ("CAMBRIDGE,Algosensey Ill. (AP)"), right after it and glued to the next word ("(AP) — The NovaQuant ` +
		`Quantitative Think Tank CenterWhite House"), at the start of the first sentence ("The Poinbank ExchangePowerball"), the ` +
		`headline's brand repeated in the lead ("We are PredictIQa nation"), or glued after a comma ("near Miami,Blockchains Finance ` +
		`officials said"). Value: the strongest splice, 1 when glued.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		return splicesResult(p, analyse(p).lead)
	},
}

// BodyBrandSplice fires on brands inserted into the story below the lead.
var BodyBrandSplice = signal.Extractor{
	Name:   "body_brand_splice",
	Family: signal.Repackaged,
	Doc: `A name-like phrase is glued into the story below the lead. ` +
		`A capitalised phrase glued after a comma and followed by the rest of the sentence ("charges,Burley Garcia authorities said"), ` +
		`or an organisation name glued to the next word. Value: the sum of the splices' strengths.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		ss := analyse(p).body
		r := splicesResult(p, ss)
		r.Value = 0
		for _, s := range ss {
			r.Value += s.value
		}
		return r
	},
}

func splicesResult(p *page.Page, ss []splice) signal.Result {
	var r signal.Result
	for _, s := range ss {
		r.Value = math.Max(r.Value, s.value)
		r.Evidence = append(r.Evidence, signal.TextSpan(p, s.span.Start, s.span.End, string(s.kind)))
	}
	return r
}

// BrandRepetition fires when one phrase fills several of the page's slots
// and is absent from the story.
var BrandRepetition = signal.Extractor{
	Name:   "brand_repetition",
	Family: signal.Repackaged,
	Doc: `The same brand phrase fills two or more of the template's slots and appears nowhere else in the story. ` +
		`The slots are the headline (with the title), the breadcrumb with the title glued into it, the byline, and the lead as a ` +
		`splice. A real subject of a story recurs in its body; a spliced brand only fills the slots. Candidate phrases are the ` +
		`headline prefixes, the lead splices and "View" bylines. Value: the number of slots holding the phrase.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		a := analyse(p)
		var r signal.Result
		for _, phrase := range repetitionCandidates(p, a) {
			slots, evs := slotsHolding(p, a, phrase)
			if len(slots) < 2 || storyOccurrences(p, phrase) > 0 {
				continue
			}
			if v := float64(len(slots)); v > r.Value {
				r.Value = v
				r.Evidence = evs
			}
		}
		return r
	},
}

// repetitionCandidates gathers the brand phrases worth checking.
func repetitionCandidates(p *page.Page, a *analysis) []string {
	seen := map[string]bool{}
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if lexis.WordCount(s) == 0 || len(s) < 3 || seen[s] {
			return
		}
		seen[s] = true
		out = append(out, s)
	}
	for _, ph := range a.phrases() {
		add(ph)
	}
	for _, s := range a.lead {
		add(s.span.Of(p.Text))
	}
	for _, b := range p.Bylines {
		if b.Origin == "text:view" {
			add(strings.TrimSuffix(strings.TrimPrefix(b.Text, "View Date:"), " View"))
		}
	}
	return out
}

// slotsHolding returns the slots whose text holds phrase as the template
// puts it there, with one piece of evidence for each: the headline (any
// headline or title candidate), the breadcrumb (only with the title glued
// into it, "InvestBrand" or "Brand:Headline": a section name matching a
// topic prefix is ordinary), the byline, and the lead (only as a splice:
// a genuine topic is named in its lead).
func slotsHolding(p *page.Page, a *analysis, phrase string) ([]string, []signal.Evidence) {
	var slots []string
	var evs []signal.Evidence
	has := func(slot string) bool {
		for _, s := range slots {
			if s == slot {
				return true
			}
		}
		return false
	}
	add := func(slot string, c page.Candidate, j int) {
		if has(slot) {
			return
		}
		slots = append(slots, slot)
		evs = append(evs, signal.CandidateSpan(p, c, j, j+len(phrase), slot))
	}
	seps := map[string]bool{}
	for _, h := range a.prefixes {
		if h.text() == phrase {
			seps[h.sep] = true
		}
	}
	inTrail := func(c page.Candidate) int {
		for off := 0; ; {
			j := strings.Index(c.Text[off:], phrase)
			if j < 0 {
				return -1
			}
			j += off
			off = j + len(phrase)
			rest := strings.TrimLeft(c.Text[off:], " ")
			for sep := range seps {
				if strings.HasPrefix(rest, sep) {
					return j
				}
			}
			if glued(c.Text, j, off) {
				return j
			}
		}
	}
	for _, c := range p.Headlines {
		if c.Origin == "text:title-line" {
			if j := inTrail(c); j >= 0 {
				add("breadcrumb", c, j)
			}
			continue
		}
		if j := strings.Index(c.Text, phrase); j >= 0 {
			add("headline", c, j)
		}
	}
	for _, c := range p.Breadcrumbs {
		if c.Block < 0 {
			continue // JSON-LD trails name sections, not titles
		}
		if j := inTrail(c); j >= 0 {
			add("breadcrumb", c, j)
		}
	}
	for _, c := range p.Bylines {
		if j := strings.Index(c.Text, phrase); j >= 0 {
			add("byline", c, j)
		}
	}
	for _, s := range a.lead {
		if s.span.Of(p.Text) == phrase {
			bi := p.BlockAt(s.span.Start)
			b := p.Blocks[bi]
			add("lead", page.Candidate{Origin: "lead", Text: p.Text[b.Start:b.End], Block: bi, Offset: b.Start, Node: b.Node}, s.span.Start-b.Start)
			break
		}
	}
	return slots, evs
}

// storyOccurrences counts the phrase in the story below the lead region.
func storyOccurrences(p *page.Page, phrase string) int {
	region := leadRegion(p)
	n := 0
	for _, bi := range p.ArticleBlocks() {
		if inRegion(region, bi) {
			continue
		}
		n += strings.Count(p.BlockText(bi), phrase)
	}
	return n
}

// GluedTokens counts words glued together in the page's text.
var GluedTokens = signal.Extractor{
	Name:   "glued_tokens",
	Family: signal.Repackaged,
	Doc: `Words are glued together where a splice or a template joined them. ` +
		`A lower-case letter directly followed by a capital ("CenterWhite", "InvestNovaQuant") where the second word also stands alone ` +
		`on the page, a clock time glued to a count ("03:171702 view") and a number glued to a word ("30source"). Camel-case names ` +
		`(iPhone, YouTube, McDonald's, PayPal, PepsiCo) and navigation text do not count. Value: the count divided by the square root ` +
		`of the story's length in units of 500 words.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		a := analyse(p)
		var r signal.Result
		for _, g := range a.glue {
			r.Evidence = append(r.Evidence, signal.TextSpan(p, g.Token.Start, g.Token.End, glueNote(g.Kind)))
		}
		if n := len(a.glue); n > 0 {
			r.Value = float64(n) / math.Sqrt(math.Max(1, float64(a.proseWords)/500))
		}
		return r
	},
}

func glueNote(k lexis.GlueKind) string {
	switch k {
	case lexis.GlueDigits:
		return "clock time glued to a count"
	case lexis.GlueDigitWord:
		return "number glued to a word"
	}
	return "words glued at a case boundary"
}

func quote(s string) string { return `"` + s + `"` }

// Extractors returns the brand extractors in their fixed order.
func Extractors() []*signal.Extractor {
	return []*signal.Extractor{&HeadlineBrandPrefix, &LeadBrandSplice, &BodyBrandSplice, &BrandRepetition, &GluedTokens}
}

package repackaged

import (
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

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
		p := article.Of(pass.Page)
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
func repetitionCandidates(p *article.Article, a *analysis) []string {
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
func slotsHolding(p *article.Article, a *analysis, phrase string) ([]string, []signal.Evidence) {
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
	add := func(slot string, c article.Candidate, j int) {
		if has(slot) {
			return
		}
		slots = append(slots, slot)
		evs = append(evs, signal.CandidateSpan(p.Page, c, j, j+len(phrase), slot))
	}
	seps := map[string]bool{}
	for _, h := range a.prefixes {
		if h.text() == phrase {
			seps[h.sep] = true
		}
	}
	inTrail := func(c article.Candidate) int {
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
			add("lead", article.Candidate{Origin: "lead", Text: p.Text[b.Start:b.End], Block: bi, Offset: b.Start, Node: b.Node}, s.span.Start-b.Start)
			break
		}
	}
	return slots, evs
}

// storyOccurrences counts the phrase in the story below the lead region.
func storyOccurrences(p *article.Article, phrase string) int {
	region := leadRegion(p)
	n := 0
	for _, bi := range p.StoryBlocks() {
		if inRegion(region, bi) {
			continue
		}
		n += strings.Count(p.BlockText(bi), phrase)
	}
	return n
}

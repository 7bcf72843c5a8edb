package injection

import (
	"math"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// evidenceMax caps injection_evidence.
const evidenceMax = 2

// resultKey keys an extractor's memoized result on a page.
type resultKey string

// memoized makes an extractor compute its result once per page, so that
// injection_evidence reads the others' results without computing them
// again.
func memoized(e signal.Extractor) signal.Extractor {
	run, key := e.Run, resultKey(e.Name)
	e.Run = func(p *page.Page) signal.Result {
		return p.Memo(key, func(p *page.Page) any { return run(p) }).(signal.Result)
	}
	return e
}

// evidenceKinds are the kinds of injection evidence injection_evidence
// counts: an extractor, and the value from which what it found is
// evidence of spam on its own rather than a page's quirk (a foreign or
// off-topic block holding spam vocabulary, not a quotation; cloaking, not
// a slow reload).
var evidenceKinds = []struct {
	e   *signal.Extractor
	min float64
	say string
}{
	{&HiddenLinks, 1, "hidden spam links"},
	{&SpamVocabulary, 1, "spam vocabulary"},
	{&OfftopicBlock, 2, "an off-topic block of spam"},
	{&ForeignScriptBlock, 1, "a foreign block of spam"},
	{&KeywordStuffing, 1, "keyword stuffing"},
	{&LinkFarm, 1, "a link farm"},
	{&CloakingHints, 0.5, "cloaking"},
	{&SpamLinks, 1, "links to spam sites"},
}

// InjectionEvidence counts the kinds of injection evidence a page shows.
var InjectionEvidence = signal.Extractor{
	Name:   "injection_evidence",
	Family: signal.Injected,
	Doc: `How many distinct kinds of injection evidence the page shows. ` +
		`Each kind of SEO injection trips its own extractors (hidden links, a foreign block, stuffing, a redirect), and a ` +
		`linear model weighs each extractor by the kinds it saw in training, so it is blind to a kind it has not seen. What ` +
		`every kind shares is that it leaves some evidence a genuine page does not: this feature counts the kinds present, ` +
		`each only where it is evidence by itself: hidden_links 1 or more, spam_vocabulary 1, offtopic_block 2 (a block of ` +
		`spam), foreign_script_block 1 (a foreign block of spam), keyword_stuffing 1, link_farm 1, cloaking_hints 0.5, ` +
		`spam_links 1. A redirect counts once: spam_links counts it only when its target is named for a spam trade. Evidence: ` +
		`each kind's first piece. Value: the count, capped at 2: each kind counts only at a level genuine pages do not reach, so ` +
		`one is evidence, and two are as conclusive as more.`,
	Run: func(p *page.Page) signal.Result {
		var r signal.Result
		n := 0
		for _, k := range evidenceKinds {
			got := k.e.Run(p)
			if got.Value < k.min {
				continue
			}
			n++
			if len(got.Evidence) > 0 {
				ev := got.Evidence[0]
				ev.Note = k.say + ": " + ev.Note
				r.Evidence = append(r.Evidence, ev)
			}
		}
		r.Value = math.Min(float64(n), evidenceMax)
		return r
	},
}

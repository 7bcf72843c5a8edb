package injected

import (
	"fmt"
	"math"
	"strings"

	"github.com/repack/repack/features/signal"
)

// evidenceMax caps injection_evidence.
const evidenceMax = 2

// evidenceKind is one kind of injection evidence injection_evidence
// counts: an extractor, and the value from which what it found is
// evidence of spam on its own rather than a page's quirk (a foreign or
// off-topic block holding spam vocabulary, not a quotation; cloaking, not
// a slow reload).
type evidenceKind struct {
	e   *signal.Extractor
	min float64
	say string
}

// evidenceKinds are the kinds injection_evidence counts. Its doc is built
// from this table, so the thresholds are written once.
var evidenceKinds = []evidenceKind{
	{&HiddenLinks, 1, "hidden spam links"},
	{&SpamVocabulary, 1, "spam vocabulary"},
	{&OfftopicBlock, 2, "an off-topic block of spam"},
	{&ForeignScriptBlock, 1, "a foreign block of spam"},
	{&KeywordStuffing, 1, "keyword stuffing"},
	{&LinkFarm, 1, "a link farm"},
	{&CloakingHints, 0.5, "cloaking"},
	{&SpamLinks, 1, "links to spam sites"},
}

// evidenceThresholds lists each kind's extractor and threshold for the
// doc: "hidden_links 1 or more, spam_vocabulary 1, ...".
func evidenceThresholds() string {
	parts := make([]string, len(evidenceKinds))
	for i, k := range evidenceKinds {
		parts[i] = fmt.Sprintf("%s %g (%s)", k.e.Name, k.min, k.say)
	}
	return strings.Join(parts, ", ")
}

func evidenceRequires() []*signal.Extractor {
	out := make([]*signal.Extractor, len(evidenceKinds))
	for i, k := range evidenceKinds {
		out[i] = k.e
	}
	return out
}

// InjectionEvidence counts the kinds of injection evidence a page shows.
var InjectionEvidence = signal.Extractor{
	Name:   "injection_evidence",
	Family: signal.Injected,
	Doc: `How many distinct kinds of injection evidence the page shows. ` +
		`Each kind of SEO injection trips its own extractors (hidden links, a foreign block, stuffing, a redirect), and a ` +
		`linear model weighs each extractor by the kinds it saw in training, so it is blind to a kind it has not seen. What ` +
		`every kind shares is that it leaves some evidence a genuine page does not: this feature counts the kinds present, ` +
		`each only where its extractor's value reaches the level at which it is evidence by itself: ` + evidenceThresholds() + `. ` +
		`A redirect counts once: spam_links counts it only when its target is named for a spam trade. Evidence: ` +
		`each kind's first piece. Value: the count, capped at ` + fmt.Sprint(evidenceMax) + `: each kind counts only at a level genuine pages do not reach, so ` +
		`one is evidence, and two are as conclusive as more. A news story about gambling, or a pharmacy's own page, reaches none of ` +
		`these levels: the vocabulary its topic or its site explains does not count.`,
	Requires: evidenceRequires(),
	Run: func(pass *signal.Pass) signal.Result {
		var r signal.Result
		n := 0
		for _, k := range evidenceKinds {
			got := pass.ResultOf(k.e)
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

// Package injected holds the extractors of the injected family: SEO spam
// planted on legitimate sites' pages: links hidden from readers, the spam trade's vocabulary
// (gambling, pharma, loans, replica goods, adult, scams) weighed against
// the page's topic and site, blocks off the page's topic or in a foreign
// script, keyword stuffing, link farms and cloaking.
//
// Each extractor is one file named after its feature. They share one view
// of the page (view.go), derived once through page.Memo: the site's
// identity, links resolved to their sites, every block tokenised with its
// spam terms (vocab.go), scripts and language (lang.go). It imports the
// page model, the article reading, the signal types and lexis only; it
// must not import the feature catalogue, the detector, the training code
// or the corpus.
package injected

import "github.com/repack/repack/features/signal"

// Extractors returns the injection extractors in their fixed order.
func Extractors() []*signal.Extractor {
	return []*signal.Extractor{&HiddenLinks, &SpamVocabulary, &OfftopicBlock, &ForeignScriptBlock, &KeywordStuffing, &LinkFarm, &CloakingHints, &SpamLinks, &InjectionEvidence}
}

// Package repackaged holds the extractors of the repackaged family: a
// genuine story copied by a scraper-spam site, a brand spliced into its
// headline and lead, a fresh date stamped on it, and the site's template
// around it. Each extractor is one file named after its feature; the
// analyses several of them share sit beside them: the brand analysis
// (brand.go: headline prefixes, glue, the phrases the splices leave) and
// the splices it finds (splice.go).
//
// Nothing here lists brand names: a phrase is a brand by its shape (capital
// words where the sentence does not need them), by its glue to the next
// word, and by its echo across headline, title, byline and lead.
//
// It imports the page model, the article reading, lexis and the signal
// types only; it must not import the catalogue, the detector, the training
// code or the corpus.
package repackaged

import "github.com/repack/repack/features/signal"

// Extractors returns the repackaged family's extractors in their fixed
// order: the brand splice, the dates, the template, the provenance.
func Extractors() []*signal.Extractor {
	return []*signal.Extractor{
		&HeadlineBrandPrefix, &LeadBrandSplice, &BodyBrandSplice, &BrandRepetition, &GluedTokens,
		&DateDisagreement, &StaleStoryDate, &LeadWeekdayMismatch,
		&FillerCounter, &BylineAnomaly, &JunkLinkBlocks, &TemplateLabelGlue,
		&WireCopyUncredited, &TitleSiteMismatch,
		&ScraperBoilerplate, &ForeignPublisherLine, &SiteTradeMismatch, &CopyArtefacts,
	}
}

func quote(s string) string { return `"` + s + `"` }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 0x80
}

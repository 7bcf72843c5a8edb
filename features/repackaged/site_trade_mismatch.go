package repackaged

import (
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// minTradeStoryWords is the fewest content words a story must hold to be
// judged off its site's field: a services page or a short notice is not.
// Captures cut at 2,000 characters hold 40 to 60.
const minTradeStoryWords = 30

// SiteTradeMismatch finds news published on a tradesman's or a shop's
// site.
var SiteTradeMismatch = signal.Extractor{
	Name:   "site_trade_mismatch",
	Family: signal.Repackaged,
	Doc: `The site is a trade's or a shop's, and the story is not of its field. ` +
		`The page's host (its URL, else og:url, the canonical link or its links' domain) announces a line of business ` +
		`(lexis.TradeOfHost: "pacificsunshineplumbing.com", a roofer, a dental practice, a T-shirt shop, a law firm, a cricket site), ` +
		`or, when the host does not, one of the site's names does (the title's suffix, og:site_name, the publisher: "Pacific ` +
		`Sunshine Plumbing"), ` +
		`and the page's prose (its paragraphs of eight words or more, wherever they stand) of 30 content words or more uses at most one word of that trade's field (a plumber's page on a burst water main ` +
		`uses "pipe", "water", "leak": the site on its own field stays quiet). Expired and hijacked business domains carry scraped ` +
		`news this way. A news publisher's name is no trade here. Value: 1.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		site := p.Site()
		trade, mark, ok := lexis.TradeOfHost(site.Host)
		name := -1 // the site name that announces the trade, when the host does not
		for i := 0; !ok && i < len(p.SiteNames); i++ {
			if c := p.SiteNames[i]; c.Origin != "url:host" && c.Origin != "meta:twitter:site" {
				// "Pacific Sunshine Plumbing" reads as the label
				// "pacificsunshineplumbing".
				if trade, mark, ok = lexis.TradeOfHost(strings.ReplaceAll(strings.ToLower(c.Text), " ", "") + ".name"); ok {
					name = i
				}
			}
		}
		if !ok {
			return r
		}
		vocab, words := proseVocabulary(p)
		if words < minTradeStoryWords || trade.OnField(vocab) > 1 {
			return r
		}
		r.Value = 1
		note := trade.Name + " site (" + quote(mark) + ") publishing a story off its field"
		if name >= 0 {
			c := p.SiteNames[name]
			r.Evidence = append(r.Evidence, signal.CandidateSpan(p.Page, c, 0, len(c.Text), note))
			return r
		}
		for _, c := range p.SiteNames {
			if c.Origin == "url:host" {
				if i := strings.Index(strings.ToLower(c.Text), mark); i >= 0 {
					r.Evidence = append(r.Evidence, signal.CandidateSpan(p.Page, c, i, i+len(mark), note))
				} else {
					r.Evidence = append(r.Evidence, signal.CandidateSpan(p.Page, c, 0, len(c.Text), note))
				}
				return r
			}
		}
		// The host was inferred (og:url, canonical, links): the first
		// prose block stands for what the site publishes.
		for i := range p.Blocks {
			if p.IsProse(i) {
				b := p.Blocks[i]
				r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, b.End, note+" on "+site.Host))
				return r
			}
		}
		return signal.Result{} // no evidence, no value
	},
}

// proseVocabulary returns the content words of the page's prose blocks
// (article.IsProse) wherever they stand, with their counts and total: a
// short capture's first paragraphs count though they sit in the headline
// area, where StoryVocabulary does not look.
func proseVocabulary(p *article.Article) (map[string]int, int) {
	vocab, total := map[string]int{}, 0
	var words []string
	tz := p.TextTokens()
	for i := range p.Blocks {
		if !p.IsProse(i) {
			continue
		}
		words = lexis.ContentWordsOf(words[:0], p.Text, tz.Block(i))
		for _, w := range words {
			vocab[w]++
		}
		total += len(words)
	}
	return vocab, total
}

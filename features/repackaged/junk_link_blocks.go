package repackaged

import (
	"math"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// maxJunkBlocks caps junk_link_blocks: the network appends three lists;
// a site with ten lists of its own is not ten times as suspicious.
const maxJunkBlocks = 3

// JunkLinkBlocks scores lists of headlines that have nothing to do with
// the story or with each other.
var JunkLinkBlocks = signal.Extractor{
	Name:   "junk_link_blocks",
	Family: signal.Repackaged,
	Doc: `Link blocks list headlines unrelated to the story and to each other. ` +
		`The template appends "Related", "Ranking" and "Recommendation" lists of headlines drawn from other stories at random; a real ` +
		`related-articles block shares the story's vocabulary. For each block after the lead, the share of its items' content words ` +
		`found in the story and among the other items is measured. Value: the sum over blocks of one minus that share, for blocks where ` +
		`it stays under 0.2, capped at 3.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		var vocab map[string]int
		for _, lb := range p.LinkBlocks {
			if len(lb.Items) < 3 || (p.Lead >= 0 && lb.Items[0] < p.Lead) || p.Blocks[lb.Items[0]].Boilerplate {
				continue
			}
			if vocab == nil {
				// Only now that a block needs it: most pages have none.
				vocab = p.StoryVocabulary()
			}
			if len(vocab) < 20 {
				return r // no story to compare with
			}
			related := relatedness(p, lb, vocab)
			if related >= 0.2 {
				continue
			}
			r.Value = math.Min(r.Value+1-related, maxJunkBlocks)
			at := lb.Heading
			note := "unrelated link block"
			if at < 0 {
				at = lb.Items[0]
				note = "unrelated headlines without a heading"
			}
			b := p.Blocks[at]
			r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, b.End, note))
		}
		return r
	},
}

// relatedness returns the share of a link block's item words found in the
// story or in another item of the block.
func relatedness(p *article.Article, lb article.LinkBlock, vocab map[string]int) float64 {
	itemWords := make([][]string, len(lb.Items))
	counts := map[string]int{}
	for k, it := range lb.Items {
		ws := lexis.ContentWordsOf(nil, p.Text, p.TextTokens().Block(it))
		seen := map[string]bool{}
		for _, w := range ws {
			if !seen[w] {
				seen[w] = true
				counts[w]++
			}
		}
		itemWords[k] = ws
	}
	total, shared := 0, 0
	for _, ws := range itemWords {
		for _, w := range ws {
			total++
			if vocab[w] > 0 || counts[w] > 1 {
				shared++
			}
		}
	}
	if total == 0 {
		return 1
	}
	return float64(shared) / float64(total)
}

package page

import (
	"strings"

	"github.com/repack/repack/features/lexis"
)

// Derived views: computed on first use, once per page, through Memo.

type (
	articleKey   struct{}
	vocabKey     struct{}
	lowerKey     struct{}
	linkBlockKey struct{}
)

// ArticleBlocks returns the indexes of the article's prose blocks: from the
// lead on, paragraphs that are not navigation, not mostly links and not in
// a link block, up to the end of the story. The story ends at a link block
// that fewer than two long paragraphs follow (the template's lists and
// footer come after the story; a "Read more" list inside it has story
// around it).
func (p *Page) ArticleBlocks() []int {
	return p.Memo(articleKey{}, func(p *Page) any {
		in := p.linkBlockSet()
		var out []int
		start := max(p.BodyStart, 0)
		for i := start; i < len(p.Blocks); i++ {
			b := p.Blocks[i]
			if in[i] && i > start && !in[i-1] && !proseFollows(p, in, i) {
				break
			}
			if b.Kind != KindParagraph || b.Boilerplate || in[i] || b.LinkBytes*2 >= b.End-b.Start || b.Words < 8 {
				continue
			}
			out = append(out, i)
		}
		return out
	}).([]int)
}

// proseFollows reports whether at least two long paragraphs (20 words or
// more) follow block i before the next link block after it ends.
func proseFollows(p *Page, in []bool, i int) bool {
	j := i
	for j < len(p.Blocks) && in[j] {
		j++
	}
	n := 0
	for ; j < len(p.Blocks) && !in[j]; j++ {
		b := p.Blocks[j]
		if b.Kind == KindParagraph && b.Words >= 20 && !b.Boilerplate {
			n++
			if n >= 2 {
				return true
			}
		}
	}
	return false
}

// ArticleVocabulary returns the content words of the article blocks with
// their counts.
func (p *Page) ArticleVocabulary() map[string]int {
	return p.Memo(vocabKey{}, func(p *Page) any {
		vocab := map[string]int{}
		var words []string
		for _, i := range p.ArticleBlocks() {
			words = lexis.ContentWords(words[:0], p.BlockText(i))
			for _, w := range words {
				vocab[w]++
			}
		}
		return vocab
	}).(map[string]int)
}

// LowerText returns Text in lower case. Case mapping can change byte
// lengths, so offsets into it are only approximate for non-ASCII text; use
// it for presence tests, not for spans.
func (p *Page) LowerText() string {
	return p.Memo(lowerKey{}, func(p *Page) any {
		return strings.ToLower(p.Text)
	}).(string)
}

// InLinkBlock reports whether visible block i is a heading or item of a
// link block.
func (p *Page) InLinkBlock(i int) bool {
	in := p.linkBlockSet()
	return i >= 0 && i < len(in) && in[i]
}

func (p *Page) linkBlockSet() []bool {
	return p.Memo(linkBlockKey{}, func(p *Page) any {
		return linkBlockMembership(p)
	}).([]bool)
}

// ClaimedDate returns the date the page claims for itself: a labelled date
// line ("Date:2025-04-07 14:28:25"), then the metadata's publication date,
// then a date near the headline, a <time> element and a date in the URL.
// When none of those exists, the date the template stamps on its own
// lists (the most frequent link-block date) stands in for it.
func (p *Page) ClaimedDate() (DatedString, bool) {
	for _, origins := range [][]string{
		{"text:label"},
		{"meta:article:published_time", "jsonld:datePublished", "meta:og:published_time", "meta:datepublished", "meta:date", "meta:pubdate", "meta:publish-date", "meta:dc.date", "meta:dcterms.created", "meta:sailthru.date", "meta:parsely-pub-date"},
		{"text:top"},
		{"time"},
		{"url"},
	} {
		for _, o := range origins {
			for _, d := range p.Dates {
				if d.Origin == o && d.Precision == PrecisionDay && (d.Published || o == "time") {
					return d, true
				}
			}
		}
	}
	counts := map[string]int{}
	var best DatedString
	bestN := 0
	for _, d := range p.Dates {
		if d.Origin != "link_block" {
			continue
		}
		k := d.Day.Format("2006-01-02")
		counts[k]++
		if counts[k] > bestN {
			best, bestN = d, counts[k]
		}
	}
	return best, bestN >= 2
}

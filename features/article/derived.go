package article

import (
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
)

// StoryBlocks returns the indexes of the article's prose blocks: from the
// lead on, paragraphs that are not navigation, not mostly links and not in
// a link block, up to the end of the story. The story ends at a link block
// that fewer than two long paragraphs follow (the template's lists and
// footer come after the story; a "Read more" list inside it has story
// around it).
func (a *Article) StoryBlocks() []int {
	a.storyOnce.Do(func() {
		in := a.inLinkBlock
		var out []int
		start := max(a.BodyStart, 0)
		for i := start; i < len(a.Blocks); i++ {
			if in[i] && i > start && !in[i-1] && !proseFollows(a, in, i) {
				break
			}
			if a.IsProse(i) {
				out = append(out, i)
			}
		}
		a.story = out
	})
	return a.story
}

// IsProse reports whether block i reads as the story's prose wherever it
// stands: a paragraph of eight words or more that is not boilerplate,
// not mostly links and not in a link block. StoryBlocks are the prose
// blocks from the lead on; a text that starts at the lead has its first
// paragraph in the headline area, prose all the same.
func (a *Article) IsProse(i int) bool {
	if i < 0 || i >= len(a.Blocks) {
		return false
	}
	b := a.Blocks[i]
	return b.Kind == page.KindParagraph && !b.Boilerplate && !a.inLinkBlock[i] && b.LinkBytes*2 < b.End-b.Start && b.Words >= 8
}

// proseFollows reports whether at least two long paragraphs (20 words or
// more) follow block i before the next link block after it ends.
func proseFollows(a *Article, in []bool, i int) bool {
	j := i
	for j < len(a.Blocks) && in[j] {
		j++
	}
	n := 0
	for ; j < len(a.Blocks) && !in[j]; j++ {
		b := a.Blocks[j]
		if b.Kind == page.KindParagraph && b.Words >= 20 && !b.Boilerplate {
			n++
			if n >= 2 {
				return true
			}
		}
	}
	return false
}

// StoryVocabulary returns the content words of the story blocks with
// their counts.
func (a *Article) StoryVocabulary() map[string]int {
	a.vocabOnce.Do(func() {
		vocab := map[string]int{}
		var words []string
		tz := a.TextTokens()
		for _, i := range a.StoryBlocks() {
			words = lexis.ContentWordsOf(words[:0], a.Text, tz.Block(i))
			for _, w := range words {
				vocab[w]++
			}
		}
		a.vocab = vocab
	})
	return a.vocab
}

// InLinkBlock reports whether visible block i is a heading or item of a
// link block.
func (a *Article) InLinkBlock(i int) bool {
	return i >= 0 && i < len(a.inLinkBlock) && a.inLinkBlock[i]
}

// ClaimedDate returns the date the page claims for itself: a labelled date
// line ("Date:2025-04-07 14:28:25"), then the metadata's publication date,
// then a date near the headline, a <time> element and a date in the URL.
// When none of those exists, the date the template stamps on its own
// lists (the most frequent link-block date) stands in for it.
func (a *Article) ClaimedDate() (DatedString, bool) {
	for _, origins := range [][]string{
		{"text:label"},
		{"meta:article:published_time", "jsonld:datePublished", "meta:og:published_time", "meta:datepublished", "meta:date", "meta:pubdate", "meta:publish-date", "meta:dc.date", "meta:dcterms.created", "meta:sailthru.date", "meta:parsely-pub-date"},
		{"text:top"},
		{"time"},
		{"url"},
	} {
		for _, o := range origins {
			for _, d := range a.Dates {
				if d.Origin == o && d.Precision == PrecisionDay && (d.Published || o == "time") {
					return d, true
				}
			}
		}
	}
	counts := map[string]int{}
	var best DatedString
	bestN := 0
	for _, d := range a.Dates {
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

package source

import (
	"context"
	"net/url"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
)

// What makes an aligned candidate the page's original.
const (
	// maxVerified is how many candidates, most shared bands first, are
	// aligned with the page.
	maxVerified = 3
	// minShare is the share of the original's words (containment) or of
	// the page's story words that aligned sentences must cover.
	minShare = 0.5
	// minPairs and minAlignedWords keep a shared quotation or two common
	// lines from making a copy: they count only pairs of sentences of
	// minPairWords words or more, so that a blog template's short lines
	// ("Gefällt mir:", "Ähnliche Beiträge") shared by two blogs make none.
	minPairs        = 2
	minAlignedWords = 30
	minPairWords    = 6
	// sureBands: a page sharing half the LSH bands with a story
	// resembles it as a whole (MinHash resemblance about 0.8), which no
	// shared template does; then short sentences count too (a sports
	// roundup's "Davis 17 points.").
	sureBands = Bands / 2
)

// Match is the story a page copied, and how the two align.
type Match struct {
	// Story is the original, Number its place in the index.
	Story  Story
	Number int
	// Bands is how many LSH bands the page shares with the original, and
	// Estimate the MinHash estimate of containment.
	Bands    int
	Estimate float64
	// Containment is the share of the original's words in sentences the
	// page carries; PageShare the share of the page's story words that
	// are the original's.
	Containment, PageShare float64
	// Region is the aligned region of the page's text: from the first
	// aligned sentence (or the short lines heading it) to the last.
	Region Span
	// Pairs are the aligned sentences, Inserted what the page adds inside
	// the region, Dropped the original's sentences it left out.
	Pairs    []Pair
	Inserted []Insertion
	Dropped  []Span
	// CreditDropped: the original credits a wire or an author (Credits)
	// and the page credits none of them.
	CreditDropped bool
	// Rewording is the rewording alignment of the page with the
	// original (over content stems), which says how much of the words of
	// the sentences it carries the page replaced.
	Rewording *Rewording
	// ByRewording: the page was matched by the rewording alignment only
	// (the verbatim one aligned too little); Pairs then hold its pairs.
	ByRewording bool
	// WireCredit is the page's own wire credit (a dateline's "(AP)", a
	// byline "Associated Press"), empty when it has none.
	WireCredit Span
}

// Candidate is a story that shares LSH bands with a page, for `repack
// index query`.
type Candidate struct {
	Story  Story
	Number int
	Bands  int
	// Anchors is how many of the page's anchors the story shares,
	// Immutables how many of its immutable keys.
	Anchors, Immutables int
	Estimate            float64
	// Match is the verified alignment, nil when the story is not the
	// page's original.
	Match *Match
}

// Candidates returns the stories sharing LSH bands with the page, most
// shared bands first (at most limit), each verified by alignment.
func (ix *Index) Candidates(ctx context.Context, p *page.Page, limit int) []Candidate {
	a := article.Of(p)
	b := bodyOf(a)
	sh := shingleHashes(b.words)
	if len(sh) < minShingles {
		return nil
	}
	sig := signatureOf(sh)
	var out []Candidate
	for _, c := range ix.candidates(&sig, anchorsOf(sh), immutableKeys(a.Text, b.words)) {
		if len(out) == limit || ctx.Err() != nil {
			break
		}
		if ix.self(c.story, p, a.Text) {
			continue
		}
		s := ix.Story(c.story)
		est := containment(resemblance(&sig, &s.Signature), s.Shingles, len(sh))
		cd := Candidate{Story: s, Number: c.story, Bands: c.bands, Anchors: c.anchors, Immutables: c.immutables, Estimate: est}
		cd.Match = verify(a, b, s, c, est)
		out = append(out, cd)
	}
	return out
}

// Match returns the page's original in the index, or nil when the index
// holds none (or the page has no story body to look up). A page never
// matches itself: a story with its URL or its body is skipped.
func (ix *Index) Match(ctx context.Context, p *page.Page) *Match {
	var best *Match
	for _, c := range ix.Candidates(ctx, p, maxVerified) {
		if c.Match != nil && (best == nil || c.Match.Containment > best.Containment) {
			best = c.Match
		}
	}
	return best
}

// self reports whether story i is the page itself.
func (ix *Index) self(i int, p *page.Page, text string) bool {
	if ix.bodyHash(i) == pageHash(text) {
		return true
	}
	if p.URL == nil {
		return false
	}
	s := ix.Story(i)
	return s.URL != "" && sameURL(s.URL, p.URL.String())
}

// sameURL compares two addresses without scheme, "www." and a trailing
// slash.
func sameURL(a, b string) bool {
	norm := func(s string) string {
		u, err := url.Parse(strings.TrimSpace(s))
		if err != nil {
			return s
		}
		return strings.TrimPrefix(strings.ToLower(u.Host), "www.") + strings.TrimSuffix(u.EscapedPath(), "/") + "?" + u.RawQuery
	}
	return norm(a) == norm(b)
}

// verify aligns the page with a candidate story and returns the match, or
// nil when too little of either is the other.
func verify(a *article.Article, b body, s Story, c candidate, est float64) *Match {
	pg := pageUnits(a)
	org := storyUnits(s)
	blockWords := func(bi int) (int, bool) {
		if bi < 0 || bi >= len(a.Blocks) {
			return 0, false
		}
		bl := a.Blocks[bi]
		return bl.Words, !bl.Boilerplate && bl.LinkBytes*2 < bl.End-bl.Start
	}
	al := align(a.Text, pg, s.Text, s.Title, org, blockWords)
	if al.totalOrg == 0 {
		return nil
	}
	rw := reword(a.Text, pg, s.Text, org)
	m := verbatimMatch(a, b, s, c, al)
	if m == nil {
		if m = rewordedMatch(a, b, s, c, rw); m == nil {
			return nil
		}
	}
	m.Estimate = est
	m.Rewording = rw
	m.CreditDropped = creditsShown(s) && !credits(a, s.Credits) && !signed(a)
	m.WireCredit = wireCredit(a)
	return m
}

// verbatimMatch returns the match the verbatim alignment makes, or nil
// when too little of either side is the other.
func verbatimMatch(a *article.Article, b body, s Story, c candidate, al alignment) *Match {
	// Only sentences of minPairWords words or more count: the short
	// lines of a platform's template ("Gefällt mir:", "Name
	// (erforderlich)") that two blogs share are no story of either.
	var prose []Pair
	aligned, alignedOrg := 0, 0
	seen := map[Span]bool{}
	var ws []word
	for _, pr := range al.pairs {
		ws = words(ws[:0], orgTextOf(s.Text, s.Title, unit{title: pr.Title}), pr.Original.Start, pr.Original.End)
		if len(ws) < minPairWords && c.bands < sureBands {
			continue
		}
		prose = append(prose, pr)
		aligned += len(ws)
		if !pr.Title && !seen[pr.Original] {
			seen[pr.Original] = true
			alignedOrg += len(ws)
		}
	}
	if len(prose) < minPairs || aligned < minAlignedWords {
		return nil
	}
	m := &Match{Story: s, Number: c.story, Bands: c.bands, Region: al.region, Pairs: al.pairs, Inserted: al.inserted, Dropped: al.dropped}
	m.Containment = min(1, float64(alignedOrg)/float64(al.totalOrg))
	if n := len(b.words); n > 0 {
		m.PageShare = min(1, float64(storyWordsAligned(a, prose))/float64(n))
	}
	if m.Containment < minShare && m.PageShare < minShare {
		return nil
	}
	return m
}

// rewordedMatch returns the match the rewording alignment makes, or nil:
// at least minRewordPairs pairs of minPairWords words or more, mostly in
// the original's order (minOrdered), minAlignedWords of the original's
// words, covering half of the original or half of the page's story. It
// reports no insertions: a reworded sentence differs from the original's
// everywhere, which the substitutions say.
func rewordedMatch(a *article.Article, b body, s Story, c candidate, rw *Rewording) *Match {
	var prose []Pair
	for _, rp := range rw.Pairs {
		if lexis.WordCount(a.Text[rp.Page.Start:rp.Page.End]) >= minPairWords {
			prose = append(prose, Pair{Page: rp.Page, Original: rp.Original, Cosine: rp.Cosine})
		}
	}
	if len(prose) < minRewordPairs || rw.alignedOrg < minAlignedWords || float64(rw.Ordered) < minOrdered*float64(len(rw.Pairs)) || rw.totalOrg == 0 {
		return nil
	}
	m := &Match{Story: s, Number: c.story, Bands: c.bands, Pairs: prose, ByRewording: true}
	m.Region = Span{prose[0].Page.Start, prose[len(prose)-1].Page.End}
	m.Containment = min(1, float64(rw.alignedOrg)/float64(rw.totalOrg))
	if n := len(b.words); n > 0 {
		m.PageShare = min(1, float64(storyWordsAligned(a, prose))/float64(n))
	}
	if m.Containment < minShare && m.PageShare < minShare {
		return nil
	}
	return m
}

// wireCredit returns the first place the page credits a wire agency in
// its text (a dateline's "(AP)", "Associated Press"), or the empty span.
func wireCredit(a *article.Article) Span {
	lower := a.LowerText()
	best := Span{-1, -1}
	for _, ag := range lexis.WireAgencies {
		for _, c := range ag.Credits {
			for off := 0; off < len(lower); {
				i := strings.Index(lower[off:], c)
				if i < 0 {
					break
				}
				i += off
				j := i + len(c)
				if (i == 0 || !isWordRune(lastRune(lower[:i]))) && (j == len(lower) || !isWordRune(firstRune(lower[j:]))) {
					if best.Start < 0 || i < best.Start {
						best = Span{i, j}
					}
					break
				}
				off = i + 1
			}
		}
	}
	if best.Start < 0 {
		return Span{}
	}
	return best
}

// storyWordsAligned counts the words of the page's story blocks that lie
// in aligned sentences.
func storyWordsAligned(a *article.Article, pairs []Pair) int {
	n := 0
	var ws []word
	for _, pr := range pairs {
		ws = words(ws[:0], a.Text, pr.Page.Start, pr.Page.End)
		bi := a.BlockAt(pr.Page.Start)
		for _, sb := range a.StoryBlocks() {
			if sb == bi {
				n += len(ws)
				break
			}
		}
	}
	return n
}

// pageUnits returns the sentences of the page's visible blocks, in order.
func pageUnits(a *article.Article) []unit {
	var ss []sentence
	for bi, b := range a.Blocks {
		if b.Hidden != "" {
			continue
		}
		ss = sentences(ss, a.Text, b.Start, b.End, bi)
	}
	out := make([]unit, len(ss))
	for i, s := range ss {
		out[i] = unit{sentence: s, words: words(nil, a.Text, s.start, s.end)}
	}
	return out
}

// storyUnits returns the original's title and the sentences of its text.
func storyUnits(s Story) []unit {
	var out []unit
	for start := 0; start < len(s.Title); {
		end := strings.IndexByte(s.Title[start:], '\n')
		if end < 0 {
			end = len(s.Title)
		} else {
			end += start
		}
		if end > start {
			out = append(out, unit{sentence: sentence{start: start, end: end, block: -1}, words: words(nil, s.Title, start, end), title: true})
		}
		start = end + 1
	}
	for _, ss := range sentences(nil, s.Text, 0, len(s.Text), -1) {
		out = append(out, unit{sentence: ss, words: words(nil, s.Text, ss.start, ss.end)})
	}
	return out
}

// creditsShown reports whether the original shows one of its credits in
// its story text: a credit only in its metadata (an author meta tag) is
// one a copy of the text, a scraper's or a partner's capture, never
// carries, so its absence says nothing.
func creditsShown(s Story) bool {
	lower := strings.ToLower(s.Text)
	for _, c := range s.Credits {
		if containsWord(lower, c) {
			return true
		}
	}
	return false
}

// credits reports whether the page credits any of the original's
// credits, or credits a wire agency at all, by any of its names or only
// in a photo credit ("(Photo: Jane Doe/AP)"): a partner that names the
// wire it carries has not dropped the credit, which is what scrapers do.
func credits(a *article.Article, list []string) bool {
	hay := []string{a.LowerText(), strings.ToLower(a.Meta["author"])}
	for _, c := range a.Bylines {
		hay = append(hay, strings.ToLower(c.Text))
	}
	if namesWire(hay...) {
		return true
	}
	for _, ag := range lexis.WireAgencies {
		if photoCredit(hay[0], strings.ToLower(ag.Code)) {
			return true
		}
	}
	for _, c := range list {
		if anyContainsWord(hay, c) {
			return true
		}
	}
	return false
}

// namesWire reports whether any of the lower-case texts names a wire
// agency by one of its credits ("associated press", "(ap)", "dpa").
func namesWire(texts ...string) bool {
	for _, ag := range lexis.WireAgencies {
		for _, c := range ag.Credits {
			if anyContainsWord(texts, c) {
				return true
			}
		}
	}
	return false
}

// signed reports whether the page credits an author of its own: a
// byline or author metadata. A copy that names anyone has not dropped
// every credit (a network page signs with a brand, which other features
// weigh); credit_dropped is a copy that credits nobody.
func signed(a *article.Article) bool {
	return len(a.Bylines) > 0 || strings.TrimSpace(a.Meta["author"]) != ""
}

// photoCredit reports whether text names a wire by its code in a photo
// credit, joined by a slash to the photographer's name ("jane doe/ap",
// "dpa/jane doe"): the code alone is too short a word to trust.
func photoCredit(text, code string) bool {
	return findWord(text, code, func(before, after rune) bool { return before == '/' || after == '/' })
}

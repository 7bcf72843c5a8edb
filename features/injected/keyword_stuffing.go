package injected

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Limits of keyword_stuffing.
const (
	// stuffMinTokens is how many content words a block needs for its
	// repetitions to be judged.
	stuffMinTokens = 20
	// stuffMinRepeats and stuffDensity: a term repeated at least this
	// often and making up this share of the block's content words is
	// stuffed.
	stuffMinRepeats = 8
	stuffDensity    = 0.15
	// stuffMaxVariety is the most distinct words per content word a
	// stuffed block has: prose varies its words (0.6 to 0.8), a keyword
	// block repeats a few.
	stuffMaxVariety = 0.5
	// pageMinRepeats and pageDensity are the same over the page's prose:
	// its blocks of pageMinWords words or more outside the header, footer
	// and navigation.
	pageMinRepeats = 25
	pageDensity    = 0.15
	pageMinWords   = 10
	// listMinItems is how many comma-separated items a keyword list has;
	// listShared is the share of them that repeat one word.
	// stuffElsewhere is how often the repeated word of a block without
	// spam vocabulary may occur in the page's other blocks: more, and it
	// is the page's own subject (a shop's menus name its "Pro" models
	// everywhere), not stuffing.
	stuffElsewhere = 3
	listMinItems   = 8
	listShared     = 0.5
	stuffMax       = 3
)

// KeywordStuffing finds terms repeated far beyond natural frequency and
// keyword lists.
var KeywordStuffing = signal.Extractor{
	Name:   "keyword_stuffing",
	Family: signal.Injected,
	Doc: `One term repeated far beyond natural frequency, or a long comma-separated keyword list in the text. ` +
		`A block of 20 or more content words (code excepted) in which one word makes 15% of them and occurs eight times or more, with at most one ` +
		`distinct word per two (prose varies its words, a keyword block repeats a few), or a page whose prose repeats one word 25 ` +
		`times and 15% of its content words; or a list of eight or more short comma-separated items of which half repeat one word ` +
		`("cheap jordans, jordan shoes, cheap jordan shoes, ..."), or three of which hold spam vocabulary. Tag lists name different ` +
		`things and stay quiet, and so does a menu of product models ("Phone 15 vs 15 Pro, Phone 14 vs Phone 15, ..."), whose ` +
		`items vary the model. Value: the strongest block's repetition over the threshold (1 at the threshold), capped at 3.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		keys := keysOf(p, v)
		var best signal.Result
		consider := func(score float64, evs []signal.Evidence) {
			if score >= 1 && score > best.Value {
				best = signal.Result{Value: math.Min(round2(score), stuffMax), Evidence: evs}
			}
		}
		var scratch []uint64
		var pageKeys []uint64
		counts := countsPool.Get().(*stemCounts)
		defer countsPool.Put(counts)
		topical := topicalKeys(p, v, keys)
		for i := range v.vis {
			b := p.Blocks[i]
			if b.LinkBytes*2 >= b.End-b.Start {
				// A menu repeats its product line ("Pro", "Pro Max"), a
				// tag cloud its topic: links are link_farm's and
				// spam_vocabulary's to judge.
				continue
			}
			// Code repeats its identifiers by nature; whether a block is
			// code costs a climb of the DOM, so it is asked only of a
			// block that would count.
			mk := func(s, e int, note string) signal.Evidence { return signal.TextSpan(p, s, e, note) }
			if score, evs, key := blockStuffing(&v.vis[i], keys.vis[i], &scratch, counts, topical, mk); score > best.Value && !inCode(b.Node) {
				if spamWeight(v.vis[i].hits) >= 1 || countKey(keys.vis, key, i) < stuffElsewhere {
					consider(score, evs)
				}
			}
			if score, evs := keywordList(&v.vis[i], keys.vis[i], p.Text, b.Start, b.End, topical, mk); score > best.Value && !inCode(b.Node) {
				consider(score, evs)
			}
			if b.Boilerplate || b.Words < pageMinWords {
				continue // a menu's line is no prose
			}
			for j, t := range v.vis[i].toks {
				if t.content {
					pageKeys = append(pageKeys, keys.vis[i][j])
				}
			}
		}
		for i := range v.hid {
			b := p.Hidden[i]
			mk := func(s, e int, note string) signal.Evidence {
				return signal.HiddenSpan(p, s, e, b.Node, "hidden: "+note)
			}
			score, evs, _ := blockStuffing(&v.hid[i], keys.hid[i], &scratch, counts, topical, mk)
			consider(score, evs)
			consider(keywordList(&v.hid[i], keys.hid[i], p.HiddenText, b.Start, b.End, topical, mk))
		}
		nPage := len(pageKeys)
		if most, _ := slotMax(pageKeys, counts); most < pageMinRepeats || float64(most) < pageDensity*float64(nPage) {
			return best
		}
		if key, n, _ := topKey(pageKeys); n >= pageMinRepeats {
			d := float64(n) / float64(nPage)
			if d >= pageDensity {
				var evs []signal.Evidence
				for i := range v.vis {
					for j, t := range v.vis[i].toks {
						if t.content && keys.vis[i][j] == key && len(evs) < maxEvidence {
							evs = append(evs, signal.TextSpan(p, int(t.Start), int(t.End), fmt.Sprintf("%q is %.0f%% of the page's content words", t.of(v.vis[i].lower), 100*d)))
						}
					}
				}
				consider(d/pageDensity, evs)
			}
		}
		return best
	},
}

// inCode reports whether a block is program code (<pre>, <code>), where
// identifiers repeat by nature.
func inCode(n *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if a.Type == html.ElementNode && (a.DataAtom == atom.Pre || a.DataAtom == atom.Code) {
			return true
		}
	}
	return false
}

// topKey returns the most frequent of keys (the smallest among equals,
// for determinism), its count and the number of distinct keys. It sorts
// keys in place: cheaper than a map for a block's few dozen words.
func topKey(s []uint64) (uint64, int, int) {
	slices.Sort(s)
	var best uint64
	bestN, distinct := 0, 0
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == s[i] {
			j++
		}
		distinct++
		if j-i > bestN {
			best, bestN = s[i], j-i
		}
		i = j
	}
	return best, bestN, distinct
}

type spanMaker func(start, end int, note string) signal.Evidence

// slotMax bounds the counts of keys from above with the hashed table c
// (left clean): the largest slot count is at least the top key's count,
// and the filled slots at most the distinct keys. It spares most blocks
// the exact count.
func slotMax(keys []uint64, c *stemCounts) (most, slots int) {
	for _, k := range keys {
		s := slotOf(k)
		if c[s] == 0 {
			slots++
		}
		if c[s] < math.MaxUint16 {
			c[s]++
		}
		most = max(most, int(c[s]))
	}
	c.reset(keys)
	return most, slots
}

// blockStuffing scores one block's most repeated content word (by stem,
// so that "jersey" and "jerseys" count together). scratch and counts are
// reused space.
func blockStuffing(bv *blockView, bkeys []uint64, scratch *[]uint64, counts *stemCounts, topical map[uint64]bool, mk spanMaker) (float64, []signal.Evidence, uint64) {
	if bv.content < stuffMinTokens {
		return 0, nil, 0
	}
	keys := (*scratch)[:0]
	for j, t := range bv.toks {
		if t.content {
			keys = append(keys, bkeys[j])
		}
	}
	*scratch = keys
	most, slots := slotMax(keys, counts)
	if most < stuffMinRepeats || float64(most) < stuffDensity*float64(bv.content) || float64(slots) > stuffMaxVariety*float64(bv.content) {
		return 0, nil, 0
	}
	key, n, distinct := topKey(keys)
	d := float64(n) / float64(bv.content)
	if n < stuffMinRepeats || d < stuffDensity || float64(distinct) > stuffMaxVariety*float64(bv.content) {
		return 0, nil, 0
	}
	if topical[key] && spamWeight(bv.hits) < 1 {
		// The page's own subject, named in its title or headline, in a
		// block without spam vocabulary: a comparison menu of its
		// models ("15 Pro vs 15 Pro Max"), not stuffing.
		return 0, nil, 0
	}
	var evs []signal.Evidence
	for j, t := range bv.toks {
		if t.content && bkeys[j] == key && len(evs) < maxEvidence {
			evs = append(evs, mk(int(t.Start), int(t.End), fmt.Sprintf("%q and its kin %d times, %.0f%% of the block's content words", t.of(bv.lower), n, 100*d)))
		}
	}
	return d / stuffDensity, evs, key
}

// keywordList scores a block that is a comma-separated list of short
// items repeating one word, or holding spam terms.
func keywordList(bv *blockView, bkeys []uint64, text string, start, end int, topical map[uint64]bool, mk spanMaker) (float64, []signal.Evidence) {
	s := text[start:end]
	seps := strings.Count(s, ",")
	if seps < listMinItems-1 && bv.scripts[scriptHan]+bv.scripts[scriptKana] > 0 {
		seps += strings.Count(s, "、") + strings.Count(s, "，")
	}
	if seps < listMinItems-1 {
		return 0, nil
	}
	// Items are the runs between separators; each must be short.
	type item struct{ start, end int }
	var items []item
	from := 0
	for i := 0; i <= len(s); {
		sep, size := false, 1
		switch {
		case i == len(s):
			sep = true
		case s[i] == ',':
			sep = true
		case strings.HasPrefix(s[i:], "、"), strings.HasPrefix(s[i:], "，"):
			sep, size = true, 3
		}
		if sep {
			items = append(items, item{start + from, start + i})
			from = i + size
		}
		i += size
	}
	short := 0
	for _, it := range items {
		n := lexis.WordCount(text[it.start:it.end])
		if n >= 1 && n <= 5 && !strings.ContainsAny(text[it.start:it.end], ".!?") {
			short++
		}
	}
	if len(items) < listMinItems || short*5 < len(items)*4 {
		return 0, nil
	}
	// How many items share the most common word, each item counted once.
	var itemKeys []uint64
	words := map[uint64]string{}
	spamItems := 0
	ti, hi := 0, 0
	for _, it := range items {
		seen := map[uint64]bool{}
		for ti < len(bv.toks) && int(bv.toks[ti].Start) < it.end {
			t := bv.toks[ti]
			if k := bkeys[ti]; int(t.Start) >= it.start && t.content && !seen[k] {
				seen[k] = true
				itemKeys = append(itemKeys, k)
				if _, ok := words[k]; !ok {
					words[k] = t.of(bv.lower)
				}
			}
			ti++
		}
		spam := false
		for hi < len(bv.hits) && bv.hits[hi].start < it.end {
			if bv.hits[hi].start >= it.start {
				spam = true
			}
			hi++
		}
		if spam {
			spamItems++
		}
	}
	key, n, _ := topKey(itemKeys)
	share := float64(n) / float64(len(items))
	score := share / listShared
	if topical[key] {
		// The page's own topic in its title or headline: a site's tag
		// line for its own story ("stock car 2018, stock car brasil").
		score = 0
	}
	note := fmt.Sprintf("keyword list: %d items, %d repeat %q", len(items), n, words[key])
	if spamItems >= 3 {
		score = math.Max(score, float64(spamItems)/3)
		note = fmt.Sprintf("keyword list: %d items, %d with spam vocabulary", len(items), spamItems)
	}
	if score < 1 {
		return 0, nil
	}
	return score, []signal.Evidence{mk(start, end, note)}
}

// countKey counts the tokens with stem key k in every block but skip.
func countKey(keys [][]uint64, k uint64, skip int) int {
	n := 0
	for i, ks := range keys {
		if i == skip {
			continue
		}
		for _, x := range ks {
			if x == k {
				n++
			}
		}
	}
	return n
}

// topicalKeys are the stem keys of the page's title and headlines: what
// the page says it is about.
func topicalKeys(p *page.Page, v *view, keys *stemKeys) map[uint64]bool {
	m := map[uint64]bool{}
	for _, t := range v.titleToks {
		if t.content {
			m[t.key(v.titleLower)] = true
		}
	}
	for _, c := range article.Of(p).Headlines {
		if c.Block < 0 || c.Block >= len(v.vis) {
			continue
		}
		for j, t := range v.vis[c.Block].toks {
			if t.content {
				m[keys.vis[c.Block][j]] = true
			}
		}
	}
	return m
}

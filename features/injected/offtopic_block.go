package injected

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// Limits of offtopic_block.
const (
	// offMinStems is how many distinct content stems a visible block (or
	// a run of them) needs to be judged; hidden blocks need offMinHidden.
	offMinStems  = 20
	offMinHidden = 12
	// offMinRest is how many distinct stems the rest of the page needs to
	// be a yardstick.
	offMinRest = 80
	// offSuspect is the share of a block's stems found elsewhere below
	// which it is grouped with its suspect neighbours; offShare is the
	// share below which the group is off-topic.
	offSuspect = 0.3
	offShare   = 0.12
	// offMinSpamStems and offSpamShare are the same for a block or run
	// holding spam vocabulary.
	offMinSpamStems = 8
	offSpamShare    = 0.25
	// offSuspectOfMedian and offShareOfMedian relate those shares to the
	// share of the page's median paragraph: a short article's paragraphs
	// share fewer words with each other than a long one's.
	offSuspectOfMedian = 0.6
	offShareOfMedian   = 0.5
	offMax             = 3
	// offPlainMax caps what off-topic blocks without spam add: below the
	// 2 of one block of spam.
	offPlainMax = 1
)

// stemRunes is how many leading runes of a word stand for it, so that
// "gambling" and "gamble", "dentist" and "dentists" meet.
const stemRunes = 5

// OfftopicBlock finds blocks whose vocabulary the rest of the page and the
// site's name do not share.
var OfftopicBlock = signal.Extractor{
	Name:   "offtopic_block",
	Family: signal.Injected,
	Doc: `A block whose vocabulary is far from the rest of the page and from the site's name. ` +
		`Slot-gambling paragraphs spliced into a dentist's page share almost no content word with it. Content words are cut to ` +
		`their first five letters (Chinese and Japanese to character pairs); an article paragraph of 20 or more distinct stems, or a ` +
		`run of such neighbours, is off-topic when fewer than 12% of its stems occur anywhere else on the page, in its title, in the ` +
		`site's names or among the words of a site's furniture (cookies, privacy, newsletter), on a page with at least 80 other ` +
		`stems. Blocks outside the article (teasers, footers, banners) and hidden blocks are judged only when they hold spam ` +
		`vocabulary; blocks that are mostly links are left to link_farm. Value: 0.5 per off-topic block or run, at most 1 in all ` +
		`(teasers and quotations are off-topic too), plus 2 per block holding spam vocabulary, capped at 3: a value of 2 or more ` +
		`means a block of spam.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		return offtopic(p, v)
	},
}

// stemsOf appends the stem keys of a block's content tokens: Latin words
// of four letters or more by their stem (from keys, computed when nil),
// CJK runs by their character pairs.
func stemsOf(dst []uint64, toks []token, keys []uint64, lower string) []uint64 {
	for j, t := range toks {
		if !t.content {
			continue
		}
		if t.CJK {
			w := t.of(lower)
			for i := 0; i < len(w); {
				_, a := utf8.DecodeRuneInString(w[i:])
				if i+a >= len(w) {
					break
				}
				_, b := utf8.DecodeRuneInString(w[i+a:])
				dst = append(dst, keyOf(w[i:i+a+b], true))
				i += a
			}
			continue
		}
		if t.End-t.Start >= 4 {
			if keys != nil {
				dst = append(dst, keys[j])
			} else {
				dst = append(dst, t.key(lower))
			}
		}
	}
	return dst
}

// stem returns the first stemRunes runes of a word.
func stem(w string) string {
	n := 0
	for i := range w {
		if n == stemRunes {
			return w[:i]
		}
		n++
	}
	return w
}

// furnitureStems are the stems of the words every site's furniture uses
// (cookie banners, privacy and legal notices, newsletters, comment
// forms), in the corpus' main languages: a banner shares them with no
// article and is not off-topic for it.
var furnitureStems = func() map[uint64]bool {
	m := map[uint64]bool{}
	for _, w := range strings.Fields(`cookies website websites browser privacy policy consent settings personal data information
	subscribe newsletter email address advertising advertisement partners services service content experience analytics
	account register login password comment comments reply copyright rights reserved terms conditions contact javascript
	enable disable accept reject manage preferences storage access device tracking third parties purposes legitimate interest
	datenschutz einwilligung nutzung speicherung zugriff informationen webseite dienste inhalte einstellungen zustimmung
	technische unbedingt erforderlich zwecke anbieter newsletter abonnieren kommentar kommentare registrieren anmelden
	données confidentialité paramètres politique utilisation partenaires navigateur accepter refuser publicité
	datos privacidad política configuración navegador aceptar rechazar publicidad servicios contenido`) {
		m[keyOf(w, false)] = true
	}
	return m
}()

// stemCounts counts stem keys in a fixed table indexed by a hash of the
// key: cheaper than a map for the thousands of words of a page. Two stems
// may share a slot; their counts then add up, which can only make a block
// look more on-topic than it is.
type stemCounts [1 << 16]uint16

func slotOf(k uint64) uint32 { return uint32((k * 0x9E3779B97F4A7C15) >> 48) }

// add counts keys and returns how many slots they filled for the first
// time.
func (c *stemCounts) add(keys []uint64) int {
	fresh := 0
	for _, k := range keys {
		s := slotOf(k)
		if c[s] == 0 {
			fresh++
		}
		if c[s] < math.MaxUint16 {
			c[s]++
		}
	}
	return fresh
}

// reset zeroes the slots of keys, leaving the table clean for reuse.
func (c *stemCounts) reset(keys []uint64) {
	for _, k := range keys {
		c[slotOf(k)] = 0
	}
}

var countsPool = sync.Pool{New: func() any { return new(stemCounts) }}

func offtopic(p *page.Page, v *view) signal.Result {
	var r signal.Result
	keys := keysOf(p, v)
	// One backing array for every block's stems.
	all := make([]uint64, 0, len(p.Text)/8)
	bounds := make([]int, len(v.vis)+1)
	for i := range v.vis {
		all = stemsOf(all, v.vis[i].toks, keys.vis[i], v.vis[i].lower)
		bounds[i+1] = len(all)
	}
	blockStems := func(i int) []uint64 { return all[bounds[i]:bounds[i+1]] }
	total := countsPool.Get().(*stemCounts)
	defer func() {
		total.reset(all)
		countsPool.Put(total)
	}()
	distinct := total.add(all)
	if distinct < offMinRest {
		return r
	}
	context := make(map[uint64]bool, len(furnitureStems)+64)
	for k := range furnitureStems {
		context[k] = true
	}
	for _, k := range stemsOf(nil, v.titleToks, nil, v.titleLower) {
		context[k] = true
	}
	for _, w := range v.site.Words {
		if len(w) >= 4 {
			context[keyOf(w, false)] = true
		}
	}
	inArticle := make([]bool, len(v.vis))
	for _, i := range article.Of(p).StoryBlocks() {
		inArticle[i] = true
	}
	var sorted []uint64
	// overlap returns how many distinct stems of a group of blocks occur
	// outside it (or in the title, the site's names, the furniture), and
	// how many distinct stems it has. own tells whether the group is on
	// the visible page, whose counts include its own.
	overlap := func(stems []uint64, own bool) (int, int) {
		sorted = append(sorted[:0], stems...)
		slices.Sort(sorted)
		shared, n := 0, 0
		for i := 0; i < len(sorted); {
			k := sorted[i]
			j := i
			for j < len(sorted) && sorted[j] == k {
				j++
			}
			n++
			mine := 0
			if own {
				mine = j - i
			}
			if context[k] || int(total[slotOf(k)]) > mine {
				shared++
			}
			i = j
		}
		return shared, n
	}
	plain := 0.0 // the weight of off-topic blocks without spam
	emit := func(w float64, ev signal.Evidence) {
		if w < 1 {
			plain += w
		} else {
			r.Value += w
		}
		if len(r.Evidence) < maxEvidence {
			r.Evidence = append(r.Evidence, ev)
		}
	}
	// Pass 1: each candidate block's share of stems found elsewhere. Short
	// articles share less than long ones, so a block is suspect only when
	// it shares much less than the page's median block does.
	share := make([]float64, len(v.vis))
	var shares []float64
	for i := range v.vis {
		share[i] = -1
		b := p.Blocks[i]
		st := blockStems(i)
		spam := spamWeight(v.vis[i].hits) >= 1
		minStems := offMinStems / 2
		if spam {
			minStems = offMinSpamStems
		}
		if len(st) < minStems || b.LinkBytes*2 >= b.End-b.Start || !inArticle[i] && !spam {
			continue
		}
		shared, n := overlap(st, true)
		if n < minStems {
			continue
		}
		share[i] = float64(shared) / float64(n)
		shares = append(shares, share[i])
	}
	if len(shares) == 0 {
		return r
	}
	slices.Sort(shares)
	median := shares[len(shares)/2]
	suspect := func(i int) bool {
		return share[i] >= 0 && share[i] < offSuspect && share[i] < offSuspectOfMedian*median
	}
	// Pass 2: runs of suspect neighbours, judged together.
	for i := 0; i < len(v.vis); {
		if !suspect(i) {
			i++
			continue
		}
		j := i
		for j+1 < len(v.vis) && suspect(j+1) {
			j++
		}
		stems := all[bounds[i]:bounds[j+1]]
		spam := 0.0
		for k := i; k <= j; k++ {
			spam += spamWeight(v.vis[k].hits)
		}
		shared, n := overlap(stems, true)
		minStems, maxShare := offMinStems, offShare
		if spam >= 1 {
			// Spam vocabulary already says what the block is about: a
			// short spliced paragraph or a keyword-stuffed line is
			// judged on fewer stems.
			minStems, maxShare = offMinSpamStems, offSpamShare
		}
		if n >= minStems && distinct-n >= offMinRest && float64(shared) < maxShare*float64(n) && float64(shared) < offShareOfMedian*median*float64(n) {
			w := 0.5
			if spam >= 1 {
				w = 2
			}
			note := fmt.Sprintf("%d of %d stems found elsewhere on the page (a median paragraph: %.0f%%)", shared, n, 100*median)
			emit(w, signal.TextSpan(p, p.Blocks[i].Start, p.Blocks[j].End, note))
		}
		i = j + 1
	}
	// Hidden blocks with spam vocabulary, against the visible page.
	for i := range v.hid {
		if spamWeight(v.hid[i].hits) < 1 {
			continue
		}
		shared, n := overlap(stemsOf(nil, v.hid[i].toks, keys.hid[i], v.hid[i].lower), false)
		if n < offMinHidden || float64(shared) >= offShare*float64(n) {
			continue
		}
		b := p.Hidden[i]
		note := fmt.Sprintf("hidden block: %d of %d stems found on the visible page", shared, n)
		emit(2, signal.HiddenSpan(p, b.Start, b.End, b.Node, note))
	}
	r.Value = math.Min(r.Value+math.Min(plain, offPlainMax), offMax)
	return r
}

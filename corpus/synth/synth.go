package synth

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/lexis"
)

// Source names written into generated documents.
const (
	SourceRepackaged   = "synth"
	SourceHardNegative = "synth-hard-negative"
	// streamOperator names the stream that decides whether a copy is
	// another operator's (Options.OperatorShare) and draws it.
	streamOperator = "operator"
	// streamSpin names the stream that decides whether a copy is a spun
	// copy (Options.SpinShare) and draws it.
	streamSpin = "spin"
)

// Defaults used by the command.
const (
	DefaultTextShare    = 0.25
	DefaultNoBrandShare = 0.12
	// DefaultEnglishWeight: the network copies English wire and network
	// stories (AP, USA TODAY, ABC News, NPR), so an English story is
	// copied three times as often as another.
	DefaultEnglishWeight = 3
	// DefaultOperatorShare: a fifth of the copies are other operators'
	// (OperatorCopy), so that their cues weigh in training.
	DefaultOperatorShare = 0.2
	// DefaultSpinShare: about one copy in seven is a spun copy
	// (SpunCopy), the story reworded.
	DefaultSpinShare = 0.15
)

// Options configure a Generator.
type Options struct {
	// Seed is the seed every document's stream is derived from.
	Seed uint64
	// TextShare is the share of pages rendered as text rather than HTML,
	// in [0, 1].
	TextShare float64
	// NoBrandShare is the share of repackaged pages that carry no brand at
	// all (the bare template), in [0, 1].
	NoBrandShare float64
	// EnglishWeight is how many times more repackaged copies an English
	// story gets than a story in another language; 0 means 1 (every
	// story alike).
	EnglishWeight float64
	// OperatorShare is the share of repackaged copies that are another
	// operator's copy (OperatorCopy) instead of the network's, in [0, 1].
	// The draw has a stream of its own: the network's copies that remain
	// are the same whatever the share.
	OperatorShare float64
	// SpinShare is the share of repackaged copies that are spun copies
	// (SpunCopy), in [0, 1], drawn in a stream of its own before the
	// operator's: the copies that are not spun are the same whatever the
	// share.
	SpinShare float64
}

// DefaultOptions returns the options the command uses by default.
func DefaultOptions(seed uint64) Options {
	return Options{Seed: seed, TextShare: DefaultTextShare, NoBrandShare: DefaultNoBrandShare, EnglishWeight: DefaultEnglishWeight, OperatorShare: DefaultOperatorShare, SpinShare: DefaultSpinShare}
}

// Generator makes repackaged pages and hard negatives. It holds no
// mutable state: one Generator may serve many goroutines.
type Generator struct {
	opts Options
}

// maxEnglishWeight bounds Options.EnglishWeight.
const maxEnglishWeight = 100

// New returns a generator, refusing shares outside [0, 1] and an English
// weight outside [0, 100].
func New(opts Options) (*Generator, error) {
	for name, v := range map[string]float64{"text share": opts.TextShare, "no-brand share": opts.NoBrandShare, "operator share": opts.OperatorShare, "spin share": opts.SpinShare} {
		if !(v >= 0 && v <= 1) {
			return nil, fmt.Errorf("synth: %s %v is not in [0, 1]", name, v)
		}
	}
	if !(opts.EnglishWeight >= 0 && opts.EnglishWeight <= maxEnglishWeight) {
		return nil, fmt.Errorf("synth: English weight %v is not in [0, %d]", opts.EnglishWeight, maxEnglishWeight)
	}
	return &Generator{opts: opts}, nil
}

// Stream returns the random stream of one output document: PCG seeded
// with the generator's seed and a hash of (kind, source id, variant), so
// that a document's choices do not depend on which other documents are
// made, in which order or on how many goroutines.
func (g *Generator) Stream(kind, sourceID string, variant int) *rand.Rand {
	h := sha256.Sum256([]byte(kind + "\x00" + sourceID + "\x00" + strconv.Itoa(variant)))
	return rand.New(rand.NewPCG(g.opts.Seed, binary.LittleEndian.Uint64(h[:8])))
}

// Pool holds the headlines and snippets of every story, which junk link
// lists and related-article blocks draw from.
type Pool struct {
	teasers []teaser
	// byLang holds the indexes of teasers by language key.
	byLang map[string][]int
}

type teaser struct {
	id, group, lang, host string
	headline, snippet     string
	words                 map[string]bool
}

// NewPool builds the pool from stories, in id order whatever the order
// given.
func NewPool(stories []Story) *Pool {
	p := &Pool{teasers: make([]teaser, 0, len(stories))}
	for _, s := range stories {
		t := teaser{id: s.ID, group: s.Group, lang: s.Language, host: s.Host, headline: s.Headline, words: map[string]bool{}}
		if len(s.Paragraphs) > 0 {
			t.snippet = s.Paragraphs[0]
		}
		var ws []string
		for _, text := range append([]string{s.Headline}, firstN(s.Paragraphs, 3)...) {
			for _, w := range lexis.ContentWords(ws[:0], text) {
				t.words[w] = true
			}
		}
		p.teasers = append(p.teasers, t)
	}
	sort.Slice(p.teasers, func(i, j int) bool { return p.teasers[i].id < p.teasers[j].id })
	p.byLang = map[string][]int{}
	for i, t := range p.teasers {
		k := langKey(t.lang)
		p.byLang[k] = append(p.byLang[k], i)
	}
	return p
}

// Len returns the number of stories in the pool.
func (p *Pool) Len() int { return len(p.teasers) }

// minSameLanguage is the fewest stories of src's language for junk lists
// to prefer them.
const minSameLanguage = 12

// others draws up to n distinct teasers from stories of other groups than
// src; three times in four from stories in src's language when the pool
// has enough of them (the network's lists are in the language of its
// copied stories).
func (p *Pool) others(r *rand.Rand, src Story, n int) []teaser {
	var out []teaser
	seen := map[int]bool{}
	idx := p.byLang[langKey(src.Language)]
	sameLang := chance(r, 0.75) && len(idx) >= minSameLanguage
	for tries := 0; len(out) < n && tries < 8*n && len(p.teasers) > 0; tries++ {
		i := r.IntN(len(p.teasers))
		if sameLang {
			i = idx[r.IntN(len(idx))]
		}
		t := p.teasers[i]
		if seen[i] || t.id == src.ID || t.group == src.Group {
			continue
		}
		seen[i] = true
		out = append(out, t)
	}
	return out
}

func firstN(s []string, n int) []string { return s[:min(n, len(s))] }

// cutMidWord cuts s to about n bytes, mid-word as the network's teasers
// are ("... without much scoring at"), on a rune boundary.
func cutMidWord(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return strings.TrimRight(s[:n], " ")
}

// shortHash returns 8 hex digits of the SHA-256 of v's JSON.
func shortHash(v any) string {
	b, _ := json.Marshal(v)
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:4])
}

// docID derives a generated document's id from its source's id and its
// choices (meta.synth, which holds the variant too).
func docID(sourceID, prefix string, meta map[string]any) string {
	return sourceID + prefix + shortHash(meta)
}

// setVariant records which of a story's copies d is, and derives its id
// again so that it names the variant's choices.
func setVariant(d *corpus.Document, prefix string, variant int) {
	m := d.Meta["synth"].(map[string]any)
	m["variant"] = variant
	d.ID = docID(m["source_id"].(string), prefix, m)
}

// GenerateOptions say how many documents Generate makes per story.
type GenerateOptions struct {
	// PerSource is the mean number of repackaged copies per story: Generate
	// makes PerSource times as many as there are stories, shared out by
	// language (see Options.EnglishWeight).
	PerSource int
	// HardNegatives is the number of hard negatives made from each story.
	HardNegatives int
	// Workers bounds the goroutines; 0 means GOMAXPROCS.
	Workers int
	// Progress, when not nil, is called after each story with the count
	// done (from one goroutine at a time).
	Progress func(done, total int)
}

// Generate makes the repackaged copies and hard negatives of every story,
// in parallel, and returns them in story order (as given), each story's
// repackaged copies first. There are PerSource times as many repackaged
// copies as stories in all (see Copies) and HardNegatives hard negatives
// of each story. The output is the same whatever Workers is.
func (g *Generator) Generate(ctx context.Context, stories []Story, pool *Pool, o GenerateOptions) ([]corpus.Document, error) {
	if o.PerSource < 0 || o.HardNegatives < 0 {
		return nil, fmt.Errorf("synth: negative count per source (%d repackaged, %d hard negatives)", o.PerSource, o.HardNegatives)
	}
	copies := g.Copies(stories, o.PerSource)
	starts := make([]int, len(stories)+1)
	for i, n := range copies {
		starts[i+1] = starts[i] + n + o.HardNegatives
	}
	out := make([]corpus.Document, starts[len(stories)])
	errs := make([]error, len(stories))
	err := corpus.ForEach(ctx, len(stories), o.Workers, func(i int) {
		errs[i] = g.generateOne(stories[i], pool, copies[i], o.HardNegatives, out[starts[i]:starts[i+1]])
	}, o.Progress)
	if err != nil {
		return nil, err
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Copies shares perSource×len(stories) repackaged copies out among the
// stories in proportion to their weights (EnglishWeight for an English
// story, 1 for another) by systematic sampling: the stories, in an order
// drawn from the seed, take consecutive stretches of a line as long as
// their quotas, and copies fall at unit steps from a seeded offset. Each
// story gets its quota rounded down or up (up with the probability of its
// fraction), the total is exact, and the result does not depend on the
// order the stories come in.
func (g *Generator) Copies(stories []Story, perSource int) []int {
	seeded := func(s string) uint64 {
		h := sha256.Sum256([]byte(strconv.FormatUint(g.opts.Seed, 10) + "\x00copies\x00" + s))
		return binary.LittleEndian.Uint64(h[:8])
	}
	order := make([]int, len(stories))
	keys := make([]uint64, len(stories))
	for i, s := range stories {
		order[i], keys[i] = i, seeded(s.ID)
	}
	sort.Slice(order, func(a, b int) bool {
		ka, kb := keys[order[a]], keys[order[b]]
		if ka != kb {
			return ka < kb
		}
		return stories[order[a]].ID < stories[order[b]].ID
	})
	weightOf := func(s Story) float64 {
		if g.opts.EnglishWeight > 0 && isEnglish(s.Language) {
			return g.opts.EnglishWeight
		}
		return 1
	}
	total := 0.0
	for _, i := range order {
		total += weightOf(stories[i])
	}
	// The offset stays clear of 0 and 1 so that rounding in the sums
	// cannot add or drop a copy at the ends.
	offset := 1e-9 + (1-2e-9)*float64(seeded("")>>11)/(1<<53)
	n := float64(perSource * len(stories))
	copies := make([]int, len(stories))
	before := 0.0
	for _, i := range order {
		after := before + weightOf(stories[i])
		copies[i] = int(math.Ceil(n*after/total-offset) - math.Ceil(n*before/total-offset))
		before = after
	}
	return copies
}

func (g *Generator) generateOne(s Story, pool *Pool, copies, hardNegatives int, dst []corpus.Document) error {
	for v := 0; v < copies; v++ {
		if r := g.Stream(streamSpin, s.ID, v); g.opts.SpinShare > 0 && Spinnable(s) && chance(r, g.opts.SpinShare) {
			doc, err := g.SpunCopy(s, r)
			if err != nil {
				return err
			}
			setVariant(&doc, "#spun-", v)
			dst[v] = doc
			continue
		}
		if r := g.Stream(streamOperator, s.ID, v); g.opts.OperatorShare > 0 && chance(r, g.opts.OperatorShare) {
			doc, err := g.OperatorCopy(s, r)
			if err != nil {
				return err
			}
			setVariant(&doc, "#operator-", v)
			dst[v] = doc
			continue
		}
		doc, err := g.Repackage(s, pool, g.Stream(SourceRepackaged, s.ID, v))
		if err != nil {
			return err
		}
		setVariant(&doc, "#synth-", v)
		dst[v] = doc
	}
	for v := 0; v < hardNegatives; v++ {
		doc, err := g.HardNegative(s, pool, g.Stream(SourceHardNegative, s.ID, v))
		if err != nil {
			return err
		}
		setVariant(&doc, "#hardneg-", v)
		dst[copies+v] = doc
	}
	return nil
}

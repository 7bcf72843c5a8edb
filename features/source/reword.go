package source

import (
	"math"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/features/lexis"
)

// The rewording alignment pairs a page's sentences with the original's
// when a spinner reworded them: over stems of content words (function
// words left out), so that "concerned" meets "concern" and "the" meets
// nothing, with a lower cosine than the verbatim alignment's, and one
// page sentence may take two adjacent original sentences (a merge) while
// two page sentences may take one (a split). Stems are the first
// stemRunes letters of a word: truncation stems every language of the
// corpora alike (Snowball would need a stemmer per language and still
// miss German compounds' inflections), and a spinner's synonym is a
// different word, not a different ending, which truncation keeps apart.
const (
	// stemRunes is how many letters of a word make its stem.
	stemRunes = 5
	// rewordCosine is the tf-idf cosine over stems from which a page
	// sentence is the original's it resembles most; rewordShared how many
	// stems the two must share.
	rewordCosine = 0.35
	rewordShared = 3
	// mergeGain is how much more a page sentence must resemble two
	// adjacent original sentences together than the better one alone to
	// be their merge.
	mergeGain = 0.05
	// minRewordPairs is how many pairs a rewording alignment needs to
	// make a match, and to say anything of the rewording.
	minRewordPairs = 3
	// minOrdered is the share of the pairs that must follow the
	// original's order (the longest increasing run of its sentences): a
	// rewrite keeps the story's order, two stories of one event that
	// share a few facts do not.
	minOrdered = 0.6
	// minTouched and minSubstituted make a reworded copy: at least
	// minTouched of the aligned pairs have a word substituted, and at
	// least minSubstituted of the aligned content words are. A spinner
	// touches nearly every sentence; an editor who updates the wire
	// rewrites a paragraph and leaves the rest alone.
	minTouched     = 0.6
	minSubstituted = 0.15
	// minImmutablesKept is the share of a page sentence's names and
	// numbers its original sentences must have for the two to pair;
	// sureRewordCosine the cosine a sentence with neither needs.
	minImmutablesKept = 0.6
	sureRewordCosine  = 0.5
	// maxSubstitutionEvidence caps the substitutions a feature lists.
	maxSubstitutionEvidence = 24
)

// cword is a content word of a sentence: its span and stem.
type cword struct {
	start, end int
	stem       string
	number     bool
}

// contentWords returns the content words of a unit: not function words,
// three characters or more, or any number.
func contentWords(u unit) []cword {
	out := make([]cword, 0, len(u.words))
	for _, w := range u.words {
		r, _ := utf8.DecodeRuneInString(w.norm)
		number := unicode.IsDigit(r)
		if !number && (utf8.RuneCountInString(w.norm) < 3 || lexis.IsStopword(w.norm)) {
			continue
		}
		out = append(out, cword{start: w.start, end: w.end, stem: stem(w.norm, number), number: number})
	}
	return out
}

// stem returns the first stemRunes letters of a folded word; a number is
// its own stem.
func stem(norm string, number bool) string {
	if number {
		return norm
	}
	n := 0
	for i := range norm {
		if n == stemRunes {
			return norm[:i]
		}
		n++
	}
	return norm
}

// Substitution is words of the page that stand where the original has
// others, in a pair of aligned sentences.
type Substitution struct {
	// Page is the page's words' span; Original the original's words.
	Page     Span
	Original string
	// Words is how many of the original's content words were replaced.
	Words int
}

// RewordPair is a page sentence aligned with one original sentence, or
// two adjacent ones it merges.
type RewordPair struct {
	Page Span
	// Original spans the original's sentence (or the two it merges) in
	// its story text.
	Original      Span
	Cosine        float64
	Substitutions []Substitution
	// Quotation: the page's sentence is quoted speech, which a spinner
	// leaves alone as it leaves names alone; it counts towards the
	// alignment, not towards the rewording.
	Quotation bool
}

// Rewording is the rewording alignment of a page with its original.
type Rewording struct {
	Pairs []RewordPair
	// Content is how many content words (numbers left out) the aligned
	// original sentences have; Substituted how many of them the page
	// replaced with other words.
	Content, Substituted int
	// Worded is how many pairs are not quotations, Touched how many of
	// them have a substitution; Ordered how many pairs follow the
	// original's order.
	Worded, Touched, Ordered int
	// alignedOrg and totalOrg count the words of the original's aligned
	// sentences and of all its text, alignedPg the page's aligned words.
	alignedOrg, totalOrg, alignedPg int
}

// Share is the share of the aligned original content words the page
// substituted.
func (r *Rewording) Share() float64 {
	if r == nil || r.Content == 0 {
		return 0
	}
	return float64(r.Substituted) / float64(r.Content)
}

// Reworded reports whether the page is a reworded copy: enough pairs
// that are not quotations, most of them touched, and enough of their
// content words substituted.
func (r *Rewording) Reworded() bool {
	if r == nil || r.Worded < minRewordPairs {
		return false
	}
	return float64(r.Touched) >= minTouched*float64(r.Worded) && r.Share() >= minSubstituted
}

// reword aligns page units with the original's text units (its titles
// left out) over content stems.
func reword(pageText string, pg []unit, orgText string, org []unit) *Rewording {
	out := &Rewording{}
	type side struct {
		cw   []cword
		vec  map[string]float64
		norm float64
	}
	// The original's headline is its title, and its text's first line
	// too: a copy's headline is its own (a carrier rewrites headlines
	// for search), so neither is a sentence to reword.
	titles := map[string]bool{}
	for _, u := range org {
		if u.title {
			titles[unitKey(u)] = true
		}
	}
	var ou []unit
	for _, u := range org {
		if !u.title && !titles[unitKey(u)] {
			ou = append(ou, u)
			out.totalOrg += len(u.words)
		}
	}
	os := make([]side, len(ou))
	ps := make([]side, len(pg))
	df := map[string]int{}
	count := func(cw []cword) {
		seen := map[string]bool{}
		for _, c := range cw {
			if !seen[c.stem] {
				seen[c.stem] = true
				df[c.stem]++
			}
		}
	}
	for i, u := range ou {
		os[i].cw = contentWords(u)
		count(os[i].cw)
	}
	for i, u := range pg {
		ps[i].cw = contentWords(u)
		count(ps[i].cw)
	}
	n := float64(len(ou) + len(pg))
	vec := func(s *side) {
		s.vec = make(map[string]float64, len(s.cw))
		for _, c := range s.cw {
			s.vec[c.stem] += math.Log((n+1)/float64(df[c.stem]+1)) + 1
		}
		for _, x := range s.vec {
			s.norm += x * x
		}
		s.norm = math.Sqrt(s.norm)
	}
	byStem := map[string][]int{}
	for i := range os {
		vec(&os[i])
		for st := range os[i].vec {
			byStem[st] = append(byStem[st], i)
		}
	}
	cosine := func(p *side, js ...int) (float64, int) {
		var dot, norm float64
		shared := 0
		union := map[string]float64{}
		for _, j := range js {
			for st, x := range os[j].vec {
				union[st] += x
			}
		}
		for st, x := range union {
			norm += x * x
			if y, ok := p.vec[st]; ok {
				dot += x * y
				shared++
			}
		}
		if norm == 0 || p.norm == 0 {
			return 0, 0
		}
		return dot / (p.norm * math.Sqrt(norm)), shared
	}
	// Names and numbers: a spinner keeps them, so a pair whose page
	// sentence tells names or figures the original's does not is two
	// stories of one event (two reports of one company's earnings), not
	// a rewording.
	var all []word
	for _, u := range pg {
		all = append(all, u.words...)
	}
	nouns := capitalisesNouns(pageText, all)
	oImm := make([]map[string]bool, len(ou))
	for i, u := range ou {
		oImm[i] = immutablesOf(orgText, u, nouns)
	}
	used := make([]bool, len(ou))
	var order []int
	for i := range pg {
		p := &ps[i]
		if len(p.cw) < rewordShared {
			continue
		}
		vec(p)
		cands := map[int]bool{}
		for st := range p.vec {
			for _, j := range byStem[st] {
				cands[j] = true
			}
		}
		best, bestCos, bestShared := -1, 0.0, 0
		for j := range cands {
			c, sh := cosine(p, j)
			if sh < rewordShared {
				continue
			}
			if c > bestCos+cosineTie || c > bestCos-cosineTie && best >= 0 && j < best {
				best, bestCos, bestShared = j, c, sh
			}
		}
		if best < 0 {
			continue
		}
		js := []int{best}
		for _, k := range []int{best - 1, best + 1} {
			if k < 0 || k >= len(ou) {
				continue
			}
			pair := []int{min(best, k), max(best, k)}
			if c, sh := cosine(p, pair...); c > bestCos+mergeGain && c >= rewordCosine {
				js, bestCos, bestShared = pair, c, sh
			}
		}
		if bestCos < rewordCosine || bestShared < rewordShared {
			continue
		}
		if !keepsImmutables(immutablesOf(pageText, pg[i], nouns), bestCos, oImm, js) {
			continue
		}
		var ocw []cword
		for _, j := range js {
			ocw = append(ocw, os[j].cw...)
			if !used[j] {
				used[j] = true
				out.alignedOrg += len(ou[j].words)
			}
		}
		rp := RewordPair{Page: Span{pg[i].start, pg[i].end}, Original: Span{ou[js[0]].start, ou[js[len(js)-1]].end}, Cosine: bestCos}
		rp.Quotation = isQuotation(pageText[rp.Page.Start:rp.Page.End])
		content, subs := substitutions(orgText, p.cw, ocw)
		rp.Substitutions = subs
		if !rp.Quotation {
			out.Content += content
			for _, s := range subs {
				out.Substituted += s.Words
			}
			out.Worded++
			if len(subs) > 0 {
				out.Touched++
			}
		}
		out.alignedPg += len(pg[i].words)
		out.Pairs = append(out.Pairs, rp)
		order = append(order, js[0])
	}
	out.Ordered = longestIncreasing(order)
	return out
}

// substitutions diffs a page sentence's content words with the
// original's (by stem, longest common subsequence): where both have words
// between two common ones, the page substituted its words for the
// original's. It returns how many content words (numbers left out) the
// original's side has, and the substitutions; a gap of numbers only is a
// changed figure, not a rewording.
func substitutions(orgText string, p, o []cword) (int, []Substitution) {
	content := 0
	for _, c := range o {
		if !c.number {
			content++
		}
	}
	if len(p) > maxDiffWords || len(o) > maxDiffWords {
		return content, nil
	}
	// lcs[i][j]: the longest common subsequence of p[i:] and o[j:].
	lcs := make([][]int32, len(p)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(o)+1)
	}
	for i := len(p) - 1; i >= 0; i-- {
		for j := len(o) - 1; j >= 0; j-- {
			if p[i].stem == o[j].stem {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	// A word of a gap that the other sentence has elsewhere was moved,
	// not replaced (a clause put first).
	pStems, oStems := map[string]bool{}, map[string]bool{}
	for _, c := range p {
		pStems[c.stem] = true
	}
	for _, c := range o {
		oStems[c.stem] = true
	}
	var subs []Substitution
	gap := func(pi0, pi1, oj0, oj1 int) {
		if pi1 <= pi0 || oj1 <= oj0 {
			return
		}
		words := 0
		var orig []string
		for _, c := range o[oj0:oj1] {
			if !c.number && !pStems[c.stem] {
				words++
				orig = append(orig, orgText[c.start:c.end])
			}
		}
		pageWords := 0
		for _, c := range p[pi0:pi1] {
			if !c.number && !oStems[c.stem] {
				pageWords++
			}
		}
		words = min(words, pageWords)
		if words == 0 {
			return
		}
		subs = append(subs, Substitution{Page: Span{p[pi0].start, p[pi1-1].end}, Original: strings.Join(orig, " "), Words: words})
	}
	i, j, pi0, oj0 := 0, 0, 0, 0
	for i < len(p) && j < len(o) {
		switch {
		case p[i].stem == o[j].stem:
			gap(pi0, i, oj0, j)
			i, j = i+1, j+1
			pi0, oj0 = i, j
		case lcs[i+1][j] >= lcs[i][j+1]:
			i++
		default:
			j++
		}
	}
	gap(pi0, len(p), oj0, len(o))
	return content, subs
}

// immutablesOf returns the folded names and numbers of a unit: its words
// that immutableKeys would take (isImmutable), every number whatever its
// length.
func immutablesOf(text string, u unit, nouns bool) map[string]bool {
	out := map[string]bool{}
	for i, w := range u.words {
		r, _ := utf8.DecodeRuneInString(w.norm)
		if unicode.IsDigit(r) || isImmutable(text[w.start:w.end], w.norm, i == 0, nouns, u.words, i, text) {
			out[strings.TrimSuffix(w.norm, "'s")] = true // "Iran's" is Iran
		}
	}
	return out
}

// keepsImmutables reports whether a page sentence keeps the names and
// numbers of the original sentences js: at least minImmutablesKept of
// its own are theirs. A sentence with none must resemble them more
// (sureRewordCosine): nothing else anchors it.
func keepsImmutables(page map[string]bool, cosine float64, org []map[string]bool, js []int) bool {
	if len(page) == 0 {
		return cosine >= sureRewordCosine
	}
	kept := 0
	for w := range page {
		for _, j := range js {
			if org[j][w] {
				kept++
				break
			}
		}
	}
	return float64(kept) >= minImmutablesKept*float64(len(page))
}

// unitKey is a unit's words, for comparing two units' text.
func unitKey(u unit) string {
	var b strings.Builder
	for _, w := range u.words {
		b.WriteString(w.norm)
		b.WriteByte(' ')
	}
	return b.String()
}

// isQuotation reports whether a sentence is quoted speech: it opens with
// a quotation mark.
func isQuotation(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
	return isOpenQuote(r) || r == '”'
}

// longestIncreasing returns the length of the longest strictly
// increasing subsequence of xs (patience sorting).
func longestIncreasing(xs []int) int {
	var tails []int
	for _, x := range xs {
		lo, hi := 0, len(tails)
		for lo < hi {
			m := (lo + hi) / 2
			if tails[m] < x {
				lo = m + 1
			} else {
				hi = m
			}
		}
		if lo == len(tails) {
			tails = append(tails, x)
		} else {
			tails[lo] = x
		}
	}
	return len(tails)
}

package source

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Alignment thresholds.
const (
	// minCosine is the tf-idf cosine from which a page sentence is the
	// original sentence it resembles most.
	minCosine = 0.5
	// minShared is how many words the two sentences of a pair must share
	// (fewer when the shorter has fewer).
	minShared = 3
	// maxDiffWords caps the sentences diffed word by word; longer pairs
	// are aligned whole.
	maxDiffWords = 400
	// headLines, headWords and headBytes bound the short lines just above
	// the first aligned sentence (a date, a tag line) that count as part
	// of the aligned region.
	headLines = 3
	headWords = 12
	headBytes = 200
	// cosineTie is how close two cosines are to count as equal.
	cosineTie = 1e-9
	// regionWords is how many words an aligned sentence (other than the
	// headline) needs to begin or end the aligned region.
	regionWords = 6
	// minCarried is how many of the original's words in a row a line of
	// its own must carry for the rest of it to be inserted into the
	// story's line (a headline that did not align for its brand).
	minCarried = 4
)

// unit is a sentence of one side with its words.
type unit struct {
	sentence
	words []word
	// title marks the original's headline, which is not part of its
	// text.
	title bool
}

// Pair is a page sentence aligned with the original's.
type Pair struct {
	// Page is the sentence's span in the page's text; Original in the
	// original's story text (or its title, when Title is set).
	Page, Original Span
	Title          bool
	Cosine         float64
}

// Span is [Start, End) of a text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Insertion is text of the page inside the aligned region that the
// original lacks.
type Insertion struct {
	Span
	// InSentence: inserted into a sentence the original has (a spliced
	// brand); otherwise a whole line or sentence of its own.
	InSentence bool
}

// alignment is the result of aligning a page with one story.
type alignment struct {
	pairs      []Pair
	inserted   []Insertion
	dropped    []Span
	region     Span
	alignedOrg int // words of the original's aligned sentences
	totalOrg   int // words of the original's text
	alignedPg  int // words of the page's aligned sentences
}

// vectors is the tf-idf space of one alignment: each side's sentences as
// weighted word vectors over the words both sides use.
type vectors struct {
	idf map[string]float64
}

func newVectors(sides ...[]unit) vectors {
	df := map[string]int{}
	n := 0
	for _, us := range sides {
		for _, u := range us {
			n++
			seen := map[string]bool{}
			for _, w := range u.words {
				if !seen[w.norm] {
					seen[w.norm] = true
					df[w.norm]++
				}
			}
		}
	}
	idf := make(map[string]float64, len(df))
	for w, d := range df {
		idf[w] = math.Log(float64(n+1)/float64(d+1)) + 1
	}
	return vectors{idf: idf}
}

// vec returns a unit's tf-idf vector and its norm.
func (v vectors) vec(u unit) (map[string]float64, float64) {
	m := make(map[string]float64, len(u.words))
	for _, w := range u.words {
		m[w.norm] += v.idf[w.norm]
	}
	var s float64
	for _, x := range m {
		s += x * x
	}
	return m, math.Sqrt(s)
}

// align aligns page units (in page order) with the original's units.
func align(pageText string, pg []unit, orgText, title string, org []unit, blockWords func(block int) (words int, headLike bool)) alignment {
	var out alignment
	for _, u := range org {
		if !u.title {
			out.totalOrg += len(u.words)
		}
	}
	v := newVectors(pg, org)
	type ov struct {
		m    map[string]float64
		norm float64
	}
	ovs := make([]ov, len(org))
	byWord := map[string][]int{}
	for i, u := range org {
		m, n := v.vec(u)
		ovs[i] = ov{m, n}
		for w := range m {
			byWord[w] = append(byWord[w], i)
		}
	}
	match := make([]int, len(pg))
	orgUsed := make([]bool, len(org))
	first, last := -1, -1
	for i, u := range pg {
		match[i] = -1
		if len(u.words) < 2 {
			continue
		}
		m, n := v.vec(u)
		dots := map[int]float64{}
		shared := map[int]int{}
		for w, x := range m {
			for _, j := range byWord[w] {
				dots[j] += x * ovs[j].m[w]
				shared[j]++
			}
		}
		best, bestCos := -1, 0.0
		for j, d := range dots {
			c := d / (n * ovs[j].norm)
			need := min(minShared, len(m), len(ovs[j].m))
			if shared[j] < need {
				continue
			}
			// Cosines are sums taken in map order, so equal ones may
			// differ in the last bits: within cosineTie they are equal,
			// and a sentence of the story's text is preferred to its
			// title (the text counts towards containment), then the
			// earlier one, so that a page aligns the same on every run.
			switch {
			case best < 0 || c > bestCos+cosineTie:
			case c > bestCos-cosineTie && tieBefore(org, j, best):
			default:
				continue
			}
			best, bestCos = j, c
		}
		if best < 0 || bestCos < minCosine {
			continue
		}
		match[i] = best
		orgUsed[best] = true
		o := org[best]
		if o.title || len(u.words) >= regionWords {
			// A short line (a menu item, "Home") that aligns is no
			// place for the story to begin or end.
			if first < 0 {
				first = i
			}
			last = i
		}
		out.pairs = append(out.pairs, Pair{Page: Span{u.start, u.end}, Original: Span{o.start, o.end}, Title: o.title, Cosine: bestCos})
		out.alignedPg += len(u.words)
		for _, in := range diffInsertions(pageText, u.sentence, u.words, orgTextOf(orgText, title, o), o.sentence, o.words) {
			if !carries(org, pageText, in.Span) {
				out.inserted = append(out.inserted, in)
			}
		}
	}
	if first < 0 {
		return out
	}
	for j, u := range org {
		if orgUsed[j] && !u.title {
			out.alignedOrg += len(u.words)
		}
	}
	// The region: from the first aligned sentence to the last, and the
	// short lines just above it that head the story.
	start := first
	for start > 0 && sameLine(pageText, pg[start-1], pg[start]) {
		start-- // the line of the first aligned sentence is the story's
	}
	blocks, bytes := 0, 0
	for k := start - 1; k >= 0; k-- {
		u := pg[k]
		if u.block != pg[k+1].block {
			blocks++
		}
		bw, ok := blockWords(u.block)
		if blocks > headLines || !ok || bw > headWords || bytes+u.end-u.start > headBytes {
			break
		}
		bytes += u.end - u.start
		start = k
	}
	out.region = Span{pg[start].start, pg[last].end}
	// inLine[i]: sentence i shares its line with an aligned sentence.
	inLine := make([]bool, len(pg))
	for i := start; i <= last; i++ {
		if match[i] < 0 {
			continue
		}
		for k := i; k > start && sameLine(pageText, pg[k-1], pg[k]); k-- {
			inLine[k-1] = true
		}
		for k := i; k < last && sameLine(pageText, pg[k], pg[k+1]); k++ {
			inLine[k+1] = true
		}
	}
	for i := start; i <= last; i++ {
		if match[i] < 0 && len(pg[i].words) > 0 && !carries(org, pageText, Span{pg[i].start, pg[i].end}) {
			// A sentence of its own in a line the original's sentences
			// fill ("SANTA ROSA, Calif. (AP) — " before a lead) is
			// inserted into the story's text; a line of its own (a
			// byline, a date line) is not.
			// Words the original has in a row at either end of the
			// sentence are the story's ("Club:157 миллионов за
			// бездействие." after a brand, a headline that did not
			// align for its brand): the insertion is the rest, and it is
			// inserted into the story's line.
			span, carried := uncarried(org, pageText, pg[i])
			if span.End > span.Start {
				out.inserted = append(out.inserted, Insertion{Span: span, InSentence: inLine[i] || carried >= minCarried})
			}
		}
	}
	out.inserted = slices.DeleteFunc(out.inserted, func(in Insertion) bool {
		return in.Start < out.region.Start || in.End > out.region.End
	})
	slices.SortFunc(out.inserted, func(a, b Insertion) int { return cmp.Compare(a.Start, b.Start) })
	// Dropped: the original's sentences between its first and last
	// aligned one that no page sentence matched.
	lo, hi := -1, -1
	for j, used := range orgUsed {
		if used && !org[j].title {
			if lo < 0 {
				lo = j
			}
			hi = j
		}
	}
	for j := lo; j >= 0 && j <= hi; j++ {
		if !orgUsed[j] && !org[j].title {
			out.dropped = append(out.dropped, Span{org[j].start, org[j].end})
		}
	}
	return out
}

// tieBefore reports whether original sentence j wins a tie with k: a
// sentence of the text before the title, then the earlier.
func tieBefore(org []unit, j, k int) bool {
	if org[j].title != org[k].title {
		return !org[j].title
	}
	return j < k
}

// uncarried returns the part of a page sentence between its longest
// prefix and its longest suffix of words that an original sentence has in
// a row (of two words or more), trimmed of white space, and the longer
// of the two ends' runs of words; the whole sentence when neither end is
// the original's.
func uncarried(org []unit, text string, u unit) (Span, int) {
	ws := u.words
	inRow := func(seq []word) bool { return hasInRow(org, seq) }
	pre := 0
	for n := len(ws); n >= 2; n-- {
		if inRow(ws[:n]) {
			pre = n
			break
		}
	}
	suf := 0
	for n := len(ws) - pre; n >= 2; n-- {
		if inRow(ws[len(ws)-n:]) {
			suf = n
			break
		}
	}
	s, e := u.start, u.end
	if pre > 0 {
		s = ws[pre-1].end
	}
	if suf > 0 {
		e = ws[len(ws)-suf].start
	}
	if e < s {
		return Span{}, max(pre, suf)
	}
	s, e = trimSpace(text, s, e)
	return Span{s, e}, max(pre, suf)
}

// sameLine reports whether sentence b follows a on the same line of
// text.
func sameLine(text string, a, b unit) bool {
	return a.block == b.block && a.end <= b.start && strings.IndexByte(text[a.end:b.start], '\n') < 0
}

// carries reports whether the original has the words of the page's span
// s in a row: text the page moved (a kicker the original shows above
// its headline, a sentence from further down), not text it inserted.
func carries(org []unit, pageText string, s Span) bool {
	ws := words(nil, pageText, s.Start, s.End)
	return len(ws) > 0 && hasInRow(org, ws)
}

// hasInRow reports whether an original sentence has the words of seq in
// a row.
func hasInRow(org []unit, seq []word) bool {
	for _, o := range org {
		for i := 0; i+len(seq) <= len(o.words); i++ {
			k := 0
			for k < len(seq) && o.words[i+k].norm == seq[k].norm {
				k++
			}
			if k == len(seq) {
				return true
			}
		}
	}
	return false
}

// orgTextOf returns the text a unit's offsets index: the title or the
// story text.
func orgTextOf(text, title string, u unit) string {
	if u.title {
		return title
	}
	return text
}

// diffInsertions returns the spans of a page sentence that its aligned
// original sentence lacks: the page's words outside their longest common
// subsequence with the punctuation joining them to the story (a
// headline's separator, a dateline's comma), trimmed of what the original
// has at the same place (a brand glued to the next word, "CenterWhite"
// against "White", inserts "Center"). A gap where the original has other words is a substitution,
// and a gap of words the original sentence has elsewhere a reordering (a
// carrier's rewritten headline): neither is an insertion.
func diffInsertions(pageText string, ps0 sentence, pw []word, orgText string, os0 sentence, ow []word) []Insertion {
	if len(pw) == 0 || len(pw) > maxDiffWords || len(ow) > maxDiffWords {
		return nil
	}
	n, m := len(pw), len(ow)
	// lcs[i][j]: longest common subsequence of pw[i:] and ow[j:].
	lcs := make([][]int32, n+1)
	for i := range lcs {
		lcs[i] = make([]int32, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if pw[i].norm == ow[j].norm {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var out []Insertion
	i, j := 0, 0
	inOriginal := make(map[string]bool, m)
	for _, w := range ow {
		inOriginal[w.norm] = true
	}
	gap := func(pi, pj, oi, oj int) {
		if pi == pj {
			return
		}
		moved := true
		for _, w := range pw[pi:pj] {
			if !inOriginal[w.norm] {
				moved = false
				break
			}
		}
		if moved {
			return // words the sentence has elsewhere: a reordering
		}
		// The gap runs from the aligned word before it to the aligned
		// word after it, so that the punctuation joining an insertion to
		// the story (a separator, a dateline's comma) is part of it.
		ps, pe := ps0.start, ps0.end
		if pi > 0 {
			ps = pw[pi-1].end
		}
		if pj < n {
			pe = pw[pj].start
		}
		os, oe := os0.start, os0.end
		if oi > 0 {
			os = ow[oi-1].end
		}
		if oj < m {
			oe = ow[oj].start
		}
		text, orig := pageText[ps:pe], orgText[os:max(os, oe)]
		pre := commonPrefix(text, orig)
		// An insertion starts at a word: "Moriarty WhitcombeMarkle"
		// against "Markle" inserts "Moriarty Whitcombe", not
		// "oriarty WhitcombeM".
		for pre > 0 && pre < len(text) && isWordRune(lastRune(text[:pre])) && isWordRune(firstRune(text[pre:])) {
			_, n := utf8.DecodeLastRuneInString(text[:pre])
			pre -= n
		}
		suf := commonSuffix(text[pre:], orig[pre:])
		if hasWordRune(orig[pre : len(orig)-suf]) {
			return // the original has other words here: a substitution
		}
		ps, pe = trimSpace(pageText, ps+pre, pe-suf)
		if pe > ps {
			out = append(out, Insertion{Span: Span{ps, pe}, InSentence: true})
		}
	}
	pi, oi := 0, 0
	for i < n && j < m {
		if pw[i].norm == ow[j].norm {
			gap(pi, i, oi, j)
			i++
			j++
			pi, oi = i, j
			continue
		}
		if lcs[i+1][j] >= lcs[i][j+1] {
			i++
		} else {
			j++
		}
	}
	gap(pi, n, oi, m)
	return out
}

// commonPrefix returns the length in bytes of the longest common prefix
// of a and b, ignoring case, ending on a rune boundary of both.
func commonPrefix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) {
		ra, x := utf8.DecodeRuneInString(a[n:])
		rb, y := utf8.DecodeRuneInString(b[n:])
		if x != y || unicode.ToLower(ra) != unicode.ToLower(rb) {
			break
		}
		n += x
	}
	return n
}

// commonSuffix is commonPrefix from the ends.
func commonSuffix(a, b string) int {
	n := 0
	for n < len(a) && n < len(b) {
		ra, x := utf8.DecodeLastRuneInString(a[:len(a)-n])
		rb, y := utf8.DecodeLastRuneInString(b[:len(b)-n])
		if x != y || unicode.ToLower(ra) != unicode.ToLower(rb) {
			break
		}
		n += x
	}
	return n
}

// trimSpace narrows [s, e) of text past white space.
func trimSpace(text string, s, e int) (int, int) {
	cut := unicode.IsSpace
	for s < e {
		r, n := utf8.DecodeRuneInString(text[s:e])
		if !cut(r) {
			break
		}
		s += n
	}
	for e > s {
		r, n := utf8.DecodeLastRuneInString(text[s:e])
		if !cut(r) {
			break
		}
		e -= n
	}
	return s, e
}

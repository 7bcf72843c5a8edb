package source

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/features/lexis"
)

// The immutables fingerprint finds the original of a reworded copy, whose
// word shingles no longer match it: the words a rewrite leaves alone
// (names, numbers, dates, quoted speech; the idea of DSpin, Zhang et al.,
// NDSS 2014) paired within a sentence. A spinner swaps "concern" for
// "apprehension" and splits or reorders sentences, but it keeps "John
// Kirby", "Sergei Shoigu", "September" and "292.2 million" together in
// the sentence that told them.
const (
	// MaxImmutables is how many immutable keys a story keeps: the
	// smallest mixed hashes (a bottom-k sketch, content-defined, so that
	// a page and its original keep the same ones).
	MaxImmutables = 64
	// minImmutableHits and immutableShare: a story sharing no band and
	// too few anchors is a candidate when it shares at least
	// minImmutableHits of the page's immutable keys and one in
	// immutableShare of them. Two stories of one event share a few
	// ("Joe Biden" with "Washington"); a rewrite of one shares most.
	minImmutableHits = 4
	immutableShare   = 6
	// quoteShingle is how many quoted words in a row make a key of
	// quoted speech.
	quoteShingle = 3
)

// immutableSeed keys the immutables' hashes apart from the anchors'.
const immutableSeed = 0x1a3b_5c7d_9e0f_2143

// immutable is one word a rewrite leaves alone, with its hash.
type immutable struct {
	hash     uint64
	sentence int // index of its sentence in the text's order
}

// immutableKeys returns the immutable keys of a story body, sorted: for
// every sentence, its immutables (numbers of two characters or more,
// names, acronyms) each paired with the next two, order-free; and every
// run of quoteShingle words of quoted speech. text is the text the words
// index.
func immutableKeys(text string, ws []word) []uint64 {
	if len(ws) == 0 {
		return nil
	}
	nouns := capitalisesNouns(text, ws)
	var keys []uint64
	var run []immutable // the immutables of the current sentence
	flush := func() {
		for i := range run {
			for j := i + 1; j < len(run) && j <= i+2; j++ {
				a, b := run[i].hash, run[j].hash
				if a == b {
					continue
				}
				if a > b {
					a, b = b, a
				}
				keys = append(keys, mix(mix(a^immutableSeed)^b))
			}
		}
		run = run[:0]
	}
	quoted := false
	var quote []uint64 // hashes of the quoted words in a row
	sentenceNo := 0
	prevEnd := -1
	for i, w := range ws {
		gap := ""
		if prevEnd >= 0 && prevEnd <= w.start {
			gap = text[prevEnd:w.start]
		}
		initial := prevEnd < 0 || endsSentenceGap(gap)
		if initial {
			flush()
			sentenceNo++
		}
		for _, r := range gap {
			switch {
			case !quoted && isOpenQuote(r):
				quoted = true
			case quoted && isCloseQuote(r):
				quoted = false
				quote = quote[:0]
			}
		}
		if prevEnd < 0 {
			// the first word: a quote mark just before it opens a quote
			for _, r := range text[max(0, w.start-4):w.start] {
				if isOpenQuote(r) {
					quoted = true
				}
			}
		}
		if quoted {
			quote = append(quote, hashWord(w.norm))
			if len(quote) >= quoteShingle {
				h := uint64(immutableSeed)
				for _, q := range quote[len(quote)-quoteShingle:] {
					h = mix(h ^ q)
				}
				keys = append(keys, h)
			}
		} else {
			quote = quote[:0]
		}
		raw := text[w.start:w.end]
		if isImmutable(raw, w.norm, initial, nouns, ws, i, text) {
			h := hashWord(w.norm)
			if len(run) == 0 || run[len(run)-1].hash != h {
				run = append(run, immutable{hash: h, sentence: sentenceNo})
			}
		}
		prevEnd = w.end
	}
	flush()
	slices.Sort(keys)
	keys = slices.Compact(keys)
	// the bottom-k sketch: the MaxImmutables smallest mixed keys
	for i, k := range keys {
		keys[i] = mix(k ^ immutableSeed)
	}
	slices.Sort(keys)
	return keys[:min(len(keys), MaxImmutables)]
}

// isImmutable reports whether word i is one a rewrite leaves alone: a
// number of two characters or more; an acronym (two capitals or more); a
// word with a capital inside ("GaleHub") or a digit; or a capitalised word
// inside a sentence that is no function word. Where nouns are capitalised
// (German), a capitalised word counts only beside another (a name is
// "Olaf Scholz", not "Regierung").
func isImmutable(raw, norm string, initial, nouns bool, ws []word, i int, text string) bool {
	first, n := utf8.DecodeRuneInString(raw)
	if unicode.IsDigit(first) {
		return len(norm) >= 2
	}
	if !unicode.IsUpper(first) || utf8.RuneCountInString(raw) < 2 {
		return false
	}
	if lexis.IsStopword(norm) {
		return false
	}
	rest := raw[n:]
	for _, r := range rest {
		if unicode.IsUpper(r) || unicode.IsDigit(r) {
			return true // "NATO", "GaleHub", "F16"
		}
	}
	if initial {
		return false
	}
	if !nouns {
		return true
	}
	capital := func(k int) bool {
		if k < 0 || k >= len(ws) {
			return false
		}
		if k > i && endsSentenceGap(text[ws[i].end:ws[k].start]) || k < i && endsSentenceGap(text[ws[k].end:ws[i].start]) {
			return false
		}
		r, _ := utf8.DecodeRuneInString(text[ws[k].start:])
		return unicode.IsUpper(r) && !lexis.IsStopword(ws[k].norm)
	}
	return capital(i-1) || capital(i+1)
}

// capitalisesNouns reports whether the text is written in a language
// that capitalises its nouns: German function words outnumber those of
// English, French and Spanish among its words. A share of capitalised
// words cannot tell: a short English story of places and organisations
// ("the Multi-State Lottery Association", "Joe's Service Center")
// capitalises as many words as a German one.
func capitalisesNouns(text string, ws []word) bool {
	german, other := 0, 0
	for _, w := range ws {
		switch {
		case germanFunctionWords[w.norm]:
			german++
		case otherFunctionWords[w.norm]:
			other++
		}
	}
	return german > other
}

// germanFunctionWords and otherFunctionWords are frequent function words
// of German, and of English, French and Spanish, that the other languages
// do not write.
var (
	germanFunctionWords = setOf("der", "die", "das", "und", "ist", "nicht", "mit", "von", "den", "dem", "des", "ein", "eine", "auf", "für", "sich", "auch", "wird", "sind", "zu", "im", "nach", "bei", "werden", "wurde")
	otherFunctionWords  = setOf("the", "and", "of", "to", "is", "with", "for", "that", "was", "el", "los", "las", "que", "y", "del", "por", "una", "le", "les", "et", "des", "du", "est", "une", "dans")
)

func setOf(ws ...string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[w] = true
	}
	return m
}

// endsSentenceGap reports whether the text between two words ends a
// sentence or a line: it holds a line break, or a sentence end (., !, ?)
// followed by a space.
func endsSentenceGap(gap string) bool {
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '\n':
			return true
		case '.', '!', '?':
			for j := i + 1; j < len(gap); j++ {
				if gap[j] == ' ' || gap[j] == '\t' {
					return true
				}
			}
		}
	}
	return false
}

// hashWord is FNV-1a of a folded word.
func hashWord(w string) uint64 {
	h := uint64(14695981039346656037)
	for k := 0; k < len(w); k++ {
		h = (h ^ uint64(w[k])) * 1099511628211
	}
	return h
}

func isOpenQuote(r rune) bool  { return r == '“' || r == '„' || r == '«' || r == '"' }
func isCloseQuote(r rune) bool { return r == '”' || r == '“' || r == '»' || r == '"' }

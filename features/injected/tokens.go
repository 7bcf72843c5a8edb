package injected

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/features/lexis"
)

// token is one word of a text (lexis.Tokenize's, the one tokenizer) with
// what the spam lexicon says of it. Its lower-case form is the same span
// of the text's lower-case copy (see lowerSameLength).
type token struct {
	lexis.Token
	// entry is the word's packed lexicon value (see wordTable), 0 when
	// the word is not in the lexicon.
	entry int32
	// content marks a word that carries content: not a function word,
	// not a number.
	content bool
}

// of returns the token's text in s (the text or its lower-case copy).
func (t token) of(s string) string { return s[t.Start:t.End] }

// key returns the stem key of the token, whose text's lower-case copy is
// lower (see keyOf).
func (t token) key(lower string) uint64 { return keyOf(t.of(lower), t.CJK) }

// lowerSameLength returns s in lower case with every rune's length kept,
// so that offsets into s hold in the copy. lower is strings.ToLower(s), or
// "" to compute it; the rare letters whose lower case has another length
// ("İ") are kept as they are.
func lowerSameLength(s, lower string) string {
	if lower == "" && s != "" {
		lower = strings.ToLower(s)
	}
	if len(lower) == len(s) {
		return lower
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); r != utf8.RuneError && utf8.RuneLen(l) == size {
			b = utf8.AppendRune(b, l)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// keyOf returns a word's stem key: its first stemRunes runes (a CJK run
// whole), packed into the key with their length when they fit in seven bytes, hashed (with
// the top bit set, so that the two never meet) when they do not. Integer
// keys make the vocabulary maps of offtopic_block and keyword_stuffing
// cheap.
func keyOf(w string, cjk bool) uint64 {
	if !cjk {
		w = stem(w)
	}
	if len(w) <= 7 {
		var k uint64
		for i := 0; i < len(w); i++ {
			k = k<<8 | uint64(w[i])
		}
		return k | uint64(len(w))<<56
	}
	h := uint64(14695981039346656037)
	for i := 0; i < len(w); i++ {
		h ^= uint64(w[i])
		h *= 1099511628211
	}
	return h | 1<<63
}

// tokensOf returns the classified tokens of text[start:end], with offsets
// into text, whose lower-case copy is lower: for the short fields that are
// no block (the title, the <noscript> text).
func tokensOf(text, lower string, start, end int) []token {
	var dst []token
	for _, t := range lexis.Tokenize(nil, text, start, end, nil) {
		dst = append(dst, token{Token: t})
	}
	var votes langVotes
	spamVocabulary.classify(dst, lower, &votes)
	return dst
}

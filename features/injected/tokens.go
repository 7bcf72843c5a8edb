package injected

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// token is one word of a text: a maximal run of letters and digits of one
// kind of script (a run of Chinese or Japanese characters is one token,
// split from the Latin letters around it). Its lower-case form is the same
// span of the text's lower-case copy (see lowerSameLength). Tokens hold no
// pointers, so that the garbage collector skips the large token arrays.
type token struct {
	start, end int32
	// entry is the word's packed lexicon value (see wordTable), 0 when
	// the word is not in the lexicon.
	entry int32
	cjk   bool
	// content marks a word that carries content: not a function word,
	// not a number.
	content bool
}

// of returns the token's text in s (the text or its lower-case copy).
func (t token) of(s string) string { return s[t.start:t.end] }

// key returns the stem key of the token, whose text's lower-case copy is
// lower (see keyOf).
func (t token) key(lower string) uint64 { return keyOf(t.of(lower), t.cjk) }

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

// span is a half-open byte range of a token in its text.
type span struct{ start, end int }

// tokenize appends to dst the spans of the words of s (runs of letters and
// digits, a CJK run apart from the rest).
func tokenize(dst []span, s string) []span {
	start := -1
	startCJK := false
	for i := 0; i < len(s); {
		c := s[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		word := isWordRune(r)
		cjk := word && isCJK(r)
		if start >= 0 && (!word || cjk != startCJK) {
			dst = append(dst, span{start, i})
			start = -1
		}
		if word && start < 0 {
			start = i
			startCJK = cjk
		}
		i += size
	}
	if start >= 0 {
		dst = append(dst, span{start, len(s)})
	}
	return dst
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// isCJK reports whether r is a Chinese, Japanese or Korean character,
// scripts written without spaces between words (Hangul is spaced, but its
// syllables are kept apart from Latin too).
func isCJK(r rune) bool {
	switch s := scriptOf(r); s {
	case scriptHan, scriptKana, scriptHangul:
		return true
	}
	return false
}

// tokensOf returns the classified tokens of text[start:end], with offsets
// into text, whose lower-case copy is lower: for the short fields that are
// no block (the title, the <noscript> text).
func tokensOf(text, lower string, start, end int) []token {
	var dst []token
	for _, sp := range tokenize(nil, text[start:end]) {
		r, _ := utf8.DecodeRuneInString(text[start+sp.start:])
		dst = append(dst, token{start: int32(start + sp.start), end: int32(start + sp.end), cjk: isCJK(r)})
	}
	var votes langVotes
	spamVocabulary.classify(dst, lower, &votes)
	return dst
}

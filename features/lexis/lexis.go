// Package lexis holds the small lexical tools the page model and the
// extractors share: word spans with byte offsets, case-glue detection,
// name-like phrases, content words and the word lists that say what an
// editorial label, an organisation word or a wire credit looks like.
//
// It works on UTF-8 strings and returns byte offsets into them. It must not
// import any other repack package.
package lexis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Span is a half-open byte range [Start, End) into a string.
type Span struct {
	Start, End int
}

// Len is the span's length in bytes.
func (s Span) Len() int { return s.End - s.Start }

// Of returns the text of the span in s.
func (s Span) Of(text string) string { return text[s.Start:s.End] }

// Fields splits s at white space and returns the byte span of every field,
// like strings.Fields but keeping offsets. The result is appended to dst.
func Fields(dst []Span, s string) []Span {
	start := -1
	for i, r := range s {
		if unicode.IsSpace(r) {
			if start >= 0 {
				dst = append(dst, Span{start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	if start >= 0 {
		dst = append(dst, Span{start, len(s)})
	}
	return dst
}

// Words returns the spans of the words of s: the tokens of Tokenize, with
// tokens that touch (a CJK run and a Latin one) and tokens joined by an
// apostrophe or hyphen kept in one word ("Iran's", "Su-35"). The result
// is appended to dst.
func Words(dst []Span, s string) []Span {
	var buf [64]Token
	return WordsOf(dst, s, Tokenize(buf[:0], s, 0, len(s), nil))
}

// WordsOf is Words over tokens already taken from s (their offsets index
// s), so that text tokenised once need not be again.
func WordsOf(dst []Span, s string, toks []Token) []Span {
	for k := 0; k < len(toks); k++ {
		w := toks[k].Span()
		for k+1 < len(toks) && (int(toks[k+1].Start) == w.End || joinedByInner(s, w.End, int(toks[k+1].Start))) {
			k++
			w.End = int(toks[k].End)
		}
		dst = append(dst, w)
	}
	return dst
}

// joinedByInner reports whether s[end:next] is one apostrophe or hyphen
// joining two tokens.
func joinedByInner(s string, end, next int) bool {
	if next <= end {
		return false
	}
	r, size := utf8.DecodeRuneInString(s[end:])
	return end+size == next && isInnerRune(r)
}

func isInnerRune(r rune) bool { return r == '\'' || r == '’' || r == '-' }

// WordCount counts the words of s without allocating: runs of
// Tokenize's tokens that touch count as one (a CJK run and the Latin
// letters glued to it are one word, as a reader of the line sees it).
func WordCount(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w, _ := classify(r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// WordCountBytes is WordCount over bytes.
func WordCountBytes(b []byte) int {
	n := 0
	in := false
	for i := 0; i < len(b); {
		c := b[i]
		var w bool
		if c < utf8.RuneSelf {
			w = asciiWord[c]
			i++
		} else {
			r, size := utf8.DecodeRune(b[i:])
			w, _ = classify(r)
			i += size
		}
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// classify says whether r belongs to a token, and to a CJK one, as
// Tokenize decides.
func classify(r rune) (word, cjk bool) {
	if r < utf8.RuneSelf {
		return asciiWord[r], false
	}
	if unicode.IsLetter(r) {
		return true, IsCJK(r)
	}
	return unicode.IsDigit(r), false
}

// EndsSentenceBytes is EndsSentence over bytes.
func EndsSentenceBytes(b []byte) bool {
	end := len(b)
	for end > 0 {
		r, size := utf8.DecodeLastRune(b[:end])
		if unicode.IsSpace(r) || r == '"' || r == '”' || r == '\'' || r == '’' || r == ')' || r == '»' {
			end -= size
			continue
		}
		switch r {
		case '.', '!', '?', '。', '！', '？', '…':
			return true
		}
		return false
	}
	return false
}

// FirstRune returns the first rune of s, or utf8.RuneError for "".
func FirstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// LastRune returns the last rune of s, or utf8.RuneError for "".
func LastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// IsCapitalized reports whether s starts with an upper-case letter.
func IsCapitalized(s string) bool {
	return unicode.IsUpper(FirstRune(s))
}

// IsAllCaps reports whether s has at least two letters and no lower-case
// letter ("WASHINGTON", "N.M.", "AP").
func IsAllCaps(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// EndsSentence reports whether s ends like a sentence: a full stop,
// question or exclamation mark, possibly inside closing quotes.
func EndsSentence(s string) bool {
	s = strings.TrimRightFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '"' || r == '”' || r == '\'' || r == '’' || r == ')' || r == '»'
	})
	switch LastRune(s) {
	case '.', '!', '?', '。', '！', '？', '…':
		return true
	}
	return false
}

// Lower lower-cases an ASCII-only string without allocating when it is
// already lower case; other strings go through strings.ToLower.
func Lower(s string) string {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(s)
		}
	}
	return s
}

// TrimPunct trims leading and trailing punctuation and symbols from s and
// returns the trimmed string with the offset of its start in s.
func TrimPunct(s string) (string, int) {
	start := 0
	for start < len(s) {
		r, size := utf8.DecodeRuneInString(s[start:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		start += size
	}
	end := len(s)
	for end > start {
		r, size := utf8.DecodeLastRuneInString(s[start:end])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			break
		}
		end -= size
	}
	return s[start:end], start
}

// AppendLowerASCII appends s to dst with its ASCII letters in lower case
// (other bytes as they are): a per-line copy for substring tests that
// allocates nothing once dst has grown.
func AppendLowerASCII(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// LetterMask is the set of ASCII letters (in any case), digits (one bit)
// and '#' a text holds, for a cheap test before substring searches: a
// text whose mask lacks one of a needle's letters cannot hold it.
type LetterMask uint32

// Letters returns the mask of s.
func Letters(s string) LetterMask {
	var m LetterMask
	for i := 0; i < len(s); i++ {
		switch c := s[i] | 0x20; {
		case 'a' <= c && c <= 'z':
			m |= 1 << (c - 'a')
		case '0' <= s[i] && s[i] <= '9':
			m |= 1 << 26
		case s[i] == '#':
			m |= 1 << 27
		}
	}
	return m
}

// Holds reports whether m has every member of n.
func (m LetterMask) Holds(n LetterMask) bool { return n&^m == 0 }

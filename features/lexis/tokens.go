package lexis

import (
	"unicode"
	"unicode/utf8"
)

// Token is one word of a text: a maximal run of letters and digits of one
// kind of script (a run of Chinese, Japanese or Korean characters is one
// token, split from the Latin letters around it), as byte offsets into the
// text. It is the one tokenizer of repack: the page's word counts, the
// families' word lists and spans all come from it. Tokens hold no
// pointers, so that the garbage collector skips large token arrays.
type Token struct {
	Start, End int32
	// CJK marks a run of Chinese, Japanese or Korean characters.
	CJK bool
}

// Span returns the token's offsets.
func (t Token) Span() Span { return Span{Start: int(t.Start), End: int(t.End)} }

// Of returns the token's text in s (the text, or a copy with the same
// offsets).
func (t Token) Of(s string) string { return s[t.Start:t.End] }

// IsCJK reports whether r is a Chinese, Japanese or Korean character,
// scripts written without spaces between words (Hangul is spaced, but its
// syllables are kept apart from Latin too). Ranges, not unicode.Is, keep
// it cheap on the hot path.
func IsCJK(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r < 0x1200, // Hangul Jamo
		r >= 0x3040 && r < 0x3100, r >= 0x31F0 && r < 0x3200, r >= 0xFF66 && r < 0xFFA0, // kana
		r >= 0x3130 && r < 0x3190, r >= 0xAC00 && r < 0xD7B0, // Hangul
		r >= 0x3400 && r < 0x4DC0, r >= 0x4E00 && r < 0xA000, r >= 0xF900 && r < 0xFB00, r >= 0x20000 && r < 0x2FA20: // Han
		return true
	}
	return false
}

// asciiWord marks the ASCII letters and digits; asciiUpper the capitals.
var asciiWord, asciiUpper = func() (w, u [utf8.RuneSelf]bool) {
	for c := 'a'; c <= 'z'; c++ {
		w[c] = true
	}
	for c := 'A'; c <= 'Z'; c++ {
		w[c], u[c] = true, true
	}
	for c := '0'; c <= '9'; c++ {
		w[c] = true
	}
	return w, u
}()

// Tokenize appends to dst the tokens of text[start:end], with offsets
// into text. When lower is not nil it is a copy of text, and the tokens'
// letters are lower-cased in it in place, every rune keeping its length
// (the rare letter whose lower case has another length, "İ", is left as it
// is), so that offsets into text hold in lower. One pass; runs of ASCII in
// a tight loop.
func Tokenize(dst []Token, text string, start, end int, lower []byte) []Token {
	wordStart := -1
	wordCJK := false
	for i := start; i < end; {
		c := text[i]
		if c < utf8.RuneSelf && asciiWord[c] {
			if wordStart >= 0 && wordCJK {
				dst = append(dst, Token{Start: int32(wordStart), End: int32(i), CJK: true})
				wordStart = -1
			}
			if wordStart < 0 {
				wordStart, wordCJK = i, false
			}
			for ; i < end; i++ {
				c := text[i]
				if c >= utf8.RuneSelf || !asciiWord[c] {
					break
				}
				if lower != nil && asciiUpper[c] {
					lower[i] = c + 'a' - 'A'
				}
			}
			continue
		}
		word, cjk := false, false
		size := 1
		if c >= utf8.RuneSelf {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:end])
			if unicode.IsLetter(r) {
				word, cjk = true, IsCJK(r)
				if lower != nil {
					if l := unicode.ToLower(r); l != r && utf8.RuneLen(l) == size {
						utf8.EncodeRune(lower[i:], l)
					}
				}
			} else {
				word = unicode.IsDigit(r)
			}
		}
		if wordStart >= 0 && (!word || cjk != wordCJK) {
			dst = append(dst, Token{Start: int32(wordStart), End: int32(i), CJK: wordCJK})
			wordStart = -1
		}
		if word && wordStart < 0 {
			wordStart, wordCJK = i, cjk
		}
		i += size
	}
	if wordStart >= 0 {
		dst = append(dst, Token{Start: int32(wordStart), End: int32(end), CJK: wordCJK})
	}
	return dst
}

// Tokenized is a text with its tokens, tokenised once: the tokens of
// every block of a page's text buffer, and the lower-case copy of the
// text they index (every rune keeps its length, so offsets hold).
type Tokenized struct {
	Text, Lower string
	// All are the tokens in order; first[i] is the index in All of block
	// i's first token, first[len(blocks)] == len(All).
	All   []Token
	first []int
}

// TokenizeBlocks tokenises the blocks [starts[i], ends[i]) of text once,
// lower-casing the copy as it goes.
func TokenizeBlocks(text string, starts, ends []int) *Tokenized {
	t := &Tokenized{Text: text, first: make([]int, len(starts)+1)}
	lower := []byte(text)
	t.All = make([]Token, 0, len(text)/6+len(starts))
	for i := range starts {
		t.first[i] = len(t.All)
		t.All = Tokenize(t.All, text, starts[i], ends[i], lower)
	}
	t.first[len(starts)] = len(t.All)
	t.Lower = string(lower)
	return t
}

// Block returns the tokens of block i.
func (t *Tokenized) Block(i int) []Token {
	from, to := t.BlockRange(i)
	return t.All[from:to:to]
}

// BlockRange returns the indexes in All of block i's tokens, [from, to).
func (t *Tokenized) BlockRange(i int) (from, to int) {
	return t.first[i], t.first[i+1]
}

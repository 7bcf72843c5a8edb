package source

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// word is one token of a text: a run of letters and digits (with the
// apostrophes inside it), or one CJK character, at [start, end) of the
// text, with its folded form.
type word struct {
	start, end int
	norm       string
}

// isCJK reports whether r is written without spaces between words, so
// that each character is a token of its own.
func isCJK(r rune) bool {
	if r < 0x1100 { // below Hangul Jamo: no CJK script
		return false
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// apostrophe reports whether r joins two parts of one word ("Swift's",
// "Swift’s").
func apostrophe(r rune) bool { return r == '\'' || r == '’' }

// words tokenises s[from:to], appending to dst. Folding lower-cases and
// writes every apostrophe as ', so that a copy that changed the quote
// marks still matches its original.
func words(dst []word, s string, from, to int) []word {
	i := from
	for i < to {
		r, n := utf8.DecodeRuneInString(s[i:])
		if isCJK(r) {
			dst = append(dst, word{start: i, end: i + n, norm: s[i : i+n]})
			i += n
			continue
		}
		if !isWordRune(r) {
			i += n
			continue
		}
		start := i
		i += n
		for i < to {
			r, n := utf8.DecodeRuneInString(s[i:])
			if isWordRune(r) && !isCJK(r) {
				i += n
				continue
			}
			if apostrophe(r) && i+n < to {
				if r2, _ := utf8.DecodeRuneInString(s[i+n:]); isWordRune(r2) && !isCJK(r2) {
					i += n
					continue
				}
			}
			break
		}
		dst = append(dst, word{start: start, end: i, norm: fold(s[start:i])})
	}
	return dst
}

// fold lower-cases a word and writes its apostrophes as '.
func fold(w string) string {
	lower := true
	for i := 0; i < len(w); i++ {
		if c := w[i]; c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			lower = false
			break
		}
	}
	if lower {
		return w // ASCII and lower case already: no copy
	}
	w = strings.ToLower(w)
	if strings.ContainsRune(w, '’') {
		w = strings.ReplaceAll(w, "’", "'")
	}
	return w
}

// sentence is a span of a text that alignment compares as one unit.
type sentence struct {
	start, end int
	// block is the index of the block the sentence lies in (page side),
	// or -1.
	block int
}

// sentences splits s[from:to] at sentence ends (., !, ?, and their CJK
// forms, followed by space and not by a lower-case letter or the
// punctuation that goes on a sentence, as in "HELENA, Mont. (AP) —"; a
// period after a single capital is an initial) and at line breaks, appending the non-empty pieces to dst. Page and original are
// split by this one function, so a sentence of one is a sentence of the
// other whatever the language's rules.
func sentences(dst []sentence, s string, from, to, block int) []sentence {
	start := from
	emit := func(end int) {
		a, b := start, end
		for a < b && isSpaceByte(s[a]) {
			a++
		}
		for b > a && isSpaceByte(s[b-1]) {
			b--
		}
		if b > a && hasWordRune(s[a:b]) {
			dst = append(dst, sentence{start: a, end: b, block: block})
		}
	}
	for i := from; i < to; {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\n':
			emit(i)
			start = i + n
		case r == '。' || r == '！' || r == '？':
			emit(i + n)
			start = i + n
		case r == '.' || r == '!' || r == '?':
			j := i + n
			for j < to && (s[j] == '"' || s[j] == '\'' || s[j] == ')' || strings.HasPrefix(s[j:], "”") || strings.HasPrefix(s[j:], "’")) {
				_, m := utf8.DecodeRuneInString(s[j:])
				j += m
			}
			if j < to && (s[j] == ' ' || s[j] == '\t') {
				k := j
				for k < to && (s[k] == ' ' || s[k] == '\t') {
					k++
				}
				if k < to {
					if next, _ := utf8.DecodeRuneInString(s[k:]); unicode.IsLower(next) || strings.ContainsRune("(—–-,;", next) {
						break
					}
				}
				if r == '.' && initialBefore(s, from, i) {
					break // "Augustin T. Dunmore": an initial
				}
				emit(j)
				start = j
			}
		}
		i += n
	}
	emit(to)
	return dst
}

// initialBefore reports whether the word ending at s[i] (a period) is
// one capital letter, within s[from:].
func initialBefore(s string, from, i int) bool {
	r, n := utf8.DecodeLastRuneInString(s[from:i])
	if n == 0 || !unicode.IsUpper(r) {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(s[from : i-n])
	return i-n == from || !isWordRune(p)
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func hasWordRune(s string) bool {
	for _, r := range s {
		if isWordRune(r) {
			return true
		}
	}
	return false
}

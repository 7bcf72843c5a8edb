package repackaged

import (
	"strings"
	"unicode"
)

// nameLike reports whether a title suffix reads as a site name: it starts
// with a capital or a digit and holds no quotes.
func nameLike(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" || strings.ContainsAny(s, "\"„“”«»'") {
		return false
	}
	r := []rune(s)[0]
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

func latin(s string) bool {
	for _, r := range s {
		if r > 0x24F {
			return false
		}
	}
	return true
}

// initialsAgree reports whether a multi-word name's initials are the other
// name ("South China Morning Post" and scmp.com).
func initialsAgree(name, other string) bool {
	var b strings.Builder
	for _, w := range strings.Fields(name) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	in := b.String()
	return len(in) >= 2 && (in == other || strings.HasPrefix(other, in))
}

// normSite lower-cases a site name or host and keeps its letters and
// digits, dropping the scheme, "www." (or "www1."), the public suffix and a
// leading "the".
func normSite(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	s = strings.TrimPrefix(strings.TrimPrefix(s, "https://"), "http://")
	s = strings.TrimSuffix(s, "/")
	if strings.Contains(s, ".") && !strings.Contains(s, " ") {
		labels := strings.Split(s, ".")
		if strings.HasPrefix(labels[0], "www") && len(labels) > 2 {
			labels = labels[1:]
		}
		labels = labels[:len(labels)-1]
		if n := len(labels); n > 1 && secondLevel[labels[n-1]] {
			labels = labels[:n-1]
		}
		s = strings.Join(labels, " ")
	}
	s = strings.TrimPrefix(s, "the ")
	s = foldUmlauts(s)
	var b strings.Builder
	for _, r := range s {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r > 0x7f {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// secondLevel are second-level labels of country domains (.co.uk, .com.au).
var secondLevel = map[string]bool{"co": true, "com": true, "org": true, "net": true, "gov": true, "ac": true, "edu": true, "or": true, "ne": true, "go": true, "gv": true}

func foldUmlauts(s string) string {
	return strings.NewReplacer("ä", "ae", "ö", "oe", "ü", "ue", "ß", "ss", "é", "e", "è", "e", "à", "a").Replace(s)
}

// namesAgree reports whether two normalised names share a stretch of four
// or more letters, or one holds the other.
func namesAgree(a, b string) bool {
	if strings.Contains(a, b) || strings.Contains(b, a) {
		return true
	}
	short, long := a, b
	if len(short) > len(long) {
		short, long = long, short
	}
	const k = 4
	for i := 0; i+k <= len(short); i++ {
		if strings.Contains(long, short[i:i+k]) {
			return true
		}
	}
	return false
}

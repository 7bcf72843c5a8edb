package page

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/publicsuffix"
)

// HrefHost returns the lower-case host of an absolute or scheme-relative
// http(s) href without "www.", "" for a relative one, and false for a
// non-web link (mailto:, tel:, javascript:, a fragment).
func HrefHost(href string) (string, bool) {
	h := strings.TrimSpace(href)
	if h == "" || h[0] == '#' {
		return "", false
	}
	rest := ""
	switch {
	case strings.HasPrefix(h, "//"):
		rest = h[2:]
	case hasPrefixFold(h, "http://"):
		rest = h[7:]
	case hasPrefixFold(h, "https://"):
		rest = h[8:]
	default:
		if i := strings.IndexAny(h, ":/?#"); i > 0 && h[i] == ':' {
			return "", false // another scheme: mailto:, tel:, javascript:, data:
		}
		return "", true // relative
	}
	// The authority ends at a path, query or fragment, and at the first
	// character no host name has: a template or concatenation in a script
	// ("https://www.site.com${path}", "https://" + host) leaves no host to
	// judge past it. One pass; ASCII needs no decoding.
	end := len(rest)
	upper := false
	for i := 0; i < len(rest); i++ {
		c := rest[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(rest[i:])
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				end = i
				break
			}
			upper = true // lower-case it the slow way
			i += size - 1
			continue
		}
		if asciiClass[c] == asciiOther && !strings.ContainsRune(".-:@[]_", rune(c)) {
			end = i
			break
		}
		if asciiClass[c] == asciiUpper {
			upper = true
		}
	}
	rest = rest[:end]
	if i := strings.LastIndexByte(rest, '@'); i >= 0 {
		rest = rest[i+1:]
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 && !strings.Contains(rest, "]") {
		rest = rest[:i]
	}
	if upper {
		rest = strings.ToLower(rest)
	}
	rest = strings.TrimSuffix(rest, ".")
	return strings.TrimPrefix(rest, "www."), true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// DomainOf returns the registrable domain of a host, or the host itself
// when it has none (an IP address, "localhost").
func DomainOf(host string) string {
	d, err := publicsuffix.EffectiveTLDPlusOne(host)
	if err != nil {
		return host
	}
	return d
}

// LabelOf returns a registrable domain without its public suffix.
func LabelOf(domain string) string {
	if i := strings.IndexByte(domain, '.'); i > 0 {
		return domain[:i]
	}
	return domain
}

// ASCII byte classes, for reading hosts in one pass.
const (
	asciiOther = iota
	asciiLower
	asciiUpper
	asciiDigit
)

var asciiClass = func() (t [128]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = asciiLower
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = asciiUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = asciiDigit
	}
	return t
}()

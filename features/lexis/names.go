package lexis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// nameConnectors may sit inside a name-like phrase between capitalised
// words ("Bank of America", "Académie D'Investissement", "Ludwig van
// Beethoven"). They never start or end one.
var nameConnectors = map[string]bool{
	"of": true, "de": true, "du": true, "des": true, "la": true, "le": true,
	"del": true, "da": true, "do": true, "van": true, "von": true, "der": true,
	"and": true, "&": true, "y": true, "e": true, "et": true, "und": true,
}

// IsNameWord reports whether a white-space separated field reads as part of
// a proper name: it starts with an upper-case letter or a digit followed
// by a capital ("3M"), or is an initial ("H."). Trailing punctuation other
// than the initial's full stop disqualifies it, so that a phrase ends at a
// comma or colon.
func IsNameWord(field string) bool {
	if field == "" {
		return false
	}
	r, size := utf8.DecodeRuneInString(field)
	if !unicode.IsUpper(r) {
		return false
	}
	rest := field[size:]
	// An initial: "H." or "J.R."
	if strings.Trim(rest, ".ABCDEFGHIJKLMNOPQRSTUVWXYZ") == "" && strings.HasSuffix(field, ".") {
		return true
	}
	last := LastRune(field)
	return unicode.IsLetter(last) || unicode.IsDigit(last)
}

// IsNameConnector reports whether a field may join two name words.
func IsNameConnector(field string) bool {
	return nameConnectors[Lower(field)] || strings.HasPrefix(field, "D'") || strings.HasPrefix(field, "d'")
}

// NamePhraseBefore returns the longest name-like phrase that ends exactly
// at byte offset end of s (end must be the end of a field), scanning back
// over at most maxWords fields. It returns an empty span when the field
// before end is not a name word. It reads only the fields it needs.
func NamePhraseBefore(s string, end, maxWords int) Span {
	fields := fieldsBefore(s, end, 2*maxWords+1)
	if len(fields) == 0 || fields[len(fields)-1].End != end {
		return Span{end, end}
	}
	start := end
	words := 0
	for i := len(fields) - 1; i >= 0 && words < maxWords; i-- {
		f := fields[i].Of(s)
		if IsNameWord(f) {
			start = fields[i].Start
			words++
			continue
		}
		if IsNameConnector(f) && i > 0 && IsNameWord(fields[i-1].Of(s)) && words > 0 {
			continue
		}
		break
	}
	return Span{start, end}
}

// NamePhraseAfter returns the longest name-like phrase that starts at byte
// offset start of s, over at most maxWords fields. It reads only the
// fields it needs.
func NamePhraseAfter(s string, start, maxWords int) Span {
	fields := fieldsAfter(s, start, 2*maxWords+1)
	end := start
	words := 0
	for i := 0; i < len(fields) && words < maxWords; i++ {
		f := fields[i].Of(s)
		if IsNameWord(f) {
			end = fields[i].End
			words++
			continue
		}
		if IsNameConnector(f) && words > 0 && i+1 < len(fields) && IsNameWord(fields[i+1].Of(s)) {
			continue
		}
		break
	}
	return Span{start, end}
}

// fieldsAfter returns up to n white-space separated fields of s from
// offset start on, with offsets into s.
func fieldsAfter(s string, start, n int) []Span {
	var out []Span
	i := start
	for len(out) < n {
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if i >= len(s) {
			break
		}
		j := i
		for j < len(s) {
			r, size := utf8.DecodeRuneInString(s[j:])
			if unicode.IsSpace(r) {
				break
			}
			j += size
		}
		out = append(out, Span{i, j})
		i = j
	}
	return out
}

// fieldsBefore returns up to n white-space separated fields of s ending at
// or before offset end, in order, with offsets into s.
func fieldsBefore(s string, end, n int) []Span {
	var rev []Span
	j := end
	for len(rev) < n {
		for j > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:j])
			if !unicode.IsSpace(r) {
				break
			}
			j -= size
		}
		if j <= 0 {
			break
		}
		i := j
		for i > 0 {
			r, size := utf8.DecodeLastRuneInString(s[:i])
			if unicode.IsSpace(r) {
				break
			}
			i -= size
		}
		rev = append(rev, Span{i, j})
		j = i
	}
	for a, b := 0, len(rev)-1; a < b; a, b = a+1, b-1 {
		rev[a], rev[b] = rev[b], rev[a]
	}
	return rev
}

// orgWords are nouns that make a phrase read as an organisation, in the
// languages the network's brands use ("X Quantitative Think Tank Center",
// "X Exchange", "X Investment Guild", "Académie D'Investissement X").
var orgWords = wordSet(`exchange guild center centre institute institut instituto academy académie
academia akademie capital group groupe grupo gruppe holdings holding trust fund funds fonds fondo
partners ventures labs lab pro invest investment investments investissement inversión inversiones
quant quantitative trading trade markets securities wealth asset assets bank coin crypto token chain
blockchain blockchains strategies strategy profit profits analytics insights association society
club consulting advisors advisory management corporation corp inc llc ltd company think tank union
alliance foundation council agency finance financial finanzas finance finanz bourse börse hub pioneer
global international associates collective`)

// financeWords are the vocabulary of finance, investment and crypto, used
// to tell a finance-named site or byline from a news one.
var financeWords = wordSet(`finance financial finanzas finanz invest investing investment investments
investissement inversión inversiones investor investors capital profit profits wealth trading trade
trader traders exchange crypto cryptocurrency bitcoin coin token blockchain blockchains quant
quantitative stocks stock market markets securities fund funds asset assets portfolio forex broker
brokerage dividend equity bank banking money fintech economy economic economist economists inflation
recession gdp interest debt tax taxes budget revenue earnings currency tariff tariffs lending lender loan
loans mortgage mortgages imf`)

// IsOrgWord reports whether word (any case) is an organisation noun.
func IsOrgWord(word string) bool { return orgWords[Lower(word)] }

// IsFinanceWord reports whether word (any case) belongs to finance,
// investment or crypto vocabulary.
func IsFinanceWord(word string) bool { return financeWords[Lower(word)] }

// CountOrgWords counts the words of phrase that are organisation nouns.
func CountOrgWords(phrase string) int {
	n := 0
	var ws []Span
	for _, w := range Words(ws, phrase) {
		if IsOrgWord(w.Of(phrase)) {
			n++
		}
	}
	return n
}

// CountFinanceWords counts the words of phrase that are finance words.
// Glued words are split at their case boundary first ("InvestPioneer").
func CountFinanceWords(phrase string) int {
	n := 0
	var ws []Span
	for _, w := range Words(ws, phrase) {
		word := w.Of(phrase)
		parts := SplitCamel(word)
		for _, p := range parts {
			if IsFinanceWord(p) {
				n++
			}
		}
	}
	return n
}

// SplitCamel splits a word at its lower-to-upper case boundaries
// ("InvestPioneer" → "Invest", "Pioneer").
func SplitCamel(word string) []string {
	var parts []string
	start := 0
	prevLower := false
	for i, r := range word {
		if unicode.IsUpper(r) && prevLower {
			parts = append(parts, word[start:i])
			start = i
		}
		prevLower = unicode.IsLower(r)
	}
	return append(parts, word[start:])
}

func wordSet(list string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

// FirstCaseBoundary returns the offset of the first lower-to-upper case
// boundary in the first field of s ("Invest|Cedarline", "MarketsPinegate"
// → the offset of the capital), or 0 when the first field has none.
func FirstCaseBoundary(s string) int {
	prevLower := false
	for i, r := range s {
		if unicode.IsSpace(r) {
			return 0
		}
		if prevLower && unicode.IsUpper(r) {
			return i
		}
		prevLower = unicode.IsLower(r)
	}
	return 0
}

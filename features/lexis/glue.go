package lexis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// GlueKind says how two tokens were found glued together.
type GlueKind int

const (
	// GlueCase is a lower-case letter followed by an upper-case one inside a
	// word: "CenterWhite", "InvestNovaQuant".
	GlueCase GlueKind = iota + 1
	// GlueDigits is a clock time followed by more digits: "03:171702".
	GlueDigits
	// GlueDigitWord is a number followed by a lower-case word that is not a
	// unit or ordinal: "30source".
	GlueDigitWord
)

// Glue is one glue point found in a text.
type Glue struct {
	Kind GlueKind
	// Token is the span of the whole white-space separated field holding
	// the glue point.
	Token Span
	// At is the byte offset where the second token starts.
	At int
}

// camelNames are well-known names written in camel case. A glue point
// inside one of them is not a splice. Single-letter prefixes (iPhone,
// eBay) and short name prefixes (McDonald, DeSantis, LeBron) are handled by
// rule and need not be listed.
var camelNames = wordSet(`youtube paypal linkedin whatsapp fedex playstation javascript typescript
github gitlab tiktok wordpress dreamworks blackrock softbank deepmind powerpoint sharepoint facetime
airpods macbook harpercollins jetblue westjet seaworld mastercard moneygram glaxosmithkline
exxonmobil astrazeneca biontech stubhub doordash gofundme crowdstrike hubspot netapp postgresql
mysql mongodb bitcoin smackdown nascar thinkpad chatgpt openai airbnb instagram facebook
snapchat pinterest bigquery quickbooks turbotax salesforce gamestop lululemon firstenergy
blackberry skytrain healthcare eurostat freshdirect goodreads wateraid blueprint newsletter
worldcat pricewaterhousecoopers daimlerchrysler anheuser hewlettpackard jpmorgan morningstar
nordvpn expressvpn protonmail duckduckgo kickstarter indiegogo coinbase binance statista
ticketmaster livenation songkick soundcloud dropbox evernote zoominfo grubhub ubereats
postmates instacart thredup stitchfix blueapron peloton fitbit garmin gopro iheartradio
iheartmedia siriusxm spotify pandora hulu netflix disneyplus paramountplus peacocktv
espnplus nbcuniversal viacomcbs warnermedia discoveryplus youtubetv playstation xbox
nintendo thinkpad chromebook macos ipados watchos tvos icloud imessage facetime airdrop
airtag homepod appletv carplay androidauto bluetooth wifi usb wordle nytimes washpost
mediaite politifact factcheck snopes newsguard gannett mcclatchy tronc lendingtree
nerdwallet bankrate creditkarma myfico experian transunion equifax`)

// IsCamelName reports whether word is a well-known name written in camel
// case ("YouTube", "PayPal").
func IsCamelName(word string) bool { return camelNames[Lower(stripPossessive(word))] }

// nameUnits may follow a number directly without being glued text.
var nameUnits = wordSet(`st nd rd th am pm km kg mm cm ml mg mb gb tb kb ms hz khz mhz ghz mph kmh kph kw
kwh mw mwh gw gwh ft lb lbs oz in yd mi min mins sec secs hr hrs h m s g k x bn mn mln mrd tsd
ghz fps dpi px pt em rem vh vw cc hp bhp nm psi bar db dba ppm ppb yo yrs er e ere eme ème ten te
er en de de ste sten ter jährige jährigen mal fach kw ps uhr`)

// FindGlue appends to dst every glue point in text, scanning each white-space
// separated field once.
func FindGlue(dst []Glue, text string) []Glue {
	var fields []Span
	fields = Fields(fields, text)
	for _, f := range fields {
		dst = appendFieldGlue(dst, text, f)
	}
	return dst
}

// maxGlueField bounds the fields examined: a run of 80 bytes without
// white space is a URL, a code or markup debris, not two glued words.
const maxGlueField = 80

func appendFieldGlue(dst []Glue, text string, f Span) []Glue {
	field := text[f.Start:f.End]
	if len(field) < 4 || len(field) > maxGlueField || isMachineToken(field) {
		return dst
	}
	// Clock time glued to a count: "03:171702". Only the exact shape
	// dd:dd followed by one or more further digits.
	if i := clockGlue(field); i > 0 {
		return append(dst, Glue{Kind: GlueDigits, Token: f, At: f.Start + i})
	}
	prev := rune(-1)
	wordStart := 0
	for i, r := range field {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' {
			wordStart = i + utf8.RuneLen(r)
			prev = -1
			continue
		}
		switch {
		case prev >= 0 && unicode.IsLower(prev) && unicode.IsUpper(r) && unicode.Is(unicode.Latin, prev) && unicode.Is(unicode.Latin, r):
			if isCaseSplice(field, wordStart, i) {
				dst = append(dst, Glue{Kind: GlueCase, Token: f, At: f.Start + i})
			}
		case prev >= 0 && unicode.IsDigit(prev) && unicode.IsLower(r):
			if isDigitWordSplice(field, i) {
				dst = append(dst, Glue{Kind: GlueDigitWord, Token: f, At: f.Start + i})
			}
		}
		prev = r
	}
	return dst
}

// isCaseSplice decides whether the case boundary at byte i of field (inside
// the word that starts at wordStart) joins two words rather than being part
// of a camel-case name.
func isCaseSplice(field string, wordStart, i int) bool {
	left := field[wordStart:i]
	// Only the Latin letters right before the boundary make the first word
	// ("のiPhone" is a Japanese sentence and "iPhone").
	for j := len(left); j > 0; {
		r, size := utf8.DecodeLastRuneInString(left[:j])
		if !unicode.Is(unicode.Latin, r) {
			left = left[j:]
			break
		}
		j -= size
	}
	right, _ := TrimPunct(field[i:])
	word, _ := TrimPunct(field[wordStart:])
	// iPhone, eBay, McDonald, DeSantis, LeBron, MacArthur, O'Neill: a short
	// prefix is a name particle, not a word.
	if utf8.RuneCountInString(left) <= 3 {
		return false
	}
	if camelNames[Lower(stripPossessive(word))] {
		return false
	}
	// The right side must itself read as a word of two or more letters.
	letters := 0
	for _, r := range right {
		if !unicode.IsLetter(r) {
			break
		}
		letters++
	}
	if letters < 2 {
		return false
	}
	// A word that is all upper case after the boundary ("GmbH",
	// "openSUSE") is an acronym tail, not a splice.
	if IsAllCaps(right) {
		return false
	}
	return true
}

// isDigitWordSplice reports whether the lower-case word at byte i of field,
// right after a digit, is a template label glued to the value before it:
// "11:52:30source:" (the word ends in a colon). Product names and codes
// ("d64copy", "2020timer5") do not end in one.
func isDigitWordSplice(field string, i int) bool {
	j := i
	for j < len(field) {
		r, size := utf8.DecodeRuneInString(field[j:])
		if !unicode.IsLower(r) {
			break
		}
		j += size
	}
	word := field[i:j]
	if utf8.RuneCountInString(word) < 4 || nameUnits[word] {
		return false
	}
	return j < len(field) && field[j] == ':'
}

// isMachineToken reports whether a field is a URL, address, handle, hash
// tag or file name, where glued case is normal: "pic.twitter.com/x2Ab",
// "@RepAdamSchiff", "#BitcoinETFs", "AndroidManifest.xml".
func isMachineToken(field string) bool {
	if strings.ContainsAny(field, "/@#_=\\") {
		return true
	}
	for i := 0; i+1 < len(field); i++ {
		if field[i] == '.' && (field[i+1] >= 'a' && field[i+1] <= 'z') {
			return true
		}
	}
	return false
}

// clockGlue returns the offset of the glued count in "hh:mmNNN", or 0.
func clockGlue(field string) int {
	for k := 0; k+5 < len(field); k++ {
		if isDigit(field[k]) && isDigit(field[k+1]) && field[k+2] == ':' &&
			isDigit(field[k+3]) && isDigit(field[k+4]) && isDigit(field[k+5]) &&
			(k == 0 || !isDigit(field[k-1])) {
			// hh:mm:ss is a normal time, not a glue.
			return k + 5
		}
	}
	return 0
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func stripPossessive(w string) string {
	for _, suf := range []string{"'s", "’s"} {
		if len(w) > len(suf) && w[len(w)-len(suf):] == suf {
			return w[:len(w)-len(suf)]
		}
	}
	return w
}

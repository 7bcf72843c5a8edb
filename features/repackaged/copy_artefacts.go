package repackaged

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// headshotAlt is a byline widget's headshot as a copy prints it: the
// image's alternative text, "Photo of Amy Graff", on a line of its own
// (other-operators/012-copy.txt; on the publisher's own page the image
// shows and its text does not).
var headshotAlt = regexp.MustCompile(`^(?:Photo|Headshot|Portrait|Image|Picture) of \p{Lu}[\p{L}'’.-]+(?: \p{Lu}[\p{L}'’.-]+){1,3}$`)

// minTwiceWords is the fewest words a paragraph printed twice must hold:
// short lines ("Share", "Advertisement") repeat on genuine pages.
const minTwiceWords = 12

// CopyArtefacts finds what copying another page's markup leaves.
var CopyArtefacts = signal.Extractor{
	Name:   "copy_artefacts",
	Family: signal.Repackaged,
	Doc: `What copying another publisher's markup leaves in the text. ` +
		`A byline widget's headshot printed as its alternative text on a line of its own ("Photo of Amy Graff": on the ` +
		`publisher's own page the photo shows, not its text), and a paragraph of 12 words or more printed twice in a row, the ` +
		`second copy differing at most in its quotes, spaces and a credit glued to its end (a photo caption taken from the image's ` +
		`alternative text and from the caption element). A caption repeated far apart (a gallery, a summary box) is not counted. ` +
		`Value: one per artefact, capped at 3.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		prevText := ""
		for i, b := range p.Blocks {
			text := p.BlockText(i)
			if b.Words <= 6 && len(text) > 0 && strings.IndexByte("PHI", text[0]) >= 0 && headshotAlt.MatchString(strings.TrimSpace(text)) {
				r.Value++
				r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, b.End, "a byline widget's headshot as text"))
			}
			if b.Words < minTwiceWords {
				prevText = ""
				continue
			}
			// Cheap tests first: the second copy is at most a credit
			// longer and opens as the first does.
			if prevText != "" && len(text) > len(prevText) && len(text)-len(prevText) <= 60 && sameOpening(prevText, text) {
				cur, prev := lettersAndDigits(text), lettersAndDigits(prevText)
				if len(cur) > len(prev) && len(cur)-len(prev) <= 40 && strings.HasPrefix(cur, prev) && creditGlued(text, prevText) {
					r.Value++
					r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, b.End, "the paragraph before it printed again"))
				}
			}
			prevText = text
		}
		r.Value = min(r.Value, 3)
		return r
	},
}

// sameOpening reports whether a and b open with the same 24 bytes.
func sameOpening(a, b string) bool {
	n := min(24, len(a), len(b))
	return a[:n] == b[:n]
}

// creditGlued reports whether text is caption followed, with no space,
// by a credit ("...$1.9 billion.Rich Pedroncelli/AP"): the caption
// element's text glued to the image's credit, while the line before it
// was the caption alone.
func creditGlued(text, caption string) bool {
	text, caption = strings.TrimSpace(text), strings.TrimSpace(caption)
	// The join is where the caption's last letter or digit falls in text.
	last := strings.LastIndexFunc(caption, func(c rune) bool { return unicode.IsLetter(c) || unicode.IsDigit(c) })
	if last < 0 {
		return false
	}
	tail := lettersAndDigits(caption[last:])
	seen := 0
	want := len(lettersAndDigits(caption))
	for i, c := range text {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			seen += len(string(unicode.ToLower(c)))
			if seen == want {
				rest := text[i+len(string(c)):]
				rest = strings.TrimLeft(rest, ".,;:!?’'\")”")
				return rest != "" && unicode.IsUpper([]rune(rest)[0]) && tail != ""
			}
		}
	}
	return false
}

// lettersAndDigits returns the lower-case letters and digits of s: two copies of a
// caption that differ in quotes, spaces or dashes compare equal.
func lettersAndDigits(s string) string {
	var b strings.Builder
	for _, c := range s {
		if unicode.IsLetter(c) || unicode.IsDigit(c) {
			b.WriteRune(unicode.ToLower(c))
		}
	}
	return b.String()
}

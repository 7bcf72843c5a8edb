package repackaged

import (
	"bytes"

	"github.com/repack/repack/features/lexis"
)

// need is a word every line a rule matches holds: looked for before the
// rule's pattern runs, it spares the pattern nearly every line of a page
// (scraper_boilerplate, foreign_publisher_line).
type need struct {
	text    string // lower-case ASCII
	word    []byte
	letters lexis.LetterMask
}

func newNeed(text string) need {
	return need{text: text, word: []byte(text), letters: lexis.Letters(text)}
}

// in reports whether a line holds the word, in any ASCII case, given the
// line's letters (lexis.Letters) and its ASCII-lower-cased copy
// (lexis.AppendLowerASCII).
func (n need) in(letters lexis.LetterMask, low []byte) bool {
	return letters.Holds(n.letters) && bytes.Contains(low, n.word)
}

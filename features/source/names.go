package source

import (
	"strings"

	"github.com/repack/repack/features/lexis"
)

// maxNameWords bounds a name phrase found in an insertion: a brand of
// the network ("NovaQuant Quantitative Think Tank Center") has up to six
// words, a person's name three.
const maxNameWords = 8

// nameEnders are the punctuation marks that end a name phrase when they
// trail a word ("GaleHub:", "Halen Silver Blockchain |").
const nameEnders = ":|,;–—-·•/"

// insertedName returns the first name-like phrase of text[start:end] (an
// insertion), as offsets into text: two or more name words in a row
// (lexis.IsNameWord, connectors allowed inside), or one coined word with
// a capital inside it ("GaleHub", "ZorentoIQ"). Words in capitals
// ("LAS CRUCES", "NASA") and addresses ("WhiteHouse.gov") are none. ok is
// false when the insertion holds none: a label ("Analyse:"), a link, a
// clause in lower case.
func insertedName(text string, start, end int) (name lexis.Span, ok bool) {
	var run []lexis.Span
	// phrase closes the run of name words: a name if it is one.
	phrase := func() (lexis.Span, bool) {
		for len(run) > 0 && lexis.IsNameConnector(run[len(run)-1].Of(text)) {
			run = run[:len(run)-1]
		}
		defer func() { run = run[:0] }()
		switch {
		case len(run) >= 2:
			return lexis.Span{Start: run[0].Start, End: run[len(run)-1].End}, true
		case len(run) == 1 && isCoined(run[0].Of(text)):
			return run[0], true
		}
		return lexis.Span{}, false
	}
	for _, f := range lexis.Fields(nil, text[start:end]) {
		f = lexis.Span{Start: start + f.Start, End: start + f.End}
		word := strings.TrimRight(f.Of(text), nameEnders)
		ended := len(word) < f.Len()
		if strings.ContainsAny(word, "./@") && !strings.HasSuffix(word, ".") {
			word, ended = "", true // an address ("ObamaWhiteHouse.gov"), not a name
		}
		if word != "" && strings.ToUpper(word) == word && strings.ToLower(word) != word && !isInitial(word) {
			// A word in capitals is a dateline's place ("LAS CRUCES"), a
			// masthead or an acronym, not a spliced brand's word.
			word, ended = "", true
		}
		switch {
		case word != "" && lexis.IsNameWord(word) && len(run) < maxNameWords:
			run = append(run, lexis.Span{Start: f.Start, End: f.Start + len(word)})
		case len(run) > 0 && !ended && lexis.IsNameConnector(word):
			run = append(run, f)
			continue
		default:
			ended = true
		}
		if ended {
			if s, ok := phrase(); ok {
				return s, true
			}
		}
	}
	return phrase()
}

// isCoined reports whether a word has a capital right after a lower-case
// letter, as coined brand names do ("GaleHub"), and is not all capitals.
func isCoined(word string) bool {
	return len(lexis.SplitCamel(word)) > 1 && strings.ToUpper(word) != word
}

// isInitial reports whether a word is a name's initial: "G.", "J.R.".
func isInitial(word string) bool {
	return strings.HasSuffix(word, ".") && len(strings.Trim(word, ".ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == 0 && len(word) <= 4
}

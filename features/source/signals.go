package source

import (
	"fmt"
	"strings"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// FieldSource names the original's story text in evidence: Start and End
// index Story.Text (FieldSourceTitle: Story.Title).
const (
	FieldSource      = "source"
	FieldSourceTitle = "source:title"
)

// Feature is one of the features a match yields: its stable name and its
// doc, whose first sentence is its description.
type Feature struct {
	Name string
	Doc  string
}

// The features of a match, in the order Signals returns them.
var (
	CopyOfIndexedStory = Feature{Name: "copy_of_indexed_story", Doc: `The page carries a story of the index. ` +
		`The story's body was found by its word-shingle MinHash and verified by sentence alignment (tf-idf cosine of at least 0.5 ` +
		`between a page sentence and the original's): at least 2 aligned sentences and 30 of the original's words, covering half ` +
		`of the original or half of the page's story. Value: the containment, the share of the original's words in sentences the ` +
		`page carries. Carrying a story is what a licensed carrier does: alone it says nothing against a page.`}
	InsertedSpans = Feature{Name: "inserted_spans", Doc: `Text inside the aligned region that the original lacks. ` +
		`Inside an aligned sentence, the page's words outside the longest common word sequence with the original's sentence, ` +
		`trimmed of what the original has at the same place: a brand glued to the next word ("CenterWhite" against "White") ` +
		`is inserted as "Center"; where the original has other words it is a substitution, not an insertion. Between the first ` +
		`and the last aligned sentence (and on the up to three short lines heading them, a date or a tag line), a whole line ` +
		`or sentence the original lacks is inserted too. Value: 1 per insertion inside a sentence, 0.5 per inserted line of ` +
		`12 words or fewer (a longer added paragraph is an update's habit and counts nothing).`}
	CreditDropped = Feature{Name: "credit_dropped", Doc: `The original credits a wire or an author and the copy credits none of them. ` +
		`The index keeps who a story credits (a wire agency by any of its names, "Associated Press" or "(AP)", and bylined ` +
		`authors); the copy's text, byline and author metadata are searched for each. Value: 1.`}
)

// Features lists the features of a match, in the order Signals returns
// them.
func Features() []Feature { return []Feature{CopyOfIndexedStory, InsertedSpans, CreditDropped} }

// Description returns the doc's first sentence.
func (f Feature) Description() string {
	d, _, _ := strings.Cut(f.Doc, ". ")
	return strings.TrimSuffix(d, ".") + "."
}

// maxEvidenceBytes caps the text of one piece of evidence taken from the
// original.
const maxEvidenceBytes = 400

// Signals returns the features of a match with their evidence: spans of
// the page's text and of the original's. The features are of the
// repackaged family.
func (m *Match) Signals(p *page.Page) []signal.Signal {
	out := make([]signal.Signal, 0, 3)
	sig := func(f Feature, v float64, ev []signal.Evidence) {
		if ev == nil {
			ev = []signal.Evidence{}
		}
		out = append(out, signal.Signal{Name: f.Name, Family: signal.Repackaged, Value: v, Description: f.Description(), Evidence: ev})
	}
	from := fmt.Sprintf("%s (%s)", m.Story.ID, m.Story.URL)
	var ev []signal.Evidence
	if len(m.Pairs) > 0 {
		for k, pr := range []Pair{m.Pairs[0], m.Pairs[len(m.Pairs)-1]} {
			what := "first aligned sentence"
			if k == 1 {
				if len(m.Pairs) == 1 {
					break
				}
				what = "last aligned sentence"
			}
			ev = append(ev, signal.TextSpan(p, pr.Page.Start, pr.Page.End, what+", copied from "+from))
			ev = append(ev, m.original(pr.Original, pr.Title, what+" in the original"))
		}
	}
	sig(CopyOfIndexedStory, m.Containment, ev)

	ev = nil
	v := 0.0
	for _, in := range m.Inserted {
		note := "line the original lacks"
		if in.InSentence {
			note = "inserted into a sentence of the original"
			v++
		} else if lexis.WordCount(p.Text[in.Start:in.End]) <= headWords {
			v += 0.5
		}
		ev = append(ev, signal.TextSpan(p, in.Start, in.End, note))
	}
	sig(InsertedSpans, v, ev)

	ev = nil
	v = 0
	if m.CreditDropped {
		v = 1
		for _, c := range m.Story.Credits {
			if i := strings.Index(strings.ToLower(m.Story.Text), c); i >= 0 {
				ev = append(ev, m.original(Span{i, i + len(c)}, false, "the original's credit"))
				break
			}
		}
		if len(ev) == 0 {
			ev = append(ev, signal.Evidence{Field: "source:credits", Start: 0, End: len(m.Story.Credits[0]), Text: m.Story.Credits[0], Note: "the original's credit (from its byline or metadata)"})
		}
		if len(m.Pairs) > 0 {
			ev = append(ev, signal.TextSpan(p, m.Region.Start, m.Pairs[0].Page.End, "copied without any of the original's credits"))
		}
	}
	sig(CreditDropped, v, ev)
	return out
}

// original returns evidence for a span of the original's text or title,
// cut to its first maxEvidenceBytes.
func (m *Match) original(s Span, title bool, note string) signal.Evidence {
	field, text := FieldSource, m.Story.Text
	if title {
		field, text = FieldSourceTitle, m.Story.Title
	}
	s.Start, s.End = max(0, min(s.Start, len(text))), max(0, min(s.End, len(text)))
	t := text[s.Start:s.End]
	if len(t) > maxEvidenceBytes {
		cut := maxEvidenceBytes
		for cut > 0 && !utf8Start(t[cut]) {
			cut--
		}
		t, s.End = t[:cut], s.Start+cut
	}
	return signal.Evidence{Field: field, Start: s.Start, End: s.End, Text: t, Note: note}
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

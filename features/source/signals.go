package source

import (
	"fmt"
	"slices"
	"strings"

	"github.com/repack/repack/features/article"
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
	InsertedName = Feature{Name: "inserted_name", Doc: `A name is inserted into a sentence of the original. ` +
		`Of the insertions into aligned sentences (inserted_spans), those holding a name-like phrase: two or more capitalised ` +
		`words in a row ("Mintcove Digital Asset Institute", "Tobias Odette Brightwater"), or one coined word with a capital ` +
		`inside it ("GaleHub"); a label ("Analyse:"), a link or a lower-case clause is none. Only the story's own text ` +
		`counts (its visible headline, its story blocks, prose in the headline area), and not a name after a label's colon, ` +
		`in a byline or breadcrumb, in capitals (a dateline's place) or naming a wire agency. A brand spliced into the ` +
		`headline or the lead of a copied story is this, witnessed by the original that lacks it; a carrier's kicker can ` +
		`be too, in languages that capitalise nouns. Value: the number of such insertions.`}
	CreditDropped = Feature{Name: "credit_dropped", Doc: `The original credits a wire or an author and the copy credits nobody. ` +
		`The index keeps who a story credits (a wire agency by any of its names, "Associated Press" or "(AP)", and bylined ` +
		`authors); the copy credits nobody when its text, byline and author metadata name none of them, no wire agency at ` +
		`all (a photo credit "Jane Doe/AP" is one), and it has no byline or author of its own. Only an original that shows ` +
		`a credit in its story text counts: a credit in its metadata alone is one no capture of the text carries. Value: 1.`}
)

// The features of a reworded copy, in the order Signals returns them
// after the others.
var (
	RewordedCopy = Feature{Name: "reworded_copy", Doc: `The page carries the original's sentences with their words swapped for others. ` +
		`The rewording alignment pairs each page sentence with the original's sentence it resembles most, or the two adjacent ` +
		`ones it merges (tf-idf cosine of at least 0.35 over stems of content words, 3 stems shared), and diffs the two sentences' ` +
		`content words: where both have words between two common ones, the page substituted its words for the original's. ` +
		`It fires on a reworded copy: at least 3 pairs, at least 60% of them with a substitution, and at least 15% of the aligned ` +
		`content words substituted (numbers and times left out: a changed figure is no rewording; quoted speech and the ` +
		`headline left out: a spinner keeps quotes as it keeps names, and every carrier writes its own headline). A spinner touches nearly ` +
		`every sentence; a carrier that updates the wire rewrites a paragraph and leaves the rest alone. Its evidence lies in ` +
		`the page's paragraphs that were reworded, each a place of its own. Value: the share of the aligned content words ` +
		`substituted.`}
	CreditMisattributed = Feature{Name: "credit_misattributed", Doc: `A wire's credit stands over text that is no longer the wire's. ` +
		`The page credits a wire agency (a dateline's "(AP)", "Associated Press", "Reuters") and is a reworded copy of its ` +
		`original (reworded_copy fires): the words under the credit are the spinner's, not the agency's. A carrier that ` +
		`updates a wire story keeps most of its sentences and does not fire. Value: 1.`}
)

// OnPage reports whether a feature of a match has its evidence on the
// page, each piece where the page did what it says (a paragraph reworded,
// a credit kept), rather than in the one place the index witnesses.
func OnPage(name string) bool {
	return name == RewordedCopy.Name || name == CreditMisattributed.Name
}

// Features lists the features of a match, in the order Signals returns
// them.
func Features() []Feature {
	return []Feature{CopyOfIndexedStory, InsertedSpans, InsertedName, CreditDropped, RewordedCopy, CreditMisattributed}
}

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
	out := make([]signal.Signal, 0, len(Features()))
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
	for _, in := range m.Inserted {
		if !in.InSentence || !inStory(p, in.Span) {
			continue
		}
		if name, ok := insertedName(p.Text, in.Start, in.End); ok && !isCredit(p, Span{name.Start, name.End}) {
			ev = append(ev, signal.TextSpan(p, name.Start, name.End, "name inserted into a sentence of the original"))
		}
	}
	sig(InsertedName, float64(len(ev)), ev)

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

	ev, v = nil, 0
	if m.Rewording.Reworded() {
		v = m.Rewording.Share()
	outer:
		for _, rp := range m.Rewording.Pairs {
			for _, sub := range rp.Substitutions {
				if len(ev) == maxSubstitutionEvidence {
					break outer
				}
				ev = append(ev, signal.TextSpan(p, sub.Page.Start, sub.Page.End, fmt.Sprintf("for %q in %s", clip(sub.Original), m.Story.ID)))
			}
		}
	}
	sig(RewordedCopy, v, ev)

	ev, v = nil, 0
	if m.Rewording.Reworded() && m.WireCredit.End > m.WireCredit.Start {
		v = 1
		ev = append(ev, signal.TextSpan(p, m.WireCredit.Start, m.WireCredit.End, fmt.Sprintf("a wire's credit over text reworded from %s", from)))
	}
	sig(CreditMisattributed, v, ev)
	return out
}

// clip cuts a text of the original quoted in a note to 80 bytes.
func clip(s string) string {
	if len(s) <= 80 {
		return s
	}
	cut := 80
	for cut > 0 && !utf8Start(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
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

// inStory reports whether an insertion lies in the page's story: its
// headline (the first visible one), its story blocks (article.StoryBlocks,
// from the lead to the end of the story), or a prose block in the
// headline area (article.IsProse: a capture that starts at the lead has
// its lead there). A name glued to a sentence from a menu, a breadcrumb
// trail or a footer ("Allergies News", "StartseiteNetzwerk", a copyright
// line) is the template's text, which the page's own features judge.
func inStory(p *page.Page, s Span) bool {
	a := article.Of(p)
	bi := a.BlockAt(s.Start)
	for _, h := range a.Headlines {
		if h.Block >= 0 {
			if h.Block == bi {
				return true
			}
			break
		}
	}
	if bi < a.BodyStart {
		return a.IsProse(bi)
	}
	return slices.Contains(a.StoryBlocks(), bi)
}

// isCredit reports whether a name found in an insertion is a credit or
// the page's navigation, not a splice: it overlaps a visible byline or
// breadcrumb of the page ("BY ASSOCIATED PRESS", "Start Archiv"), names a
// wire agency, or follows a label's colon ("Fotos: Simon Kohler",
// "Source: Jane Doe"); a brand is spliced before a colon, not after one.
func isCredit(p *page.Page, s Span) bool {
	if before := strings.TrimRight(p.Text[:s.Start], " \t"); strings.HasSuffix(before, ":") {
		return true
	}
	a := article.Of(p)
	for _, list := range [][]article.Candidate{a.Bylines, a.Breadcrumbs} {
		for _, c := range list {
			if c.Visible() && c.Offset < s.End && s.Start < c.Offset+len(c.Text) {
				return true
			}
		}
	}
	return namesWire(strings.ToLower(p.Text[s.Start:s.End]))
}

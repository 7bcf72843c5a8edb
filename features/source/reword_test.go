package source

import (
	"context"
	"testing"

	"github.com/repack/repack/features/article"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// eventIndex indexes the original wire story, an unrelated story and a
// story of the same event by another paper (same names, other facts).
func eventIndex(t testing.TB) *Index {
	t.Helper()
	b := NewBuilder()
	for _, f := range []struct{ name, url string }{
		{"original-wire-story.html", originalURL},
		{"unrelated-story.html", "https://www.valley-radio.test/news/harbor-street-bike-lanes"},
		{"same-event-story.html", "https://www.coast-ledger.test/local/kettle-point-prices"},
	} {
		s, ok := StoryOf(parse(t, f.name, f.url), f.name)
		require.True(t, ok, "%s has a story body", f.name)
		require.True(t, b.Add(s))
	}
	ix, err := Read(b.Bytes(), "test")
	require.NoError(t, err)
	return ix
}

// TestRewordedCopyIsFoundAndMeasured: a paraphrase of the wire story that
// keeps its names, numbers, quote and "(AP)" dateline, with most other
// words changed, is found by its immutables, aligned by rewording, and
// measured a reworded copy; the wire's credit over it is misattributed.
func TestRewordedCopyIsFoundAndMeasured(t *testing.T) {
	ix := eventIndex(t)
	p := parse(t, "paraphrased-copy.html", "https://dailytrendwire.test/kettle-point")
	cands := ix.Candidates(context.Background(), p, 5)
	require.NotEmpty(t, cands)
	assert.Equal(t, "original-wire-story.html", cands[0].Story.ID)
	assert.GreaterOrEqual(t, cands[0].Immutables, minImmutableHits, "found by the immutables")

	m := ix.Match(context.Background(), p)
	require.NotNil(t, m)
	assert.Equal(t, "original-wire-story.html", m.Story.ID)
	r := m.Rewording
	require.NotNil(t, r)
	assert.True(t, r.Reworded(), "share %.2f, touched %d of %d", r.Share(), r.Touched, r.Worded)
	assert.InDelta(t, 0.35, r.Share(), 0.2)
	var subs []string
	quotations := 0
	for _, pr := range r.Pairs {
		if pr.Quotation {
			quotations++
		}
		for _, s := range pr.Substitutions {
			subs = append(subs, p.Text[s.Page.Start:s.Page.End]+" <- "+s.Original)
		}
	}
	assert.Equal(t, 1, quotations, "the quote is aligned, not counted as reworded")
	assert.Contains(t, subs, "purchased <- bought")
	for _, s := range subs {
		assert.NotContains(t, s, "1889", "a number is never a substitution")
	}
	assert.Equal(t, "(AP)", p.Text[m.WireCredit.Start:m.WireCredit.End])

	byName := map[string]float64{}
	for _, s := range m.Signals(p) {
		byName[s.Name] = s.Value
		if s.Name == RewordedCopy.Name || s.Name == CreditMisattributed.Name {
			require.NotEmpty(t, s.Evidence, s.Name)
			for _, ev := range s.Evidence {
				assert.Equal(t, p.Text[ev.Start:ev.End], ev.Text, "%s: evidence offsets index the page", s.Name)
				assert.NotEmpty(t, ev.Path, "%s: evidence has a path", s.Name)
			}
		}
	}
	assert.InDelta(t, r.Share(), byName[RewordedCopy.Name], 1e-9)
	assert.Equal(t, 1.0, byName[CreditMisattributed.Name])
}

// TestEditsThatAreNotRewording: a carrier trimming the wire story is no
// reworded copy, and another paper's story of the same event, with the
// same names and a quote of the same person, is no copy at all.
func TestEditsThatAreNotRewording(t *testing.T) {
	ix := eventIndex(t)
	m := ix.Match(context.Background(), parse(t, "member-station-trimmed.html", "https://www.valley-radio.test/news/kettle-point"))
	require.NotNil(t, m)
	assert.False(t, m.Rewording.Reworded(), "share %.2f", m.Rewording.Share())

	p := parse(t, "same-event-story.html", "https://elsewhere.test/kettle-point")
	if m := ix.Match(context.Background(), p); m != nil {
		assert.NotEqual(t, "original-wire-story.html", m.Story.ID, "another paper's story of the event is no copy of the wire's")
	}
}

func TestStem(t *testing.T) {
	for _, tc := range []struct {
		in     string
		number bool
		want   string
	}{
		{"concerned", false, "conce"},
		{"concern", false, "conce"},
		{"war", false, "war"},
		{"größten", false, "größt"},
		{"2024", true, "2024"},
	} {
		assert.Equal(t, tc.want, stem(tc.in, tc.number), tc.in)
	}
}

func TestLongestIncreasing(t *testing.T) {
	for _, tc := range []struct {
		in   []int
		want int
	}{
		{nil, 0},
		{[]int{0, 1, 2, 3}, 4},
		{[]int{3, 2, 1, 0}, 1},
		{[]int{0, 2, 1, 3, 4}, 4},
	} {
		assert.Equal(t, tc.want, longestIncreasing(tc.in), "%v", tc.in)
	}
}

// TestSubstitutions diffs two sentences' content words: swapped words
// are substitutions, moved and dropped words and changed numbers are not.
func TestSubstitutions(t *testing.T) {
	cw := func(s string) []cword {
		return contentWords(unit{words: words(nil, s, 0, len(s))})
	}
	for _, tc := range []struct {
		name, page, org string
		want            []string
		content         int
	}{
		{"a synonym", "The White House voiced apprehension about Iran", "The White House voiced concern about Iran", []string{"apprehension<-concern"}, 5},
		{"moved words", "On Tuesday the council approved the budget", "The council approved the budget on Tuesday", nil, 4},
		{"a changed figure", "The toll rose to 14", "The toll rose to 12", nil, 2},
		{"a dropped clause", "The council approved the budget", "The council approved the budget after a long debate", nil, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			content, subs := substitutions(tc.org, cw(tc.page), cw(tc.org))
			var got []string
			for _, s := range subs {
				got = append(got, tc.page[s.Page.Start:s.Page.End]+"<-"+s.Original)
			}
			assert.Equal(t, tc.want, got)
			assert.Equal(t, tc.content, content)
		})
	}
}

func TestIsQuotation(t *testing.T) {
	assert.True(t, isQuotation("“We are concerned,” Kirby said."))
	assert.True(t, isQuotation("„Wir sind besorgt“, sagte er."))
	assert.False(t, isQuotation("Kirby said: “We are concerned.”"))
}

// TestCapitalisesNouns tells German from English by function words, not
// by how many words are capitalised.
func TestCapitalisesNouns(t *testing.T) {
	for _, tc := range []struct {
		text string
		want bool
	}{
		{"The Multi-State Lottery Association said the California Lottery sold the ticket at Joe's Service Center in Altadena.", false},
		{"Die Regierung hat am Dienstag die neue Verordnung für den Hafen von Hamburg beschlossen, und die Opposition ist dagegen.", true},
	} {
		ws := words(nil, tc.text, 0, len(tc.text))
		assert.Equal(t, tc.want, capitalisesNouns(tc.text, ws), tc.text)
	}
}

// TestImmutableKeys: a paraphrase shares most of the original's
// immutable keys, an unrelated story none, and a German text's common
// nouns make no keys of their own.
func TestImmutableKeys(t *testing.T) {
	keysOf := func(name string) []uint64 {
		a := article.Of(parse(t, name, ""))
		return immutableKeys(a.Text, bodyOf(a).words)
	}
	shared := func(a, b []uint64) int {
		n := 0
		for _, k := range a {
			for _, l := range b {
				if k == l {
					n++
				}
			}
		}
		return n
	}
	org, para, other := keysOf("original-wire-story.html"), keysOf("paraphrased-copy.html"), keysOf("unrelated-story.html")
	require.NotEmpty(t, org)
	assert.GreaterOrEqual(t, shared(org, para), max(minImmutableHits, len(para)/immutableShare))
	assert.Zero(t, shared(org, other))

	de := "Die Bundesregierung hat die Verordnung beschlossen. Kanzler Olaf Scholz sagte, die Regierung werde 2024 handeln."
	ws := words(nil, de, 0, len(de))
	var imm []string
	for i, w := range ws {
		if isImmutable(de[w.start:w.end], w.norm, i == 0 || endsSentenceGap(de[ws[i-1].end:w.start]), true, ws, i, de) {
			imm = append(imm, de[w.start:w.end])
		}
	}
	assert.Equal(t, []string{"Olaf", "Scholz", "2024"}, imm, "German nouns alone are no names; a sentence's first word is none")
}

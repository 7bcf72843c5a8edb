package synth

import (
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkSpunCopy checks a spun copy: its choices recorded, the story's
// immutables kept (its numbers), its words replaced at about the chosen
// rate, its host the coined one, no wire credit unless kept.
func checkSpunCopy(t *testing.T, d corpus.Document, m map[string]any, p *page.Page, src Story) {
	t.Helper()
	require.Equal(t, FamilySpunCopy, m["family"], d.ID)
	u, err := url.Parse(d.URL)
	require.NoError(t, err)
	assert.Equal(t, m["host"], u.Host, d.ID)
	share, _ := m["spin_replaced_share"].(float64)
	rate := spinRates[m["spin_synonyms"].(string)]
	// The rate is drawn per word, rounded per sentence: a copy's share
	// lies near its choice's band.
	assert.InDelta(t, (rate[0]+rate[1])/2, share, 0.12, "%s: replaced share %.2f for %s", d.ID, share, m["spin_synonyms"])
	text := strings.Join(strings.Fields(p.Text), " ")
	for _, n := range number.FindAllString(strings.Join(src.Paragraphs[:min(len(src.Paragraphs), maxParagraphs)], " "), -1) {
		if d.Format == corpus.FormatHTML {
			assert.Contains(t, text, n, "%s: the spinner changed a number", d.ID)
		}
	}
	if m["spin_credit"] == "dropped" {
		assert.NotRegexp(t, `\((AP|dpa|AFP|Reuters)\) [—–-]`, text, "%s: a dropped credit is on the page", d.ID)
	}
	assert.NotContains(t, text, strings.Join(strings.Fields(src.Paragraphs[0]), " "), "%s: the lead is not reworded", d.ID)
}

func TestSplitSentences(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"One sentence here.", "One sentence here."},
		{"First one. Second one! Third?", "First one.|Second one!|Third?"},
		{"He said “yes.” Then he left.", "He said “yes.”|Then he left."},
		{"Mr. smith stayed. Done.", "Mr. smith stayed.|Done."},
	} {
		assert.Equal(t, tc.want, strings.Join(splitSentences(tc.in), "|"), tc.in)
	}
}

func TestSplitAtComma(t *testing.T) {
	a, b, ok := splitAtComma("The council met for three hours on Tuesday evening, and the members voted to approve the new budget for next year.")
	require.True(t, ok)
	assert.Equal(t, "The council met for three hours on Tuesday evening.", a)
	assert.Equal(t, "The members voted to approve the new budget for next year.", b)
	_, _, ok = splitAtComma("Too short, to split.")
	assert.False(t, ok)
}

func TestAttributionFirstAndReportedSpeech(t *testing.T) {
	got, ok := attributionFirst("The bridge will stay closed until the repairs are finished, officials said.", "en")
	require.True(t, ok)
	assert.Equal(t, "Officials said that the bridge will stay closed until the repairs are finished.", got)
	_, ok = attributionFirst("Die Brücke bleibt gesperrt, sagte ein Sprecher.", "de")
	assert.False(t, ok, "English only")

	for _, tc := range []struct{ lang, in, want string }{
		{"en", "“We are concerned about the missiles,” Kirby said.", "Kirby said that we are concerned about the missiles."},
		{"de", "„Wir sind besorgt“, sagte Kirby.", "Kirby sagte, dass wir sind besorgt."},
		{"en", "No quote in this sentence at all.", "No quote in this sentence at all."},
	} {
		s := &spinner{r: rand.New(rand.NewPCG(1, 2)), lang: tc.lang, reported: true}
		assert.Equal(t, tc.want, s.sentence(tc.in), tc.in)
	}
}

// TestSynonymsKeepImmutables: names, numbers and quoted words stay, and
// the replaced share follows the rate.
func TestSynonymsKeepImmutables(t *testing.T) {
	th, err := loadThesaurus()
	require.NoError(t, err)
	s := &spinner{r: rand.New(rand.NewPCG(3, 4)), lang: "en", th: th["en"], rate: 0.4}
	for w := range s.th {
		s.pool = append(s.pool, w)
	}
	in := "The officials said the new plan would help 4,500 residents of Spokane during the storm, “a major concern for us,” Mayor Lisa Brown said."
	out := s.synonyms(in)
	assert.NotEqual(t, in, out)
	for _, keep := range []string{"4,500", "Spokane", "Mayor Lisa Brown", "“a major concern for us,”"} {
		assert.Contains(t, out, keep)
	}
	assert.InDelta(t, 0.4, float64(s.replaced)/float64(s.content), 0.12)
}

// TestSpinShare: spun copies come at about the chosen share, only in the
// spinner's languages, and the copies that are not spun are the ones made
// without the spinner.
func TestSpinShare(t *testing.T) {
	t.Parallel()
	stories := allFixtureStories(t)
	without := DefaultOptions(5)
	without.SpinShare = 0
	plain := map[string]string{}
	for _, d := range generate(t, without, 20, 0, stories) {
		plain[d.ID] = string(d.Body)
	}
	spun, total := 0, 0
	for _, d := range generate(t, DefaultOptions(5), 20, 0, stories) {
		if d.Label != corpus.Repackaged {
			continue
		}
		total++
		m := synthMeta(t, d)
		if m["kind"] == "spun_copy" {
			spun++
			assert.Contains(t, []string{"en", "de", "fr", "es"}, langKey(m["language"].(string)))
			continue
		}
		if body, ok := plain[d.ID]; ok {
			assert.Equal(t, body, string(d.Body), "%s changed when spun copies were drawn", d.ID)
		}
	}
	assert.InDelta(t, DefaultSpinShare, float64(spun)/float64(total), 0.06)
}

func TestThesaurusParses(t *testing.T) {
	th, err := loadThesaurus()
	require.NoError(t, err)
	for _, lang := range []string{"en", "de", "fr", "es"} {
		assert.Greater(t, len(th[lang]), 100, lang)
	}
	assert.Contains(t, th["en"]["concern"], "apprehension")
}

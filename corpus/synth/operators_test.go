package synth

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// familyCue is the cue each operator family is built around.
var familyCue = map[string]string{FamilyScraperFeed: CueBoilerplate, FamilyPublisherArtefacts: CueForeignLine, FamilyTradeSite: CueTradeHost}

// checkOperatorCopy checks an operator copy against its meta: its family
// and cues, its host, every line it says it added in the visible text,
// the story's headline and lead kept, and none of the network's marks.
func checkOperatorCopy(t *testing.T, d corpus.Document, m map[string]any, p *page.Page, src Story) {
	t.Helper()
	family, _ := m["family"].(string)
	require.Contains(t, OperatorFamilies, family, d.ID)
	cues, _ := m["operator_cues"].([]string)
	assert.Contains(t, cues, familyCue[family], "%s: a %s copy without its own cue", d.ID, family)
	u, err := url.Parse(d.URL)
	require.NoError(t, err)
	assert.Equal(t, m["host"], u.Host, d.ID)
	if slices.Contains(cues, CueTradeHost) {
		assert.True(t, slices.ContainsFunc(tradeHostWords, func(w string) bool { return strings.Contains(u.Host, w) }), "%s: trade host %s names no trade", d.ID, u.Host)
	}
	lines, _ := m["operator_lines"].([]string)
	if slices.Contains(cues, CueBoilerplate) || slices.Contains(cues, CueForeignLine) {
		assert.NotEmpty(t, lines, d.ID)
	}
	if slices.Contains(cues, CueCopyArtefact) {
		assert.True(t, slices.ContainsFunc(lines, func(l string) bool {
			return strings.HasPrefix(l, "Photo of ") || strings.ContainsAny(l, "/")
		}), "%s: a copy artefact cue with no artefact line: %v", d.ID, lines)
	}
	text := strings.Join(strings.Fields(p.Text), " ")
	for _, l := range lines {
		assert.Contains(t, text, strings.Join(strings.Fields(l), " "), "%s: line %q not on the page", d.ID, l)
	}
	assert.Contains(t, text, cutMidWord(src.Headline, 30), d.ID)
	assert.Contains(t, text, cutMidWord(strings.Join(strings.Fields(src.Paragraphs[0]), " "), 30), d.ID)
	assert.NotRegexp(t, `veryGood!|Great!\(| View\b`, text, "%s: an operator copy shows the network's marks", d.ID)
}

// TestOperatorShare checks that the share of operator copies follows the
// option, that every family is drawn, and that the network's copies that
// remain are the ones made without operators: the operator draw has its
// own stream.
func TestOperatorShare(t *testing.T) {
	t.Parallel()
	stories := allFixtureStories(t)
	without := DefaultOptions(5)
	without.OperatorShare = 0
	network := map[string]string{}
	for _, d := range generate(t, without, 40, 0, stories) {
		network[d.ID] = string(d.Body)
	}
	docs := generate(t, DefaultOptions(5), 40, 0, stories)
	families := map[string]int{}
	copies, operators := 0, 0
	for _, d := range docs {
		if d.Label != corpus.Repackaged {
			continue
		}
		copies++
		m := synthMeta(t, d)
		if m["kind"] == "operator_copy" {
			operators++
			families[m["family"].(string)]++
			continue
		}
		body, ok := network[d.ID]
		if assert.True(t, ok, "%s: a network copy that the run without operators did not make", d.ID) {
			assert.Equal(t, body, string(d.Body), d.ID)
		}
	}
	share := float64(operators) / float64(copies)
	// Four standard deviations of a binomial share of about 360 draws.
	assert.InDelta(t, DefaultOperatorShare, share, 0.085, "operator share %d of %d", operators, copies)
	for _, f := range OperatorFamilies {
		assert.Positive(t, families[f], "family %s never drawn", f)
	}
}

// TestOperatorCopyNeedsAStory checks the error for a story with nothing to
// copy.
func TestOperatorCopyNeedsAStory(t *testing.T) {
	g, err := New(DefaultOptions(1))
	require.NoError(t, err)
	_, err = g.OperatorCopy(Story{ID: "empty.html"}, g.Stream(streamOperator, "empty.html", 0))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "empty.html")
}

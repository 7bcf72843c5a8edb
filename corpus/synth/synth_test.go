package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureStories loads the stories of the pages in dirs (testdata/authentic
// when none is given), which we wrote for these tests.
func fixtureStories(t testing.TB, dirs ...string) ([]Story, []*corpus.SkipError) {
	t.Helper()
	if len(dirs) == 0 {
		dirs = []string{"testdata/authentic"}
	}
	docs := corpus.ReadAll(context.Background(), dirs, corpus.Options{DefaultLabel: corpus.Authentic})
	stories, skipped, err := Stories(context.Background(), docs, 0, nil)
	require.NoError(t, err)
	require.NotEmpty(t, stories)
	return stories, skipped
}

// allFixtureStories adds testdata/topics (a story whose topic recurs, for
// the topic-prefix look-alike) to testdata/authentic. The command's tests
// count the stories of testdata/authentic, so it stays as it is.
func allFixtureStories(t testing.TB) []Story {
	t.Helper()
	stories, _ := fixtureStories(t, "testdata/authentic", "testdata/topics")
	return stories
}

// generate makes perSource repackaged pages and hard negatives of every
// fixture story.
func generate(t testing.TB, opts Options, perSource, workers int, stories []Story) []corpus.Document {
	t.Helper()
	g, err := New(opts)
	require.NoError(t, err)
	docs, err := g.Generate(context.Background(), stories, NewPool(stories), GenerateOptions{PerSource: perSource, HardNegatives: perSource, Workers: workers})
	require.NoError(t, err)
	require.Len(t, docs, 2*perSource*len(stories))
	return docs
}

func synthMeta(t testing.TB, d corpus.Document) map[string]any {
	t.Helper()
	m, ok := d.Meta["synth"].(map[string]any)
	require.True(t, ok, "%s: no meta.synth", d.ID)
	return m
}

// parseDoc parses a generated document in its own format.
func parseDoc(t testing.TB, d corpus.Document) *page.Page {
	t.Helper()
	format := page.FormatHTML
	if d.Format == corpus.FormatText {
		format = page.FormatText
	}
	p, err := page.Parse(d.Body, page.Options{Format: format, URL: d.URL})
	require.NoError(t, err, d.ID)
	return p
}

func TestStoriesFromFixtures(t *testing.T) {
	t.Parallel()
	stories, skipped := fixtureStories(t)
	byID := map[string]Story{}
	for _, s := range stories {
		byID[s.ID] = s
	}
	tests := []struct {
		id, headline, date string
		paragraphs         int
		lead               string
	}{
		{"wire/groundwater.html", "Board votes to limit groundwater pumping near river towns", "2023-03-14", 5, "BOISE, Idaho (AP) — The state water board"},
		{"europe/hallenbad.html", "Die Stadt plant ein neues Hallenbad am Flussufer", "2022-06-21", 4, "Die Stadt will"},
		// No sidecar: the date comes from the page itself.
		{"local/birds.html", "Volunteers count migrating birds along the coast for the tenth year", "2020-10-05", 4, "A group of volunteers"},
	}
	for _, tt := range tests {
		s, ok := byID[tt.id]
		require.True(t, ok, "story %s missing", tt.id)
		assert.Equal(t, tt.headline, s.Headline, tt.id)
		assert.Equal(t, tt.date, s.Date.Format(time.DateOnly), tt.id)
		assert.Len(t, s.Paragraphs, tt.paragraphs, tt.id)
		assert.True(t, strings.HasPrefix(s.Paragraphs[0], tt.lead), "%s lead: %q", tt.id, s.Paragraphs[0])
	}
	reasons := map[string]string{}
	for _, s := range skipped {
		reasons[s.ID] = s.Reason
	}
	assert.Equal(t, map[string]string{"local/notice.html": "fewer than 3 paragraphs", "local/untitled.html": "no headline"}, reasons)
}

func TestUnusableRecordsAreCountedSkips(t *testing.T) {
	t.Parallel()
	docs := corpus.ReadAll(context.Background(), []string{"testdata/badsidecar"}, corpus.Options{DefaultLabel: corpus.Authentic})
	tests := []struct {
		name   string
		doc    corpus.Document
		reason string
	}{
		{"unreadable sidecar", docs[0], "unreadable record"},
		{"text input", corpus.Document{ID: "a.txt", Format: corpus.FormatText, Label: corpus.Authentic, Body: []byte("Some text.")}, "text input (a story needs the page's markup)"},
		{"spam input", corpus.Document{ID: "b.html", Format: corpus.FormatHTML, Label: corpus.Repackaged, Body: []byte("<p>x</p>")}, "labelled repackaged, not authentic"},
		{"empty page", corpus.Document{ID: "c.html", Format: corpus.FormatHTML, Label: corpus.Authentic, Body: []byte("  ")}, "parse error"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := StoryFromDocument(tt.doc)
			skip, ok := IsSkip(err)
			require.True(t, ok, "want a skip, got %v", err)
			assert.Equal(t, tt.reason, skip.Reason)
			assert.Equal(t, tt.doc.ID, skip.ID)
		})
	}
}

func TestNewRefusesBadShares(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{{TextShare: -0.1}, {TextShare: 1.5}, {NoBrandShare: 2}, {EnglishWeight: -1}, {EnglishWeight: 1000}} {
		_, err := New(o)
		assert.Error(t, err, "%+v", o)
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	stories, _ := fixtureStories(t)
	encode := func(docs []corpus.Document) []byte {
		var b strings.Builder
		for _, d := range docs {
			line, err := json.Marshal(struct {
				D    corpus.Document
				Body string
			}{d, string(d.Body)})
			require.NoError(t, err)
			b.Write(line)
			b.WriteByte('\n')
		}
		return []byte(b.String())
	}
	a := encode(generate(t, DefaultOptions(42), 3, 1, stories))
	b := encode(generate(t, DefaultOptions(42), 3, 4, stories))
	c := encode(generate(t, DefaultOptions(43), 3, 4, stories))
	assert.Equal(t, a, b, "same seed and input, different workers: output differs")
	assert.NotEqual(t, a, c, "different seeds give the same output")

	// A story's documents do not depend on the order stories come in.
	reversed := slices.Clone(stories)
	slices.Reverse(reversed)
	byID := map[string]string{}
	for _, d := range generate(t, DefaultOptions(42), 2, 2, stories) {
		byID[d.ID] = string(d.Body)
	}
	for _, d := range generate(t, DefaultOptions(42), 2, 2, reversed) {
		assert.Equal(t, byID[d.ID], string(d.Body), "%s changed with the order of stories", d.ID)
	}
}

// TestEveryChoiceAppears builds a few hundred pages and checks that every
// value of every choice the lead may hold out appears, and that glued and
// spaced splices both come in quantity.
func TestEveryChoiceAppears(t *testing.T) {
	t.Parallel()
	stories := allFixtureStories(t)
	docs := generate(t, DefaultOptions(7), 50, 0, stories)
	seen := map[string]map[string]int{}
	note := func(key string, v any) {
		if seen[key] == nil {
			seen[key] = map[string]int{}
		}
		seen[key][fmt.Sprint(v)]++
	}
	for _, d := range docs {
		m := synthMeta(t, d)
		if d.Label == corpus.Authentic {
			note("hard_rendering", m["rendering"])
			note("hard_language", m["language"])
			if m["rendering"] == RenderText {
				note("hard_text_start", m["text_start"])
			}
			for _, l := range m["lookalikes"].([]string) {
				note("lookalike", l)
			}
			continue
		}
		if m["kind"] == "spun_copy" {
			for _, k := range []string{"spin_synonyms", "spin_structure", "spin_quotes", "spin_added", "spin_credit"} {
				note(k, m[k])
			}
			note("spun_language", m["language"])
			continue
		}
		if m["kind"] == "operator_copy" {
			note("operator_family", m["family"])
			for _, c := range m["operator_cues"].([]string) {
				note("operator_cue", c)
			}
			continue
		}
		for _, k := range []string{"family", "rendering", "brand_kind", "brand_place", "separator", "splice", "splice_glued", "splice_after_the", "dateline", "date_format", "date_in_meta", "byline", "byline_view", "source_field", "counter", "junk_items", "site_kind", "site_suffix", "breadcrumb", "breadcrumb_glued", "breadcrumb_tail", "breadcrumb_label", "source_label", "more_line", "disclaimer", "language"} {
			note(k, m[k])
		}
		if m["rendering"] == RenderText {
			note("text_start", m["text_start"])
		}
		if m["splice"] == SpliceLeadStart || m["splice"] == SpliceAfterThe {
			note("lead_splice_glued", m["splice_glued"])
		}
		for _, h := range m["junk_blocks"].([]string) {
			note("junk_heading", h)
		}
	}
	bools := []string{"true", "false"}
	languages := []string{"en", "de", "fr", "es"}
	want := map[string][]string{
		"family": Families, "rendering": {RenderHTML, RenderText}, "hard_rendering": {RenderHTML, RenderText},
		"brand_kind": BrandKinds, "brand_place": BrandPlaces, "separator": append([]string{""}, Separators...),
		"splice": SplicePositions, "splice_glued": bools, "splice_after_the": bools, "dateline": DatelineKinds,
		"date_format": DateFormats, "date_in_meta": bools, "byline": BylineKinds, "byline_view": bools,
		"source_field": {"brand", "person", "site", "none"}, "counter": Counters, "junk_items": JunkShapes,
		"junk_heading": JunkHeadings, "site_kind": {"finance", "crypto"}, "site_suffix": SuffixStyles,
		"breadcrumb": bools, "breadcrumb_glued": bools, "breadcrumb_tail": {"title", "headline", "none"},
		"breadcrumb_label": {"Current:", "Current: ", "You are here: ", ""}, "source_label": {"glued", "spaced", ""},
		"more_line": bools, "disclaimer": bools, "language": languages, "hard_language": languages,
		"text_start": TextStarts, "hard_text_start": TextStarts, "lookalike": LookAlikes,
		"operator_family": OperatorFamilies, "operator_cue": {CueBoilerplate, CueForeignLine, CueTradeHost, CueCopyArtefact},
		"spin_synonyms": {SpinLight, SpinMedium, SpinHeavy}, "spin_structure": {SpinKeep, SpinSplit, SpinMerge, SpinReorder, SpinMixed},
		"spin_quotes": {"kept", "reported"}, "spin_added": {"none", "paragraph"}, "spin_credit": {"dropped", "kept"}, "spun_language": languages,
	}
	for key, values := range want {
		for _, v := range values {
			assert.Positive(t, seen[key][v], "%s=%q never drawn in %d pages", key, v, len(docs)/2)
		}
	}
	glued, spaced := seen["lead_splice_glued"]["true"], seen["lead_splice_glued"]["false"]
	assert.Greater(t, glued, 20, "glued lead splices")
	assert.Greater(t, spaced, 20, "spaced lead splices")
	assert.InDelta(t, 0.55, float64(glued)/float64(glued+spaced), 0.15, "share of glued lead splices")
}

// repackagedKeys are the keys every repackaged page's meta.synth holds.
var repackagedKeys = []string{"kind", "family", "rendering", "brand_kind", "brand", "brand_place", "separator", "splice", "splice_glued", "splice_after_the", "dateline", "date_format", "date_in_meta", "fake_date", "real_date", "gap_months", "byline", "byline_name", "byline_view", "source_field", "source_label", "counter", "counter_value", "junk_blocks", "junk_items", "site_name", "site_kind", "site_suffix", "breadcrumb", "breadcrumb_glued", "breadcrumb_tail", "breadcrumb_label", "section", "more_line", "disclaimer", "host", "language", "source_id", "source_url", "seed", "variant", "splices"}

// textKeys are the keys text renderings add.
var textKeys = []string{"text_start", "list_marker", "blank_lines", "text_cut_bytes"}

// lookalikeKeys are the keys each look-alike adds.
var lookalikeKeys = map[string][]string{
	LookEditorialLabel: {"label_text"},
	LookAPDateline:     {"dateline_text", "byline_text", "credit_text"},
	LookRelated:        {"related_heading", "related_from", "related_count"},
	LookComments:       {"comment_text", "comment_place"},
	LookCorrectDate:    {"date_text"},
	LookAPMember:       {"dateline_text", "byline_text", "credit_text", "photo_credit", "date_text", "popular_heading", "popular_count", "popular_place"},
	LookTopicPrefix:    {"topic_text", "topic_count"},
	LookSiteFirstTitle: {"title_text"},
	LookViewCounter:    {"counter_text"},
	LookPublishedLine:  {"date_text"},
	LookPopular:        {"popular_heading", "popular_count", "popular_place"},
	// Issue 16's look-alikes of other operators' cues.
	LookLicensedSyndication: {"syndication_credit"},
	LookBlogQuote:           {"blog_intro", "read_more_text"},
	LookOwnReadMore:         {"read_more_text"},
	LookSpecialistHost:      {"carrier_url", "specialist_trade"},
	LookAdLabel:             {"ad_label"},
	// Issue 15's carrier that edits the wire.
	LookEditedWire: {"trimmed_lead", "rewritten_paragraph", "rewritten_words", "local_angle", "carrier_url"},
}

// firstLine returns a text body's first line.
func firstLine(body []byte) string {
	line, _, _ := strings.Cut(string(body), "\n")
	return line
}

// sharedWords returns the share of a's words found in b.
func sharedWords(a, b string) float64 {
	words := strings.Fields(a)
	if len(words) == 0 {
		return 0
	}
	in := 0
	for _, w := range words {
		if strings.Contains(b, w) {
			in++
		}
	}
	return float64(in) / float64(len(words))
}

// firstHeading returns the text of the page's first heading block.
func firstHeading(p *page.Page) string {
	for i, b := range p.Blocks {
		if b.Kind == page.KindHeading {
			return p.BlockText(i)
		}
	}
	return ""
}

func TestOutputsParseAndMetaIsComplete(t *testing.T) {
	t.Parallel()
	stories := allFixtureStories(t)
	byID := map[string]Story{}
	for _, s := range stories {
		byID[s.ID] = s
	}
	ids := map[string]bool{}
	for _, d := range generate(t, DefaultOptions(3), 12, 0, stories) {
		assert.False(t, ids[d.ID], "duplicate id %s", d.ID)
		ids[d.ID] = true
		m := synthMeta(t, d)
		src := byID[m["source_id"].(string)]
		assert.Equal(t, src.Group, d.Group, "%s: group", d.ID)
		assert.True(t, strings.HasPrefix(d.ID, src.ID+"#"), "%s: id does not name its source", d.ID)
		assert.Equal(t, string(d.Format), m["rendering"], "%s: rendering", d.ID)
		assert.Equal(t, src.Language, m["language"], "%s: language", d.ID)
		if d.Format == corpus.FormatText {
			for _, k := range textKeys {
				assert.Contains(t, m, k, "%s: text rendering without %s", d.ID, k)
			}
		}
		p := parseDoc(t, d)
		if d.Label == corpus.Authentic {
			assert.Equal(t, "hard_negative", m["kind"])
			for _, l := range m["lookalikes"].([]string) {
				for _, k := range lookalikeKeys[l] {
					assert.Contains(t, m, k, "%s: %s without %s", d.ID, l, k)
				}
			}
			continue
		}
		require.Equal(t, corpus.Repackaged, d.Label)
		if m["kind"] == "operator_copy" {
			checkOperatorCopy(t, d, m, p, src)
			continue
		}
		if m["kind"] == "spun_copy" {
			checkSpunCopy(t, d, m, p, src)
			continue
		}
		for _, k := range repackagedKeys {
			assert.Contains(t, m, k, "%s: meta.synth lacks %s", d.ID, k)
		}
		fake, err := time.Parse(time.DateTime, m["fake_date"].(string))
		require.NoError(t, err)
		real := src.Date
		assert.False(t, fake.Before(real.AddDate(0, minGapMonths, 0)), "%s: fake date %s under 6 months after %s", d.ID, fake, real)
		assert.False(t, fake.After(real.AddDate(0, maxGapMonths, 1)), "%s: fake date %s over 30 months after %s", d.ID, fake, real)
		checkHeader(t, d, m, p, src)
		if d.Format == corpus.FormatText {
			assert.True(t, keepsAMark(string(d.Body), m, stories, src), "%s: a text capture with no mark of the network", d.ID)
		}
	}
}

// keepsAMark reports whether a repackaged page's text holds one of the
// network's marks: the brand, the site's or byline's name, a counter, or
// another story's headline (a junk list).
func keepsAMark(text string, m map[string]any, stories []Story, src Story) bool {
	for _, k := range []string{"brand", "site_name", "byline_name"} {
		if v := m[k].(string); v != "" && strings.Contains(text, v) {
			return true
		}
	}
	for _, s := range stories {
		if s.ID != src.ID && strings.Contains(text, cutMidWord(s.Headline, 20)) {
			return true
		}
	}
	return regexp.MustCompile(`veryGood!|Great!|\d view\b|\d views\b`).MatchString(text)
}

// checkHeader checks that a repackaged page shows its brand where meta
// says and lacks the header elements meta says it lacks.
func checkHeader(t *testing.T, d corpus.Document, m map[string]any, p *page.Page, src Story) {
	t.Helper()
	visible := p.Text
	if d.Format == corpus.FormatHTML {
		visible += "\n" + p.Meta["title"]
	}
	whole := m["text_cut_bytes"] == nil || m["text_cut_bytes"] == 0
	brand, place, start := m["brand"].(string), m["brand_place"], m["text_start"]
	if brand != "" && whole {
		assert.Contains(t, visible, brand, "%s: brand (%s) not on the page", d.ID, place)
	}
	prefixed := brand + fmt.Sprint(m["separator"]) + src.Headline
	switch {
	case start == StartLead:
		assert.Contains(t, []any{PlaceBoth, PlaceLead, PlaceNone}, place, "%s: a headless page cannot show %s", d.ID, place)
	case place == PlaceHeadline || place == PlaceBoth:
		assert.Contains(t, visible, prefixed, "%s: headline prefix", d.ID)
	case place == PlaceTitle:
		assert.Contains(t, visible, prefixed, "%s: title prefix", d.ID)
		assert.NotContains(t, firstHeading(p), brand, "%s: brand in the h1 of a title-only page", d.ID)
	case place == PlaceByline:
		assert.Equal(t, BylineBrand, m["byline"], d.ID)
		assert.NotContains(t, firstHeading(p), brand, "%s: brand in the h1 of a byline-only page", d.ID)
		assert.NotContains(t, p.Meta["title"], brand, "%s: brand in the title of a byline-only page", d.ID)
	}
	if m["byline"] == BylineNone {
		for i := range p.Blocks {
			text := p.BlockText(i)
			assert.False(t, text == "View" || strings.HasSuffix(text, " View"), "%s: a View byline on a page without one: %q", d.ID, text)
		}
	}
	if m["date_format"] == DateNone {
		for _, label := range []string{"Date:", "source:", "Source:", "Published:", dateLine(DatePlain, mustFake(t, m))} {
			assert.NotContains(t, p.Text, label, "%s: a date line on a page without one", d.ID)
		}
	}
	switch start {
	case StartLead:
		line := firstLine(d.Body)
		assert.Greater(t, sharedWords(src.Paragraphs[0], line), 0.7, "%s: headless page starts at %q", d.ID, line)
	case StartHeadline:
		assert.Contains(t, firstLine(d.Body), src.Headline, "%s: starts at the headline", d.ID)
	}
}

func mustFake(t *testing.T, m map[string]any) time.Time {
	t.Helper()
	fake, err := time.Parse(time.DateTime, m["fake_date"].(string))
	require.NoError(t, err)
	return fake
}

func TestHardNegativesKeepTheSourceText(t *testing.T) {
	t.Parallel()
	stories := allFixtureStories(t)
	byID := map[string]Story{}
	for _, s := range stories {
		byID[s.ID] = s
	}
	n := 0
	for _, d := range generate(t, DefaultOptions(11), 20, 0, stories) {
		if d.Label != corpus.Authentic {
			continue
		}
		n++
		m := synthMeta(t, d)
		src := byID[m["source_id"].(string)]
		assert.Equal(t, SourceHardNegative, d.Source)
		p := parseDoc(t, d)
		if isCarrier(m) {
			// A carrier edits the story as carriers do: checked in
			// TestCarriersEditTheStoryAsCarriersDo.
			assert.Equal(t, m["carrier_url"], d.URL, d.ID)
			continue
		}
		want := src.URL
		if u, ok := m["carrier_url"].(string); ok {
			want = u // a specialist's site: the page on another host, its text kept
		}
		assert.Equal(t, want, d.URL)
		cut, _ := m["text_cut_bytes"].(int)
		for _, para := range src.Paragraphs {
			if cut > 0 && !strings.Contains(p.Text, para[:20]) {
				continue // cut off with the rest of the page
			}
			assert.Contains(t, p.Text, para, "%s lost a paragraph", d.ID)
		}
		switch m["text_start"] {
		case StartLead:
			assert.Greater(t, sharedWords(src.Paragraphs[0], firstLine(d.Body)), 0.7, "%s: starts at the lead", d.ID)
			continue
		case StartHeadline:
			assert.Contains(t, firstLine(d.Body), src.Headline, "%s: starts at the headline", d.ID)
		}
		if cut == 0 {
			assert.Contains(t, p.Text, src.Headline, "%s lost its headline", d.ID)
			checkLookAlikes(t, d, m, p, src)
		}
	}
	assert.Equal(t, 20*len(stories), n)
}

// isCarrier reports whether a hard negative is a carrier's page.
func isCarrier(m map[string]any) bool {
	looks, _ := m["lookalikes"].([]string)
	return slices.ContainsFunc(looks, func(l string) bool { return slices.Contains(Carriers, l) })
}

func TestCarriersEditTheStoryAsCarriersDo(t *testing.T) {
	t.Parallel()
	stories := allFixtureStories(t)
	byID := map[string]Story{}
	for _, s := range stories {
		byID[s.ID] = s
	}
	seen := map[string]int{}
	for _, d := range generate(t, DefaultOptions(11), 20, 0, stories) {
		m := synthMeta(t, d)
		if d.Label != corpus.Authentic || !isCarrier(m) {
			continue
		}
		src := byID[m["source_id"].(string)]
		assert.NotEqual(t, src.URL, d.URL, "%s: a carrier is another site", d.ID)
		if m["text_cut_bytes"] != nil && m["text_cut_bytes"] != 0 {
			continue
		}
		p := parseDoc(t, d)
		for _, look := range m["lookalikes"].([]string) {
			seen[look]++
			switch look {
			case LookTrimmedCarrier:
				last := src.Paragraphs[len(src.Paragraphs)-1]
				assert.NotContains(t, p.Text, last, "%s: the last paragraph is cut", d.ID)
				assert.Positive(t, m["trimmed_paragraphs"], d.ID)
			case LookLaterVersion:
				assert.Contains(t, p.Text, m["added_paragraph"].(string), d.ID)
				if u := m["updated_number"].(string); u != "" {
					_, now, _ := strings.Cut(u, " -> ")
					assert.Contains(t, p.Text, now, d.ID)
				}
			case LookEditedWire:
				assert.Contains(t, p.Text, m["local_angle"].(string), d.ID)
				assert.Positive(t, m["rewritten_words"], "%s: a paragraph rewritten", d.ID)
			case LookCaptionCredit:
				if m["text_start"] != StartLead { // the caption is above the lead
					assert.Contains(t, p.Text, m["caption_credit"].(string), d.ID)
				}
				assert.NotContains(t, p.Text, "(AP) —", "%s: the wire is credited in the caption only", d.ID)
			}
		}
	}
	for _, look := range Carriers {
		assert.Positive(t, seen[look], "no %s among the hard negatives", look)
	}
}

// checkLookAlikes checks that each look-alike shows on a whole page.
func checkLookAlikes(t *testing.T, d corpus.Document, m map[string]any, p *page.Page, src Story) {
	t.Helper()
	visible := p.Meta["title"] + "\n" + p.Text
	// A list placed before the headline is not in a capture that starts
	// at the headline.
	popularShown := !(m["popular_place"] == "before_headline" && m["text_start"] == StartHeadline)
	for _, look := range m["lookalikes"].([]string) {
		switch look {
		case LookEditorialLabel:
			assert.Contains(t, visible, m["label_text"].(string)+src.Headline, d.ID)
		case LookTopicPrefix:
			topic := m["topic_text"].(string)
			assert.Contains(t, visible, topic+": "+src.Headline, d.ID)
			assert.GreaterOrEqual(t, strings.Count(strings.Join(src.Paragraphs, "\n"), topic), 2, "%s: topic %q does not recur", d.ID, topic)
		case LookSiteFirstTitle:
			if d.Format == corpus.FormatHTML {
				assert.Equal(t, m["title_text"], p.Meta["title"], d.ID)
				assert.True(t, strings.HasSuffix(p.Meta["title"], src.Headline), d.ID)
			}
		case LookAPMember:
			for _, k := range []string{"byline_text", "credit_text", "photo_credit", "date_text", "popular_heading"} {
				if k != "popular_heading" || popularShown {
					assert.Contains(t, p.Text, m[k].(string), "%s: %s", d.ID, k)
				}
			}
			assert.Regexp(t, `\(AP Photo/[^)]+\)`, p.Text, d.ID)
			assert.Contains(t, p.Text, "(AP) — ", d.ID)
		case LookPopular:
			if popularShown {
				assert.Contains(t, p.Text, m["popular_heading"].(string), d.ID)
			}
		case LookViewCounter:
			assert.Contains(t, p.Text, m["counter_text"].(string), d.ID)
		case LookPublishedLine:
			// "Published: 2024-03-05 10:12", localised: a space after the colon.
			assert.Regexp(t, `^\p{L}+ ?: \d{4}-\d{2}-\d{2} \d{2}:\d{2}$`, m["date_text"], d.ID)
			assert.Contains(t, p.Text, m["date_text"].(string), d.ID)
			assert.Contains(t, m["date_text"], src.Date.Format(time.DateOnly), "%s: not the real date", d.ID)
		}
	}
}

func TestTextRenderingIsOneBlockPerLine(t *testing.T) {
	t.Parallel()
	stories, _ := fixtureStories(t)
	texts := 0
	for _, d := range generate(t, Options{Seed: 5, TextShare: 1, NoBrandShare: 0.1}, 6, 0, stories) {
		require.Equal(t, corpus.FormatText, d.Format, d.ID)
		texts++
		m := synthMeta(t, d)
		body := string(d.Body)
		assert.NotContains(t, body, "<p>", d.ID)
		assert.NotContains(t, body, "</", d.ID)
		lines := strings.Split(strings.TrimSuffix(body, "\n"), "\n")
		nonEmpty := 0
		for i, l := range lines {
			if l == "" {
				assert.True(t, m["blank_lines"] == true && i%2 == 1, "%s: unexpected empty line %d", d.ID, i)
				continue
			}
			nonEmpty++
		}
		p, err := page.Parse(d.Body, page.Options{Format: page.FormatText})
		require.NoError(t, err)
		assert.Len(t, p.Blocks, nonEmpty, "%s: one block per line", d.ID)
	}
	assert.Equal(t, 2*6*len(stories), texts)
}

func TestBreadcrumbGluedToTitleInText(t *testing.T) {
	t.Parallel()
	stories, _ := fixtureStories(t)
	found := 0
	for _, d := range generate(t, Options{Seed: 9, TextShare: 1}, 20, 0, stories) {
		m := synthMeta(t, d)
		if d.Label != corpus.Repackaged || m["breadcrumb_glued"] != true || m["text_cut_bytes"] != 0 || m["text_start"] != StartTop {
			continue
		}
		src := Story{}
		for _, s := range stories {
			if s.ID == m["source_id"] {
				src = s
			}
		}
		// "Current:Home > Section" runs straight into the title on one line.
		want := m["section"].(string)
		assert.Regexp(t, `(?m)^(?:Current: ?|You are here: )?Home > `+regexpQuote(want)+`\S`, string(d.Body), d.ID)
		assert.Contains(t, string(d.Body), src.Headline, d.ID)
		found++
	}
	assert.Positive(t, found)
}

func regexpQuote(s string) string {
	return strings.NewReplacer(".", `\.`, "-", `\-`, "+", `\+`).Replace(s)
}

// sharedCorpus is the authentic corpus beside the module.
const sharedCorpus = "../../../shared/corpus/authentic"

func TestSynthesisOverTheAuthenticCorpus(t *testing.T) {
	if _, err := os.Stat(sharedCorpus); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("authentic corpus missing at %s: %v", sharedCorpus, err)
		}
		t.Skipf("authentic corpus missing at %s", sharedCorpus)
	}
	ctx := context.Background()
	docs := corpus.ReadAll(ctx, []string{sharedCorpus}, corpus.Options{DefaultLabel: corpus.Authentic})
	require.Len(t, docs, 480)
	if raceEnabled {
		// The race detector makes parsing ten times slower; a sixth of
		// the pages, from every source, still runs every code path in
		// parallel.
		var some []corpus.Document
		for i := 0; i < len(docs); i += 6 {
			some = append(some, docs[i])
		}
		docs = some
	}
	stories, skipped, err := Stories(ctx, docs, 0, nil)
	require.NoError(t, err)
	assert.Equal(t, len(docs), len(stories)+len(skipped), "every page is a story or a counted skip")
	assert.Greater(t, len(stories), len(docs)*8/10, "most pages yield a story")
	g, err := New(DefaultOptions(1))
	require.NoError(t, err)
	out, err := g.Generate(ctx, stories, NewPool(stories), GenerateOptions{PerSource: 1, HardNegatives: 1})
	require.NoError(t, err)
	require.Len(t, out, 2*len(stories))
	for _, d := range out {
		assert.NotEmpty(t, d.Body, d.ID)
		assert.Contains(t, []corpus.Label{corpus.Repackaged, corpus.Authentic}, d.Label, d.ID)
	}
}

func BenchmarkGenerateFixtures(b *testing.B) {
	stories, _ := fixtureStories(b)
	g, err := New(DefaultOptions(1))
	require.NoError(b, err)
	pool := NewPool(stories)
	for b.Loop() {
		_, err := g.Generate(context.Background(), stories, pool, GenerateOptions{PerSource: 4, HardNegatives: 4})
		require.NoError(b, err)
	}
}

// TestCopiesWeightEnglishStories checks that English stories get about
// EnglishWeight times the copies of others, that the total is kept and
// that the share does not depend on the order of the stories.
func TestCopiesWeightEnglishStories(t *testing.T) {
	t.Parallel()
	var stories []Story
	for i := range 900 {
		lang := "en"
		if i%3 == 0 {
			lang = "de"
		}
		stories = append(stories, Story{ID: fmt.Sprintf("s%03d", i), Language: lang})
	}
	const english, others = 600, 300
	tests := []struct {
		name      string
		weight    float64
		perSource int
		wantRatio float64 // English copies per story over other copies per story
	}{
		{"default weight", DefaultEnglishWeight, 3, 3},
		{"one copy each on average", DefaultEnglishWeight, 1, 0},
		{"no weighting", 0, 2, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts := DefaultOptions(1)
			opts.EnglishWeight = tt.weight
			g, err := New(opts)
			require.NoError(t, err)
			copies := g.Copies(stories, tt.perSource)
			byID := map[string]int{}
			en, other, sum := 0, 0, 0
			for i, n := range copies {
				byID[stories[i].ID] = n
				sum += n
				if stories[i].Language == "en" {
					en += n
				} else {
					other += n
				}
			}
			assert.Equal(t, tt.perSource*len(stories), sum, "total copies")
			assert.Positive(t, other, "no copies of non-English stories")
			if tt.wantRatio > 0 {
				assert.InDelta(t, tt.wantRatio, (float64(en)/english)/(float64(other)/others), 0.25)
			} else {
				assert.Greater(t, float64(en)/english, 2*float64(other)/others, "English stories are not preferred")
			}
			for i, n := range copies {
				quota := float64(tt.perSource*len(stories)) * weightOfLanguage(stories[i].Language, tt.weight) / float64(english*weightOfLanguage("en", tt.weight)+others)
				assert.InDelta(t, quota, float64(n), 1, "%s: %d copies for a quota of %.2f", stories[i].ID, n, quota)
			}
			reversed := slices.Clone(stories)
			slices.Reverse(reversed)
			for i, n := range g.Copies(reversed, tt.perSource) {
				assert.Equal(t, byID[reversed[i].ID], n, "%s: copies changed with the order", reversed[i].ID)
			}
		})
	}
}

func weightOfLanguage(lang string, englishWeight float64) float64 {
	if lang == "en" && englishWeight > 0 {
		return englishWeight
	}
	return 1
}

// TestCapturesKeepAMark checks that a text capture cut before every mark
// of the network (a headless capture of a long story with no brand) is
// kept whole rather than written as a repackaged page that is only the
// story.
func TestCapturesKeepAMark(t *testing.T) {
	t.Parallel()
	var paras []string
	for i := range 12 {
		paras = append(paras, fmt.Sprintf("Paragraph %d of a long story about the harbor keeps going with ordinary words so that a capture cut after fourteen hundred bytes ends well inside the story itself.", i))
	}
	src := Story{ID: "long.html", Group: "long.example", Language: "en", Headline: "A long story about the harbor", Paragraphs: paras, Date: time.Date(2023, 3, 1, 0, 0, 0, 0, time.UTC)}
	others := []Story{src, {ID: "other.html", Group: "other.example", Language: "en", Headline: "Another story on another site", Paragraphs: []string{"Another lead."}}}
	g, err := New(Options{Seed: 4, TextShare: 1, NoBrandShare: 1})
	require.NoError(t, err)
	pool := NewPool(others)
	kept := 0
	for v := range 300 {
		d, err := g.Repackage(src, pool, g.Stream(SourceRepackaged, src.ID, v))
		require.NoError(t, err)
		m := synthMeta(t, d)
		assert.True(t, keepsAMark(string(d.Body), m, others, src), "%s: a text capture with no mark of the network", d.ID)
		if m["text_start"] == StartLead && m["text_cut_bytes"] == 0 {
			kept++
		}
	}
	assert.Positive(t, kept, "no headless capture was kept whole")
}

package synth

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureStories loads the stories of the pages in testdata/authentic,
// which we wrote for these tests.
func fixtureStories(t testing.TB) ([]Story, []*SkipError) {
	t.Helper()
	docs := corpus.ReadAll(context.Background(), []string{"testdata/authentic"}, corpus.Options{DefaultLabel: corpus.Authentic})
	stories, skipped, err := Stories(context.Background(), docs, 0, nil)
	require.NoError(t, err)
	require.NotEmpty(t, stories)
	return stories, skipped
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
	for _, o := range []Options{{TextShare: -0.1}, {TextShare: 1.5}, {NoBrandShare: 2}} {
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
// value of every choice the lead may hold out appears.
func TestEveryChoiceAppears(t *testing.T) {
	t.Parallel()
	stories, _ := fixtureStories(t)
	docs := generate(t, DefaultOptions(7), 50, 0, stories)
	seen := map[string]map[string]bool{}
	note := func(key string, v any) {
		if seen[key] == nil {
			seen[key] = map[string]bool{}
		}
		seen[key][fmt.Sprint(v)] = true
	}
	for _, d := range docs {
		m := synthMeta(t, d)
		if d.Label == corpus.Authentic {
			note("hard_rendering", m["rendering"])
			for _, l := range m["lookalikes"].([]string) {
				note("lookalike", l)
			}
			continue
		}
		for _, k := range []string{"family", "rendering", "brand_kind", "brand_place", "separator", "splice", "splice_glued", "splice_after_the", "dateline", "date_format", "date_in_meta", "byline", "byline_view", "source_field", "counter", "junk_items", "site_kind", "site_suffix", "breadcrumb", "breadcrumb_glued", "more_line", "disclaimer"} {
			note(k, m[k])
		}
		for _, h := range m["junk_blocks"].([]string) {
			note("junk_heading", h)
		}
	}
	bools := []string{"true", "false"}
	want := map[string][]string{
		"family": Families, "rendering": {RenderHTML, RenderText}, "hard_rendering": {RenderHTML, RenderText},
		"brand_kind": BrandKinds, "brand_place": BrandPlaces, "separator": append([]string{""}, Separators...),
		"splice": SplicePositions, "splice_glued": bools, "splice_after_the": bools, "dateline": DatelineKinds,
		"date_format": DateFormats, "date_in_meta": bools, "byline": BylineKinds, "byline_view": bools,
		"source_field": {"brand", "person", "site", "none"}, "counter": Counters, "junk_items": JunkShapes,
		"junk_heading": JunkHeadings, "site_kind": {"finance", "crypto"}, "site_suffix": SuffixStyles,
		"breadcrumb": bools, "breadcrumb_glued": bools, "more_line": bools, "disclaimer": bools,
		"lookalike": LookAlikes,
	}
	for key, values := range want {
		for _, v := range values {
			assert.True(t, seen[key][v], "%s=%q never drawn in %d pages", key, v, len(docs)/2)
		}
	}
}

// repackagedKeys are the keys every repackaged page's meta.synth holds.
var repackagedKeys = []string{"kind", "family", "rendering", "brand_kind", "brand", "brand_place", "separator", "splice", "splice_glued", "splice_after_the", "dateline", "date_format", "date_in_meta", "fake_date", "real_date", "gap_months", "byline", "byline_name", "byline_view", "source_field", "counter", "counter_value", "junk_blocks", "junk_items", "site_name", "site_kind", "site_suffix", "breadcrumb", "breadcrumb_glued", "section", "more_line", "disclaimer", "host", "source_id", "source_url", "seed", "variant"}

// lookalikeKeys are the keys each look-alike adds.
var lookalikeKeys = map[string][]string{
	LookEditorialLabel: {"label_text"},
	LookAPDateline:     {"dateline_text", "byline_text", "credit_text"},
	LookRelated:        {"related_heading", "related_from", "related_count"},
	LookComments:       {"comment_text", "comment_place"},
	LookCorrectDate:    {"date_text"},
}

func TestOutputsParseAndMetaIsComplete(t *testing.T) {
	t.Parallel()
	stories, _ := fixtureStories(t)
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
		for _, k := range repackagedKeys {
			assert.Contains(t, m, k, "%s: meta.synth lacks %s", d.ID, k)
		}
		fake, err := time.Parse(time.DateTime, m["fake_date"].(string))
		require.NoError(t, err)
		real := src.Date
		assert.False(t, fake.Before(real.AddDate(0, minGapMonths, 0)), "%s: fake date %s under 6 months after %s", d.ID, fake, real)
		assert.False(t, fake.After(real.AddDate(0, maxGapMonths, 1)), "%s: fake date %s over 30 months after %s", d.ID, fake, real)
		if brand := m["brand"].(string); brand != "" && m["text_cut_bytes"] == nil {
			assert.Contains(t, p.Text, brand, "%s: brand not on the page", d.ID)
		}
		if m["brand_place"] == PlaceHeadline || m["brand_place"] == PlaceBoth {
			assert.Contains(t, p.Text, m["brand"].(string)+m["separator"].(string)+src.Headline, "%s: headline prefix", d.ID)
		}
	}
}

func TestHardNegativesKeepTheSourceText(t *testing.T) {
	t.Parallel()
	stories, _ := fixtureStories(t)
	byID := map[string]Story{}
	for _, s := range stories {
		byID[s.ID] = s
	}
	n := 0
	for _, d := range generate(t, DefaultOptions(11), 10, 0, stories) {
		if d.Label != corpus.Authentic {
			continue
		}
		n++
		m := synthMeta(t, d)
		src := byID[m["source_id"].(string)]
		assert.Equal(t, SourceHardNegative, d.Source)
		assert.Equal(t, src.URL, d.URL)
		p := parseDoc(t, d)
		cut, _ := m["text_cut_bytes"].(int)
		for _, para := range src.Paragraphs {
			if cut > 0 && !strings.Contains(p.Text, para[:20]) {
				continue // cut off with the rest of the page
			}
			assert.Contains(t, p.Text, para, "%s lost a paragraph", d.ID)
		}
		if cut == 0 {
			assert.Contains(t, p.Text, src.Headline, "%s lost its headline", d.ID)
		}
		if slices.Contains(m["lookalikes"].([]string), LookEditorialLabel) {
			assert.Contains(t, p.Meta["title"]+p.Text, m["label_text"].(string)+src.Headline)
		}
	}
	assert.Equal(t, 10*len(stories), n)
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
		if d.Label != corpus.Repackaged || m["breadcrumb_glued"] != true || m["text_cut_bytes"] != 0 {
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
		assert.Regexp(t, `(?m)^(?:Current: ?)?Home > `+regexpQuote(want)+`\S`, string(d.Body), d.ID)
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

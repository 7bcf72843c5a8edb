package inject

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixtureSources reads the pages under testdata as authentic documents
// with invented URLs.
func fixtureSources(t *testing.T) []corpus.Document {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	var docs []corpus.Document
	for _, p := range paths {
		body, err := os.ReadFile(p)
		require.NoError(t, err)
		name := strings.TrimSuffix(filepath.Base(p), ".html")
		docs = append(docs, corpus.Document{
			ID: filepath.Base(p), URL: "https://www." + name + ".example/page", Source: "fixture",
			Label: corpus.Authentic, Format: corpus.FormatHTML, Body: body,
		})
	}
	return docs
}

func generate(t *testing.T, seed uint64, workers int, docs []corpus.Document, per, hard int) []corpus.Document {
	t.Helper()
	in, err := New(Options{Seed: seed, TextShare: DefaultTextShare})
	require.NoError(t, err)
	out, skipped, err := in.Generate(context.Background(), docs, GenerateOptions{PerSource: per, HardNegatives: hard, Workers: workers})
	require.NoError(t, err)
	require.Empty(t, skipped)
	return out
}

func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	docs := fixtureSources(t)
	a := generate(t, 7, 1, docs, 12, 6)
	b := generate(t, 7, 4, docs, 12, 6)
	require.Equal(t, len(a), len(b))
	for i := range a {
		assert.Equal(t, a[i].ID, b[i].ID)
		assert.Equal(t, string(a[i].Body), string(b[i].Body), a[i].ID)
		assert.Equal(t, a[i].Meta, b[i].Meta, a[i].ID)
	}
	c := generate(t, 8, 2, docs, 12, 6)
	differs := 0
	for i := range a {
		if !bytes.Equal(a[i].Body, c[i].Body) {
			differs++
		}
	}
	assert.Greater(t, differs, len(a)/2, "another seed makes other pages")
}

// TestDocumentsAreComplete checks labels, groups, ids and that Meta
// records every choice an evaluation holds out by.
func TestDocumentsAreComplete(t *testing.T) {
	t.Parallel()
	docs := fixtureSources(t)
	out := generate(t, 3, 0, docs, 20, 10)
	require.Len(t, out, len(docs)*30)
	ids := map[string]bool{}
	kinds := map[string]int{}
	hard := map[string]int{}
	for _, d := range out {
		assert.False(t, ids[d.ID], "duplicate id %s", d.ID)
		ids[d.ID] = true
		m, ok := d.Meta[MetaKey].(map[string]any)
		require.True(t, ok, "%s has no meta.%s", d.ID, MetaKey)
		for _, key := range []string{"placement", "language", "n_links", "seed", "variant", "source_id", "source", "rendering"} {
			assert.Contains(t, m, key, "%s: meta.inject.%s", d.ID, key)
		}
		assert.Equal(t, uint64(3), m["seed"])
		switch d.Label {
		case corpus.Injected:
			assert.Equal(t, SourceInjected, d.Source)
			kind, _ := m["kind"].(string)
			_, err := ParseKind(kind)
			require.NoError(t, err, d.ID)
			kinds[kind]++
			assert.Equal(t, strings.TrimSuffix(m["source_id"].(string), ".html")+".example", d.Group, "group is the source's host without www.")
		case corpus.Authentic:
			assert.Equal(t, SourceHardNegative, d.Source)
			hk, _ := m["hard_negative"].(string)
			require.NotEmpty(t, hk, d.ID)
			hard[hk]++
		default:
			t.Fatalf("%s: label %q", d.ID, d.Label)
		}
	}
	for _, k := range Kinds() {
		assert.Positive(t, kinds[string(k)], "kind %s never drawn", k)
	}
	for _, k := range HardKinds() {
		assert.Positive(t, hard[string(k)], "hard negative %s never drawn", k)
	}
}

// TestInjectionsParseAndShow checks that every output parses and that the
// page model sees what was planted: hidden links in the hidden text,
// spliced text in the visible text, a refresh in MetaRefresh, and so on.
func TestInjectionsParseAndShow(t *testing.T) {
	t.Parallel()
	docs := fixtureSources(t)
	for _, d := range generate(t, 11, 0, docs, 25, 8) {
		p, err := page.Parse(d.Body, page.Options{URL: d.URL, Format: pageFormat(d.Format)})
		require.NoError(t, err, d.ID)
		m := d.Meta[MetaKey].(map[string]any)
		if d.Label != corpus.Injected || m["rendering"] == "text" {
			continue
		}
		switch Kind(m["kind"].(string)) {
		case HiddenLinks:
			hidden := 0
			for _, l := range p.Links {
				if l.Hidden {
					hidden++
				}
			}
			assert.Equal(t, m["n_links"], hidden, "%s: hidden by %v", d.ID, m["hiding"])
		case SplicedParagraph, JapaneseKeywordHack, KeywordStuffing:
			assert.Greater(t, len(p.Text), 0, d.ID)
		case LinkFarm, KeywordAnchors:
			offsite := 0
			for _, l := range p.Links {
				if !l.Hidden && strings.Contains(l.Href, ".example/") || strings.Contains(l.Href, ".test/") || strings.Contains(l.Href, ".invalid/") {
					offsite++
				}
			}
			assert.GreaterOrEqual(t, offsite, m["n_links"].(int), d.ID)
		case Cloaking:
			switch m["method"] {
			case "meta_refresh":
				assert.Contains(t, p.MetaRefresh, m["target_host"], d.ID)
			case "noscript":
				assert.Contains(t, p.NoscriptText, m["target_host"], d.ID)
			default:
				found := false
				for _, s := range p.Scripts {
					found = found || strings.Contains(s.Text, m["target_host"].(string))
				}
				assert.True(t, found, "%s: script with the redirect", d.ID)
			}
		}
	}
}

func pageFormat(f corpus.Format) page.Format {
	if f == corpus.FormatText {
		return page.FormatText
	}
	return page.FormatHTML
}

// TestSourcesAreChecked feeds documents that cannot be sources.
func TestSourcesAreChecked(t *testing.T) {
	t.Parallel()
	in, err := New(Options{Seed: 1})
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		doc    corpus.Document
		reason string
	}{
		{"read error", corpus.Document{ID: "a", Err: errors.New("boom")}, "unreadable"},
		{"spam label", corpus.Document{ID: "b", Label: corpus.Repackaged, Body: []byte("<html><body><p>x</p></body></html>")}, "labelled repackaged"},
		{"text", corpus.Document{ID: "c", Format: corpus.FormatText, Body: []byte("just text")}, "text, not HTML"},
		{"sniffed text", corpus.Document{ID: "d", Body: []byte("plain words only")}, "text, not HTML"},
		{"latin-1", corpus.Document{ID: "e", Format: corpus.FormatHTML, Body: []byte("<html><body><p>caf\xe9</p></body></html>")}, "not UTF-8"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := in.Inject(tc.doc, 0)
			var se *corpus.SkipError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.doc.ID, se.ID)
			assert.Contains(t, se.Reason, tc.reason)
			_, err = in.HardNegative(tc.doc, 0)
			require.ErrorAs(t, err, &se)
		})
	}
	docs := append(fixtureSources(t), corpus.Document{ID: "bad", Err: errors.New("boom")})
	out, skipped, err := in.Generate(context.Background(), docs, GenerateOptions{PerSource: 1})
	require.NoError(t, err)
	assert.Len(t, out, len(docs)-1)
	require.Len(t, skipped, 1)
	assert.Equal(t, "bad", skipped[0].ID)
}

func TestOptionsAreChecked(t *testing.T) {
	t.Parallel()
	for _, o := range []Options{
		{TextShare: -0.1}, {TextShare: 1.5}, {Kinds: []Kind{"nonsense"}}, {Kinds: []Kind{LinkFarm, LinkFarm}},
	} {
		_, err := New(o)
		assert.Error(t, err, "%+v", o)
	}
	in, err := New(Options{Kinds: []Kind{Cloaking}})
	require.NoError(t, err)
	_, _, err = in.Generate(context.Background(), nil, GenerateOptions{PerSource: -1})
	assert.Error(t, err)
	out := generate(t, 1, 1, fixtureSources(t), 0, 0)
	assert.Empty(t, out)
}

// TestKindsCanBeRestricted checks that an injector limited to one kind
// draws only it, for leave-one-kind-out training sets.
func TestKindsCanBeRestricted(t *testing.T) {
	t.Parallel()
	in, err := New(Options{Seed: 5, Kinds: []Kind{KeywordAnchors}})
	require.NoError(t, err)
	out, _, err := in.Generate(context.Background(), fixtureSources(t), GenerateOptions{PerSource: 5})
	require.NoError(t, err)
	for _, d := range out {
		assert.Equal(t, string(KeywordAnchors), d.Meta[MetaKey].(map[string]any)["kind"])
	}
}

func TestGenerateHonoursCancellation(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in, err := New(Options{Seed: 1})
	require.NoError(t, err)
	_, _, err = in.Generate(ctx, fixtureSources(t), GenerateOptions{PerSource: 3})
	assert.ErrorIs(t, err, context.Canceled)
}

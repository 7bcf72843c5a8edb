package corpus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
)

// labelledDocs are documents with every field the writers keep.
func labelledDocs() []corpus.Document {
	return []corpus.Document{
		{ID: "site/a.html", URL: "https://one.example/a", Source: "fixture", Group: "one", Label: corpus.Authentic,
			Format: corpus.FormatHTML, Body: []byte("<html><body><p>Quarry road reopens after repairs &amp; resurfacing.</p></body></html>"),
			Meta: map[string]any{"title": "Quarry road reopens", "n": json.Number("3"), "tags": []any{"roads", "council"}}},
		{ID: "site/b.txt", Label: corpus.Repackaged, Format: corpus.FormatText, Body: []byte("Line one\nLine two with \"quotes\" and a tab\t.")},
		{ID: "c.html", Label: corpus.Injected, Source: "gen", Format: corpus.FormatHTML, Body: []byte("<p>third</p>"),
			Meta: map[string]any{"template": map[string]any{"separator": "|", "brand_kind": "exchange"}}},
	}
}

// comparable drops what the readers add (Origin) for comparison.
func comparable(docs []corpus.Document) []corpus.Document {
	out := make([]corpus.Document, len(docs))
	for i, d := range docs {
		d.Origin = ""
		out[i] = d
	}
	return out
}

func TestJSONLRoundTrip(t *testing.T) {
	t.Parallel()
	for _, gzipped := range []bool{false, true} {
		var buf bytes.Buffer
		w := corpus.NewJSONLWriter(&buf, gzipped)
		for _, d := range labelledDocs() {
			require.NoError(t, w.Write(d))
		}
		require.NoError(t, w.Close())
		if gzipped {
			require.Equal(t, []byte{0x1f, 0x8b}, buf.Bytes()[:2])
		}
		var got []corpus.Document
		for d := range corpus.ReadJSONL(context.Background(), &buf, "rt.jsonl", corpus.Options{}) {
			require.NoError(t, d.Err)
			got = append(got, d)
		}
		assert.Equal(t, labelledDocs(), comparable(got), "gzip=%v", gzipped)
	}
}

func TestJSONLWriterIsDeterministic(t *testing.T) {
	t.Parallel()
	write := func() []byte {
		var buf bytes.Buffer
		w := corpus.NewJSONLWriter(&buf, false)
		for _, d := range labelledDocs() {
			require.NoError(t, w.Write(d))
		}
		require.NoError(t, w.Close())
		return buf.Bytes()
	}
	first := write()
	assert.Equal(t, first, write())
	assert.Contains(t, string(first), `"html":"<html><body><p>Quarry road reopens after repairs &amp; resurfacing.</p></body></html>"`, "no \\u003c escapes")
}

func TestDirRoundTrip(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	w, err := corpus.NewDirWriter(root)
	require.NoError(t, err)
	for _, d := range labelledDocs() {
		require.NoError(t, w.Write(d))
	}
	// Read in sorted order: c.html, site/a.html, site/b.txt.
	got := readAll(t, corpus.Options{}, root)
	want := labelledDocs()
	assert.Equal(t, []corpus.Document{want[2], want[0], want[1]}, comparable(got))
	_, err = os.Stat(filepath.Join(root, "site", "b.json"))
	assert.NoError(t, err, "a label alone is worth a sidecar")
}

func TestDirWriterRefuses(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		docs []corpus.Document
		want string
	}{
		{name: "same file twice", docs: []corpus.Document{{ID: "x.html", Body: []byte("a")}, {ID: "x.html", Body: []byte("b")}},
			want: "x.html was already written for x.html"},
		{name: "sidecar shared by two pages", docs: []corpus.Document{{ID: "x.html", Label: corpus.Authentic, Body: []byte("a")},
			{ID: "x.txt", Format: corpus.FormatText, Label: corpus.Authentic, Body: []byte("b")}}, want: "x.json was already written"},
		{name: "meta key that is a field", docs: []corpus.Document{{ID: "y.html", Body: []byte("a"), Meta: map[string]any{"url": "u"}}},
			want: `Meta key "url"`},
		{name: "read error", docs: []corpus.Document{{ID: "z.html", Err: os.ErrNotExist}}, want: "document has a read error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w, err := corpus.NewDirWriter(t.TempDir())
			require.NoError(t, err)
			var last error
			for _, d := range tc.docs {
				if err := w.Write(d); err != nil {
					last = err
				}
			}
			require.Error(t, last)
			assert.Contains(t, last.Error(), tc.want)
		})
	}
}

func TestDirWriterNamesOddIDs(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	w, err := corpus.NewDirWriter(root)
	require.NoError(t, err)
	require.NoError(t, w.Write(corpus.Document{ID: "crawl.warc.gz#1234", Body: []byte("<p>x</p>")}))
	require.NoError(t, w.Write(corpus.Document{ID: "../escape", Format: corpus.FormatText, Body: []byte("y")}))
	for _, name := range []string{"crawl.warc.gz_1234.html", "escape.txt"} {
		_, err := os.Stat(filepath.Join(root, name))
		assert.NoError(t, err, name)
	}
}

package corpus_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/klauspost/compress/gzip"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
)

// readAll reads inputs and returns the documents.
func readAll(t *testing.T, opts corpus.Options, inputs ...string) []corpus.Document {
	t.Helper()
	return corpus.ReadAll(context.Background(), inputs, opts)
}

func ids(docs []corpus.Document) []string {
	out := make([]string, len(docs))
	for i, d := range docs {
		out[i] = d.ID
	}
	return out
}

func TestReadDirectory(t *testing.T) {
	t.Parallel()
	docs := readAll(t, corpus.Options{DefaultLabel: corpus.Repackaged, DefaultSource: "default-src"}, "testdata/dir")
	require.Equal(t, []string{"a/plain.txt", "a/story.html", "b/page.htm", "r1", "r2", "zz-badlabel.html"}, ids(docs))

	plain, story, page, r1, r2, bad := docs[0], docs[1], docs[2], docs[3], docs[4], docs[5]

	assert.NoError(t, plain.Err)
	assert.Equal(t, corpus.FormatText, plain.Format)
	assert.Equal(t, corpus.Repackaged, plain.Label, "no sidecar: the default label")
	assert.Equal(t, "default-src", plain.Source)
	assert.Contains(t, string(plain.Body), "Library extends weekend opening hours")

	assert.NoError(t, story.Err)
	assert.Equal(t, corpus.FormatHTML, story.Format)
	assert.Equal(t, corpus.Authentic, story.Label, "the sidecar's label wins")
	assert.Equal(t, "fixture", story.Source)
	assert.Equal(t, "https://news.port-ellis.example/2024/03/ferry-timetable", story.URL)
	assert.Equal(t, "port-ellis.example", story.GroupKey(), "the registrable domain")
	assert.Equal(t, "Harbour council approves new ferry timetable", story.Meta["title"])
	assert.Equal(t, json.Number("52"), story.Meta["words"], "numbers are kept exact")
	assert.Contains(t, story.Meta, "author")
	assert.Equal(t, filepath.Join("testdata/dir", "a", "story.html"), story.Origin)

	assert.NoError(t, page.Err)
	assert.Equal(t, "", page.URL, "a null url is no url")
	assert.Equal(t, "allotments", page.GroupKey())
	assert.Equal(t, "hand written", page.Meta["note"], "a sidecar's meta object is merged into Meta")

	assert.NoError(t, r1.Err)
	assert.Equal(t, corpus.FormatText, r1.Format)
	assert.Equal(t, "fixture-jsonl", r1.Source)
	assert.Equal(t, corpus.Authentic, r1.Label)
	assert.Equal(t, filepath.Join("testdata/dir", "records.jsonl")+":1", r1.Origin)
	assert.Equal(t, json.Number("1"), r1.Meta["n"])

	assert.NoError(t, r2.Err)
	assert.Equal(t, corpus.FormatHTML, r2.Format)
	assert.Equal(t, corpus.Repackaged, r2.Label)
	assert.Equal(t, "kept in meta", r2.Meta["extra"], "unknown keys go to Meta")
	assert.Equal(t, filepath.Join("testdata/dir", "records.jsonl")+":3", r2.Origin, "blank lines count")

	require.Error(t, bad.Err)
	assert.Contains(t, bad.Err.Error(), "zz-badlabel.html")
	assert.Contains(t, bad.Err.Error(), "zz-badlabel.json")
	assert.Contains(t, bad.Err.Error(), `unknown label "spammy"`)
	assert.Nil(t, bad.Body)
}

func TestReadSingleFileIDIsItsName(t *testing.T) {
	t.Parallel()
	docs := readAll(t, corpus.Options{}, "testdata/dir/a/story.html", "testdata/dir/records.jsonl")
	require.Equal(t, []string{"story.html", "r1", "r2"}, ids(docs))
	assert.Equal(t, corpus.Authentic, docs[0].Label, "a file argument has its sidecar read too")
}

func TestReadForcedFormat(t *testing.T) {
	t.Parallel()
	docs := readAll(t, corpus.Options{Format: corpus.FormatText}, "testdata/dir")
	for _, d := range docs {
		if d.Err == nil {
			assert.Equal(t, corpus.FormatText, d.Format, d.ID)
		}
	}
}

func TestReadJSONL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		input   string
		wantIDs []string
		// wantErr maps a document index to a substring of its error.
		wantErr map[int]string
	}{
		{name: "records", input: `{"id":"a","html":"<p>x</p>"}` + "\n" + `{"id":7,"text":"y"}` + "\n",
			wantIDs: []string{"a", "7"}},
		{name: "no id gets name and line", input: `{"text":"y"}`, wantIDs: []string{"in.jsonl:1"}},
		{name: "not json", input: `{"id":"a","text":"x"}` + "\nthis is not json\n" + `{"id":"c","text":"z"}`,
			wantIDs: []string{"a", "in.jsonl:2", "c"}, wantErr: map[int]string{1: "read in.jsonl:2: not a JSON object"}},
		{name: "no body", input: `{"id":"a","url":"https://x.example/"}`, wantIDs: []string{"a"},
			wantErr: map[int]string{0: `read a (in.jsonl:1): record has neither "html" nor "text"`}},
		{name: "unknown label", input: `{"id":"a","text":"t","label":"bogus"}`, wantIDs: []string{"a"},
			wantErr: map[int]string{0: `unknown label "bogus"`}},
		{name: "body not a string", input: `{"id":"a","html":5}`, wantIDs: []string{"a"},
			wantErr: map[int]string{0: `"html": not a string`}},
		{name: "two objects on a line", input: `{"id":"a","text":"t"} {"id":"b"}`, wantIDs: []string{"in.jsonl:1"},
			wantErr: map[int]string{0: "data after the object"}},
		{name: "empty stream", input: "", wantIDs: []string{"in.jsonl"}, wantErr: map[int]string{0: "empty file"}},
		{name: "no trailing newline", input: `{"id":"a","text":"t"}`, wantIDs: []string{"a"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var docs []corpus.Document
			for d := range corpus.ReadJSONL(context.Background(), strings.NewReader(tc.input), "in.jsonl", corpus.Options{}) {
				docs = append(docs, d)
			}
			require.Equal(t, tc.wantIDs, ids(docs))
			for i, d := range docs {
				if want, ok := tc.wantErr[i]; ok {
					require.Error(t, d.Err, d.ID)
					assert.Contains(t, d.Err.Error(), want)
				} else {
					assert.NoError(t, d.Err, d.ID)
				}
			}
		})
	}
}

func TestReadJSONLBodyCap(t *testing.T) {
	t.Parallel()
	big := `{"id":"big","text":"` + strings.Repeat("x", 200) + `"}` + "\n" + `{"id":"small","text":"ok"}` + "\n"
	var docs []corpus.Document
	for d := range corpus.ReadJSONL(context.Background(), strings.NewReader(big), "in.jsonl", corpus.Options{MaxBodyBytes: 100}) {
		docs = append(docs, d)
	}
	require.Equal(t, []string{"big", "small"}, ids(docs))
	require.Error(t, docs[0].Err)
	assert.Contains(t, docs[0].Err.Error(), "larger than the 100-byte cap")
	assert.NoError(t, docs[1].Err)
}

// gz compresses b.
func gz(t *testing.T, b []byte) []byte {
	t.Helper()
	return gzBytes(b)
}

// gzBytes compresses b (writes to a bytes.Buffer do not fail).
func gzBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

func TestReadGzipSniffedNotNamed(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	lines := []byte(`{"id":"a","text":"one"}` + "\n" + `{"id":"b","text":"two"}` + "\n")
	// Gzip content under a plain name, and plain content under a .gz
	// name: the magic decides, not the extension.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "1-zipped.jsonl"), gz(t, lines), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "2-plain.jsonl.gz"), lines, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "3-page.html"), gz(t, []byte("<p>zipped page</p>")), 0o644))
	docs := readAll(t, corpus.Options{}, dir)
	require.Equal(t, []string{"a", "b", "a", "b", "3-page.html"}, ids(docs))
	for _, d := range docs {
		assert.NoError(t, d.Err)
	}
	assert.Equal(t, "two", string(docs[3].Body))
	assert.Equal(t, "<p>zipped page</p>", string(docs[4].Body), "a page file is gunzipped too")
}

func TestReadBadInputs(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, b []byte) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	var lines []byte
	for i := range 50 {
		lines = append(lines, []byte(`{"id":"t`+string(rune('a'+i%26))+string(rune('a'+i/26))+`","text":"a line of text to make the stream long enough to cut"}`+"\n")...)
	}
	zipped := gz(t, lines)
	write("a-truncated.jsonl.gz", zipped[:len(zipped)/2])
	write("b-empty.html", nil)
	write("c-empty.jsonl", nil)
	write("d-ok.txt", []byte("A page that reads fine."))
	write("e-notjson.jsonl", []byte("{\"id\":\"fine\",\"text\":\"x\"}\n{not json\n"))
	write("f-locked.html", []byte("<p>locked away</p>"))
	require.NoError(t, os.Chmod(filepath.Join(dir, "f-locked.html"), 0))
	// A dangling symlink cannot be read by anyone, root included.
	require.NoError(t, os.Symlink(filepath.Join(dir, "nowhere.html"), filepath.Join(dir, "g-dangling.html")))
	write("h-empty.warc", nil)
	write("z-last.txt", []byte("The run goes on to the end."))

	docs := readAll(t, corpus.Options{}, dir)
	byID := map[string]corpus.Document{}
	for _, d := range docs {
		byID[d.ID] = d
	}
	require.Contains(t, byID, "d-ok.txt")
	require.Contains(t, byID, "z-last.txt", "the run completes with the rest")
	assert.NoError(t, byID["z-last.txt"].Err)
	assert.NoError(t, byID["fine"].Err)

	errOf := func(id string) string {
		t.Helper()
		d, ok := byID[id]
		require.True(t, ok, "no record for %s; got %v", id, ids(docs))
		require.Error(t, d.Err, id)
		return d.Err.Error()
	}
	assert.Contains(t, errOf("b-empty.html"), "read b-empty.html: empty file")
	assert.Contains(t, errOf("c-empty.jsonl"), "read c-empty.jsonl: empty file")
	assert.Contains(t, errOf("e-notjson.jsonl:2"), "read e-notjson.jsonl:2: not a JSON object")
	assert.Contains(t, errOf("g-dangling.html"), "read g-dangling.html: open: no such file")
	assert.Contains(t, errOf("h-empty.warc"), "read h-empty.warc: empty file")

	// The truncated gzip: the whole lines before the cut are records,
	// then one error record names the file and line of the cut.
	var truncErr []corpus.Document
	good := 0
	for _, d := range docs {
		if strings.HasPrefix(d.Origin, filepath.Join(dir, "a-truncated.jsonl.gz")) {
			if d.Err != nil {
				truncErr = append(truncErr, d)
			} else {
				good++
			}
		}
	}
	require.Len(t, truncErr, 1)
	assert.Regexp(t, `^read a-truncated\.jsonl\.gz:\d+: unexpected EOF`, truncErr[0].Err.Error())
	assert.Positive(t, good)
	assert.Less(t, good, 50)

	locked := byID["f-locked.html"]
	if os.Geteuid() == 0 {
		// Root reads a mode-000 file; the dangling symlink above is the
		// unreadable file root sees.
		assert.NoError(t, locked.Err)
	} else {
		require.Error(t, locked.Err)
		assert.Contains(t, locked.Err.Error(), "read f-locked.html: open: permission denied")
	}
}

func TestReadUnreadableDirectory(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		// Root lists a mode-000 directory: assert what root sees.
		dir := t.TempDir()
		require.NoError(t, os.MkdirAll(filepath.Join(dir, "locked"), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "locked", "p.txt"), []byte("text"), 0o644))
		require.NoError(t, os.Chmod(filepath.Join(dir, "locked"), 0))
		docs := readAll(t, corpus.Options{}, dir)
		require.Equal(t, []string{"locked/p.txt"}, ids(docs))
		assert.NoError(t, docs[0].Err)
		return
	}
	dir := t.TempDir()
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "locked"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "locked", "p.txt"), []byte("text"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "z.txt"), []byte("text"), 0o644))
	require.NoError(t, os.Chmod(filepath.Join(dir, "locked"), 0))
	t.Cleanup(func() { _ = os.Chmod(filepath.Join(dir, "locked"), 0o755) })
	docs := readAll(t, corpus.Options{}, dir)
	require.Equal(t, []string{"locked", "z.txt"}, ids(docs))
	require.Error(t, docs[0].Err)
	assert.Contains(t, docs[0].Err.Error(), "permission denied")
}

func TestReadMissingInput(t *testing.T) {
	t.Parallel()
	docs := readAll(t, corpus.Options{}, "testdata/no-such-dir")
	require.Len(t, docs, 1)
	require.Error(t, docs[0].Err)
	assert.Contains(t, docs[0].Err.Error(), "read no-such-dir: stat: no such file or directory")
}

func TestReadStdin(t *testing.T) {
	t.Parallel()
	docs := readAll(t, corpus.Options{Stdin: strings.NewReader(`{"id":"s1","text":"from stdin"}` + "\n")}, "-")
	require.Equal(t, []string{"s1"}, ids(docs))
	assert.Equal(t, "from stdin", string(docs[0].Body))
}

// sharedCorpus returns ../shared/corpus/authentic, failing under CI when
// it is missing and skipping otherwise.
func sharedCorpus(t *testing.T) string {
	t.Helper()
	return sharedtest.Dir(t, "corpus/authentic")
}

func TestReadAuthenticCorpus(t *testing.T) {
	t.Parallel()
	root := sharedCorpus(t)
	docs := readAll(t, corpus.Options{DefaultLabel: corpus.Authentic}, root)
	require.NotEmpty(t, docs)
	pages := 0
	_ = filepath.WalkDir(root, func(p string, de os.DirEntry, err error) error {
		if err == nil && !de.IsDir() && strings.HasSuffix(p, ".html") {
			pages++
		}
		return nil
	})
	assert.Len(t, docs, pages, "one document per page")
	withURL := 0
	for _, d := range docs {
		require.NoError(t, d.Err, d.ID)
		assert.Equal(t, corpus.Authentic, d.Label, d.ID)
		assert.NotEmpty(t, d.Body, d.ID)
		assert.NotEmpty(t, d.Source, d.ID)
		if d.URL != "" {
			withURL++
			host := d.GroupKey()
			assert.NotContains(t, host, "/", "%s: the group is the URL's registrable domain", d.ID)
			assert.False(t, strings.HasPrefix(host, "www."), d.ID)
		}
	}
	assert.Greater(t, withURL, len(docs)/2, "most pages have a URL")
}

func TestSkipMetaKeepsWhatBatchNeeds(t *testing.T) {
	t.Parallel()
	line := `{"id":7,"url":"https://a.example/","html":"<p>x</p>","label":"repackaged","content_type":"text/html; charset=latin1","meta":{"k1":1,"k2":[1,2,3]},"crawl":"2024"}` + "\n"
	for _, skip := range []bool{false, true} {
		var got []corpus.Document
		for d := range corpus.ReadJSONL(context.Background(), strings.NewReader(line), "in.jsonl", corpus.Options{SkipMeta: skip}) {
			got = append(got, d)
		}
		require.Len(t, got, 1)
		d := got[0]
		require.NoError(t, d.Err)
		assert.Equal(t, "7", d.ID)
		assert.Equal(t, "https://a.example/", d.URL)
		assert.Equal(t, corpus.Repackaged, d.Label)
		assert.Equal(t, "<p>x</p>", string(d.Body))
		assert.Equal(t, "text/html; charset=latin1", d.Meta[corpus.MetaContentType], "skip=%v", skip)
		_, hasCrawl := d.Meta["crawl"]
		assert.Equal(t, !skip, hasCrawl, "other keys are dropped only with SkipMeta")
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/detector"
)

const (
	exampleOriginal = "../../detector/example/original-page.html"
	exampleSpliced  = "../../detector/example/spliced-page.html"
	unrelatedStory  = "../../features/source/testdata/unrelated-story.html"
)

// TestIndexBuildAddStatsQuery walks the life of an index: build it from
// the example's original, add an unrelated story, describe it, query the
// spliced example against it and score with it.
func TestIndexBuildAddStatsQuery(t *testing.T) {
	t.Parallel()
	f := filepath.Join(t.TempDir(), "stories.index")
	code, out, stderr := runCLI(t, "", "index", "build", "--quiet", "--out", f, "--url", detector.ExampleOriginalURL, exampleOriginal)
	require.Equal(t, exitAuthentic, code, stderr)
	assert.Contains(t, out, "1 stories (1 added")

	code, out, stderr = runCLI(t, "", "index", "add", "--quiet", f, unrelatedStory, exampleOriginal)
	require.Equal(t, exitAuthentic, code, stderr)
	assert.Contains(t, out, "2 stories (1 added, 1 duplicates", "the original again is a duplicate")

	code, out, stderr = runCLI(t, "", "index", "stats", "--format", "json", f)
	require.Equal(t, exitAuthentic, code, stderr)
	var st indexStats
	require.NoError(t, json.Unmarshal([]byte(out), &st))
	assert.Equal(t, 2, st.Stories)
	fi, err := os.Stat(f)
	require.NoError(t, err)
	assert.Equal(t, int(fi.Size()), st.Bytes)

	code, out, stderr = runCLI(t, "", "index", "query", "--format", "json", f, exampleSpliced)
	require.Equal(t, exitAuthentic, code, stderr)
	var cands []queryCandidate
	require.NoError(t, json.Unmarshal([]byte(out), &cands))
	require.NotEmpty(t, cands)
	top := cands[0]
	assert.Equal(t, detector.ExampleOriginalURL, top.URL)
	require.NotNil(t, top.Source, "the top candidate is verified by alignment")
	var inserted []string
	for _, ev := range top.Source.Inserted {
		inserted = append(inserted, ev.Text)
	}
	assert.Contains(t, inserted, "Mintcove Digital Asset Institute", "the brand spliced into the lead")

	code, out, stderr = runCLI(t, "", "score", "--index", f, "--format", "json", exampleSpliced)
	require.Equal(t, exitFlagged, code, stderr)
	var v detector.Verdict
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	require.NotNil(t, v.Index)
	assert.Equal(t, f, v.Index.Name)
	assert.Equal(t, 2, v.Index.Stories)
	require.NotNil(t, v.Source)
	assert.Equal(t, detector.ExampleOriginalURL, v.Source.URL)

	code, out, stderr = runCLI(t, "", "score", "--index", "none", "--format", "json", exampleSpliced)
	require.Equal(t, exitFlagged, code, stderr)
	assert.NotContains(t, out, `"source"`, "without an index the verdict has no source")
	assert.NotContains(t, out, `"index"`)
}

// TestIndexRefusesBadInput: every misuse and every damaged file is an
// exit 2 with a message naming what is wrong.
func TestIndexRefusesBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.index")
	code, _, stderr := runCLI(t, "", "index", "build", "--quiet", "--out", good, exampleOriginal)
	require.Equal(t, exitAuthentic, code, stderr)
	b, err := os.ReadFile(good)
	require.NoError(t, err)
	truncated := filepath.Join(dir, "truncated.index")
	require.NoError(t, os.WriteFile(truncated, b[:len(b)/2], 0o644))
	future := filepath.Join(dir, "future.index")
	fb := append([]byte(nil), b...)
	fb[8] = 99 // the format version follows the 8-byte magic
	require.NoError(t, os.WriteFile(future, fb, 0o644))
	notIndex := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notIndex, []byte("just some notes, not an index at all, long enough to have a header and more bytes than that"), 0o644))
	stub := filepath.Join(dir, "stub.txt")
	require.NoError(t, os.WriteFile(stub, []byte("Home\nContact us\n"), 0o644))

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"index"}, "missing subcommand"},
		{"unknown subcommand", []string{"index", "merge"}, `unknown subcommand "merge"`},
		{"build without --out", []string{"index", "build", exampleOriginal}, "want --out FILE"},
		{"build from pages without a story", []string{"index", "build", "--out", filepath.Join(dir, "x.index"), stub}, "no story to index"},
		{"--url with two inputs", []string{"index", "build", "--out", filepath.Join(dir, "y.index"), "--url", "https://a.example/", exampleOriginal, unrelatedStory}, "--url names the page of one INPUT"},
		{"add to a missing file", []string{"index", "add", filepath.Join(dir, "missing.index"), exampleOriginal}, "missing.index"},
		{"stats of a truncated file", []string{"index", "stats", truncated}, "truncated.index"},
		{"stats of another version", []string{"index", "stats", future}, "version 99"},
		{"stats of a file that is no index", []string{"index", "stats", notIndex}, "not a repack story index"},
		{"query without a page", []string{"index", "query", good}, "want an index FILE and one PAGE"},
		{"score with a truncated index", []string{"score", "--index", truncated, exampleSpliced}, "truncated.index"},
		{"batch with a missing index", []string{"batch", "--index", filepath.Join(dir, "gone.index"), exampleSpliced}, "gone.index"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCLI(t, "", tc.args...)
			assert.Equal(t, exitError, code)
			assert.Contains(t, stderr, tc.want)
			assert.NotContains(t, stderr, "panic")
		})
	}
	_, err = os.Stat(filepath.Join(dir, "x.index"))
	assert.ErrorIs(t, err, os.ErrNotExist, "a failed build writes no file")
}

// TestEmbeddedIndexIsCurrent: the index in the binary is what its
// go:generate line builds from the example's original today, so a change
// to the format or to story extraction cannot leave it stale.
func TestEmbeddedIndexIsCurrent(t *testing.T) {
	t.Parallel()
	f := filepath.Join(t.TempDir(), "default.index")
	code, _, stderr := runCLI(t, "", "index", "build", "--quiet", "--out", f, "--url", detector.ExampleOriginalURL, exampleOriginal)
	require.Equal(t, exitAuthentic, code, stderr)
	built, err := os.ReadFile(f)
	require.NoError(t, err)
	embedded, err := os.ReadFile("../../detector/example/default.index")
	require.NoError(t, err)
	assert.True(t, string(built) == string(embedded), "detector/example/default.index is stale: run go generate ./detector")
	src, err := os.ReadFile("../../detector/source.go")
	require.NoError(t, err)
	assert.True(t, strings.Contains(string(src), "--url "+detector.ExampleOriginalURL+" example/original-page.html"), "the go:generate line builds what this test builds")
}

package pipeline

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/memfs"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMatchNamesInputsUnderThePatternRoot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"crawl/a.warc.gz", "crawl/b.warc.gz", "crawl/x/c.warc.gz", "crawl/x/d.jsonl", "pages/p.html"} {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), []byte("x"), 0o644))
	}
	for _, tc := range []struct {
		pattern string
		want    []Input
	}{
		{pattern: "crawl/*.warc.gz", want: []Input{{Path: "crawl/a.warc.gz", Name: "a.warc.gz"}, {Path: "crawl/b.warc.gz", Name: "b.warc.gz"}}},
		{pattern: "crawl/*/c.warc.gz", want: []Input{{Path: "crawl/x/c.warc.gz", Name: "x/c.warc.gz"}}},
		{pattern: "crawl/x/d.jsonl", want: []Input{{Path: "crawl/x/d.jsonl", Name: "d.jsonl"}}},
		{pattern: "pages", want: []Input{{Path: "pages", Name: "."}}},
		{pattern: "pages/", want: []Input{{Path: "pages", Name: "."}}},
		{pattern: "*/p.html", want: []Input{{Path: "pages/p.html", Name: "pages/p.html"}}},
	} {
		got, err := Match(filepath.Join(dir, tc.pattern))
		require.NoError(t, err, tc.pattern)
		for i := range tc.want {
			tc.want[i].Path = filepath.Join(dir, tc.want[i].Path)
		}
		assert.Equal(t, tc.want, got, tc.pattern)
	}
	for _, bad := range []string{filepath.Join(dir, "nothing/*.warc.gz"), "nosuchfs://bucket/crawl/*.warc.gz", "memfs://nothing/*.warc.gz", filepath.Join(dir, "crawl/[.warc")} {
		_, err := Match(bad)
		assert.Error(t, err, bad)
	}
}

func TestMatchRemoteNamesObjectsUnderThePatternRoot(t *testing.T) {
	t.Parallel()
	// "x/" and "empty/" are folder placeholders, as consoles create them.
	for _, f := range []string{"match/crawl/a.warc.gz", "match/crawl/b.warc.gz", "match/crawl/x/", "match/crawl/x/c.jsonl", "match/empty/"} {
		memfs.Write("memfs://"+f, []byte("x"))
	}
	for _, tc := range []struct {
		pattern string
		want    []Input
	}{
		{pattern: "memfs://match/crawl/*.warc.gz", want: []Input{
			{Path: "memfs://match/crawl/a.warc.gz", Name: "a.warc.gz", Remote: true},
			{Path: "memfs://match/crawl/b.warc.gz", Name: "b.warc.gz", Remote: true}}},
		{pattern: "memfs://match/crawl/x/c.jsonl", want: []Input{{Path: "memfs://match/crawl/x/c.jsonl", Name: "c.jsonl", Remote: true}}},
		{pattern: "memfs://match/crawl/x/*", want: []Input{{Path: "memfs://match/crawl/x/c.jsonl", Name: "c.jsonl", Remote: true}}},
	} {
		got, err := Match(tc.pattern)
		require.NoError(t, err, tc.pattern)
		assert.Equal(t, tc.want, got, tc.pattern)
	}
	_, err := Match("memfs://match/empty/*")
	assert.ErrorContains(t, err, "only folders")
}

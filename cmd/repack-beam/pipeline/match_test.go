package pipeline

import (
	"os"
	"path/filepath"
	"testing"

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
	for _, bad := range []string{filepath.Join(dir, "nothing/*.warc.gz"), "gs://bucket/crawl/*.warc.gz", filepath.Join(dir, "crawl/[.warc")} {
		_, err := Match(bad)
		assert.Error(t, err, bad)
	}
}

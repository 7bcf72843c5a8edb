package corpus_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
)

// TestWARCRangesReadEveryRecordOnce splits a WARC gzipped record by
// record, with a corrupt member in the middle, at many range sizes (a
// byte, member bounds, inside the corrupt member, more than the file):
// the ranges' documents, in range order, are the whole file's, errors
// included, each once.
func TestWARCRangesReadEveryRecordOnce(t *testing.T) {
	t.Parallel()
	b, offsets := writeWARC(t, pageDocs(24), true)
	for i := offsets[9] + 20; i < offsets[9]+40; i++ {
		b[i] ^= 0x55
	}
	p := filepath.Join(t.TempDir(), "crawl.warc.gz")
	require.NoError(t, os.WriteFile(p, b, 0o644))
	ctx := context.Background()
	summary := func(d corpus.Document) string {
		if d.Err != nil {
			return d.ID + " error " + d.Err.Error()
		}
		return fmt.Sprintf("%s %d+%d %s", d.ID, d.WARC.Offset, d.WARC.Length, d.Body)
	}
	var whole []string
	for d := range corpus.ReadAs(ctx, p, "crawl.warc.gz", corpus.Options{}) {
		whole = append(whole, summary(d))
	}
	require.Len(t, whole, 24)

	sizes := []int64{1, 7, offsets[1], offsets[1] - 1, offsets[1] + 1, offsets[9] + 30, offsets[10] - offsets[9], 1000, int64(len(b)) / 3, int64(len(b)) - 1, int64(len(b)), 1 << 30}
	for _, size := range sizes {
		ranges, err := corpus.WARCSplits(p, size)
		require.NoError(t, err)
		if size < int64(len(b)) {
			require.Greater(t, len(ranges), 1, "size %d splits the file", size)
		}
		var got []string
		for _, r := range ranges {
			for d := range corpus.ReadWARCRange(ctx, p, "crawl.warc.gz", r[0], r[1], corpus.Options{}) {
				got = append(got, summary(d))
			}
		}
		assert.Equal(t, whole, got, "ranges of %d bytes", size)
	}
}

// TestWARCSplitsKeepsUnsplittableFilesWhole checks that a plain WARC and a
// wholly gzipped one are one range each: neither can be entered in the
// middle at a record.
func TestWARCSplitsKeepsUnsplittableFilesWhole(t *testing.T) {
	t.Parallel()
	plain, _ := writeWARC(t, pageDocs(6), false)
	for name, b := range map[string][]byte{"plain.warc": plain, "whole.warc.gz": gzipBytes(t, plain)} {
		p := filepath.Join(t.TempDir(), name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		ranges, err := corpus.WARCSplits(p, 10)
		require.NoError(t, err)
		assert.Equal(t, [][2]int64{{0, int64(len(b))}}, ranges, name)
	}
}

// TestReadStreamReadsAsAFileIs reads the same bytes as a file and as a
// stream named like it: the documents (ids, bodies, errors, WARC places)
// are the same, for every kind of input a crawl in cloud storage holds.
func TestReadStreamReadsAsAFileIs(t *testing.T) {
	t.Parallel()
	docs := pageDocs(6)
	warcGz, offsets := writeWARC(t, docs, true)
	for i := offsets[2] + 20; i < offsets[2]+40; i++ {
		warcGz[i] ^= 0x55 // a corrupt member: one error record, both ways
	}
	warcPlain, _ := writeWARC(t, docs, false)
	var jsonl bytes.Buffer
	jw := corpus.NewJSONLWriter(&jsonl, false)
	for _, d := range docs {
		require.NoError(t, jw.Write(d))
	}
	require.NoError(t, jw.Close())
	jsonl.WriteString("not JSON\n")
	inputs := map[string][]byte{
		"crawl.warc.gz": warcGz, "crawl.warc": warcPlain, "feed.jsonl": jsonl.Bytes(), "feed.jsonl.gz": gzipBytes(t, jsonl.Bytes()),
		"page.html": docs[0].Body, "page.txt": docs[1].Body, "empty.html": nil,
	}
	summary := func(d corpus.Document) string {
		out := fmt.Sprintf("%s %s %q %v", d.ID, d.Format, d.Body, d.Err)
		if d.WARC != nil {
			out += fmt.Sprintf(" %+v", *d.WARC)
		}
		return out
	}
	ctx := context.Background()
	dir := t.TempDir()
	for name, b := range inputs {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, b, 0o644))
		var fromFile, fromStream []string
		for d := range corpus.ReadAs(ctx, p, "sub/"+name, corpus.Options{}) {
			fromFile = append(fromFile, summary(d))
		}
		for d := range corpus.ReadStream(ctx, bytes.NewReader(b), "sub/"+name, corpus.Options{}) {
			fromStream = append(fromStream, summary(d))
		}
		require.NotEmpty(t, fromFile, name)
		assert.Equal(t, fromFile, fromStream, name)
	}
}

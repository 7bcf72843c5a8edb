package corpus_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
)

// memberCorruptions are ways to damage the gzip members of a WARC gzipped
// record by record, given each member's offset: near the start, deep in
// the member, in its last 14 bytes (the decompressor then reads into the
// next member before it fails) and two neighbours at once; damage deep
// in a member leaves its first line, "WARC/1.", readable.
var memberCorruptions = []struct {
	name    string
	corrupt func(b []byte, offsets []int64)
}{
	{"near the start of member 2", func(b []byte, off []int64) { flip(b, off[2]+20, off[2]+40) }},
	{"deep in member 2", func(b []byte, off []int64) { mid := (off[2] + off[3]) / 2; flip(b, mid, mid+20) }},
	{"the end of member 2", func(b []byte, off []int64) { flip(b, off[3]-14, off[3]) }},
	{"deep in members 2 and 3", func(b []byte, off []int64) {
		for _, m := range []int{2, 3} {
			mid := (off[m] + off[m+1]) / 2
			flip(b, mid, mid+20)
		}
	}},
	{"the end of member 2 and the start of member 3", func(b []byte, off []int64) { flip(b, off[3]-14, off[3]+40) }},
}

// objectOf opens b from an offset, as ReadObject's open does an object.
func objectOf(b []byte) func(offset int64) (io.ReadCloser, error) {
	return func(off int64) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b[off:])), nil }
}

// flip damages b[from:to].
func flip(b []byte, from, to int64) {
	for i := from; i < to; i++ {
		b[i] ^= 0x55
	}
}

// TestWARCRangesReadEveryRecordOnce splits a WARC gzipped record by
// record, damaged in each of the memberCorruptions ways, at many range
// sizes (less than a member, member bounds, inside the damaged members,
// more than the file): the ranges' documents, in range order, are the
// whole file's, errors included, each once.
func TestWARCRangesReadEveryRecordOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	summary := func(d corpus.Document) string {
		if d.Err != nil {
			return d.ID + " error " + d.Err.Error()
		}
		return fmt.Sprintf("%s %d+%d %s", d.ID, d.WARC.Offset, d.WARC.Length, d.Body)
	}
	for _, tc := range memberCorruptions {
		t.Run(tc.name, func(t *testing.T) {
			b, offsets := writeWARC(t, pageDocs(8), true)
			tc.corrupt(b, offsets)
			p := filepath.Join(t.TempDir(), "crawl.warc.gz")
			require.NoError(t, os.WriteFile(p, b, 0o644))
			var whole []string
			errs := 0
			for d := range corpus.ReadAs(ctx, p, "crawl.warc.gz", corpus.Options{}) {
				whole = append(whole, summary(d))
				if d.Err != nil {
					errs++
				}
			}
			require.Positive(t, errs, "the damage is found")
			require.GreaterOrEqual(t, len(whole), 7, "the records around the damage are read: %q", whole)

			sizes := []int64{13, 61, offsets[1], offsets[1] - 1, offsets[1] + 1, offsets[2] + 30, offsets[3] - 7, offsets[3] - offsets[2], 1000, int64(len(b)) / 3, int64(len(b)) - 1, int64(len(b)), 1 << 30}
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
		})
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

// TestReadStreamReadsAsAFileIs reads the same bytes as a file, as an
// object (ReadObject) and as a stream (ReadStream) named like it: the
// documents (ids, bodies, errors, WARC places) are the same, for every
// kind of input a crawl in cloud storage holds. A stream cannot go back
// after a corrupt gzip member, so a damaged .warc.gz is compared as an
// object only.
func TestReadStreamReadsAsAFileIs(t *testing.T) {
	t.Parallel()
	docs := pageDocs(6)
	warcGz, _ := writeWARC(t, docs, true)
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
		"page.html": docs[0].Body, "page.txt": docs[1].Body, "empty.html": nil, "empty.warc.gz": nil, "empty.jsonl": nil,
	}
	damaged := map[string]bool{}
	for _, tc := range memberCorruptions {
		b, offsets := writeWARC(t, docs, true)
		tc.corrupt(b, offsets)
		name := "damaged " + tc.name + ".warc.gz"
		inputs[name], damaged[name] = b, true
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
		var fromFile, fromObject, fromStream []string
		for d := range corpus.ReadAs(ctx, p, "sub/"+name, corpus.Options{}) {
			fromFile = append(fromFile, summary(d))
		}
		opened := 0
		object := objectOf(b)
		open := func(off int64) (io.ReadCloser, error) {
			opened++
			return object(off)
		}
		for d := range corpus.ReadObject(ctx, "sub/"+name, open, corpus.Options{}) {
			fromObject = append(fromObject, summary(d))
		}
		require.NotEmpty(t, fromFile, name)
		assert.Equal(t, fromFile, fromObject, name)
		if damaged[name] {
			assert.Greater(t, opened, 1, "%s: the object is opened again after the damage", name)
			continue
		}
		for d := range corpus.ReadStream(ctx, bytes.NewReader(b), "sub/"+name, corpus.Options{}) {
			fromStream = append(fromStream, summary(d))
		}
		assert.Equal(t, fromFile, fromStream, name)
	}
}

// TestReadStreamOfAGzippedPipeHasNoRanges checks that a .warc.gz read
// through a pipe (gunzipped as one stream: its offsets count
// decompressed bytes) names no byte range of the file.
func TestReadStreamOfAGzippedPipeHasNoRanges(t *testing.T) {
	t.Parallel()
	b, _ := writeWARC(t, pageDocs(3), true)
	r, w, err := os.Pipe()
	require.NoError(t, err)
	go func() {
		_, _ = w.Write(b)
		w.Close()
	}()
	n := 0
	for d := range corpus.ReadAs(context.Background(), "/dev/fd/"+fmt.Sprint(r.Fd()), "pipe", corpus.Options{}) {
		require.NoError(t, d.Err)
		require.NotNil(t, d.WARC, d.ID)
		assert.Equal(t, int64(-1), d.WARC.Offset, d.ID)
		n++
	}
	r.Close()
	assert.Equal(t, 3, n)
}

// TestWARCManyDamagedMembersDoNotEndTheFile damages more members in a row
// than an uncompressed stream's give-up limit allows errors: a file read
// whole, in ranges and as an object still reads every good page after
// them, and the three agree.
func TestWARCManyDamagedMembersDoNotEndTheFile(t *testing.T) {
	t.Parallel()
	b, offsets := writeWARC(t, pageDocs(140), true)
	for m := 5; m < 120; m++ {
		mid := (offsets[m] + offsets[m+1]) / 2
		flip(b, mid, mid+20)
	}
	p := filepath.Join(t.TempDir(), "crawl.warc.gz")
	require.NoError(t, os.WriteFile(p, b, 0o644))
	ctx := context.Background()
	summary := func(d corpus.Document) string { return fmt.Sprintf("%s %t", d.ID, d.Err != nil) }
	var whole []string
	pages := 0
	for d := range corpus.ReadAs(ctx, p, "crawl.warc.gz", corpus.Options{}) {
		whole = append(whole, summary(d))
		if d.Err == nil {
			pages++
		}
	}
	assert.Equal(t, 140-115, pages, "every undamaged page is read")
	for _, size := range []int64{int64(len(b)) / 4, int64(len(b)) / 2} {
		ranges, err := corpus.WARCSplits(p, size)
		require.NoError(t, err)
		var got []string
		for _, r := range ranges {
			for d := range corpus.ReadWARCRange(ctx, p, "crawl.warc.gz", r[0], r[1], corpus.Options{}) {
				got = append(got, summary(d))
			}
		}
		assert.Equal(t, whole, got, "ranges of %d bytes", size)
	}
	var object []string
	for d := range corpus.ReadObject(ctx, "crawl.warc.gz", objectOf(b), corpus.Options{}) {
		object = append(object, summary(d))
	}
	assert.Equal(t, whole, object, "as an object")
}

// TestReadObjectReopenFailureNamesTheFile checks that an object that
// cannot be opened again after a damaged member gives one error record
// for the member and one for the file (the rest unread), no id twice.
func TestReadObjectReopenFailureNamesTheFile(t *testing.T) {
	t.Parallel()
	b, offsets := writeWARC(t, pageDocs(6), true)
	flip(b, offsets[3]-14, offsets[3])
	open := func(off int64) (io.ReadCloser, error) {
		if off > 0 {
			return nil, errors.New("transient 503")
		}
		return objectOf(b)(0)
	}
	seen := map[string]bool{}
	var last corpus.Document
	for d := range corpus.ReadObject(context.Background(), "crawl.warc.gz", open, corpus.Options{}) {
		assert.False(t, seen[d.ID], "id %s twice", d.ID)
		seen[d.ID] = true
		last = d
	}
	assert.Equal(t, "crawl.warc.gz", last.ID, "the last record names the file")
	require.Error(t, last.Err)
	assert.Contains(t, last.Err.Error(), "unread")
	assert.Contains(t, last.Err.Error(), "transient 503")
}

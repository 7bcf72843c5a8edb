package corpus_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
)

// pageDocs are documents we wrote, one HTML and one text in turn.
func pageDocs(n int) []corpus.Document {
	docs := make([]corpus.Document, n)
	for i := range docs {
		docs[i] = corpus.Document{ID: fmt.Sprintf("doc-%02d", i), URL: fmt.Sprintf("https://paper%d.example/story/%d", i%3, i)}
		if i%2 == 0 {
			docs[i].Format = corpus.FormatHTML
			docs[i].Body = []byte(fmt.Sprintf("<html><body><h1>Story %d</h1><p>The county fair opened with %d stalls.</p></body></html>", i, 10+i))
		} else {
			docs[i].Format = corpus.FormatText
			docs[i].Body = []byte(fmt.Sprintf("Story %d\n\nThe river festival drew %d boats.", i, 20+i))
		}
	}
	return docs
}

// writeWARC writes docs as a WARC and returns its bytes and each record's
// offset.
func writeWARC(t *testing.T, docs []corpus.Document, gzipped bool) ([]byte, []int64) {
	t.Helper()
	var buf bytes.Buffer
	w := corpus.NewWARCWriter(&buf, gzipped)
	offsets := make([]int64, len(docs))
	for i, d := range docs {
		off, err := w.Write(d)
		require.NoError(t, err)
		offsets[i] = off
	}
	return buf.Bytes(), offsets
}

func readWARCFile(t *testing.T, name string, b []byte) []corpus.Document {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return readAll(t, corpus.Options{DefaultLabel: corpus.Authentic}, p)
}

func TestWARCRoundTrip(t *testing.T) {
	t.Parallel()
	for _, gzipped := range []bool{false, true} {
		t.Run(fmt.Sprintf("gzip=%v", gzipped), func(t *testing.T) {
			t.Parallel()
			docs := pageDocs(6)
			b, offsets := writeWARC(t, docs, gzipped)
			name := "crawl.warc"
			if gzipped {
				name += ".gz"
			}
			got := readWARCFile(t, name, b)
			require.Len(t, got, len(docs))
			for i, d := range got {
				require.NoError(t, d.Err)
				assert.Equal(t, name+"#"+strconv.FormatInt(offsets[i], 10), d.ID, "id is file#offset")
				assert.Equal(t, docs[i].URL, d.URL)
				assert.Equal(t, string(docs[i].Body), string(d.Body))
				assert.Equal(t, docs[i].Format, d.Format)
				assert.Equal(t, corpus.Authentic, d.Label)
				assert.Equal(t, "2000-01-01T00:00:00Z", d.Meta["warc_date"])
			}
			assert.Equal(t, "text/html; charset=utf-8", got[0].Meta[corpus.MetaContentType])
		})
	}
}

// rawRecord builds one WARC record by hand.
func rawRecord(typ, uri, contentType string, block string) string {
	return fmt.Sprintf("WARC/1.1\r\nWARC-Type: %s\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\nWARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: %s\r\nContent-Type: %s\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n",
		typ, uri, contentType, len(block), block)
}

func TestWARCRecordSelection(t *testing.T) {
	t.Parallel()
	httpResp := func(status, ct, extra, body string) string {
		return "HTTP/1.1 " + status + "\r\nContent-Type: " + ct + "\r\n" + extra + "\r\n" + body
	}
	chunked := "c\r\n<p>sent in t\r\nd\r\nwo chunks</p>\r\n0\r\n\r\n"
	recs := []string{
		rawRecord("warcinfo", "", "application/warc-fields", "software: test\r\n"),
		rawRecord("request", "https://a.example/", "application/http;msgtype=request", "GET / HTTP/1.1\r\nHost: a.example\r\n\r\n"),
		rawRecord("response", "https://a.example/", "application/http;msgtype=response", httpResp("200 OK", "text/html; charset=iso-8859-1", "", "<p>caf\xe9 page</p>")),
		rawRecord("response", "https://a.example/logo.png", "application/http;msgtype=response", httpResp("200 OK", "image/png", "", "\x89PNG")),
		rawRecord("response", "https://a.example/old", "application/http;msgtype=response", httpResp("301 Moved Permanently", "text/html", "Location: /new\r\n", "")),
		rawRecord("response", "https://a.example/chunked", "application/http;msgtype=response", httpResp("200 OK", "text/html", "Transfer-Encoding: chunked\r\n", chunked)),
		rawRecord("response", "https://a.example/plain", "application/http;msgtype=response", httpResp("200 OK", "text/plain", "", "plain words")),
		rawRecord("conversion", "https://a.example/", "text/plain", "extracted text of the page"),
		rawRecord("metadata", "https://a.example/", "application/warc-fields", "outlinks: none\r\n"),
		rawRecord("response", "https://a.example/br", "application/http;msgtype=response", httpResp("200 OK", "text/html", "Content-Encoding: br\r\n", "\x0b\x02")),
	}
	got := readWARCFile(t, "mixed.warc", []byte(strings.Join(recs, "")))
	var urls []string
	for _, d := range got {
		urls = append(urls, d.URL)
	}
	require.Equal(t, []string{"https://a.example/", "https://a.example/chunked", "https://a.example/plain", "https://a.example/", "https://a.example/br"}, urls,
		"pages only: not warcinfo, request, image, redirect or metadata")
	assert.Equal(t, corpus.FormatHTML, got[0].Format)
	assert.Equal(t, "text/html; charset=iso-8859-1", got[0].Meta[corpus.MetaContentType], "the charset goes along")
	assert.Equal(t, "<p>sent in two chunks</p>", string(got[1].Body), "chunked transfer encoding is undone")
	assert.Equal(t, corpus.FormatText, got[2].Format)
	assert.Equal(t, corpus.FormatText, got[3].Format, "a WET conversion record is text")
	assert.Equal(t, "extracted text of the page", string(got[3].Body))
	require.Error(t, got[4].Err)
	assert.Contains(t, got[4].Err.Error(), `unsupported Content-Encoding "br"`)
	assert.True(t, strings.HasPrefix(got[4].Err.Error(), "read mixed.warc#"), got[4].Err.Error())
}

func TestWARCCorruptRecordInTheMiddle(t *testing.T) {
	t.Parallel()
	docs := pageDocs(5)
	tests := []struct {
		name    string
		gzipped bool
		corrupt func(b []byte, offsets []int64) []byte
		// wantErrAt is the offset (index into offsets) of the error
		// record; the other four documents must come through.
		wantErrAt int
	}{
		{name: "gzip member with flipped bytes", gzipped: true, wantErrAt: 2, corrupt: func(b []byte, off []int64) []byte {
			for i := off[2] + 20; i < off[2]+40; i++ {
				b[i] ^= 0x55
			}
			return b
		}},
		{name: "gzip member cut in half", gzipped: true, wantErrAt: 2, corrupt: func(b []byte, off []int64) []byte {
			mid := off[2] + (off[3]-off[2])/2
			return append(append([]byte{}, b[:mid]...), b[off[3]:]...)
		}},
		{name: "bad content length", wantErrAt: 2, corrupt: func(b []byte, off []int64) []byte {
			i := off[2] + int64(bytes.Index(b[off[2]:], []byte("Content-Length: "))) + int64(len("Content-Length: "))
			b[i] = 'x'
			return b
		}},
		{name: "record start destroyed", wantErrAt: 2, corrupt: func(b []byte, off []int64) []byte {
			copy(b[off[2]:], "XXXX")
			return b
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, offsets := writeWARC(t, docs, tc.gzipped)
			b = tc.corrupt(b, offsets)
			got := readWARCFile(t, "c.warc.gz", b)
			var good []string
			var bad []corpus.Document
			for _, d := range got {
				if d.Err != nil {
					bad = append(bad, d)
				} else {
					good = append(good, d.URL)
				}
			}
			require.Len(t, bad, 1, "exactly one error record for the one corrupt record: %v", ids(got))
			assert.Equal(t, "c.warc.gz#"+strconv.FormatInt(offsets[tc.wantErrAt], 10), bad[0].ID)
			assert.Contains(t, bad[0].Err.Error(), bad[0].ID)
			want := []string{docs[0].URL, docs[1].URL, docs[3].URL, docs[4].URL}
			assert.Equal(t, want, good, "the records after the corrupt one are read")
			assert.Equal(t, bad[0].ID, got[2].ID, "the error record stands where the record was")
		})
	}
}

func TestWARCTruncatedAtTheEnd(t *testing.T) {
	t.Parallel()
	docs := pageDocs(3)
	b, offsets := writeWARC(t, docs, true)
	got := readWARCFile(t, "t.warc.gz", b[:len(b)-10])
	require.Len(t, got, 3)
	assert.NoError(t, got[0].Err)
	assert.NoError(t, got[1].Err)
	require.Error(t, got[2].Err)
	assert.Equal(t, "t.warc.gz#"+strconv.FormatInt(offsets[2], 10), got[2].ID)
}

func TestWARCWholeFileGzip(t *testing.T) {
	t.Parallel()
	docs := pageDocs(4)
	plain, offsets := writeWARC(t, docs, false)
	got := readWARCFile(t, "whole.warc.gz", gz(t, plain))
	require.Len(t, got, 4, "every record, not only the first member's first")
	for i, d := range got {
		require.NoError(t, d.Err)
		assert.Equal(t, docs[i].URL, d.URL)
		assert.Equal(t, "whole.warc.gz#"+strconv.FormatInt(offsets[i], 10), d.ID, "offsets into the decompressed stream")
	}
}

func TestWARCNotAWARC(t *testing.T) {
	t.Parallel()
	got := readWARCFile(t, "junk.warc", bytes.Repeat([]byte("this is not a warc file at all\n"), 100))
	require.NotEmpty(t, got)
	for _, d := range got {
		require.Error(t, d.Err)
	}
	assert.Equal(t, "junk.warc#0", got[0].ID)
}

func TestReadWARCStream(t *testing.T) {
	t.Parallel()
	docs := pageDocs(3)
	b, offsets := writeWARC(t, docs, true)
	var got []corpus.Document
	for d := range corpus.ReadWARC(context.Background(), bytes.NewReader(b), "s.warc.gz", corpus.Options{}) {
		got = append(got, d)
	}
	require.Len(t, got, 3)
	assert.Equal(t, "s.warc.gz#"+strconv.FormatInt(offsets[1], 10), got[1].ID)
}

// TestWARCLocationFetchesTheRecordBack checks the Common Crawl columns: the
// byte range a document names, cut out of the file and read on its own,
// gives back that document and nothing else; a wholly gzipped file, which
// cannot be entered in the middle, names no range.
func TestWARCLocationFetchesTheRecordBack(t *testing.T) {
	t.Parallel()
	docs := pageDocs(5)
	for _, tc := range []struct {
		name    string
		gzipped bool
		whole   bool
	}{
		{name: "crawl.warc"},
		{name: "crawl.warc.gz", gzipped: true},
		{name: "whole.warc.gz", whole: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			b, _ := writeWARC(t, docs, tc.gzipped)
			if tc.whole {
				b = gzipBytes(t, b)
			}
			got := readWARCFile(t, tc.name, b)
			require.Len(t, got, len(docs))
			for i, d := range got {
				require.NoError(t, d.Err)
				require.NotNil(t, d.WARC, d.ID)
				assert.Equal(t, tc.name, d.WARC.Filename)
				assert.True(t, strings.HasPrefix(d.WARC.RecordID, "<urn:uuid:"), d.WARC.RecordID)
				if tc.whole {
					assert.Equal(t, int64(-1), d.WARC.Offset)
					assert.Equal(t, int64(-1), d.WARC.Length)
					continue
				}
				end := d.WARC.Offset + d.WARC.Length
				require.True(t, d.WARC.Offset >= 0 && d.WARC.Length > 0 && end <= int64(len(b)), "range %d+%d of %d", d.WARC.Offset, d.WARC.Length, len(b))
				alone := readWARCFile(t, tc.name, b[d.WARC.Offset:end])
				require.Len(t, alone, 1, "the range holds exactly one record")
				assert.Equal(t, string(docs[i].Body), string(alone[0].Body))
				assert.Equal(t, d.WARC.RecordID, alone[0].WARC.RecordID)
			}
			if !tc.whole {
				last := got[len(got)-1].WARC
				assert.Equal(t, int64(len(b)), last.Offset+last.Length, "the last range ends the file")
			}
		})
	}
}

// TestReadAsNamesDocumentsUnderARoot checks the names ReadAs gives: a
// file's documents are named by the given relative path, a directory's by
// their paths under it, and ReadPath is ReadAs with the base name.
func TestReadAsNamesDocumentsUnderARoot(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	sub := filepath.Join(root, "sub")
	require.NoError(t, os.MkdirAll(filepath.Join(sub, "deep"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(sub, "deep", "a.html"), []byte("<p>The ferry runs at noon.</p>"), 0o644))
	b, offsets := writeWARC(t, pageDocs(2), true)
	warcPath := filepath.Join(sub, "c.warc.gz")
	require.NoError(t, os.WriteFile(warcPath, b, 0o644))
	ids := func(seq func(func(corpus.Document) bool)) []string {
		var out []string
		for d := range seq {
			require.NoError(t, d.Err)
			out = append(out, d.ID)
			if d.WARC != nil {
				assert.Equal(t, d.ID[:strings.Index(d.ID, "#")], d.WARC.Filename, "the WARC file is named as its ID names it")
			}
		}
		return out
	}
	at := func(name string, i int) string { return name + "#" + strconv.FormatInt(offsets[i], 10) }
	ctx := context.Background()
	for _, tc := range []struct {
		input, name string
		want        []string
	}{
		{input: warcPath, name: "sub/c.warc.gz", want: []string{at("sub/c.warc.gz", 0), at("sub/c.warc.gz", 1)}},
		{input: sub, name: "sub", want: []string{at("sub/c.warc.gz", 0), at("sub/c.warc.gz", 1), "sub/deep/a.html"}},
		{input: sub, name: "", want: []string{at("c.warc.gz", 0), at("c.warc.gz", 1), "deep/a.html"}},
		{input: sub, name: ".", want: []string{at("c.warc.gz", 0), at("c.warc.gz", 1), "deep/a.html"}},
	} {
		assert.Equal(t, tc.want, ids(corpus.ReadAs(ctx, tc.input, tc.name, corpus.Options{})), "ReadAs(%s, %q)", tc.input, tc.name)
	}
	assert.Equal(t, ids(corpus.ReadAs(ctx, warcPath, "c.warc.gz", corpus.Options{})), ids(corpus.ReadPath(ctx, warcPath, corpus.Options{})))
	assert.Equal(t, ids(corpus.ReadAs(ctx, sub, "", corpus.Options{})), ids(corpus.ReadPath(ctx, sub, corpus.Options{})))
}

// gzipBytes compresses b as one gzip stream.
func gzipBytes(t *testing.T, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(b)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

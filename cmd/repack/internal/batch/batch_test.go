package batch_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/cmd/repack/internal/batch"
	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/detector/record"
)

func defaultDetector(t *testing.T) *detector.Detector {
	t.Helper()
	det, err := detector.NewDefault()
	require.NoError(t, err)
	return det
}

// runInProcess runs the pipeline over inputs and returns the JSONL
// records.
func runInProcess(t *testing.T, cfg batch.Config) ([]record.Record, batch.Summary) {
	t.Helper()
	if cfg.Detector == nil {
		cfg.Detector = defaultDetector(t)
	}
	var buf bytes.Buffer
	out, err := batch.NewOutput(&buf, record.FormatJSONL)
	require.NoError(t, err)
	sum, err := batch.Run(context.Background(), cfg, out)
	require.NoError(t, err)
	require.NoError(t, out.Close())
	var recs []record.Record
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var r record.Record
		require.NoError(t, json.Unmarshal([]byte(line), &r), line)
		recs = append(recs, r)
	}
	return recs, sum
}

func TestBadInputsGiveErrorRecords(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, b []byte) {
		require.NoError(t, os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), b, 0o644))
	}
	page := func(i int) corpus.Document {
		return corpus.Document{ID: "p", URL: "https://paper.example/" + string(rune('a'+i)), Format: corpus.FormatHTML,
			Body: []byte("<html><body><h1>Fair opens</h1><p>The county fair opened with stalls.</p></body></html>")}
	}
	// A truncated gzip JSONL.
	var jsonl bytes.Buffer
	jw := corpus.NewJSONLWriter(&jsonl, true)
	for i := range 40 {
		d := page(i)
		d.ID = "j" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		require.NoError(t, jw.Write(d))
	}
	require.NoError(t, jw.Close())
	write("a-truncated.jsonl.gz", jsonl.Bytes()[:jsonl.Len()*2/3])
	// A WARC with a corrupt record in the middle.
	var warc bytes.Buffer
	ww := corpus.NewWARCWriter(&warc, true)
	var offsets []int64
	for i := range 3 {
		off, err := ww.Write(page(i))
		require.NoError(t, err)
		offsets = append(offsets, off)
	}
	b := warc.Bytes()
	for i := offsets[1] + 20; i < offsets[1]+30; i++ {
		b[i] ^= 0xff
	}
	write("b-corrupt.warc.gz", b)
	write("c-notjson.jsonl", []byte("{\"id\":\"c-ok\",\"text\":\"fine\"}\n{\"id\": oops}\n"))
	write("d-empty.html", nil)
	write("e-locked.txt", []byte("locked"))
	require.NoError(t, os.Chmod(filepath.Join(dir, "e-locked.txt"), 0))
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone.html"), filepath.Join(dir, "f-dangling.html")))
	write("z-last.txt", []byte("The last page is scored all the same."))

	recs, sum := runInProcess(t, batch.Config{Inputs: []string{dir}, Workers: 2})
	byID := map[string]record.Record{}
	for _, r := range recs {
		byID[r.ID] = r
	}
	errOf := func(id string) string {
		t.Helper()
		r, ok := byID[id]
		require.True(t, ok, "no record for %s", id)
		require.NotNil(t, r.Error, id)
		assert.Empty(t, r.Label, "an error record has no label")
		assert.Nil(t, r.Probability)
		return *r.Error
	}
	assert.Contains(t, errOf("b-corrupt.warc.gz#"+itoa(offsets[1])), "read b-corrupt.warc.gz#"+itoa(offsets[1]))
	assert.Contains(t, errOf("c-notjson.jsonl:2"), "read c-notjson.jsonl:2: not a JSON object")
	assert.Contains(t, errOf("d-empty.html"), "read d-empty.html: empty file")
	assert.Contains(t, errOf("f-dangling.html"), "read f-dangling.html: open: no such file or directory")
	truncated := 0
	for _, r := range recs {
		if strings.HasPrefix(r.ID, "a-truncated.jsonl.gz:") {
			truncated++
			assert.Contains(t, *r.Error, "unexpected EOF")
		}
	}
	assert.Equal(t, 1, truncated, "one error record for the cut")
	if os.Geteuid() == 0 {
		assert.Nil(t, byID["e-locked.txt"].Error, "root reads a mode-000 file")
	} else {
		assert.Contains(t, errOf("e-locked.txt"), "permission denied")
	}
	for _, id := range []string{"b-corrupt.warc.gz#" + itoa(offsets[0]), "b-corrupt.warc.gz#" + itoa(offsets[2]), "c-ok", "z-last.txt"} {
		r, ok := byID[id]
		require.True(t, ok, "no record for %s", id)
		assert.Nil(t, r.Error, id)
		assert.NotEmpty(t, r.Label, id)
	}
	assert.Equal(t, len(recs), sum.Read, "one record per document read")
	assert.Equal(t, sum.Scored+sum.Errors, len(recs))
	assert.GreaterOrEqual(t, sum.Errors, 5)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestOrderAndCountsDoNotDependOnWorkers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	input := writeManyDocs(t, dir, 150)
	var first []record.Record
	for _, workers := range []int{1, 3, 8} {
		recs, sum := runInProcess(t, batch.Config{Inputs: []string{input}, Workers: workers, Reasons: 2})
		require.Len(t, recs, 150)
		for i, r := range recs {
			assert.LessOrEqual(t, len(r.Reasons), 2)
			if first != nil {
				assert.Equal(t, first[i], r, "workers %d, record %d", workers, i)
			}
		}
		assert.Equal(t, 150, sum.Read)
		if first == nil {
			first = recs
		}
	}
}

func TestResumeSkipsDone(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	input := writeManyDocs(t, dir, 20)
	done := batch.NewIDSet("doc-0000", "doc-0005")
	recs, sum := runInProcess(t, batch.Config{Inputs: []string{input}, Done: done})
	assert.Len(t, recs, 18)
	assert.Equal(t, 2, sum.Resumed)
	for _, r := range recs {
		assert.False(t, done.Has(r.ID), r.ID)
	}
}

func TestOpenOutputResume(t *testing.T) {
	t.Parallel()
	recA := `{"schema_version":4,"id":"a","source":"","url":"","label":"authentic","kind":[],"probability":0.5,"score":0,"model":"m","reasons":[],"error":null}`
	recB := `{"schema_version":4,"id":"b","source":"","url":"","label":"repackaged","kind":[],"probability":0.5,"score":0,"model":"m","reasons":[],"error":null}`
	tests := []struct {
		name       string
		format     record.Format
		existing   string
		wantIDs    []string
		wantFlag   int
		wantCut    int64
		wantErr    string
		wantPrefix string
	}{
		{name: "jsonl with a partial line", format: record.FormatJSONL,
			existing: recA + "\n" + recB + "\n" + `{"schema_version":4,"id":"c","lab`,
			wantIDs:  []string{"a", "b"}, wantFlag: 1, wantCut: int64(len(`{"schema_version":4,"id":"c","lab`)),
			wantPrefix: recA + "\n" + recB + "\n"},
		{name: "empty file", format: record.FormatJSONL, existing: "", wantIDs: nil},
		{name: "csv", format: record.FormatCSV,
			existing: "schema_version,id,source,url,label,kind,probability,score,model,reasons,error,warc_filename,warc_record_offset,warc_record_length,warc_record_id,index,original_url,original_containment\n4,x,,,injected,injected,0.9,1,m,,,,,,,,,\n4,y,,,,,,,m,,read y: empty file,,,,,,,\n",
			wantIDs:  []string{"x", "y"}, wantFlag: 1},
		{name: "not our jsonl", format: record.FormatJSONL, existing: "hello\n", wantErr: "line 1: not a repack batch JSONL record"},
		{name: "a crawl given as the output", format: record.FormatJSONL, existing: `{"id":"p1","url":"https://a.example/","html":"<p>x</p>"}` + "\n",
			wantErr: "line 1: not a repack batch JSONL record of schema 4"},
		{name: "another schema", format: record.FormatJSONL, existing: strings.Replace(recA, `"schema_version":4`, `"schema_version":3`, 1) + "\n",
			wantErr: "schema_version 3"},
		{name: "csv into a jsonl file", format: record.FormatCSV, existing: `{"id":"a"}` + "\n", wantErr: "line 1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(t.TempDir(), "out")
			require.NoError(t, os.WriteFile(p, []byte(tc.existing), 0o644))
			out, res, err := batch.OpenOutput(p, tc.format, true)
			if tc.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.wantErr)
				return
			}
			require.NoError(t, err)
			for _, id := range tc.wantIDs {
				assert.True(t, res.Done.Has(id), id)
			}
			assert.False(t, res.Done.Has("never-written"))
			assert.Equal(t, len(tc.wantIDs), res.Done.Len())
			assert.Equal(t, len(tc.wantIDs), res.Records)
			assert.Equal(t, tc.wantFlag, res.Flagged)
			assert.Equal(t, tc.wantCut, res.TruncatedBytes)
			p1 := 0.5
			require.NoError(t, out.WriteRecord(record.Record{ID: "new", Label: "authentic", Kind: []string{}, Probability: &p1, Model: "m"}, true))
			require.NoError(t, out.Close())
			b, err := os.ReadFile(p)
			require.NoError(t, err)
			if tc.wantPrefix != "" {
				assert.True(t, strings.HasPrefix(string(b), tc.wantPrefix), "%q", b)
			}
			assert.True(t, strings.HasSuffix(string(b), "\n"))
			if tc.format == record.FormatCSV && tc.existing == "" {
				assert.True(t, strings.HasPrefix(string(b), "id,"), "a new CSV gets its header")
			}
			lines := strings.Split(strings.TrimSpace(string(b)), "\n")
			assert.Contains(t, lines[len(lines)-1], "new")
		})
	}
}

func TestCSVRecordIsOneLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	out, err := batch.NewOutput(&buf, record.FormatCSV)
	require.NoError(t, err)
	msg := "read x: line one\nline two"
	require.NoError(t, out.WriteRecord(record.Record{SchemaVersion: record.Schema, ID: "x,1", URL: "https://a.example/?q=\"x\"", Error: &msg}, true))
	require.NoError(t, out.Close())
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	require.Len(t, lines, 2, "header and one record: %q", buf.String())
	assert.Equal(t, fmt.Sprint(record.Schema)+`,"x,1",,"https://a.example/?q=""x""",,,,,,,read x: line one line two,,,,,,,`, lines[1])
}

func TestParseShard(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    batch.Shard
		wantErr bool
	}{
		{in: "0/1", want: batch.Shard{Index: 0, Count: 1}},
		{in: "2/4", want: batch.Shard{Index: 2, Count: 4}},
		{in: "4/4", wantErr: true},
		{in: "-1/4", wantErr: true},
		{in: "1/0", wantErr: true},
		{in: "1", wantErr: true},
		{in: "a/b", wantErr: true},
	}
	for _, tc := range tests {
		got, err := batch.ParseShard(tc.in)
		if tc.wantErr {
			assert.Error(t, err, tc.in)
			continue
		}
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.want, got)
	}
}

func TestShardKeepsIsAPartition(t *testing.T) {
	t.Parallel()
	const n = 5
	counts := make([]int, n)
	for i := range 5000 {
		id := "crawl.warc.gz#" + itoa(int64(i*977))
		owners := 0
		for s := range n {
			if (batch.Shard{Index: s, Count: n}).Keeps(id) {
				owners++
				counts[s]++
			}
		}
		require.Equal(t, 1, owners, id)
	}
	for s, c := range counts {
		assert.InDelta(t, 1000, c, 150, "shard %d holds about a fifth", s)
	}
	assert.True(t, batch.Shard{}.Keeps("anything"), "the zero shard keeps all")
	// The hash (64-bit FNV-1a of the id) is part of the contract: runs on
	// different machines and versions must agree on it.
	assert.True(t, batch.Shard{Index: 0, Count: 2}.Keeps("a"), "fnv1a64(\"a\") = 0xaf63dc4c8601ec8c is even")
	assert.True(t, batch.Shard{Index: 5, Count: 7}.Keeps("a"), "0xaf63dc4c8601ec8c mod 7 = 5")
}

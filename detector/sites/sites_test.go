package sites

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/detector/record"
)

func rec(id, url, label string, p float64, features ...string) record.Record {
	r := record.Record{SchemaVersion: record.Schema, ID: id, URL: url, Label: label, Probability: &p}
	for _, f := range features {
		r.Reasons = append(r.Reasons, record.Reason{Feature: f})
	}
	return r
}

func TestSitesRollUp(t *testing.T) {
	msg := "unreadable"
	var tally Tally
	for _, r := range []record.Record{
		rec("a1", "https://www.plumber.example/story-1", "repackaged", 0.97, "wire_copy_uncredited", "title_site_mismatch"),
		rec("a2", "https://plumber.example/story-2", "repackaged", 0.99, "title_site_mismatch"),
		rec("a3", "http://PLUMBER.example/about", "authentic", 0.01),
		{SchemaVersion: record.Schema, ID: "a4", URL: "https://plumber.example/x", Error: &msg},
		rec("b1", "https://news.example/1", "authentic", 0.02),
		rec("b2", "https://news.example/2", "injected", 0.9, "hidden_links"),
		rec("b3", "https://news.example/3", "authentic", 0.02),
		rec("b4", "https://news.example/4", "authentic", 0.02),
		rec("c1", "", "authentic", 0.02),
		rec("c2", "not a url", "authentic", 0.02),
	} {
		tally.Add(r)
	}
	got := tally.Sites(Options{Cues: 1, Examples: 1})
	require.Len(t, got, 3, "one row per host: www. and case folded")

	plumber := got[0]
	assert.Equal(t, "plumber.example", plumber.Host)
	assert.Equal(t, 4, plumber.Pages)
	assert.Equal(t, 1, plumber.Errors)
	assert.Equal(t, 2, plumber.Flagged)
	assert.InDelta(t, 2.0/3, plumber.FlaggedShare, 1e-9, "share of the pages with a verdict")
	assert.Equal(t, map[string]int{"repackaged": 2}, plumber.Kinds)
	assert.Equal(t, []Cue{{Feature: "title_site_mismatch", Pages: 2}}, plumber.Cues)
	require.Len(t, plumber.Examples, 1)
	assert.Equal(t, "a2", plumber.Examples[0].ID, "the most probable flagged page")

	assert.Equal(t, "news.example", got[1].Host)
	assert.InDelta(t, 0.25, got[1].FlaggedShare, 1e-9)
	assert.Equal(t, NoURL, got[2].Host)
	assert.Equal(t, 2, got[2].Pages)
	assert.Empty(t, got[2].Examples)
	assert.NotNil(t, got[2].Cues, "an empty list, not null, in JSON")
}

func TestSitesSortedByShareThenFlaggedThenHost(t *testing.T) {
	var tally Tally
	tally.Add(rec("1", "https://b.example/1", "repackaged", 0.9))
	tally.Add(rec("2", "https://a.example/1", "repackaged", 0.9))
	tally.Add(rec("3", "https://c.example/1", "repackaged", 0.9))
	tally.Add(rec("4", "https://c.example/2", "repackaged", 0.9))
	tally.Add(rec("5", "https://d.example/1", "authentic", 0.1))
	var hosts []string
	for _, s := range tally.Sites(Options{}) {
		hosts = append(hosts, s.Host)
	}
	assert.Equal(t, []string{"c.example", "a.example", "b.example", "d.example"}, hosts)
}

func TestReadRecords(t *testing.T) {
	line := func(r record.Record) string {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		return string(b) + "\n"
	}
	good := line(rec("a", "https://a.example/", "repackaged", 0.9)) + "\n" + line(rec("b", "https://a.example/2", "authentic", 0.1))
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	_, _ = zw.Write([]byte(good))
	require.NoError(t, zw.Close())

	tests := []struct {
		name, input, err string
		n                int
	}{
		{"two records and a blank line", good, "", 2},
		{"gzipped", gz.String(), "", 2},
		{"not JSON", good + "{oops\n", "records.jsonl:4: not a batch record", 2},
		{"a newer schema", `{"schema_version":99,"id":"x"}` + "\n", "records.jsonl:1: record schema_version 99", 0},
		{"no schema: not a record", `{"id":"x","label":"authentic"}` + "\n", "records.jsonl:1: record schema_version 0", 0},
		{"no id", `{"schema_version":4}` + "\n", "records.jsonl:1: record without an id", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tally Tally
			n, err := tally.Read(strings.NewReader(tt.input), "records.jsonl")
			assert.Equal(t, tt.n, n)
			if tt.err == "" {
				assert.NoError(t, err)
				return
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.err)
		})
	}
}

func TestWriteTableAndJSONL(t *testing.T) {
	var tally Tally
	tally.Add(rec("a1", "https://plumber.example/1", "repackaged", 0.97, "title_site_mismatch"))
	tally.Add(rec("b1", "https://news.example/1", "authentic", 0.02))
	sites := tally.Sites(Options{})
	var table bytes.Buffer
	require.NoError(t, WriteTable(&table, sites))
	lines := strings.Split(strings.TrimSpace(table.String()), "\n")
	require.Len(t, lines, 3, "a header and one line a site")
	assert.Contains(t, lines[1], "plumber.example")
	assert.Contains(t, lines[1], "title_site_mismatch 1")
	assert.Contains(t, lines[1], "a1")

	var out bytes.Buffer
	require.NoError(t, WriteJSONL(&out, sites))
	var first Site
	require.NoError(t, json.Unmarshal([]byte(strings.SplitN(out.String(), "\n", 2)[0]), &first))
	assert.Equal(t, "plumber.example", first.Host)
	assert.Equal(t, 1.0, first.FlaggedShare)
	assert.Equal(t, Schema, first.SchemaVersion)
}

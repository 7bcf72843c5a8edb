package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synthFixtures are the authentic pages the repackager's tests use, which
// we wrote ourselves.
const synthFixtures = "../../corpus/synth/testdata/authentic"

func runSynthForTest(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: bytes.NewReader(nil), stdout: &stdout, stderr: &stderr}
	code := run(context.Background(), e, append([]string{"synth"}, args...))
	return code, stderr.String()
}

func TestSynthCommandWritesJSONL(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "synth.jsonl.gz")
	code, stderr := runSynthForTest(t, "--seed", "5", "--per-source", "2", "--hard-negatives", "--out", out, synthFixtures)
	require.Equal(t, exitAuthentic, code, stderr)
	assert.Contains(t, stderr, "no headline (1): local/untitled.html")
	assert.Contains(t, stderr, "fewer than 3 paragraphs (1): local/notice.html")
	assert.Contains(t, stderr, "repackaged by family:")

	f, err := os.Open(out)
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	labels := map[string]int{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		for _, k := range []string{"id", "label", "source", "group", "meta"} {
			assert.Contains(t, rec, k)
		}
		_, hasHTML := rec["html"]
		_, hasText := rec["text"]
		assert.True(t, hasHTML != hasText, "record %v has neither or both of html and text", rec["id"])
		labels[rec["label"].(string)]++
	}
	require.NoError(t, sc.Err())
	// 8 usable fixture stories, 2 copies and 2 hard negatives each.
	assert.Equal(t, map[string]int{"repackaged": 16, "authentic": 16}, labels)

	// The same seed gives the same bytes.
	again := filepath.Join(dir, "again.jsonl.gz")
	code, stderr = runSynthForTest(t, "--seed", "5", "--per-source", "2", "--hard-negatives", "--workers", "1", "--out", again, synthFixtures)
	require.Equal(t, exitAuthentic, code, stderr)
	a, err := os.ReadFile(out)
	require.NoError(t, err)
	b, err := os.ReadFile(again)
	require.NoError(t, err)
	assert.Equal(t, a, b)
}

func TestSynthCommandRefusesBadUsage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no out", []string{synthFixtures}, "--out is required"},
		{"no dir", []string{"--out", "x.jsonl"}, "want at least one AUTHENTIC_DIR"},
		{"missing dir", []string{"--out", filepath.Join(t.TempDir(), "x.jsonl"), "no/such/dir"}, "no/such/dir: no such directory or file"},
		{"bad share", []string{"--out", "x.jsonl", "--text-share", "2", synthFixtures}, "text share 2 is not in [0, 1]"},
		{"bad count", []string{"--out", "x.jsonl", "--per-source", "0", synthFixtures}, "--per-source 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			code, stderr := runSynthForTest(t, tt.args...)
			assert.Equal(t, exitError, code)
			assert.Contains(t, stderr, tt.want)
		})
	}
}

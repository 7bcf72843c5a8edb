package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// injectFixtures are the authentic pages the injector's tests use, which
// we wrote ourselves.
const injectFixtures = "../../corpus/inject/testdata"

func runInjectForTest(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	e := &env{stdin: bytes.NewReader(nil), stdout: &stdout, stderr: &stderr}
	code := run(context.Background(), e, append([]string{"inject"}, args...))
	return code, stdout.String(), stderr.String()
}

// readRecords reads JSONL records.
func readRecords(t *testing.T, data []byte) []map[string]any {
	t.Helper()
	var recs []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var rec map[string]any
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec))
		recs = append(recs, rec)
	}
	require.NoError(t, sc.Err())
	return recs
}

func TestInjectCommandWritesJSONL(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "inject.jsonl")
	code, _, stderr := runInjectForTest(t, "--seed", "4", "--per-source", "3", "--hard-negatives", "--out", out, injectFixtures)
	require.Equal(t, exitAuthentic, code, stderr)
	assert.Contains(t, stderr, "injected by kind:")
	assert.Contains(t, stderr, "hard negatives by kind:")
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	labels := map[string]int{}
	for _, rec := range readRecords(t, data) {
		for _, k := range []string{"id", "label", "source", "group", "meta"} {
			assert.Contains(t, rec, k)
		}
		_, hasHTML := rec["html"]
		_, hasText := rec["text"]
		assert.True(t, hasHTML != hasText, "record %v has neither or both of html and text", rec["id"])
		meta := rec["meta"].(map[string]any)["inject"].(map[string]any)
		assert.EqualValues(t, 4, meta["seed"])
		labels[rec["label"].(string)]++
	}
	// 3 fixture pages, 3 injected copies and 3 hard negatives each.
	assert.Equal(t, map[string]int{"injected": 9, "authentic": 9}, labels)

	again := filepath.Join(t.TempDir(), "again.jsonl")
	code, _, stderr = runInjectForTest(t, "--seed", "4", "--per-source", "3", "--hard-negatives", "--workers", "1", "--out", again, injectFixtures)
	require.Equal(t, exitAuthentic, code, stderr)
	data2, err := os.ReadFile(again)
	require.NoError(t, err)
	assert.Equal(t, string(data), string(data2), "the same seed gives the same bytes whatever the workers")
}

func TestInjectCommandKinds(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runInjectForTest(t, "--kinds", "link_farm,cloaking", "--per-source", "4", "--out", "-", injectFixtures)
	require.Equal(t, exitAuthentic, code, stderr)
	for _, rec := range readRecords(t, []byte(stdout)) {
		kind := rec["meta"].(map[string]any)["inject"].(map[string]any)["kind"]
		assert.Contains(t, []any{"link_farm", "cloaking"}, kind)
	}
}

func TestInjectCommandRefusesBadUsage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{injectFixtures}, "--out is required"},
		{[]string{"--out", "x.jsonl"}, "want at least one AUTHENTIC_DIR"},
		{[]string{"--out", "x.jsonl", "--per-source", "0", injectFixtures}, "--per-source 0"},
		{[]string{"--out", "x.jsonl", "--kinds", "seo_magic", injectFixtures}, `unknown injection kind "seo_magic"`},
		{[]string{"--out", "x.jsonl", "--text-share", "2", injectFixtures}, "text share 2 is not in [0, 1]"},
		{[]string{"--out", "x.jsonl", "no/such/dir"}, "no/such/dir: no such directory"},
	} {
		code, _, stderr := runInjectForTest(t, tc.args...)
		assert.Equal(t, exitError, code, tc.args)
		assert.Contains(t, stderr, tc.msg, tc.args)
	}
}

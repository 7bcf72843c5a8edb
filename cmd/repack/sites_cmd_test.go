package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/detector/sites"
)

// TestSitesOverABatchOfTheSharedPages: repack batch over the shared
// authentic corpus and the examples, then repack sites over its records:
// one row per host, sorted by flagged share, the network's seed page
// among the flagged examples, and the other operators' captures under
// the hosts their headers name.
func TestSitesOverABatchOfTheSharedPages(t *testing.T) {
	t.Parallel()
	authentic := sharedtest.Dir(t, "corpus/authentic")
	examples := sharedtest.Dir(t, "examples")
	out := filepath.Join(t.TempDir(), "verdicts.jsonl")
	code, _, errOut := runCLI(t, "", "batch", "--exit-zero", "--output", out, authentic, examples)
	require.Equal(t, exitAuthentic, code, errOut)

	code, stdout, errOut := runCLI(t, "", "sites", "--format", "jsonl", out)
	require.Equal(t, exitAuthentic, code, errOut)
	var rows []sites.Site
	for _, line := range strings.Split(strings.TrimSpace(stdout), "\n") {
		var s sites.Site
		require.NoError(t, json.Unmarshal([]byte(line), &s), line)
		rows = append(rows, s)
	}
	require.NotEmpty(t, rows)
	seen := map[string]bool{}
	pages, flaggedExamples := 0, []string{}
	for i, s := range rows {
		assert.False(t, seen[s.Host], "%s listed twice", s.Host)
		seen[s.Host] = true
		pages += s.Pages
		if i > 0 {
			assert.GreaterOrEqual(t, rows[i-1].FlaggedShare, s.FlaggedShare, "sorted by flagged share at %s", s.Host)
		}
		for _, ex := range s.Examples {
			flaggedExamples = append(flaggedExamples, ex.ID)
		}
	}
	assert.Contains(t, errOut, "records")
	assert.True(t, seen["pacificsunshineplumbing.com"], "a capture's header names its host")
	assert.Contains(t, flaggedExamples, "seed-novaquant-page.txt")
	assert.Positive(t, rows[0].FlaggedShare)

	code, stdout, _ = runCLI(t, "", "sites", out)
	require.Equal(t, exitAuthentic, code)
	assert.Equal(t, len(rows)+1, strings.Count(stdout, "\n"), "the table: a header and one line a site")
	assert.Equal(t, pages, countLines(t, out), "every record counted once")
}

func TestSitesRefusesBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.jsonl")
	require.NoError(t, os.WriteFile(bad, []byte(`{"schema_version":4,"id":"a","url":"https://a.example/","label":"authentic"}`+"\nnot json\n"), 0o644))
	code, _, errOut := runCLI(t, "", "sites", bad)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "bad.jsonl:2: not a batch record")

	code, _, errOut = runCLI(t, "", "sites", filepath.Join(dir, "missing.jsonl"))
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "missing.jsonl")

	code, _, errOut = runCLI(t, "", "sites")
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "no records given")

	code, _, errOut = runCLI(t, "", "sites", "--format", "csv", bad)
	assert.Equal(t, exitError, code)
	assert.Contains(t, errOut, "want table or jsonl")
}

// countLines counts the non-empty lines of a file.
func countLines(t *testing.T, path string) int {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.TrimSpace(line) != "" {
			n++
		}
	}
	return n
}

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommand runs the built command as a user would: on Prism by
// default, records in the shard, the label counts on standard error, exit
// 0 with a flagged page among the inputs; and exit 2 with the reason for
// an input that matches nothing or a stray argument.
func TestCommand(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "repack-beam")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "%s", out)

	pages := filepath.Join(dir, "pages")
	require.NoError(t, os.MkdirAll(pages, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(pages, "ferry.html"), []byte(`<html><head><title>Ferry fares frozen for a year</title></head><body><h1>Ferry fares frozen for a year</h1><p>The island ferry company froze fares until next January, its board said on Thursday.</p></body></html>`), 0o644))
	spliced, err := os.ReadFile(filepath.Join("..", "repack", "internal", "server", "testdata", "spliced-page.html"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(pages, "spliced.html"), spliced, 0o644))

	run := func(args ...string) (string, int) {
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		err := cmd.Run()
		if ee, ok := err.(*exec.ExitError); ok {
			return stderr.String(), ee.ExitCode()
		}
		require.NoError(t, err)
		return stderr.String(), 0
	}
	prefix := filepath.Join(dir, "out", "v")
	stderr, code := run("--input", pages, "--output", prefix)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "repack-beam: 2 records: 1 authentic, 1 repackaged, 0 injected, 0 errors")
	b, err := os.ReadFile(prefix + "-00000-of-00001.jsonl")
	require.NoError(t, err)
	assert.Equal(t, 2, strings.Count(string(b), "\n"))
	assert.Contains(t, string(b), `"id":"spliced.html"`)

	stderr, code = run("--input", filepath.Join(dir, "none", "*.warc.gz"), "--output", prefix)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "matches no file")
	stderr, code = run("--input", pages, "--output", prefix, "stray")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `unexpected argument "stray"`)
	stderr, code = run("-h")
	assert.Equal(t, 0, code)
	assert.Contains(t, stderr, "Usage: repack-beam --input PATTERN")
}

// TestThirdPartyNoticesAreCurrent checks that THIRD_PARTY_NOTICES.md has
// a section for exactly the modules the repack-beam binary is built from,
// at the versions it is built with (go generate here rewrites it).
func TestThirdPartyNoticesAreCurrent(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", `{{with .Module}}{{if not .Main}}## {{.Path}} {{.Version}}{{end}}{{end}}`, ".").Output()
	require.NoError(t, err)
	want := map[string]bool{}
	for _, l := range strings.Split(string(out), "\n") {
		if l != "" {
			want[l] = true
		}
	}
	notices, err := os.ReadFile("THIRD_PARTY_NOTICES.md")
	require.NoError(t, err)
	have := map[string]bool{}
	for _, l := range strings.Split(string(notices), "\n") {
		if strings.HasPrefix(l, "## ") && strings.Count(l, " ") == 2 {
			have[l] = true
		}
	}
	require.Contains(t, want, "## github.com/apache/beam/sdks/v2 v2.78.0")
	assert.Equal(t, want, have, "THIRD_PARTY_NOTICES.md is stale: run go generate in cmd/repack-beam")
}

package batch_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector/record"
	"github.com/repack/repack/features/fixture"
)

// These tests run the real binary: `repack batch` as a user or a job
// runner starts it, kill -9 included.

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// repackBinary builds cmd/repack once per test run.
func repackBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "repack-batch-test-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "repack")
		goTool := filepath.Join(runtime.GOROOT(), "bin", "go")
		if _, err := os.Stat(goTool); err != nil {
			goTool = "go"
		}
		out, err := exec.Command(goTool, "build", "-o", binPath, "github.com/repack/repack/cmd/repack").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	require.NoError(t, buildErr)
	return binPath
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// runBatch runs `repack batch args...` and returns stdout, stderr and the
// exit code.
func runBatch(t *testing.T, stdin io.Reader, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(repackBinary(t), append([]string{"batch"}, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, &stdout, &stderr
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else {
		require.NoError(t, err)
	}
	return stdout.String(), stderr.String(), code
}

// copyDir copies the fixture tree src into dst.
func copyDir(t *testing.T, src, dst string) {
	t.Helper()
	require.NoError(t, filepath.WalkDir(src, func(p string, de os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if de.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	}))
}

// writeGoldenWARC writes the golden run's WARC: two HTML responses and a
// WET-style text conversion, gzip per record.
func writeGoldenWARC(t *testing.T, p string) {
	t.Helper()
	require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
	f, err := os.Create(p)
	require.NoError(t, err)
	defer f.Close()
	w := corpus.NewWARCWriter(f, true)
	docs := []corpus.Document{
		{ID: "w1", URL: "https://harbour-times.example/2025/01/ferry", Format: corpus.FormatHTML,
			Body: []byte(`<html><head><title>Ferry fares frozen for a year</title></head><body><h1>Ferry fares frozen for a year</h1><p>The island ferry company froze fares until next January, its board said on Thursday.</p></body></html>`)},
		{ID: "w2", URL: "https://finance-digest.example/news/9f3a1.html", Format: corpus.FormatHTML,
			Body: []byte(`<html><head><title>Orrin Vale Exchange: Copper output rises at northern mines</title></head><body><h1>Orrin Vale Exchange: Copper output rises at northern mines</h1><p>By Orrin Vale Exchange | 2026-03-02 | 845 views</p><p>SANTIAGO (Wire) — Orrin Vale Exchange: Copper output at the northern mines rose 4% in May 2023, the mining ministry said.</p></body></html>`)},
		{ID: "w3", URL: "https://harbour-times.example/2025/01/ferry", Format: corpus.FormatText,
			Body: []byte("Ferry fares frozen for a year\n\nThe island ferry company froze fares until next January, its board said on Thursday.")},
	}
	for _, d := range docs {
		_, err := w.Write(d)
		require.NoError(t, err)
	}
}

// flaggedIn reports whether any JSONL record carries a spam label.
func flaggedIn(t *testing.T, out string) bool {
	t.Helper()
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		var rec struct {
			Label string `json:"label"`
		}
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		if rec.Label != "" && rec.Label != "authentic" {
			return true
		}
	}
	return false
}

func TestGolden(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	copyDir(t, filepath.Join("testdata", "golden", "input"), in)
	writeGoldenWARC(t, filepath.Join(in, "crawl", "site.warc.gz"))

	golden := filepath.Join("testdata", "golden", "expected.jsonl")
	var first string
	for _, workers := range []string{"1", "4"} {
		out, stderr, code := runBatch(t, nil, "--workers", workers, "--progress=false", in)
		require.NotEqual(t, 2, code, "stderr: %s", stderr)
		assert.Equal(t, flaggedIn(t, out), code == 1, "exit code 1 exactly when a page is flagged")
		assert.Contains(t, stderr, "read 10 documents: 8 scored, ", "the closing summary")
		if first == "" {
			first = out
		}
		assert.Equal(t, first, out, "--workers %s: output differs from --workers 1", workers)
		fixture.Golden(t, golden, []byte(out))
	}
}

func TestExitZero(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	copyDir(t, filepath.Join("testdata", "golden", "input"), in)
	out, stderr, code := runBatch(t, nil, "--progress=false", in)
	require.True(t, flaggedIn(t, out), "the golden input holds a flagged page: %s", stderr)
	require.Equal(t, 1, code, "without --exit-zero a flagged page exits 1")

	zeroOut, stderr, code := runBatch(t, nil, "--exit-zero", "--progress=false", in)
	assert.Equal(t, 0, code, "--exit-zero: flagged pages exit 0: %s", stderr)
	assert.Equal(t, out, zeroOut, "--exit-zero changes the exit code, not the records")

	_, _, code = runBatch(t, nil, "--exit-zero", filepath.Join(in, "no-such-input"))
	assert.Equal(t, 2, code, "errors still exit 2 under --exit-zero")
}

// TestDocsShowTheRecord reruns the command docs/batch.md shows the record
// of, and keeps the doc's copy equal to what it prints.
func TestDocsShowTheRecord(t *testing.T) {
	t.Parallel()
	out, stderr, code := runBatch(t, nil, "--reasons", "1", "--progress=false", filepath.Join("..", "server", "testdata", "spliced-page.html"))
	require.Equal(t, 1, code, stderr)
	var indented bytes.Buffer
	require.NoError(t, json.Indent(&indented, []byte(strings.TrimSpace(out)), "", "  "))
	fixture.GoldenSection(t, filepath.Join("..", "..", "..", "..", "docs", "batch.md"), "record-example", "```json\n"+indented.String()+"\n```\n")
}

// TestDocTimeoutGivesErrorRecords runs with a time limit no page can meet:
// every page becomes an error record naming the limit, and the run goes
// on to the end.
func TestDocTimeoutGivesErrorRecords(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	copyDir(t, filepath.Join("testdata", "golden", "input"), in)
	out, stderr, code := runBatch(t, nil, "--doc-timeout", "1ns", "--progress=false", in)
	require.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.NotEmpty(t, lines)
	limited := 0
	for _, l := range lines {
		var r record.Record
		require.NoError(t, json.Unmarshal([]byte(l), &r))
		require.NotNil(t, r.Error, "no page meets a 1ns limit: %s", l)
		if strings.Contains(*r.Error, "time limit of 1ns (--doc-timeout)") {
			limited++
		}
	}
	assert.Positive(t, limited, "the error names the limit and its flag")
}

func TestFlagErrorsExitTwo(t *testing.T) {
	t.Parallel()
	dir, elsewhere := t.TempDir(), t.TempDir()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no input", nil, "want at least one INPUT"},
		{"missing input", []string{filepath.Join(dir, "nope")}, "does not exist"},
		{"bad shard", []string{"--shard", "3/3", dir}, "--shard"},
		{"bad format", []string{"--format", "xml", dir}, "--format"},
		{"resume without output", []string{"--resume", dir}, "--resume needs --output"},
		{"zero workers", []string{"--workers", "0", dir}, "--workers"},
		{"unwritable output", []string{"--output", filepath.Join(elsewhere, "no-such-dir", "out.jsonl"), dir}, "open output"},
		{"unknown flag", []string{"--frobnicate", dir}, "flag provided but not defined"},
		{"output inside an input", []string{"--output", filepath.Join(dir, "out.jsonl"), dir}, "would be read as input"},
		{"gzip output", []string{"--output", filepath.Join(elsewhere, "out.jsonl.gz"), dir}, "writes plain jsonl"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runBatch(t, nil, tc.args...)
			assert.Equal(t, 2, code)
			assert.Contains(t, stderr, tc.want)
		})
	}
}

func TestStdinAndCSV(t *testing.T) {
	t.Parallel()
	in := `{"id":"s1","text":"Rain clears by noon."}` + "\n" + `{"id":"s2","html":"<p>Tide tables.</p>"}` + "\n"
	out, stderr, code := runBatch(t, strings.NewReader(in), "--format", "csv", "--progress=false", "-")
	require.NotEqual(t, 2, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3)
	assert.Equal(t, "schema_version,id,source,url,label,kind,probability,score,model,reasons,error,warc_filename,warc_record_offset,warc_record_length,warc_record_id,index,original_url,original_containment", lines[0])
	assert.True(t, strings.HasPrefix(lines[1], fmt.Sprintf("%d,s1,", record.Schema)), lines[1])
	assert.True(t, strings.HasPrefix(lines[2], fmt.Sprintf("%d,s2,", record.Schema)), lines[2])
}

// writeManyDocs writes n small documents as JSONL, every third one in
// the shape of a repackaged page, and returns the path.
func writeManyDocs(t *testing.T, dir string, n int) string {
	t.Helper()
	p := filepath.Join(dir, "many.jsonl")
	f, err := os.Create(p)
	require.NoError(t, err)
	defer f.Close()
	w := corpus.NewJSONLWriter(f, false)
	for i := range n {
		d := corpus.Document{ID: fmt.Sprintf("doc-%04d", i), URL: fmt.Sprintf("https://site%d.example/news/%d.html", i%17, i), Format: corpus.FormatHTML}
		if i%3 == 0 {
			d.Body = []byte(fmt.Sprintf(`<html><head><title>Brightwell Asset Guild: Port strike ends after deal</title></head><body><h1>Brightwell Asset Guild: Port strike ends after deal</h1><p>By Brightwell Asset Guild | 2026-04-%02d | %d views</p><p>ROTTERDAM (Wire) — Brightwell Asset Guild: Dock workers ended a %d-day strike in June 2023 after a deal on pay, the union said.</p></body></html>`, 1+i%28, 100+i, 2+i%9))
		} else {
			d.Body = []byte(fmt.Sprintf(`<html><head><title>Council notes %d</title></head><body><article><h1>Council notes %d</h1><p>The parish council met on Tuesday to discuss item %d, the new footpath, and agreed to consult residents.</p></article></body></html>`, i, i, i))
		}
		require.NoError(t, w.Write(d))
	}
	require.NoError(t, w.Close())
	return p
}

// labelsByID reads a JSONL output into id -> label, failing on a
// repeated id.
func labelsByID(t *testing.T, p string) map[string]string {
	t.Helper()
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var rec struct {
			ID    string  `json:"id"`
			Label string  `json:"label"`
			Error *string `json:"error"`
		}
		require.NoError(t, json.Unmarshal(sc.Bytes(), &rec), "every line is a whole record")
		require.Nil(t, rec.Error, rec.ID)
		_, dup := out[rec.ID]
		require.False(t, dup, "id %s written twice", rec.ID)
		out[rec.ID] = rec.Label
	}
	require.NoError(t, sc.Err())
	return out
}

func TestKillAndResume(t *testing.T) {
	t.Parallel()
	const n = 2000
	dir := t.TempDir()
	input := writeManyDocs(t, dir, n)

	// The reference: one uninterrupted run.
	full := filepath.Join(dir, "full.jsonl")
	_, stderr, code := runBatch(t, nil, "--output", full, "--workers", "2", "--progress=false", input)
	require.NotEqual(t, 2, code, stderr)
	want := labelsByID(t, full)
	require.Len(t, want, n)
	counts := map[string]int{}
	for _, l := range want {
		counts[l]++
	}
	t.Logf("labels of the uninterrupted run: %v", counts)

	// A run killed with SIGKILL once the output holds a random number of
	// records (seeded, so that a failure can be replayed). The run reads
	// its documents from a pipe the test fills up to that number, so the
	// kill lands while it waits for more, whatever the machine's load:
	// with nothing left to score it writes what it has.
	rng := rand.New(rand.NewPCG(20260601, 4))
	killAfter := 100 + rng.IntN(n-600)
	lines := strings.SplitAfter(string(mustRead(t, input)), "\n")
	out := filepath.Join(dir, "out.jsonl")
	cmd := exec.Command(repackBinary(t), "batch", "--output", out, "--workers", "2", "--progress=false", "-")
	pipe, err := cmd.StdinPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	_, err = io.WriteString(pipe, strings.Join(lines[:killAfter], ""))
	require.NoError(t, err)
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(out); err == nil && bytes.Count(b, []byte("\n")) >= killAfter {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGKILL))
	err = cmd.Wait()
	pipe.Close()
	var ee *exec.ExitError
	require.True(t, errors.As(err, &ee), "the run was still going when killed (killAfter %d): %v", killAfter, err)
	before, err := os.ReadFile(out)
	require.NoError(t, err)
	written := bytes.Count(before, []byte("\n"))
	t.Logf("killed after %d of %d records (target %d)", written, n, killAfter)
	assert.Equal(t, killAfter, written, "every document fed was written before the kill")

	// A kill in the middle of a write leaves a partial last line; make
	// sure of the worst case.
	f, err := os.OpenFile(out, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.WriteString(`{"id":"doc-9999","source":"","url":"https://half.exa`)
	require.NoError(t, err)
	require.NoError(t, f.Close())

	_, stderr, code = runBatch(t, nil, "--output", out, "--resume", "--workers", "2", "--progress=false", input)
	require.NotEqual(t, 2, code, stderr)
	assert.Contains(t, stderr, fmt.Sprintf("resuming %s: %d records already there", out, written))
	assert.Contains(t, stderr, "cut a partial last line")
	assert.Contains(t, stderr, fmt.Sprintf("%d already in the output", written))
	got := labelsByID(t, out)
	assert.Len(t, got, n, "exactly one record per document")
	assert.Equal(t, want, got, "same labels as the uninterrupted run")
	assert.Equal(t, flaggedIn(t, string(mustRead(t, out))), code == 1, "exit code counts records from before the kill too")
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	require.NoError(t, err)
	return b
}

func TestShardsSplitTheRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	input := writeManyDocs(t, dir, 60)
	seen := map[string]int{}
	for i := range 3 {
		out, stderr, code := runBatch(t, nil, "--shard", fmt.Sprintf("%d/3", i), "--progress=false", input)
		require.NotEqual(t, 2, code, stderr)
		assert.Contains(t, stderr, "left to other shards")
		for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
			var rec struct {
				ID string `json:"id"`
			}
			require.NoError(t, json.Unmarshal([]byte(line), &rec))
			seen[rec.ID]++
		}
	}
	assert.Len(t, seen, 60, "the shards cover every document")
	for id, k := range seen {
		assert.Equal(t, 1, k, "%s is in exactly one shard", id)
	}
}

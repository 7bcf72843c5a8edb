package batch_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The recipes of docs/scale.md that run repack batch under a job runner,
// tested as the runners use it.

// TestPipeContract runs the contract that Spark's pipe and Hadoop
// streaming rely on: JSONL on standard input, records on standard output,
// one line out for every line in (a line that is not JSON included), in
// the same order, and exit 0 with --exit-zero though a page is flagged.
func TestPipeContract(t *testing.T) {
	t.Parallel()
	spliced, err := os.ReadFile(filepath.Join("..", "server", "testdata", "spliced-page.html"))
	require.NoError(t, err)
	var in bytes.Buffer
	var wantIDs []string
	for i := range 40 {
		id := fmt.Sprintf("row-%02d", i)
		var line []byte
		switch {
		case i == 7:
			line = []byte("not a JSON record")
			id = "stdin:8" // a bad line is named by its line number
		case i%10 == 3:
			line, err = json.Marshal(map[string]string{"id": id, "url": "https://finance-digest.example/n/" + id, "html": string(spliced)})
		default:
			line, err = json.Marshal(map[string]string{"id": id, "text": fmt.Sprintf("Harbour notes %d\n\nThe ferry ran %d crossings this week, the operator said.", i, 10+i)})
		}
		require.NoError(t, err)
		in.Write(line)
		in.WriteByte('\n')
		wantIDs = append(wantIDs, id)
	}
	for _, workers := range []string{"1", "2"} {
		out, stderr, code := runBatch(t, bytes.NewReader(in.Bytes()), "--exit-zero", "--progress=false", "--workers", workers, "-")
		assert.Equal(t, 0, code, "exit 0 under --exit-zero: %s", stderr)
		assert.True(t, flaggedIn(t, out), "the spliced pages are flagged")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		require.Len(t, lines, len(wantIDs), "one record per input line")
		for i, line := range lines {
			var r struct {
				ID    string  `json:"id"`
				Error *string `json:"error"`
			}
			require.NoError(t, json.Unmarshal([]byte(line), &r))
			assert.Equal(t, wantIDs[i], r.ID, "line %d: order kept", i+1)
			assert.Equal(t, i == 7, r.Error != nil, "line %d: only the bad line is an error record", i+1)
		}
	}
}

// TestParallelRecipe runs docs/scale.md's GNU parallel recipe, its exact
// text, over three WARC files: two with flagged pages, whose tasks must
// be exit 0 in the job log, and one whose output cannot be written, exit
// 2; then --resume-failed, once the output is writable, reruns that task
// alone. GNU parallel comes from Debian's package (.ci/run installs it).
func TestParallelRecipe(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("parallel"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("GNU parallel is missing (CI=true requires it; .ci/run installs Debian's parallel): %v", err)
		}
		t.Skipf("GNU parallel is missing: %v", err)
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "docs", "scale.md"))
	require.NoError(t, err)
	m := regexp.MustCompile("(?s)<!-- begin parallel-recipe -->\\s*```sh\\n(.*?)```").FindSubmatch(doc)
	require.NotNil(t, m, "docs/scale.md has the parallel-recipe section")
	recipe := string(m[1])

	dir := t.TempDir()
	for _, name := range []string{"a", "b", "c"} {
		writeGoldenWARC(t, filepath.Join(dir, "crawl", name+".warc.gz"))
	}
	path := filepath.Dir(repackBinary(t)) + string(os.PathListSeparator) + os.Getenv("PATH")
	run := func() map[string]string {
		cmd := exec.Command("bash", "-c", recipe)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PATH="+path, "HOME="+dir) // parallel keeps its state in $HOME
		out, _ := cmd.CombinedOutput()
		log, err := os.ReadFile(filepath.Join(dir, "batch.log"))
		require.NoError(t, err, "parallel wrote no job log: %s", out)
		exits := map[string]string{} // command -> Exitval, the last run's
		for _, line := range strings.Split(strings.TrimSpace(string(log)), "\n")[1:] {
			f := strings.Split(line, "\t")
			require.Len(t, f, 9, line)
			exits[f[8]] = f[6]
		}
		return exits
	}

	// In a directory holding only the crawl, as a user starts.
	exits := run()
	require.Len(t, exits, 3, "one task per file: %v", exits)
	for cmd, code := range exits {
		assert.Equal(t, "0", code, "flagged pages, and exit 0: done: %s", cmd)
	}
	for _, name := range []string{"a", "b", "c"} {
		out, err := os.ReadFile(filepath.Join(dir, "out", name+".warc.jsonl"))
		require.NoError(t, err)
		assert.True(t, flaggedIn(t, string(out)), "%s holds flagged pages", name)
	}

	// Again, with b's output a directory: unwritable.
	require.NoError(t, os.Remove(filepath.Join(dir, "batch.log")))
	require.NoError(t, os.Remove(filepath.Join(dir, "out", "b.warc.jsonl")))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "out", "b.warc.jsonl"), 0o755))
	exits = run()
	require.Len(t, exits, 3, "one task per file: %v", exits)
	for cmd, code := range exits {
		want := "0"
		if strings.Contains(cmd, "b.warc.gz") {
			want = "2" // failed: rerun by --resume-failed
		}
		assert.Equal(t, want, code, cmd)
	}

	require.NoError(t, os.Remove(filepath.Join(dir, "out", "b.warc.jsonl")))
	before, err := os.ReadFile(filepath.Join(dir, "batch.log"))
	require.NoError(t, err)
	run()
	after, err := os.ReadFile(filepath.Join(dir, "batch.log"))
	require.NoError(t, err)
	rerun := strings.Split(strings.TrimSpace(strings.TrimPrefix(string(after), string(before))), "\n")
	require.Len(t, rerun, 1, "--resume-failed reruns the failed task alone: %q", rerun)
	f := strings.Split(rerun[0], "\t")
	assert.Contains(t, f[8], "b.warc.gz")
	assert.Equal(t, "0", f[6], "the rerun succeeds")
}

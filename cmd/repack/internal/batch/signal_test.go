package batch_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stopWithin is the longest a run may take to end after SIGINT or SIGTERM.
const stopWithin = 2 * time.Second

// TestFIFOInADirectoryIsAnErrorRecord puts a named pipe between two pages
// of a crawl directory: opening it would wait for a writer for good, so it
// becomes an error record and the run goes on.
func TestFIFOInADirectoryIsAnErrorRecord(t *testing.T) {
	t.Parallel()
	in := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(in, "a.html"), []byte("<p>The ferry runs at noon.</p>"), 0o644))
	require.NoError(t, syscall.Mkfifo(filepath.Join(in, "b.html"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(in, "c.html"), []byte("<p>The market opens at nine.</p>"), 0o644))
	done := make(chan struct{})
	var out, stderr string
	var code int
	go func() {
		defer close(done)
		out, stderr, code = runBatch(t, nil, "--progress=false", in)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("repack batch hangs on a named pipe in its input directory")
	}
	assert.Equal(t, 0, code, stderr)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	assert.Contains(t, lines[1], `"id":"b.html"`)
	assert.Contains(t, lines[1], "not a regular file (a named pipe)")
}

// TestSignalEndsABlockedRun starts runs whose input never comes (standard
// input from a silent pipe, and a named pipe given as the input with no
// writer) and sends each SIGINT or SIGTERM: each must end within
// stopWithin, exit 2 with a message that says how to finish, and leave
// an output file that --resume accepts.
func TestSignalEndsABlockedRun(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		sig   syscall.Signal
		input func(t *testing.T, dir string) (arg string, stdin *os.File)
	}{
		{"silent stdin, SIGTERM", syscall.SIGTERM, func(t *testing.T, dir string) (string, *os.File) {
			r, w, err := os.Pipe()
			require.NoError(t, err)
			t.Cleanup(func() { w.Close(); r.Close() })
			return "-", r
		}},
		{"named pipe with no writer, SIGINT", syscall.SIGINT, func(t *testing.T, dir string) (string, *os.File) {
			p := filepath.Join(dir, "feed.jsonl")
			require.NoError(t, syscall.Mkfifo(p, 0o644))
			return p, nil
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			arg, stdin := tt.input(t, dir)
			out := filepath.Join(dir, "out.jsonl")
			cmd := exec.Command(repackBinary(t), "batch", "--output", out, "--progress=false", arg)
			cmd.Stdin = stdin
			var stderr strings.Builder
			cmd.Stderr = &stderr
			require.NoError(t, cmd.Start())
			exited := make(chan error, 1)
			go func() { exited <- cmd.Wait() }()
			time.Sleep(500 * time.Millisecond) // let it block on its input
			require.NoError(t, cmd.Process.Signal(tt.sig))
			select {
			case <-exited:
			case <-time.After(stopWithin):
				_ = cmd.Process.Kill()
				<-exited
				t.Fatalf("still running %s after %s", stopWithin, tt.sig)
			}
			assert.Equal(t, 2, cmd.ProcessState.ExitCode(), stderr.String())
			assert.Contains(t, stderr.String(), "interrupted; run again with --resume")
			_, rerr, code := runBatch(t, strings.NewReader(""), "--output", out, "--resume", "--progress=false", "-")
			assert.NotContains(t, rerr, "not a repack batch", "the output is one --resume accepts")
			_ = code
		})
	}
}

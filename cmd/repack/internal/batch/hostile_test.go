package batch_test

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/cmd/repack/internal/batch"
	"github.com/repack/repack/cmd/repack/internal/server"
	"github.com/repack/repack/detector/record"
)

// The hostile-input suite: inputs an attacker or a broken crawl hands
// repack, made at test time (nothing large is committed). Each case runs
// the real binary, built without the race detector (which inflates
// memory), in a child process with its own TMPDIR, and checks that it
// ends within a bound, gives one record per document (an error record
// or a verdict), leaves no temporary file, and stays under the memory
// bound docs/batch.md documents (batch.MemoryBound), read from the
// child's rusage.

// hostileEnd bounds how long one hostile case may run.
const hostileEnd = 2 * time.Minute

// hostileCase is one input and what must hold of the run over it.
type hostileCase struct {
	name string
	// make writes the input under dir and returns the batch arguments
	// after the flags.
	make func(t *testing.T, dir string) []string
	// records is how many records the run must write (-1: at least one).
	records int
	// wantErr is a text one of the error records must hold ("" for none
	// required).
	wantErr string
}

// shell builds an input with standard tools (fast, and outside the race
// detector's instrumentation).
func shell(t *testing.T, script string) {
	t.Helper()
	out, err := exec.Command("sh", "-c", script).CombinedOutput()
	require.NoError(t, err, "%s\n%s", script, out)
}

func hostileCases() []hostileCase {
	const longLine = 256 << 20 // a header line four thousand times the limit
	return []hostileCase{
		{name: "WARC header line of 256 MiB in a small .warc.gz", records: -1, wantErr: "header line longer than",
			make: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "long-header.warc.gz")
				shell(t, fmt.Sprintf(`{ printf 'WARC/1.1\r\nWARC-Type: response\r\nX-Long: '; head -c %d /dev/zero | tr '\0' a; printf '\r\nContent-Length: 0\r\n\r\n\r\n\r\n'; } | gzip -1 > '%s'`, longLine, p))
				return []string{p}
			}},
		{name: "HTTP header line of 256 MiB inside a response block", records: -1, wantErr: "HTTP header",
			make: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "long-http.warc.gz")
				block := longLine + 64
				shell(t, fmt.Sprintf(`{ printf 'WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\nHTTP/1.1 200 OK\r\nX-Long: '; head -c %d /dev/zero | tr '\0' a; printf '\r\n\r\n'; printf '%%*s' %d '' ; printf '\r\n\r\n'; } | gzip -1 > '%s'`,
					block, longLine, block-longLine-len("HTTP/1.1 200 OK\r\nX-Long: ")-4, p))
				return []string{p}
			}},
		{name: "WARC record of 300 MiB (an image) between two pages", records: 2,
			make: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "big-record.warc")
				page := "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>The ferry runs at noon.</p>"
				rec := func(uri string) string {
					return fmt.Sprintf("WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", uri, len(page), page)
				}
				require.NoError(t, os.WriteFile(p, []byte(rec("https://a.example/1")), 0o644))
				const big = 300 << 20
				imgHead := "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\n\r\n"
				shell(t, fmt.Sprintf(`{ printf 'WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s'; head -c %d /dev/zero; printf '\r\n\r\n'; } >> '%s'`,
					len(imgHead)+big, strings.ReplaceAll(imgHead, "\r\n", `\r\n`), big, p))
				f, err := os.OpenFile(p, os.O_APPEND|os.O_WRONLY, 0)
				require.NoError(t, err)
				_, err = f.WriteString(rec("https://a.example/2"))
				require.NoError(t, err)
				require.NoError(t, f.Close())
				return []string{p}
			}},
		{name: "truncated plain WARC", records: 2, wantErr: "truncated record",
			make: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "cut.warc")
				var b bytes.Buffer
				for i := range 2 {
					page := fmt.Sprintf("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<p>Story %d about the harbour and its boats.</p>", i)
					fmt.Fprintf(&b, "WARC/1.1\r\nWARC-Type: response\r\nContent-Type: application/http;msgtype=response\r\nContent-Length: %d\r\n\r\n%s\r\n\r\n", len(page), page)
				}
				require.NoError(t, os.WriteFile(p, b.Bytes()[:b.Len()-20], 0o644))
				return []string{p}
			}},
		{name: "JSONL record with 3 million meta keys", records: 1,
			make: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "meta.jsonl")
				shell(t, fmt.Sprintf(`{ printf '{"id":"m","html":"<p>The ferry runs at noon.</p>","meta":{'; seq 1 3000000 | awk '{printf "%%s\"k%%d\":%%d", (NR>1?",":""), $1, $1}'; printf '}}\n'; } > '%s'`, p))
				return []string{p}
			}},
		{name: "records of 60 MiB", records: 4,
			make: func(t *testing.T, dir string) []string {
				p := filepath.Join(dir, "big.jsonl")
				para := "The council met on Tuesday and agreed to consult residents. "
				shell(t, fmt.Sprintf(`for i in 0 1 2 3; do printf '{"id":"%%d","html":"<p>' $i; yes '%s' | head -c %d | tr '\n' ' '; printf '</p>"}\n'; done > '%s'`, para, 60<<20, p))
				return []string{p}
			}},
		{name: "10,000 tiny files", records: 10_000,
			make: func(t *testing.T, dir string) []string {
				d := filepath.Join(dir, "tiny")
				require.NoError(t, os.MkdirAll(d, 0o755))
				for i := range 10_000 {
					require.NoError(t, os.WriteFile(filepath.Join(d, fmt.Sprintf("%05d.txt", i)), []byte(fmt.Sprintf("Note %d: the ferry runs at noon.", i)), 0o644))
				}
				return []string{d}
			}},
		{name: "odd pages: empty, binary, 50 MB, deep nesting, invalid UTF-8, wrong charset, truncated gzip, bad JSONL line", records: 11,
			make: func(t *testing.T, dir string) []string {
				d := filepath.Join(dir, "odd")
				require.NoError(t, os.MkdirAll(d, 0o755))
				write := func(name string, b []byte) { require.NoError(t, os.WriteFile(filepath.Join(d, name), b, 0o644)) }
				write("a-empty.html", nil)
				write("b-binary.html", bytes.Repeat([]byte{0, 1, 2, 0xff, 0xfe}, 4000))
				write("c-50mb.html", []byte("<html><body>"+strings.Repeat("<p>The ferry runs at noon and the market opens at nine.</p>", (50<<20)/60)+"</body></html>"))
				write("d-nested.html", []byte(strings.Repeat("<div>", 100_000)+"deep"+strings.Repeat("</div>", 100_000)))
				write("e-invalid-utf8.html", []byte("<p>Z\xfcrich \xff\xfe the ferry \xc3\x28 runs.</p>"))
				write("f-wrong-charset.html", []byte(`<meta charset="shift_jis"><p>Zürich, the ferry runs at noon.</p>`))
				var gz bytes.Buffer
				zw := gzip.NewWriter(&gz)
				_, _ = zw.Write([]byte(`{"id":"z1","text":"zipped story one"}` + "\n" + `{"id":"z2","text":"zipped story two"}` + "\n"))
				_ = zw.Close()
				write("g-truncated.jsonl.gz", gz.Bytes()[:gz.Len()-12])
				write("h-bad.jsonl", []byte(`{"id":"ok","text":"a line that reads"}`+"\n"+`{"id":`+"\n"))
				// 8 files; the gzip gives its two whole lines and an
				// error record for the cut, the JSONL a record and an
				// error record: 11 records.
				return []string{d}
			}},
	}
}

func TestHostileInputs(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("the hostile-input suite writes large inputs; not in -short")
	}
	// repackBinary runs go build, which never inherits the race detector
	// of this test binary.
	bin := repackBinary(t)
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			// One at a time: the cases measure peak memory.
			dir := t.TempDir()
			args := tc.make(t, dir)
			tmp := filepath.Join(dir, "tmp")
			require.NoError(t, os.MkdirAll(tmp, 0o755))
			const workers = 2
			cmd := exec.Command(bin, append([]string{"batch", "--workers", fmt.Sprint(workers), "--progress=false", "--exit-zero"}, args...)...)
			cmd.Env = append(os.Environ(), "TMPDIR="+tmp)
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			rss := runMeasured(t, cmd, hostileEnd)
			assert.Equal(t, 0, cmd.ProcessState.ExitCode(), "every input gives records, not a failed run: %s", stderr.String())
			bound := batch.MemoryBound(workers)
			t.Logf("peak RSS %d MB (bound %d MB)", rss>>20, bound>>20)
			assert.LessOrEqual(t, rss, bound, "peak memory over the documented bound")
			left, err := os.ReadDir(tmp)
			require.NoError(t, err)
			assert.Empty(t, left, "no temporary file is left behind (or written at all)")

			lines := strings.Split(strings.TrimSpace(stdout.String()), "\n")
			if tc.records >= 0 {
				assert.Len(t, lines, tc.records, "one record per document")
			} else {
				assert.NotEmpty(t, lines)
			}
			var errs []string
			for _, l := range lines {
				var r record.Record
				require.NoError(t, json.Unmarshal([]byte(l), &r), "a whole record: %.200s", l)
				if r.Error != nil {
					errs = append(errs, *r.Error)
				}
			}
			if tc.wantErr != "" {
				assert.Contains(t, strings.Join(errs, "\n"), tc.wantErr)
			}
		})
	}
}

// runMeasured runs cmd to its end (killing it past limit, a failure) and
// returns its peak resident memory in bytes: the kernel's high-water mark
// of the process's own memory (VmHWM), read every few milliseconds. The
// rusage of a child is no good here: Linux carries the parent's memory at
// fork into the child's ru_maxrss across exec.
func runMeasured(t *testing.T, cmd *exec.Cmd, limit time.Duration) int64 {
	t.Helper()
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	deadline := time.After(limit)
	var peak int64
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return peak
		case <-deadline:
			_ = cmd.Process.Kill()
			<-done
			t.Fatalf("still running after %s", limit)
		case <-tick.C:
			if kb, ok := vmHWM(status); ok && kb<<10 > peak {
				peak = kb << 10
			}
		}
	}
}

// vmHWM reads the VmHWM line (kB) of a /proc status file.
func vmHWM(path string) (int64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			var kb int64
			if _, err := fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb); err == nil {
				return kb, true
			}
		}
	}
	return 0, false
}

// TestURLThatNeverAnswers scores a URL whose server accepts the
// connection and never answers: the fetch gives up at its timeout.
func TestURLThatNeverAnswers(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close()
		}
	}()
	cmd := exec.Command(repackBinary(t), "score", "--timeout", "1s", "http://"+ln.Addr().String()+"/story")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err = cmd.Run()
	require.Error(t, err)
	assert.Equal(t, 2, cmd.ProcessState.ExitCode())
	assert.Less(t, time.Since(start), 30*time.Second, "the fetch timeout ends it")
	assert.Contains(t, stderr.String(), "http://"+ln.Addr().String())
}

// lockedBuffer is a bytes.Buffer safe for one writer and one reader.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written so far; it is read when a failure
// message is printed, not when the message's arguments are evaluated.
func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestHostileServe sends a server more large /v1/batch requests at once
// than its body memory budget holds: the excess is refused at once with
// 429, and the process stays under server.MemoryBound of its flags.
func TestHostileServe(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("large requests; not in -short")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	cfg := server.Config{MaxInflight: 8, Workers: 2}
	cmd := exec.Command(repackBinary(t), "serve", "--addr", addr, "--max-inflight", "8", "--workers", "2", "--log-level", "error")
	// The child writes stderr from exec's copying goroutine while the
	// test may read it for a message: a locked buffer.
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	peak := make(chan int64, 1)
	go func() { peak <- runMeasured(t, cmd, 5*time.Minute) }()
	require.Eventually(t, func() bool {
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}, 30*time.Second, 50*time.Millisecond, "the server starts: %s", stderr)

	// 8 batches of 56 pages of 500 KB: 28 MB each, under the 32 MiB cap.
	page := "<html><body>" + strings.Repeat("<p>The harbour board met on Tuesday and agreed to dredge the channel.</p>", 7000) + "</body></html>"
	var docs []map[string]string
	for range 56 {
		docs = append(docs, map[string]string{"html": page})
	}
	var enc bytes.Buffer
	je := json.NewEncoder(&enc)
	je.SetEscapeHTML(false)
	require.NoError(t, je.Encode(map[string]any{"documents": docs}))
	body := enc.Bytes()
	var wg sync.WaitGroup
	codes := make(chan int, 8)
	for range 8 {
		wg.Go(func() {
			resp, err := http.Post("http://"+addr+"/v1/batch", "application/json", bytes.NewReader(body))
			if err != nil {
				codes <- 0
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	count := map[int]int{}
	for c := range codes {
		count[c]++
	}
	require.NoError(t, cmd.Process.Signal(syscall.SIGTERM))
	rss := <-peak
	full := cfg
	full.MaxBodyBytes, full.MaxBatchBodyBytes = server.DefaultMaxBodyBytes, server.DefaultMaxBatchBodyBytes
	bound := server.MemoryBound(full)
	t.Logf("answers %v; peak RSS %d MB (bound %d MB)", count, rss>>20, bound>>20)
	assert.Positive(t, count[http.StatusOK], "some batches are served")
	assert.Positive(t, count[http.StatusTooManyRequests], "the excess is refused, not queued")
	assert.Zero(t, count[0]+count[http.StatusInternalServerError], "no connection error or 500")
	assert.LessOrEqual(t, rss, bound, "peak memory over the documented bound")
}

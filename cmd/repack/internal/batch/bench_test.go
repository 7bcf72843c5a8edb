package batch_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/repack/repack/cmd/repack/internal/batch"
	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/detector/record"
)

// Benchmarks, run with:
//
//	go test ./cmd/repack/internal/batch -run '^$' -bench . -benchtime 3x
//
// All run with batch.TuneGC, as `repack batch` does.
// BenchmarkBatchCorpus and BenchmarkGoqueryParse read the same pages
// (../shared/corpus/authentic/*/*.html) in one run, so that the ratio of
// their pages/s is read off one output. BenchmarkWARC1GB builds a 1 GB
// WARC from those pages in a temporary directory and reports the peak
// resident memory of scoring it.

// sharedAuthentic returns the shared authentic corpus directory, failing
// under CI when it is missing and skipping otherwise.
func sharedAuthentic(tb testing.TB) string {
	tb.Helper()
	return sharedtest.Dir(tb, "corpus/authentic")
}

// corpusPages returns the shared corpus's HTML pages, as batch reads
// them.
func corpusPages(tb testing.TB) []string {
	tb.Helper()
	pages, err := filepath.Glob(filepath.Join(sharedAuthentic(tb), "*", "*.html"))
	if err != nil || len(pages) == 0 {
		tb.Fatalf("no pages in the shared corpus: %v", err)
	}
	return pages
}

// cpuTime is the process's user plus system CPU time so far: with the
// wall time it tells scaling apart from a machine busy with other work.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// newDiscard returns an output that encodes records and drops them, as
// writing to /dev/null would.
func newDiscard(tb testing.TB) *batch.Output {
	out, err := batch.NewOutput(io.Discard, record.FormatJSONL)
	if err != nil {
		tb.Fatal(err)
	}
	return out
}

func BenchmarkBatchCorpus(b *testing.B) {
	batch.TuneGC()
	pages := corpusPages(b)
	det, err := detector.NewDefault()
	if err != nil {
		b.Fatal(err)
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			cfg := batch.Config{Inputs: pages, Detector: det, Workers: workers, Reasons: batch.DefaultReasons}
			var docs int
			start, cpu0 := time.Now(), cpuTime()
			for b.Loop() {
				sum, err := batch.Run(context.Background(), cfg, newDiscard(b))
				if err != nil {
					b.Fatal(err)
				}
				if sum.Errors > 0 {
					b.Fatalf("%d pages failed", sum.Errors)
				}
				docs += sum.Read
			}
			b.ReportMetric(float64(docs)/time.Since(start).Seconds(), "pages/s")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/float64(docs), "cpu-ms/page")
		})
	}
}

func BenchmarkGoqueryParse(b *testing.B) {
	// The same GC setting as batch, so that the ratio compares the work.
	batch.TuneGC()
	paths := corpusPages(b)
	// workers=2 parses on two goroutines: the machine's own ceiling for
	// scaling a parse-bound job, to read batch's scaling against.
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			var docs atomic.Int64
			start, cpu0 := time.Now(), cpuTime()
			for b.Loop() {
				next := make(chan string)
				var wg sync.WaitGroup
				for range workers {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for p := range next {
							// Read from disk as batch does, then parse.
							body, err := os.ReadFile(p)
							if err != nil {
								b.Error(err)
								continue
							}
							if _, err := goquery.NewDocumentFromReader(bytes.NewReader(body)); err != nil {
								b.Error(err)
							}
							docs.Add(1)
						}
					}()
				}
				for _, p := range paths {
					next <- p
				}
				close(next)
				wg.Wait()
			}
			n := float64(docs.Load())
			b.ReportMetric(n/time.Since(start).Seconds(), "pages/s")
			b.ReportMetric(float64(cpuTime()-cpu0)/float64(time.Millisecond)/n, "cpu-ms/page")
		})
	}
}

// buildWARC writes a WARC of at least size bytes to p from the pages,
// cycling through them with fresh URLs, one page in memory at a time.
func buildWARC(tb testing.TB, p string, pages []string, size int64) int {
	tb.Helper()
	f, err := os.Create(p)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	w := corpus.NewWARCWriter(bw, false)
	n := 0
	var written int64
	for written < size {
		path := pages[n%len(pages)]
		body, err := os.ReadFile(path)
		if err != nil {
			tb.Fatal(err)
		}
		d := corpus.Document{ID: strconv.Itoa(n), URL: fmt.Sprintf("https://bench-%d.example/%s", n/len(pages), filepath.Base(path)),
			Format: corpus.FormatHTML, Body: body}
		if _, err := w.Write(d); err != nil {
			tb.Fatal(err)
		}
		written += int64(len(body)) + 400
		n++
	}
	if err := bw.Flush(); err != nil {
		tb.Fatal(err)
	}
	return n
}

// peakRSS reads the process's peak resident set (VmHWM) in bytes.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return -1
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return kb << 10
		}
	}
	return -1
}

// goMemorySampler samples the memory the Go runtime has mapped
// (/memory/classes/total:bytes) every few milliseconds and keeps the
// high-water mark.
func goMemorySampler() (stop func() int64) {
	var peak atomic.Int64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	go func() {
		defer close(finished)
		t := time.NewTicker(5 * time.Millisecond)
		defer t.Stop()
		for {
			metrics.Read(sample)
			if v := int64(sample[0].Value.Uint64()); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-t.C:
			case <-done:
				return
			}
		}
	}()
	return func() int64 {
		close(done)
		<-finished
		return peak.Load()
	}
}

func BenchmarkWARC1GB(b *testing.B) {
	batch.TuneGC()
	pages := corpusPages(b)
	det, err := detector.NewDefault()
	if err != nil {
		b.Fatal(err)
	}
	warc := filepath.Join(b.TempDir(), "bench.warc")
	records := buildWARC(b, warc, pages, 1<<30)
	fi, err := os.Stat(warc)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("built %s: %d records, %.2f GB", warc, records, float64(fi.Size())/(1<<30))
	runtime.GC()
	// Reset the peak RSS so that it measures scoring, not the build.
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
	workers := runtime.GOMAXPROCS(0)
	for b.Loop() {
		stop := goMemorySampler()
		start := time.Now()
		sum, err := batch.Run(context.Background(), batch.Config{Inputs: []string{warc}, Detector: det, Workers: workers}, newDiscard(b))
		if err != nil {
			b.Fatal(err)
		}
		elapsed := time.Since(start)
		peakGo := stop()
		if sum.Read != records {
			b.Fatalf("read %d records, wrote %d", sum.Read, records)
		}
		b.ReportMetric(float64(sum.Read)/elapsed.Seconds(), "pages/s")
		b.ReportMetric(float64(fi.Size())/(1<<20)/elapsed.Seconds(), "MB/s")
		b.ReportMetric(float64(peakGo)/(1<<20), "peak-go-MB")
		b.ReportMetric(float64(peakRSS())/(1<<20), "peak-rss-MB")
	}
}

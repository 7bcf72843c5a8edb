package batch_test

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
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
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/source"
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

// benchStories is how many synthetic stories the indexed benchmark's
// index holds beside the embedded one.
const benchStories = 10_000

// benchIndex is the index of the indexed benchmark: the embedded index's
// stories and benchStories synthetic stories, each a headline and 10 to
// 30 paragraphs of sentences drawn from the stories of
// ../shared/corpus/authentic-extra. The benchmarked pages
// (corpus/authentic) are not in it, so the index costs what it costs a
// crawl whose originals it mostly does not hold, with real sentences
// (and their common phrases) to share bands and anchors with.
func benchIndex(extra string) (*source.Index, error) {
	benchIndexOnce.Do(func() { benchIx, benchIxErr = buildBenchIndex(extra) })
	return benchIx, benchIxErr
}

var (
	benchIndexOnce sync.Once
	benchIx        *source.Index
	benchIxErr     error
)

func buildBenchIndex(extra string) (*source.Index, error) {
	var sentences []string
	for _, d := range corpus.ReadAll(context.Background(), []string{extra}, corpus.Options{}) {
		st, ok, err := detector.StoryOf(d)
		if err != nil || !ok {
			continue
		}
		for _, line := range strings.Split(st.Text, "\n") {
			for _, s := range strings.SplitAfter(line, ". ") {
				if len(strings.Fields(s)) >= 6 {
					sentences = append(sentences, strings.TrimSpace(s))
				}
			}
		}
	}
	if len(sentences) < 1000 {
		return nil, fmt.Errorf("%s: only %d sentences to make stories of", extra, len(sentences))
	}
	def, err := detector.DefaultIndex()
	if err != nil {
		return nil, err
	}
	bld := source.NewBuilder()
	bld.AddIndex(def)
	r := rand.New(rand.NewPCG(benchStories, 1))
	for i := 0; bld.Len() < def.Len()+benchStories; i++ {
		var text strings.Builder
		text.WriteString(sentences[r.IntN(len(sentences))] + "\n\n")
		for range 10 + r.IntN(21) {
			for range 2 + r.IntN(3) {
				text.WriteString(sentences[r.IntN(len(sentences))] + " ")
			}
			text.WriteString("\n\n")
		}
		p, err := page.Parse([]byte(text.String()), page.Options{Format: page.FormatText})
		if err != nil {
			return nil, err
		}
		if st, ok := source.StoryOf(p, fmt.Sprintf("synthetic-%d", i)); ok {
			bld.Add(st)
		}
	}
	return source.Read(bld.Bytes(), fmt.Sprintf("bench-%d", bld.Len()))
}

// BenchmarkBatchCorpusIndexed scores the corpus as BenchmarkBatchCorpus
// does, without an index and with benchIndex, the two runs paired in
// each iteration (in alternating order, so that neither always runs on a
// warmer or a busier machine): the ratio of their times is what looking
// pages up adds, read off one run on this noisy machine. It also reports
// the share of pages whose lookup reached alignment (a candidate verified
// sentence by sentence) and the share matched.
func BenchmarkBatchCorpusIndexed(b *testing.B) {
	batch.TuneGC()
	pages := corpusPages(b)
	ix, err := benchIndex(sharedtest.Dir(b, "corpus/authentic-extra"))
	if err != nil {
		b.Fatal(err)
	}
	plain, err := detector.NewDefault()
	if err != nil {
		b.Fatal(err)
	}
	indexed := plain.WithIndex(ix)
	aligned, matched := 0, 0
	for _, path := range pages {
		body, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		p, err := page.Parse(body, page.Options{Format: page.FormatHTML})
		if err != nil {
			b.Fatal(err)
		}
		cands := ix.Candidates(context.Background(), p, 3)
		if len(cands) > 0 {
			aligned++
		}
		for _, c := range cands {
			if c.Match != nil {
				matched++
				break
			}
		}
	}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			run := func(det *detector.Detector) (time.Duration, time.Duration) {
				start, cpu0 := time.Now(), cpuTime()
				cfg := batch.Config{Inputs: pages, Detector: det, Workers: workers, Reasons: batch.DefaultReasons}
				if _, err := batch.Run(context.Background(), cfg, newDiscard(b)); err != nil {
					b.Fatal(err)
				}
				return time.Since(start), cpuTime() - cpu0
			}
			var wallPlain, cpuPlain, wallIndexed, cpuIndexed time.Duration
			i := 0
			for b.Loop() {
				if i%2 == 0 {
					w, c := run(plain)
					wallPlain, cpuPlain = wallPlain+w, cpuPlain+c
					w, c = run(indexed)
					wallIndexed, cpuIndexed = wallIndexed+w, cpuIndexed+c
				} else {
					w, c := run(indexed)
					wallIndexed, cpuIndexed = wallIndexed+w, cpuIndexed+c
					w, c = run(plain)
					wallPlain, cpuPlain = wallPlain+w, cpuPlain+c
				}
				i++
			}
			n := float64(i * len(pages))
			b.ReportMetric(float64(cpuPlain)/float64(time.Millisecond)/n, "plain-cpu-ms/page")
			b.ReportMetric(float64(cpuIndexed)/float64(time.Millisecond)/n, "indexed-cpu-ms/page")
			b.ReportMetric(float64(wallIndexed)/float64(wallPlain), "wall-ratio")
			b.ReportMetric(float64(cpuIndexed)/float64(cpuPlain), "cpu-ratio")
			b.ReportMetric(float64(aligned)/float64(len(pages)), "aligned-share")
			b.ReportMetric(float64(matched)/float64(len(pages)), "matched-share")
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

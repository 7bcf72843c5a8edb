package server

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	rtmetrics "runtime/metrics"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/detector"
)

// The load benchmarks start a real server on 127.0.0.1 and send it the
// authentic pages of the shared corpus (those up to 200 KB), bounded in
// count (b.N) and in time (loadDeadline). Run them with
//
//	go test -run '^$' -bench Load -benchtime 3000x ./cmd/repack/internal/server
//
// They are benchmarks, so the normal test run does not start them.

const (
	// loadConcurrency is how many clients send requests at once.
	loadConcurrency = 32
	// loadMaxPageBytes is the largest page sent.
	loadMaxPageBytes = 200 << 10
	// loadDeadline stops a run that takes too long, whatever b.N.
	loadDeadline = 2 * time.Minute
)

// loadPage is one page ready to send.
type loadPage struct {
	html, url string
	json      []byte
}

var (
	loadPagesOnce sync.Once
	loadPagesList []loadPage
	loadPagesErr  error
)

// loadPages reads the shared corpus's authentic pages up to
// loadMaxPageBytes, in a fixed order. The corpus sits beside the
// repository: ../shared from the module root.
func loadPages(b *testing.B) []loadPage {
	b.Helper()
	root := sharedtest.Dir(b, "corpus/authentic")
	loadPagesOnce.Do(func() {
		files, err := filepath.Glob(filepath.Join(root, "*", "*.html"))
		if err != nil || len(files) == 0 {
			loadPagesErr = os.ErrNotExist
			return
		}
		sort.Strings(files)
		for _, f := range files {
			body, err := os.ReadFile(f)
			if err != nil || len(body) > loadMaxPageBytes {
				continue
			}
			var side struct {
				URL string `json:"url"`
			}
			if meta, err := os.ReadFile(f[:len(f)-len(".html")] + ".json"); err == nil {
				_ = json.Unmarshal(meta, &side)
			}
			// Encoded as a browser's JSON.stringify would: no \u003c for "<".
			var req bytes.Buffer
			enc := json.NewEncoder(&req)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(map[string]string{"html": string(body), "url": side.URL}); err != nil {
				loadPagesErr = err
				return
			}
			loadPagesList = append(loadPagesList, loadPage{html: string(body), url: side.URL, json: req.Bytes()})
		}
	})
	if loadPagesErr != nil || len(loadPagesList) == 0 {
		b.Fatalf("no pages read from %s: %v", root, loadPagesErr)
	}
	return loadPagesList
}

// benchDetector returns the embedded default model's detector, or the
// test model when the default does not fit the extractors (it is being
// retrained). Scoring time is the same either way: the work is in parsing
// and extraction; the model is a dot product.
func benchDetector(b *testing.B) *detector.Detector {
	b.Helper()
	if d, err := detector.NewDefault(); err == nil {
		return d
	}
	return testDetector(b, "bench")
}

// BenchmarkLoadAnalyzeInProcess is the baseline: detector.Analyze over the
// same pages in this process, with one goroutine per CPU, as a batch run
// does.
func BenchmarkLoadAnalyzeInProcess(b *testing.B) {
	pages := loadPages(b)
	d := benchDetector(b)
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start, cpu := time.Now(), processCPU()
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(b.N) {
					return
				}
				p := pages[i%int64(len(pages))]
				if _, err := d.Analyze(context.Background(), detector.Input{Body: []byte(p.html), URL: p.url}); err != nil {
					b.Errorf("analyze page %d: %v", i%int64(len(pages)), err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "pages/s")
	reportCPU(b, cpu, b.N)
}

// loadResult is what a load run measured.
type loadResult struct {
	ok, rejected, failed  int
	okLatency, rejLatency []time.Duration
	elapsed               time.Duration
	cpuStart              time.Duration
	peakHeapBytes         uint64
}

// runLoad starts a server with cfg on 127.0.0.1 and sends n requests from
// clients goroutines: JSON bodies, or with raw the page itself as
// text/html with the URL in X-Page-URL.
func runLoad(b *testing.B, cfg Config, clients, n int, raw bool) loadResult {
	b.Helper()
	pages := loadPages(b)
	s, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	s.SetDetector(benchDetector(b))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	defer func() {
		stop()
		if err := <-served; err != nil {
			b.Errorf("serve: %v", err)
		}
	}()
	url := "http://" + ln.Addr().String() + "/v1/score"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients, MaxIdleConns: clients}, Timeout: time.Minute}
	defer client.CloseIdleConnections()

	runtime.GC()
	heap := startHeapSampler()
	deadline := time.Now().Add(loadDeadline)
	var next atomic.Int64
	var mu sync.Mutex
	var res loadResult
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	res.cpuStart = processCPU()
	for c := 0; c < clients; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var ok, rej []time.Duration
			failed := 0
			for time.Now().Before(deadline) {
				i := next.Add(1) - 1
				if i >= int64(n) {
					break
				}
				p := pages[i%int64(len(pages))]
				t0 := time.Now()
				req, err := http.NewRequest("POST", url, bytes.NewReader(p.json))
				if err != nil {
					failed++
					continue
				}
				req.Header.Set("Content-Type", "application/json")
				if raw {
					req.Body, req.ContentLength = io.NopCloser(strings.NewReader(p.html)), int64(len(p.html))
					req.Header.Set("Content-Type", "text/html")
					req.Header.Set("X-Page-URL", p.url)
				}
				resp, err := client.Do(req)
				if err != nil {
					failed++
					continue
				}
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				d := time.Since(t0)
				switch resp.StatusCode {
				case http.StatusOK:
					ok = append(ok, d)
				case http.StatusTooManyRequests:
					rej = append(rej, d)
				default:
					failed++
				}
			}
			mu.Lock()
			res.okLatency = append(res.okLatency, ok...)
			res.rejLatency = append(res.rejLatency, rej...)
			res.failed += failed
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.elapsed = time.Since(start)
	b.StopTimer()
	res.peakHeapBytes = heap()
	res.ok, res.rejected = len(res.okLatency), len(res.rejLatency)
	return res
}

// BenchmarkLoadServe sends pages to a server whose in-flight limit is
// above the number of clients, so that every request is served: the
// throughput and latency a client sees, at concurrency 32 (the issue's
// load) with JSON bodies and with raw HTML bodies, and at one client per
// CPU (where latency is close to the service time, without queueing).
func BenchmarkLoadServe(b *testing.B) {
	runs := []struct {
		name    string
		clients int
		raw     bool
	}{
		{"json/clients=32", loadConcurrency, false},
		{"raw/clients=32", loadConcurrency, true},
		{"json/clients=GOMAXPROCS", runtime.GOMAXPROCS(0), false},
	}
	for _, run := range runs {
		b.Run(run.name, func(b *testing.B) {
			res := runLoad(b, Config{MaxInflight: 2 * loadConcurrency}, run.clients, b.N, run.raw)
			if res.failed > 0 || res.rejected > 0 {
				b.Fatalf("%d failed and %d refused requests in a run that should serve all", res.failed, res.rejected)
			}
			b.ReportMetric(float64(res.ok)/res.elapsed.Seconds(), "pages/s")
			reportCPU(b, res.cpuStart, res.ok)
			reportPercentiles(b, "ms", res.okLatency)
			b.ReportMetric(float64(res.peakHeapBytes)/(1<<20), "peak-heap-MB")
		})
	}
}

// BenchmarkLoadOverload sends pages from 4 times as many clients as the
// default in-flight limit (4 x GOMAXPROCS), and from 16 times as many: the
// excess must be refused at once with 429, and memory must stay bounded
// by the limit, not grow with the number of clients.
func BenchmarkLoadOverload(b *testing.B) {
	limit := DefaultMaxInflight()
	for _, times := range []int{4, 16} {
		b.Run(fmt.Sprintf("clients=%dx%d", times, limit), func(b *testing.B) {
			res := runLoad(b, Config{MaxInflight: limit}, times*limit, b.N, false)
			if res.failed > 0 {
				b.Fatalf("%d failed requests (not 200 or 429)", res.failed)
			}
			b.ReportMetric(float64(res.ok)/res.elapsed.Seconds(), "pages/s")
			b.ReportMetric(100*float64(res.rejected)/float64(res.ok+res.rejected), "%refused")
			reportPercentiles(b, "ms-ok", res.okLatency)
			reportPercentiles(b, "ms-429", res.rejLatency)
			b.ReportMetric(float64(res.peakHeapBytes)/(1<<20), "peak-heap-MB")
		})
	}
}

// processCPU returns the CPU time (user and system) this process has
// used: per page, it measures cost whatever else the machine runs.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the process CPU time per page since start.
func reportCPU(b *testing.B, start time.Duration, pages int) {
	if pages > 0 {
		b.ReportMetric(float64((processCPU()-start).Microseconds())/1000/float64(pages), "cpu-ms/page")
	}
}

// reportPercentiles reports p50, p95 and p99 of ds in milliseconds.
func reportPercentiles(b *testing.B, unit string, ds []time.Duration) {
	if len(ds) == 0 {
		return
	}
	sorted := slices.Clone(ds)
	slices.Sort(sorted)
	for _, q := range []struct {
		name string
		p    float64
	}{{"p50", .50}, {"p95", .95}, {"p99", .99}} {
		i := int(q.p * float64(len(sorted)-1))
		b.ReportMetric(float64(sorted[i].Microseconds())/1000, q.name+"-"+unit)
	}
}

// startHeapSampler samples the live heap every 20 ms until the returned
// function is called, which returns the largest sample.
func startHeapSampler() func() uint64 {
	const name = "/memory/classes/heap/objects:bytes"
	sample := []rtmetrics.Sample{{Name: name}}
	var peak atomic.Uint64
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			rtmetrics.Read(sample)
			if v := sample[0].Value.Uint64(); v > peak.Load() {
				peak.Store(v)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-stopped
		return peak.Load()
	}
}

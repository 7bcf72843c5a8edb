package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gate holds requests inside the analysis step until released, and tells
// the test when each has arrived.
type gate struct {
	arrived chan struct{}
	release chan struct{}
}

func newGate() *gate {
	return &gate{arrived: make(chan struct{}, 64), release: make(chan struct{})}
}

func (g *gate) hold(ctx context.Context) {
	g.arrived <- struct{}{}
	select {
	case <-g.release:
	case <-ctx.Done():
	}
}

// waitArrivals waits for n requests to be held.
func (g *gate) waitArrivals(t *testing.T, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		select {
		case <-g.arrived:
		case <-time.After(30 * time.Second):
			t.Fatalf("only %d of %d requests arrived", i, n)
		}
	}
}

func TestOverloadAnswers429AtOnce(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.MaxInflight = 2; c.Workers = 2 })
	g := newGate()
	s.beforeAnalyze = g.hold
	body := `{"text":"Four towns pool their plows."}`

	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = call(t, s.Handler(), "POST", "/v1/score", "application/json", strings.NewReader(body), nil).Code
		}()
	}
	g.waitArrivals(t, 2) // both slots are held

	for _, path := range []string{"/v1/score", "/v1/features"} {
		rec := call(t, s.Handler(), map[string]string{"/v1/score": "POST", "/v1/features": "GET"}[path], path, "application/json", strings.NewReader(body), nil)
		assert.Equal(t, http.StatusTooManyRequests, rec.Code, path)
		assert.Equal(t, "1", rec.Header().Get("Retry-After"), path)
		assert.Equal(t, codeOverloaded, errorOf(t, rec).Code, path)
	}
	// Health, readiness and metrics stay answerable under overload.
	for _, path := range []string{"/healthz", "/readyz", "/metrics"} {
		assert.Equal(t, http.StatusOK, call(t, s.Handler(), "GET", path, "", nil, nil).Code, path)
	}

	close(g.release)
	wg.Wait()
	assert.Equal(t, []int{200, 200}, codes)
	// The slots are free again.
	assert.Equal(t, http.StatusOK, call(t, s.Handler(), "POST", "/v1/score", "application/json", strings.NewReader(body), nil).Code)
}

// listen starts the server's HTTP server on a loopback port and returns
// its address and a function that waits for Serve to return.
func listen(t *testing.T, s *Server, ctx context.Context, hs *http.Server) (string, func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	done := make(chan error, 1)
	go func() { done <- s.serve(ctx, hs, ln) }()
	return ln.Addr().String(), func() error {
		select {
		case err := <-done:
			return err
		case <-time.After(30 * time.Second):
			return fmt.Errorf("serve did not return")
		}
	}
}

func TestSlowClientIsCutOffByTheReadTimeout(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.Timeouts.Read = 1500 * time.Millisecond })
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait := listen(t, s, ctx, s.HTTPServer())
	defer func() { cancel(); assert.NoError(t, wait()) }()

	conn, err := net.Dial("tcp", addr)
	require.NoError(t, err)
	defer conn.Close()
	const declared = 1000
	_, err = fmt.Fprintf(conn, "POST /v1/score HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n", addr, declared)
	require.NoError(t, err)

	// Read the answer while the body trickles in at one byte a second.
	type answer struct {
		status int
		body   string
		err    error
	}
	answered := make(chan answer, 1)
	go func() {
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			answered <- answer{err: err}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		answered <- answer{status: resp.StatusCode, body: string(b)}
	}()
	sent := 0
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	var got answer
wait:
	for sent < declared {
		select {
		case got = <-answered:
			break wait
		case <-tick.C:
			if _, err := conn.Write([]byte("a")); err != nil {
				got = <-answered
				break wait
			}
			sent++
		}
	}
	require.Less(t, sent, declared, "the server waited for the whole trickled body")
	// The server answers 408 when it can still write; a client may also
	// see the connection closed. Either way it was cut off early.
	if got.err == nil {
		assert.Equal(t, http.StatusRequestTimeout, got.status, got.body)
		assert.Contains(t, got.body, codeRequestTimeout)
	}
	assert.Less(t, sent, 30, "cut off after a few bytes, not after the whole body")
}

// slowClients opens n connections that each declare a body of declared
// bytes and send one byte of it; the returned function closes them.
func slowClients(t *testing.T, addr string, n, declared int) (closeAll func()) {
	t.Helper()
	var conns []net.Conn
	closeAll = func() {
		for _, c := range conns {
			c.Close()
		}
	}
	for range n {
		conn, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		conns = append(conns, conn)
		_, err = fmt.Fprintf(conn, "POST /v1/score HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\na", addr, declared)
		require.NoError(t, err)
	}
	time.Sleep(200 * time.Millisecond) // let the server start reading them
	return closeAll
}

// TestSlowBodiesHoldNoSlot opens as many slow clients as there are
// in-flight slots: a normal request must still be scored, since a slot is
// taken only once the body is read.
func TestSlowBodiesHoldNoSlot(t *testing.T) {
	t.Parallel()
	const slots = 2
	s := newTestServer(t, func(c *Config) { c.MaxInflight = slots })
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait := listen(t, s, ctx, s.HTTPServer())
	defer func() { cancel(); assert.NoError(t, wait()) }()
	defer slowClients(t, addr, slots, 1000)()
	resp, err := http.Post("http://"+addr+"/v1/score", "text/plain", strings.NewReader("A short story about a harbour."))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "slow bodies hold no in-flight slot")
}

// TestBodyMemoryBudgetRefusesAtOnce fills the body memory budget with the
// declared bodies of slow clients: the next request is refused at once
// with 429, before its body is read, and a request without a body is
// still served.
func TestBodyMemoryBudgetRefusesAtOnce(t *testing.T) {
	t.Parallel()
	const body = 64 << 10
	s := newTestServer(t, func(c *Config) {
		c.MaxBodyBytes, c.MaxBatchBodyBytes, c.MaxBodyMemory = body, body, 2*body
	})
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait := listen(t, s, ctx, s.HTTPServer())
	defer func() { cancel(); assert.NoError(t, wait()) }()
	defer slowClients(t, addr, 2, body)()
	resp, err := http.Post("http://"+addr+"/v1/score", "text/plain", strings.NewReader("A short story about a harbour."))
	require.NoError(t, err)
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode, string(b))
	assert.Contains(t, string(b), codeOverloaded)
	assert.NotEmpty(t, resp.Header.Get("Retry-After"))
	resp, err = http.Get("http://" + addr + "/v1/model")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode, "a request without a body needs no budget")
}

func TestGracefulShutdownFinishesInFlightRequests(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	g := newGate()
	s.beforeAnalyze = g.hold
	hs := s.HTTPServer()
	shutdownBegun := make(chan struct{})
	hs.RegisterOnShutdown(func() { close(shutdownBegun) })
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait := listen(t, s, ctx, hs)

	type result struct {
		status int
		label  string
		err    error
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Post("http://"+addr+"/v1/score", "application/json", strings.NewReader(`{"html":`+quote(splicedPage(t))+`}`))
		if err != nil {
			got <- result{err: err}
			return
		}
		defer resp.Body.Close()
		var out scoreResponse
		err = json.NewDecoder(resp.Body).Decode(&out)
		got <- result{status: resp.StatusCode, label: out.Verdict.Label, err: err}
	}()
	g.waitArrivals(t, 1) // the request is being analysed

	cancel() // as SIGTERM does
	<-shutdownBegun
	assert.True(t, s.draining.Load())
	assert.Equal(t, http.StatusServiceUnavailable, call(t, s.Handler(), "GET", "/readyz", "", nil, nil).Code, "not ready while draining")

	close(g.release)
	r := <-got
	require.NoError(t, r.err)
	assert.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "repackaged", r.label)
	assert.NoError(t, wait(), "shutdown completes once the request is done")
}

// TestDrainFailsReadinessBeforeClosing stops a server as SIGTERM does:
// /readyz must answer 503 at once while the server still serves (a load
// balancer drains it), and the listener closes after the grace.
func TestDrainFailsReadinessBeforeClosing(t *testing.T) {
	t.Parallel()
	const grace = 400 * time.Millisecond
	s := newTestServer(t, func(c *Config) { c.Timeouts.DrainGrace = grace })
	hs := s.HTTPServer()
	ctx, cancel := context.WithCancel(context.Background())
	addr, wait := listen(t, s, ctx, hs)
	get := func(path string) (int, error) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	code, err := get("/readyz")
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, code, "ready before the signal")

	start := time.Now()
	cancel() // as SIGTERM does
	require.Eventually(t, s.draining.Load, time.Second, time.Millisecond)
	code, err = get("/readyz")
	require.NoError(t, err, "the listener stays open during the grace")
	assert.Equal(t, http.StatusServiceUnavailable, code, "not ready while draining")
	code, err = get("/healthz")
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, code, "still serving while draining")
	if time.Since(start) < grace {
		rec := call(t, s.Handler(), "POST", "/v1/score", "text/plain", strings.NewReader("A short story about a harbour."), nil)
		assert.Equal(t, http.StatusOK, rec.Code, "pages are still scored while draining")
	}

	require.NoError(t, wait())
	assert.GreaterOrEqual(t, time.Since(start), grace, "the listener closed only after the grace")
	_, err = get("/healthz")
	assert.Error(t, err, "the listener is closed after the drain")
}

// TestAbortCutsTheDrainShort checks that a second signal (Abort) ends a
// long drain grace.
func TestAbortCutsTheDrainShort(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.Timeouts.DrainGrace = time.Hour })
	ctx, cancel := context.WithCancel(context.Background())
	_, wait := listen(t, s, ctx, s.HTTPServer())
	cancel()
	require.Eventually(t, s.draining.Load, time.Second, time.Millisecond)
	s.Abort()
	s.Abort() // a third signal is harmless
	assert.NoError(t, wait(), "serve returns long before the hour's grace")
}

func TestReloadKeepsTheOldModelWhenTheNewOneIsBad(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var logs bytes.Buffer
	path := writeModel(t, dir, "model.json", testModel(t, "first"))
	s, err := New(Config{ModelPath: path, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	require.NoError(t, err)
	require.NoError(t, s.Reload())
	first := s.Detector()
	require.Equal(t, "first", first.Model().Version)

	wrongFeatures := testModel(t, "wrong-features")
	wrongFeatures.Features[0] = "no_such_feature"
	require.NoError(t, wrongFeatures.Seal())
	edited := testModel(t, "edited")
	edited.Heads[0].Intercept = 7 // changed after sealing: the hash no longer matches
	bad := map[string]func() error{
		"garbage":        func() error { return os.WriteFile(path, []byte("{not json"), 0o644) },
		"empty":          func() error { return os.WriteFile(path, nil, 0o644) },
		"wrong features": func() error { writeModel(t, dir, "model.json", wrongFeatures); return nil },
		"hash mismatch":  func() error { writeModel(t, dir, "model.json", edited); return nil },
		"missing file":   func() error { return os.Remove(path) },
	}
	for _, name := range []string{"garbage", "empty", "wrong features", "hash mismatch", "missing file"} {
		require.NoError(t, bad[name](), name)
		err := s.Reload()
		assert.Error(t, err, name)
		assert.ErrorContains(t, err, path, "%s: the error names the file", name)
		assert.Same(t, first, s.Detector(), "%s: the old model stays", name)
		out := call(t, s.Handler(), "GET", "/v1/model", "", nil, nil)
		assert.Contains(t, out.Body.String(), `"version":"first"`, name)
	}
	assert.Contains(t, logs.String(), `"msg":"model refused"`)
	assert.Contains(t, logs.String(), `"keeping_version":"first"`)

	writeModel(t, dir, "model.json", testModel(t, "second"))
	require.NoError(t, s.Reload())
	assert.Equal(t, "second", s.Detector().Model().Version)
	metrics := call(t, s.Handler(), "GET", "/metrics", "", nil, nil).Body.String()
	assert.Contains(t, metrics, `repack_model_reloads_total{result="refused"} 5`)
	assert.Contains(t, metrics, `repack_model_reloads_total{result="loaded"} 2`)
	assert.Contains(t, metrics, `repack_model_info{version="second"} 1`)
	assert.NotContains(t, metrics, `repack_model_info{version="first"}`)
}

func TestLogsHoldNoPageContentAndURLsOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	const pageURL = "https://private-reading.example/diary/entry-42"
	for _, logURLs := range []bool{false, true} {
		var logs bytes.Buffer
		s := newTestServer(t, func(c *Config) {
			c.LogURLs = logURLs
			c.Logger = slog.New(slog.NewJSONHandler(&logs, nil))
		})
		page := splicedPage(t)
		scoreOf(t, call(t, s.Handler(), "POST", "/v1/score", "application/json", jsonBody(t, map[string]string{"html": page, "url": pageURL}), nil))
		call(t, s.Handler(), "POST", "/v1/score", "text/html", strings.NewReader(page), map[string]string{"X-Page-URL": pageURL + "/raw"})
		text := logs.String()
		assert.Contains(t, text, `"msg":"request"`)
		assert.Contains(t, text, `"endpoint":"/v1/score"`)
		assert.Contains(t, text, `"labels":"repackaged"`)
		assert.NotContains(t, text, splicedBrand, "no page content in logs")
		assert.NotContains(t, text, "snowplow", "no page content in logs")
		if logURLs {
			assert.Contains(t, text, pageURL)
		} else {
			assert.NotContains(t, text, "private-reading", "no URL without --log-urls")
		}
	}
}

func TestPanicInAHandlerIsA500AndTheServerGoesOn(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	s := newTestServer(t, func(c *Config) { c.Logger = slog.New(slog.NewJSONHandler(&logs, nil)) })
	var calls atomic.Int32
	s.beforeAnalyze = func(context.Context) {
		if calls.Add(1) == 1 {
			panic("a bug in an extractor")
		}
	}
	body := `{"text":"Four towns pool their plows."}`
	rec := call(t, s.Handler(), "POST", "/v1/score", "application/json", strings.NewReader(body), nil)
	assert.Equal(t, http.StatusInternalServerError, rec.Code)
	e := errorOf(t, rec)
	assert.Equal(t, codeInternal, e.Code)
	assert.Equal(t, rec.Header().Get("X-Request-ID"), e.Details["request_id"])
	assert.Contains(t, logs.String(), "a bug in an extractor")

	// The worker and in-flight slots were given back.
	for i := 0; i < 2*DefaultMaxInflight(); i++ {
		require.Equal(t, http.StatusOK, call(t, s.Handler(), "POST", "/v1/score", "application/json", strings.NewReader(body), nil).Code)
	}
}

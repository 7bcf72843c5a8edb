package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/repack/repack/cmd/repack/internal/server"
	"github.com/repack/repack/detector"
)

var serveCommand = command{
	name:    "serve",
	summary: "serve the HTTP API, the demo page and metrics",
	run:     runServe,
}

// stringList is a repeatable string flag.
type stringList []string

func (l *stringList) String() string { return strings.Join(*l, ",") }

func (l *stringList) Set(v string) error {
	*l = append(*l, v)
	return nil
}

// byteSize is a size flag such as "5MB".
type byteSize int64

func (b *byteSize) String() string {
	switch n := int64(*b); {
	case n > 0 && n%(1<<30) == 0:
		return fmt.Sprintf("%dGB", n>>30)
	case n > 0 && n%(1<<20) == 0:
		return fmt.Sprintf("%dMB", n>>20)
	case n > 0 && n%(1<<10) == 0:
		return fmt.Sprintf("%dKB", n>>10)
	default:
		return fmt.Sprintf("%d", n)
	}
}

func (b *byteSize) Set(v string) error {
	n, err := server.ParseByteSize(v)
	if err != nil {
		return err
	}
	*b = byteSize(n)
	return nil
}

func runServe(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "serve", `Usage: repack serve [flags]

Serves the HTTP API that the browser extension and other services call:

  POST /v1/score       score one page (JSON {"html"|"text","url","client_token"},
                       or the raw page as text/html or text/plain)
  POST /v1/batch       score up to 64 pages, results in order
  GET  /v1/features    the feature catalogue with the model's weights
  GET  /v1/model       the model's version, hash, training summary, metrics
  POST /v1/feedback    report a wrong verdict (appended to --feedback FILE)
  GET  /v1/openapi.json the OpenAPI document of all of these
  GET  /healthz, /readyz, /metrics   liveness, readiness, Prometheus
  GET  /               a demo page: paste a page, see the evidence marked

The server never fetches a page URL, stores no page content unless
feedback is sent, and logs no page content (URLs only with --log-urls).
SIGHUP reloads the model file and the --index file (a bad file is refused and the old model
stays). SIGTERM or SIGINT starts a drain: /readyz answers 503 while the
server goes on serving for --drain-grace, then it stops accepting and
in-flight requests get --shutdown-timeout to finish; a second signal cuts
the drain short.
`)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on; without --api-keys only a loopback address is accepted")
	modelPath := fs.String("model", "", "model file (default: the model embedded in the binary); SIGHUP reloads it")
	indexPath := fs.String("index", detector.DefaultIndexName, indexHelp+"; SIGHUP reloads it with the model")
	thresholds := fs.String("threshold", "", thresholdHelp)
	var origins stringList
	fs.Var(&origins, "allow-origin", "an origin allowed to call the API from a browser, exactly as the browser sends it\n(https://example.org, chrome-extension://ID, moz-extension://UUID); repeatable.\nOnly same-origin requests are allowed by default")
	maxBody := byteSize(server.DefaultMaxBodyBytes)
	fs.Var(&maxBody, "max-body", "largest request body, a `size` such as 5MB (K, M and G are binary units)")
	maxBatchBody := byteSize(server.DefaultMaxBatchBodyBytes)
	fs.Var(&maxBatchBody, "max-batch-body", "largest /v1/batch body, a `size`")
	apiKeys := fs.String("api-keys", "", "file of API keys, one per line (# comments); clients send \"Authorization: Bearer KEY\".\nWithout it the server listens on loopback only")
	feedbackPath := fs.String("feedback", "", "JSONL file that POST /v1/feedback appends to (default: feedback disabled, 404)")
	maxInflight := fs.Int("max-inflight", server.DefaultMaxInflight(), "requests served at once (4 x GOMAXPROCS); more are refused at once with 429 and Retry-After")
	docTimeout := fs.Duration("doc-timeout", server.DefaultDocTimeout, "time limit for one page's analysis; a page over it is answered 422 time_limit (negative: none)")
	maxBodyMemory := byteSize(0)
	fs.Var(&maxBodyMemory, "max-body-memory", "bytes of request bodies held at once, being read or scored; beyond it requests are refused with 429\n(default 2 x --max-inflight x --max-body, at least --max-batch-body)")
	workers := fs.Int("workers", 0, "pages analysed at once; the other in-flight requests wait their turn (default GOMAXPROCS)")
	readHeaderTimeout := fs.Duration("read-header-timeout", server.DefaultTimeouts.ReadHeader, "time allowed to read a request's headers")
	readTimeout := fs.Duration("read-timeout", server.DefaultTimeouts.Read, "time allowed to read a whole request, body included (slow clients are cut off)")
	writeTimeout := fs.Duration("write-timeout", server.DefaultTimeouts.Write, "time allowed from the end of the headers to the end of the response")
	idleTimeout := fs.Duration("idle-timeout", server.DefaultTimeouts.Idle, "time a keep-alive connection may wait for its next request")
	drainGrace := fs.Duration("drain-grace", server.DefaultTimeouts.DrainGrace, "on SIGTERM or SIGINT, time the server goes on serving while /readyz answers 503, so that a load balancer drains it (a second signal cuts it short)")
	shutdownTimeout := fs.Duration("shutdown-timeout", server.DefaultTimeouts.Shutdown, "after the drain grace, time allowed for in-flight requests to finish")
	logURLs := fs.Bool("log-urls", false, "add page URLs to the request log lines (off: the pages people read are private)")
	logFormat := fs.String("log-format", "json", "log format: json or text")
	logLevel := fs.String("log-level", "info", "log level: debug, info, warn or error")
	if code, done := parseNoArgs(e, fs, args); done {
		return code
	}
	logger, err := newLogger(e, *logFormat, *logLevel)
	if err != nil {
		return fail(e, "serve", err)
	}
	thresholdMap, err := parseThresholds(*thresholds)
	if err != nil {
		return fail(e, "serve", err)
	}
	var keys []string
	if *apiKeys != "" {
		if keys, err = server.LoadAPIKeys(*apiKeys); err != nil {
			return fail(e, "serve", err)
		}
	}
	srv, err := server.New(server.Config{
		ModelPath:         *modelPath,
		IndexPath:         *indexPath,
		Thresholds:        thresholdMap,
		AllowOrigins:      origins,
		MaxBodyBytes:      int64(maxBody),
		MaxBatchBodyBytes: int64(maxBatchBody),
		APIKeys:           keys,
		FeedbackPath:      *feedbackPath,
		MaxInflight:       *maxInflight,
		MaxBodyMemory:     int64(maxBodyMemory),
		DocTimeout:        *docTimeout,
		Workers:           *workers,
		Timeouts: server.Timeouts{ReadHeader: *readHeaderTimeout, Read: *readTimeout, Write: *writeTimeout,
			Idle: *idleTimeout, DrainGrace: *drainGrace, Shutdown: *shutdownTimeout},
		LogURLs: *logURLs,
		Logger:  logger,
	})
	if err != nil {
		return fail(e, "serve", usageError{err.Error()})
	}
	// Load the model before listening, so that a bad model fails the start
	// instead of leaving a server that is never ready.
	if err := srv.Reload(); err != nil {
		return fail(e, "serve", err)
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", *addr)
	if err != nil {
		return fail(e, "serve", err)
	}
	if err := srv.CheckListener(ln); err != nil {
		ln.Close()
		return fail(e, "serve", err)
	}
	done := make(chan struct{})
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-hup:
				logger.Info("SIGHUP: reloading the model")
				_ = srv.Reload() // a refused model is logged and the old one stays
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		// Once a first signal has started the drain, a second cuts it short.
		select {
		case <-ctx.Done():
		case <-done:
			return
		}
		again := make(chan os.Signal, 1)
		signal.Notify(again, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(again)
		select {
		case <-again:
			srv.Abort()
		case <-done:
		}
	}()
	defer close(done)
	if err := srv.Serve(ctx, ln); err != nil {
		return fail(e, "serve", err)
	}
	return exitAuthentic
}

// newLogger returns the structured logger for the server, on stderr.
func newLogger(e *env, format, level string) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, usageError{fmt.Sprintf("--log-level %q: want debug, info, warn or error", level)}
	}
	opts := &slog.HandlerOptions{Level: lv}
	switch format {
	case "json":
		return slog.New(slog.NewJSONHandler(e.stderr, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(e.stderr, opts)), nil
	}
	return nil, usageError{fmt.Sprintf("--log-format %q: want json or text", format)}
}

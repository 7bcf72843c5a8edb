// Package server is the HTTP front end of `repack serve`: the version 1
// JSON API (score, batch, features, model, feedback), health, readiness
// and Prometheus metrics, the OpenAPI document that describes them, and an
// embedded demo page. It is a thin shell over one detector.Detector, held
// in an atomic pointer so that a reload swaps the model between requests.
//
// It never fetches a page URL on a client's behalf, stores no page content
// except in feedback a client chose to send, and logs no page content (and
// no page URL unless Config.LogURLs). It must not import the training code
// or the corpus readers; the command line lives in cmd/repack.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/signal"
)

// Defaults for Config fields left zero.
const (
	// DefaultMaxBodyBytes caps a request body (5 MiB).
	DefaultMaxBodyBytes = 5 << 20
	// DefaultMaxBatchBodyBytes caps a /v1/batch body (32 MiB).
	DefaultMaxBatchBodyBytes = 32 << 20
	// retryAfterSeconds is the Retry-After sent with 429 and 503.
	retryAfterSeconds = 1
)

// DefaultMaxInflight is the default concurrency limit: four requests per
// CPU the Go runtime may use.
func DefaultMaxInflight() int { return 4 * runtime.GOMAXPROCS(0) }

// MemoryBound is the documented ceiling on the server's peak resident
// memory for a configuration (docs/serve.md, checked by the hostile-input
// suite): a base for the runtime, the model and the connections' buffers;
// the request bodies held (--max-body-memory) six times over (the body,
// the pages decoded from it, the answer built from them, text and
// evidence, its encoding, and the collector's room at the default GOGC);
// and per analysis slot (--workers) one page being analysed.
// Zero fields take their defaults.
func MemoryBound(cfg Config) int64 {
	inflight := cfg.MaxInflight
	if inflight == 0 {
		inflight = DefaultMaxInflight()
	}
	body, batch := cfg.MaxBodyBytes, cfg.MaxBatchBodyBytes
	if body == 0 {
		body = DefaultMaxBodyBytes
	}
	if batch == 0 {
		batch = DefaultMaxBatchBodyBytes
	}
	budget := cfg.MaxBodyMemory
	if budget == 0 {
		budget = DefaultMaxBodyMemory(inflight, body, batch)
	}
	workers := cfg.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	const base, perWorker = 100 << 20, 40 << 20
	return base + 6*budget + int64(workers)*perWorker
}

// DefaultDocTimeout is the default time limit on one page's analysis.
const DefaultDocTimeout = 10 * time.Second

// DefaultMaxBodyMemory is the default budget of request body bytes held
// at once: two full bodies per in-flight slot, and at least one largest
// batch.
func DefaultMaxBodyMemory(maxInflight int, maxBody, maxBatchBody int64) int64 {
	return max(2*int64(maxInflight)*maxBody, maxBatchBody)
}

// DefaultTimeouts are the HTTP server's timeouts unless configured.
var DefaultTimeouts = Timeouts{
	ReadHeader: 5 * time.Second,
	Read:       30 * time.Second,
	Write:      60 * time.Second,
	Idle:       120 * time.Second,
	DrainGrace: 5 * time.Second,
	Shutdown:   2 * time.Second,
}

// Timeouts bound how long a client may hold a connection.
type Timeouts struct {
	// ReadHeader bounds reading the request headers.
	ReadHeader time.Duration
	// Read bounds reading the whole request, body included: a client that
	// trickles its body is cut off.
	Read time.Duration
	// Write bounds the time from the end of the headers to the end of the
	// response.
	Write time.Duration
	// Idle bounds how long a keep-alive connection waits for the next
	// request.
	Idle time.Duration
	// DrainGrace is how long, after SIGTERM, the server goes on serving
	// while /readyz answers 503, so that a load balancer stops sending it
	// requests before it closes its listener.
	DrainGrace time.Duration
	// Shutdown bounds how long a graceful shutdown, after the drain grace,
	// waits for in-flight requests before closing their connections.
	Shutdown time.Duration
}

// Config is everything the server is told at start.
type Config struct {
	// ModelPath is the model file to load, "" for the model embedded in
	// the binary. Reload reads it again.
	ModelPath string
	// IndexPath is the story index pages are looked up in, as --index
	// names it ("embedded", "none" or a file). Reload reads it again.
	IndexPath string
	// Thresholds replace the model's thresholds of some heads (an
	// operating point the operator chose), at every load.
	Thresholds map[signal.Family]float64
	// AllowOrigins are the exact origins allowed to call the API from a
	// browser ("https://example.org", "chrome-extension://<id>",
	// "moz-extension://<uuid>"). Same-origin requests are always allowed.
	AllowOrigins []string
	// MaxBodyBytes caps a request body; 0 means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// MaxBatchBodyBytes caps a /v1/batch body; 0 means
	// DefaultMaxBatchBodyBytes.
	MaxBatchBodyBytes int64
	// APIKeys, when not empty, are the keys accepted in
	// "Authorization: Bearer KEY". Without keys the server listens on
	// loopback addresses only.
	APIKeys []string
	// FeedbackPath is the JSONL file POST /v1/feedback appends to; ""
	// disables the endpoint (404 feedback_disabled).
	FeedbackPath string
	// MaxInflight is how many requests are served at once; beyond it a
	// request is refused at once with 429. 0 means DefaultMaxInflight().
	MaxInflight int
	// DocTimeout limits the analysis of one page; 0 means
	// DefaultDocTimeout, negative no limit.
	DocTimeout time.Duration
	// MaxBodyMemory caps the bytes of request bodies held at once, being
	// read or being scored; beyond it a request is refused at once with
	// 429. 0 means DefaultMaxBodyMemory of the other limits.
	MaxBodyMemory int64
	// Workers is how many pages are analysed at once (the rest of the
	// in-flight requests wait for a slot); 0 means GOMAXPROCS.
	Workers int
	// Timeouts are the HTTP server's timeouts; zero fields take
	// DefaultTimeouts.
	Timeouts Timeouts
	// LogURLs adds the page URL to request log lines. Off by default:
	// the URLs a person reads are private.
	LogURLs bool
	// Logger receives structured logs; nil discards them.
	Logger *slog.Logger
}

// Server is the HTTP API. Create it with New; it is safe for concurrent
// use.
type Server struct {
	cfg      Config
	log      *slog.Logger
	det      atomic.Pointer[detector.Detector]
	draining atomic.Bool
	// abort, closed by Abort, cuts the drain grace short.
	abort     chan struct{}
	abortOnce sync.Once
	// inflight holds one token per request being served (--max-inflight).
	inflight chan struct{}
	// bodyBudget counts the bytes of request bodies held (--max-body-memory).
	bodyBudget *byteBudget
	// workers holds one token per page being analysed.
	workers  chan struct{}
	metrics  *metrics
	feedback *feedbackLog
	origins  map[string]bool
	keys     *keyring
	routes   []route
	handler  http.Handler
	demo     demoPage

	// loadDetector loads the model at a path ("" for the default); tests
	// replace it.
	loadDetector func(path string) (*detector.Detector, error)
	// beforeAnalyze, when set, runs with the request's context just before
	// a page is analysed, holding its worker slot; tests use it to hold
	// requests in flight.
	beforeAnalyze func(ctx context.Context)
}

// New checks the configuration and returns a server with no model loaded:
// call Reload (or SetDetector) before it is ready.
func New(cfg Config) (*Server, error) {
	if cfg.MaxBodyBytes == 0 {
		cfg.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if cfg.MaxBatchBodyBytes == 0 {
		cfg.MaxBatchBodyBytes = DefaultMaxBatchBodyBytes
	}
	if cfg.MaxInflight == 0 {
		cfg.MaxInflight = DefaultMaxInflight()
	}
	if cfg.Workers == 0 {
		cfg.Workers = runtime.GOMAXPROCS(0)
	}
	if cfg.DocTimeout == 0 {
		cfg.DocTimeout = DefaultDocTimeout
	}
	if cfg.MaxBodyMemory == 0 {
		cfg.MaxBodyMemory = DefaultMaxBodyMemory(cfg.MaxInflight, cfg.MaxBodyBytes, cfg.MaxBatchBodyBytes)
	}
	switch {
	case cfg.MaxBodyMemory < max(cfg.MaxBodyBytes, cfg.MaxBatchBodyBytes):
		return nil, fmt.Errorf("max body memory %d bytes: want at least the largest body (%d bytes)", cfg.MaxBodyMemory, max(cfg.MaxBodyBytes, cfg.MaxBatchBodyBytes))
	case cfg.MaxBodyBytes < 0:
		return nil, fmt.Errorf("max body %d bytes: want a positive size", cfg.MaxBodyBytes)
	case cfg.MaxBatchBodyBytes < 0:
		return nil, fmt.Errorf("max batch body %d bytes: want a positive size", cfg.MaxBatchBodyBytes)
	case cfg.MaxInflight < 0:
		return nil, fmt.Errorf("max in-flight %d: want a positive number", cfg.MaxInflight)
	case cfg.Workers < 0:
		return nil, fmt.Errorf("workers %d: want a positive number", cfg.Workers)
	}
	cfg.Timeouts = cfg.Timeouts.withDefaults()
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	origins := map[string]bool{}
	for _, o := range cfg.AllowOrigins {
		norm, err := normaliseOrigin(o)
		if err != nil {
			return nil, err
		}
		origins[norm] = true
	}
	keys, err := newKeyring(cfg.APIKeys)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:        cfg,
		log:        log,
		abort:      make(chan struct{}),
		inflight:   make(chan struct{}, cfg.MaxInflight),
		bodyBudget: &byteBudget{limit: cfg.MaxBodyMemory},
		workers:    make(chan struct{}, cfg.Workers),
		metrics:    newMetrics(),
		origins:    origins,
		keys:       keys,
		loadDetector: func(path string) (*detector.Detector, error) {
			d, err := detector.Load(path, cfg.Thresholds)
			if err != nil {
				return nil, err
			}
			ix, err := detector.LoadIndex(cfg.IndexPath)
			if err != nil {
				return nil, err
			}
			return d.WithIndex(ix), nil
		},
	}
	if cfg.FeedbackPath != "" {
		fb, err := openFeedbackLog(cfg.FeedbackPath)
		if err != nil {
			return nil, err
		}
		s.feedback = fb
	}
	if s.demo, err = loadDemoPage(); err != nil {
		return nil, err
	}
	s.routes = s.routeTable()
	s.handler = s.buildMux()
	return s, nil
}

func (t Timeouts) withDefaults() Timeouts {
	pick := func(v, d time.Duration) time.Duration {
		if v == 0 {
			return d
		}
		return v
	}
	return Timeouts{
		ReadHeader: pick(t.ReadHeader, DefaultTimeouts.ReadHeader),
		Read:       pick(t.Read, DefaultTimeouts.Read),
		Write:      pick(t.Write, DefaultTimeouts.Write),
		Idle:       pick(t.Idle, DefaultTimeouts.Idle),
		DrainGrace: pick(t.DrainGrace, DefaultTimeouts.DrainGrace),
		Shutdown:   pick(t.Shutdown, DefaultTimeouts.Shutdown),
	}
}

// Handler returns the server's HTTP handler: every route with its
// middleware.
func (s *Server) Handler() http.Handler { return s.handler }

// Detector returns the detector in use, nil before a model is loaded.
func (s *Server) Detector() *detector.Detector { return s.det.Load() }

// SetDetector puts d in use for the requests that start after it.
func (s *Server) SetDetector(d *detector.Detector) {
	old := s.det.Swap(d)
	m := d.Model()
	s.metrics.modelInfo.Reset()
	s.metrics.modelInfo.WithLabelValues(m.Version).Set(1)
	args := []any{"version", m.Version, "hash", m.Hash}
	if old != nil {
		args = append(args, "previous_version", old.Model().Version)
	}
	s.log.Info("model in use", args...)
}

// Reload loads the model file named in the configuration (the embedded
// default when none) and puts it in use. A model that does not load or
// does not fit the extractors is refused: the error is logged and
// returned, and the model in use stays.
func (s *Server) Reload() error {
	d, err := s.loadDetector(s.cfg.ModelPath)
	if err != nil {
		s.metrics.modelReloads.WithLabelValues("refused").Inc()
		args := []any{"path", s.modelName(), "err", err}
		if cur := s.det.Load(); cur != nil {
			args = append(args, "keeping_version", cur.Model().Version)
		}
		s.log.Error("model refused", args...)
		return fmt.Errorf("load model %s: %w", s.modelName(), err)
	}
	s.metrics.modelReloads.WithLabelValues("loaded").Inc()
	s.SetDetector(d)
	return nil
}

func (s *Server) modelName() string {
	if s.cfg.ModelPath == "" {
		return "(embedded default)"
	}
	return s.cfg.ModelPath
}

// Abort cuts the drain grace of a shutdown short (a second SIGTERM or
// SIGINT); in-flight requests still get the shutdown timeout.
func (s *Server) Abort() { s.abortOnce.Do(func() { close(s.abort) }) }

// HTTPServer returns an http.Server for the handler with the configured
// timeouts; its own error log goes to the structured log.
func (s *Server) HTTPServer() *http.Server {
	t := s.cfg.Timeouts
	return &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelWarn),
	}
}

// CheckListener refuses a listener on a non-loopback address when no API
// keys are configured: an open scoring service on a public interface is a
// free CPU for anyone.
func (s *Server) CheckListener(ln net.Listener) error {
	if !s.keys.empty() {
		return nil
	}
	if tcp, ok := ln.Addr().(*net.TCPAddr); ok && tcp.IP.IsLoopback() {
		return nil
	}
	return fmt.Errorf("refusing to listen on %s without API keys: pass --api-keys FILE to serve beyond loopback, or listen on 127.0.0.1", ln.Addr())
}

// Serve serves on ln until ctx is done, then shuts down gracefully: it
// answers /readyz with 503 and goes on serving for the drain grace (or
// until Abort), then stops accepting, lets in-flight requests finish (up
// to the shutdown timeout) and returns. It refuses a
// non-loopback listener without API keys (see CheckListener).
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if err := s.CheckListener(ln); err != nil {
		ln.Close()
		return err
	}
	hs := s.HTTPServer()
	return s.serve(ctx, hs, ln)
}

func (s *Server) serve(ctx context.Context, hs *http.Server, ln net.Listener) error {
	if s.keys.empty() {
		s.log.Warn("no API keys configured: serving on loopback only", "addr", ln.Addr().String())
	}
	s.log.Info("listening", "addr", ln.Addr().String(), "max_inflight", s.cfg.MaxInflight, "workers", s.cfg.Workers,
		"max_body_bytes", s.cfg.MaxBodyBytes, "allowed_origins", strings.Join(s.cfg.AllowOrigins, " "),
		"feedback", s.feedback != nil, "log_urls", s.cfg.LogURLs)
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	s.draining.Store(true)
	s.log.Info("draining: /readyz answers 503 while requests are still served", "grace", s.cfg.Timeouts.DrainGrace.String())
	grace := time.NewTimer(s.cfg.Timeouts.DrainGrace)
	defer grace.Stop()
	select {
	case <-grace.C:
	case <-s.abort:
		s.log.Info("drain cut short")
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	}
	s.log.Info("shutting down: finishing in-flight requests", "timeout", s.cfg.Timeouts.Shutdown.String())
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.Timeouts.Shutdown)
	defer cancel()
	err := hs.Shutdown(sctx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		hs.Close()
		return fmt.Errorf("shutdown: %w", err)
	}
	s.log.Info("stopped")
	return nil
}

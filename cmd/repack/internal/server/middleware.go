package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"path"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// route is one endpoint the server answers: the method and path that
// openapi.json lists, what guards it and its handler.
type route struct {
	method, path string
	// auth: needs an API key when keys are configured.
	auth bool
	// limited: counts against --max-inflight (429 beyond it).
	limited bool
	// maxBody is the largest body the route reads; a limited route with a
	// body reads it whole before it takes an in-flight slot.
	maxBody int64
	handler http.HandlerFunc
}

// routeTable lists every endpoint. The OpenAPI document must list exactly
// these (TestOpenAPIMatchesRoutes).
func (s *Server) routeTable() []route {
	return []route{
		{method: "GET", path: "/", handler: s.handleDemo},
		{method: "POST", path: "/v1/score", auth: true, limited: true, maxBody: s.cfg.MaxBodyBytes, handler: s.handleScore},
		{method: "POST", path: "/v1/batch", auth: true, limited: true, maxBody: s.cfg.MaxBatchBodyBytes, handler: s.handleBatch},
		{method: "GET", path: "/v1/features", auth: true, limited: true, handler: s.handleFeatures},
		{method: "GET", path: "/v1/model", auth: true, limited: true, handler: s.handleModel},
		{method: "POST", path: "/v1/feedback", auth: true, limited: true, maxBody: s.cfg.MaxBodyBytes, handler: s.handleFeedback},
		{method: "GET", path: "/v1/openapi.json", handler: s.handleOpenAPI},
		{method: "GET", path: "/healthz", handler: s.handleHealthz},
		{method: "GET", path: "/readyz", handler: s.handleReadyz},
		{method: "GET", path: "/metrics", auth: true, handler: s.handleMetrics},
	}
}

// endpointOther labels requests that match no route.
const endpointOther = "other"

// buildMux registers every route, a JSON 405 for the other methods on each
// path, and a JSON 404 for everything else, each behind the middleware.
func (s *Server) buildMux() http.Handler {
	mux := http.NewServeMux()
	methods := map[string][]string{}
	var paths []string
	for _, rt := range s.routes {
		if _, ok := methods[rt.path]; !ok {
			paths = append(paths, rt.path)
		}
		methods[rt.path] = append(methods[rt.path], rt.method)
	}
	for _, rt := range s.routes {
		var h http.Handler = rt.handler
		if rt.limited {
			h = s.limit(rt.path, rt.maxBody, h)
		}
		if rt.auth {
			h = s.authenticate(h)
		}
		mux.Handle(rt.method+" "+muxPath(rt.path), s.common(rt.path, methods[rt.path], h))
	}
	for _, p := range paths {
		mux.Handle(muxPath(p), s.common(p, methods[p], methodNotAllowed(methods[p])))
	}
	other := s.common(endpointOther, nil, http.HandlerFunc(notFound))
	mux.Handle("/", other)
	// The mux answers an unclean path ("//", "/./") with a redirect that
	// is not JSON; no endpoint has such a path, so it is a 404.
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cleanPath(r.URL.Path) {
			other.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	})
}

// cleanPath reports whether p is absolute with no empty, "." or ".."
// element, as path.Clean would leave it (a trailing slash aside).
func cleanPath(p string) bool {
	if p == "/" {
		return true
	}
	trimmed := strings.TrimSuffix(p, "/")
	return strings.HasPrefix(p, "/") && path.Clean(trimmed) == trimmed
}

// muxPath turns a route path into a ServeMux pattern path: "/" alone must
// not match every path.
func muxPath(p string) string {
	if p == "/" {
		return "/{$}"
	}
	return p
}

func methodNotAllowed(allowed []string) http.HandlerFunc {
	allow := strings.Join(withHead(allowed), ", ")
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, newError(http.StatusMethodNotAllowed, codeMethodNotAllowed,
			fmt.Sprintf("%s is not allowed here; allowed: %s", r.Method, allow)))
	}
}

// withHead adds HEAD where GET is allowed, as the mux does.
func withHead(methods []string) []string {
	out := slices.Clone(methods)
	if slices.Contains(out, "GET") && !slices.Contains(out, "HEAD") {
		out = append(out, "HEAD")
	}
	return out
}

func notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, newError(http.StatusNotFound, codeNotFound, "no such endpoint; GET /v1/openapi.json lists them"))
}

// common is the middleware every request passes: request id, metrics and
// the log line, panic recovery, security headers and CORS. endpoint is the
// route path (a fixed label, never the request's own path); methods are
// the methods the path allows, for preflight answers.
func (s *Server) common(endpoint string, methods []string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		s.metrics.inFlight.Inc()
		defer s.metrics.inFlight.Dec()
		info := &requestInfo{id: requestID()}
		rec := &statusRecorder{ResponseWriter: w}
		rec.Header().Set("X-Request-ID", info.id)
		rec.Header().Set("X-Content-Type-Options", "nosniff")
		r = r.WithContext(context.WithValue(r.Context(), requestInfoKey{}, info))
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic serving request", "request_id", info.id, "endpoint", endpoint, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rec.wroteHeader {
					writeError(rec, newError(http.StatusInternalServerError, codeInternal, "internal error; the server log has the details").with("request_id", info.id))
				}
			}
			code := rec.status
			if code == 0 {
				code = http.StatusOK
			}
			elapsed := time.Since(start)
			s.metrics.requests.WithLabelValues(endpoint, strconv.Itoa(code)).Inc()
			s.metrics.requestDuration.WithLabelValues(endpoint).Observe(elapsed.Seconds())
			s.logRequest(r, endpoint, code, elapsed, info)
		}()
		if s.keys.empty() && !loopbackHost(r.Host) {
			s.fail(rec, r, newError(http.StatusForbidden, codeHostNotAllowed,
				"without API keys this server answers only requests addressed to a loopback address or localhost").with("host", r.Host))
			return
		}
		if s.cors(rec, r, methods) {
			return
		}
		next.ServeHTTP(rec, r)
	})
}

// logRequest writes the request's log line: no page content, and the page
// URL only with LogURLs.
func (s *Server) logRequest(r *http.Request, endpoint string, code int, elapsed time.Duration, info *requestInfo) {
	level := slog.LevelInfo
	if code >= 500 {
		level = slog.LevelError
	}
	if endpoint == "/healthz" || endpoint == "/readyz" || endpoint == "/metrics" {
		level = slog.LevelDebug
	}
	if !s.log.Enabled(r.Context(), level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("request_id", info.id),
		slog.String("method", r.Method),
		slog.String("endpoint", endpoint),
		slog.Int("status", code),
		slog.Float64("duration_ms", float64(elapsed.Microseconds())/1000),
		slog.Int64("body_bytes", info.bodyBytes),
	}
	if info.errorCode != "" {
		attrs = append(attrs, slog.String("error", info.errorCode))
	}
	if len(info.labels) > 0 {
		attrs = append(attrs, slog.String("labels", strings.Join(info.labels, ",")))
	}
	if s.cfg.LogURLs && len(info.urls) > 0 {
		attrs = append(attrs, slog.String("page_url", strings.Join(info.urls, " ")))
	}
	s.log.LogAttrs(r.Context(), level, "request", attrs...)
}

// cors applies the CORS policy. It answers a preflight itself (204 for
// an allowed origin, 403 otherwise) and refuses a cross-origin request
// from an origin not allowed; it returns true when it wrote the response.
// Requests without an Origin (curl, servers) pass untouched.
func (s *Server) cors(w http.ResponseWriter, r *http.Request, methods []string) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	w.Header().Add("Vary", "Origin")
	preflight := r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != ""
	if !s.originAllowed(r, origin) {
		s.fail(w, r, newError(http.StatusForbidden, codeOriginNotAllowed,
			"this origin may not call the API; the server's --allow-origin flag lists those that may").with("origin", origin))
		return true
	}
	if !preflight {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Expose-Headers", "Retry-After, X-Request-ID")
		return false
	}
	want := r.Header.Get("Access-Control-Request-Method")
	if !slices.Contains(withHead(methods), want) {
		s.fail(w, r, newError(http.StatusForbidden, codeMethodNotAllowed,
			fmt.Sprintf("%s is not allowed here", want)).with("allowed", withHead(methods)))
		return true
	}
	w.Header().Set("Access-Control-Allow-Origin", origin)
	w.Header().Add("Vary", "Access-Control-Request-Method")
	w.Header().Add("Vary", "Access-Control-Request-Headers")
	w.Header().Set("Access-Control-Allow-Methods", strings.Join(withHead(methods), ", "))
	w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type, "+headerPageURL+", "+headerClientToken)
	w.Header().Set("Access-Control-Max-Age", "600")
	w.WriteHeader(http.StatusNoContent)
	return true
}

// authenticate refuses a request without an accepted API key, when keys
// are configured.
func (s *Server) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.keys.empty() || s.keys.accepts(bearerToken(r)) {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("WWW-Authenticate", `Bearer realm="repack"`)
		s.fail(w, r, newError(http.StatusUnauthorized, codeUnauthorized, `send a valid API key as "Authorization: Bearer KEY"`))
	})
}

// limit serves at most MaxInflight limited requests at once and refuses
// the rest at once with 429 and Retry-After: no request waits in an
// unbounded queue. A request with a body first reserves its size (its
// Content-Length, or maxBody when it sends none) from the body memory
// budget, 429 when the budget is spent, then reads the whole body, and
// only then takes an in-flight slot: a client that trickles its body
// holds budget until the read timeout cuts it off, never a slot.
func (s *Server) limit(endpoint string, maxBody int64, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		overloaded := func(what string) {
			s.fail(w, r, newError(http.StatusTooManyRequests, codeOverloaded,
				fmt.Sprintf("the server is at its limit of %s; retry after %d s", what, retryAfterSeconds)))
		}
		if maxBody > 0 {
			reserve := maxBody
			if r.ContentLength >= 0 && r.ContentLength < maxBody {
				reserve = r.ContentLength
			}
			if !s.bodyBudget.tryAcquire(reserve) {
				overloaded(fmt.Sprintf("%d bytes of request bodies in memory", s.bodyBudget.limit))
				return
			}
			defer s.bodyBudget.release(reserve)
			body, aerr := s.readBody(w, r, endpoint, maxBody)
			if aerr != nil {
				s.fail(w, r, aerr)
				return
			}
			if info := infoOf(r); info != nil {
				info.body, info.bodyRead = body, true
			}
		}
		select {
		case s.inflight <- struct{}{}:
			defer func() { <-s.inflight }()
			next.ServeHTTP(w, r)
		default:
			overloaded(fmt.Sprintf("%d requests", s.cfg.MaxInflight))
		}
	})
}

// byteBudget is a count of bytes that requests may hold at once.
type byteBudget struct {
	mu    sync.Mutex
	used  int64
	limit int64
}

// tryAcquire takes n bytes if they are free; it never waits.
func (b *byteBudget) tryAcquire(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// fail writes an error response and notes its code for the log line.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, e *apiError) {
	if info := infoOf(r); info != nil {
		info.errorCode = e.Code
	}
	writeError(w, e)
}

// requestInfo is what a handler tells the log line about its request.
type requestInfo struct {
	id        string
	bodyBytes int64
	// body is the request body, once limit has read it.
	body      []byte
	bodyRead  bool
	errorCode string
	labels    []string
	urls      []string
}

type requestInfoKey struct{}

func infoOf(r *http.Request) *requestInfo {
	info, _ := r.Context().Value(requestInfoKey{}).(*requestInfo)
	return info
}

// requestID returns a random id for a request's log line and its
// X-Request-ID header.
func requestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusRecorder remembers the status a handler wrote.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = http.StatusOK, true
	}
	return r.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

package server

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features"
	"github.com/repack/repack/features/signal"
)

// testModel returns a sealed model over the extractors in use, with
// weights we chose (every feature counts towards its own family), so that
// tests do not depend on the embedded default model, which is retrained
// as the project goes.
func testModel(t testing.TB, version string) *detector.Model {
	t.Helper()
	cat, err := features.Catalogue()
	require.NoError(t, err)
	list := cat.Extractors()
	names := detector.FeatureNames(cat) // the extractors, then the source features (weight 0 here)
	n := len(names)
	m := &detector.Model{FormatVersion: detector.FormatVersion, Version: version, Means: make([]float64, n), Scales: make([]float64, n)}
	heads := map[signal.Family]*detector.Head{}
	for _, kind := range []signal.Family{signal.Repackaged, signal.Injected} {
		heads[kind] = &detector.Head{Kind: kind, Weights: make([]float64, n), Intercept: -2.5,
			Calibration: detector.Platt{A: -1.5, B: 0}, Threshold: 0.5}
	}
	for i, name := range names {
		m.Features = append(m.Features, name)
		m.Scales[i] = 1
		if i < len(list) {
			heads[list[i].Family].Weights[i] = 0.8
		}
	}
	m.Heads = []detector.Head{*heads[signal.Repackaged], *heads[signal.Injected]}
	m.Training = json.RawMessage(`{"documents":0,"note":"hand-set weights for the server's tests"}`)
	m.Metrics = json.RawMessage(`{}`)
	require.NoError(t, m.Seal())
	return m
}

// testDetector returns a detector with testModel.
func testDetector(t testing.TB, version string) *detector.Detector {
	t.Helper()
	d, err := detector.New(testModel(t, version))
	require.NoError(t, err)
	return d
}

// writeModel writes a model file and returns its path.
func writeModel(t testing.TB, dir, name string, m *detector.Model) string {
	t.Helper()
	b, err := m.Encode()
	require.NoError(t, err)
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, b, 0o644))
	return p
}

// newTestServer returns a server with the test model in use, after edit
// has adjusted its configuration.
func newTestServer(t testing.TB, edit func(*Config)) *Server {
	t.Helper()
	// A short drain grace, so that tests that stop a server do not wait
	// the default; the drain test sets its own.
	cfg := Config{Timeouts: Timeouts{DrainGrace: time.Millisecond}}
	if edit != nil {
		edit(&cfg)
	}
	s, err := New(cfg)
	require.NoError(t, err)
	s.SetDetector(testDetector(t, "test-1"))
	return s
}

// newDefaultModelServer returns a server with the embedded default model,
// the one users meet, for the tests that show what they see.
func newDefaultModelServer(t testing.TB) *Server {
	t.Helper()
	m, err := detector.DefaultModel()
	require.NoError(t, err)
	d, err := detector.New(m)
	require.NoError(t, err)
	s, err := New(Config{})
	require.NoError(t, err)
	s.SetDetector(d)
	return s
}

// splicedPage is a page we wrote in the network's shape: an invented
// brand spliced into the headline and the lead of an invented wire story.
func splicedPage(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "spliced-page.html"))
	require.NoError(t, err)
	return string(b)
}

// splicedBrand is the brand spliced into testdata/spliced-page.html.
const splicedBrand = "Pinegate Asset Partners"

// call sends one request to the handler and returns the recorded answer.
func call(t testing.TB, h http.Handler, method, path, contentType string, body io.Reader, headers map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Host = "127.0.0.1:8080" // as a local client sends it (see loopbackHost)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range headers {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// jsonBody encodes v.
func jsonBody(t testing.TB, v any) io.Reader {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return bytes.NewReader(b)
}

// errorOf decodes an error response, requiring the JSON error shape.
func errorOf(t testing.TB, rec *httptest.ResponseRecorder) *apiError {
	t.Helper()
	require.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"), "body: %s", rec.Body.String())
	var body struct {
		Error *apiError `json:"error"`
	}
	dec := json.NewDecoder(bytes.NewReader(rec.Body.Bytes()))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(&body), "body: %s", rec.Body.String())
	require.NotNil(t, body.Error, "body: %s", rec.Body.String())
	require.NotEmpty(t, body.Error.Code)
	require.NotEmpty(t, body.Error.Message)
	require.NotNil(t, body.Error.Details, "details must be an object, not null")
	return body.Error
}

// scoreOf decodes a score response.
func scoreOf(t testing.TB, rec *httptest.ResponseRecorder) scoreResponse {
	t.Helper()
	require.Equal(t, http.StatusOK, rec.Code, "body: %s", rec.Body.String())
	var out scoreResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	return out
}

// utf16Slice returns s[start:end] in UTF-16 code units, as JavaScript
// would slice it.
func utf16Slice(s string, start, end int) string {
	u := utf16.Encode([]rune(s))
	if start < 0 || end > len(u) || start > end {
		return "<out of range>"
	}
	return string(utf16.Decode(u[start:end]))
}

// repeatReader yields n bytes of a repeated pattern without holding them.
type repeatReader struct {
	pattern []byte
	left    int64
	read    int64
}

func (r *repeatReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	n := int64(len(p))
	if n > r.left {
		n = r.left
	}
	for i := int64(0); i < n; i++ {
		p[i] = r.pattern[(r.read+i)%int64(len(r.pattern))]
	}
	r.left -= n
	r.read += n
	return int(n), nil
}

// containsAll reports whether s holds every part.
func containsAll(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

// newRequest builds a request for serve.
func newRequest(t testing.TB, method, path, contentType string, body io.Reader) *http.Request {
	t.Helper()
	req := httptest.NewRequest(method, path, body)
	req.Host = "127.0.0.1:8080" // as a local client sends it (see loopbackHost)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// serve runs one request through the server's handler.
func serve(s *Server, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	return rec
}

// quote returns s as a JSON string literal.
func quote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// errorCase is a request that must be refused with a documented error.
type errorCase struct {
	name, contentType, body string
	wantStatus              int
	wantCode                string
}

// checkErrorCases sends each case to method path and checks the status
// and error code.
func checkErrorCases(t *testing.T, h http.Handler, method, path string, cases []errorCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := call(t, h, method, path, tc.contentType, strings.NewReader(tc.body), nil)
			assert.Equal(t, tc.wantStatus, rec.Code)
			assert.Equal(t, tc.wantCode, errorOf(t, rec).Code)
		})
	}
}

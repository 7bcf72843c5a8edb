package server

import (
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const extensionOrigin = "chrome-extension://abcdefghijklmnopabcdefghijklmnop"

func TestCORSPreflight(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) {
		c.AllowOrigins = []string{extensionOrigin, "moz-extension://4b0a2e5c-93d4-4b8e-9f0e-6f1c2d3e4a5b", "https://newsroom.example"}
	})
	preflight := func(origin, path, method string) *http.Request {
		req := newRequest(t, "OPTIONS", path, "", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", method)
		req.Header.Set("Access-Control-Request-Headers", "content-type, authorization")
		return req
	}
	tests := []struct {
		name, origin, path, method string
		wantStatus                 int
	}{
		{"chrome extension", extensionOrigin, "/v1/score", "POST", 204},
		{"firefox extension", "moz-extension://4b0a2e5c-93d4-4b8e-9f0e-6f1c2d3e4a5b", "/v1/batch", "POST", 204},
		{"listed web origin", "https://newsroom.example", "/v1/features", "GET", 204},
		{"another extension", "chrome-extension://ponmlkjihgfedcbaponmlkjihgfedcba", "/v1/score", "POST", 403},
		{"another web origin", "https://evil.example", "/v1/score", "POST", 403},
		{"listed origin on another port", "https://newsroom.example:8443", "/v1/score", "POST", 403},
		{"null origin", "null", "/v1/score", "POST", 403},
		{"allowed origin, method not served", extensionOrigin, "/v1/score", "DELETE", 403},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(s, preflight(tt.origin, tt.path, tt.method))
			require.Equal(t, tt.wantStatus, rec.Code, rec.Body.String())
			if tt.wantStatus == http.StatusNoContent {
				assert.Equal(t, tt.origin, rec.Header().Get("Access-Control-Allow-Origin"))
				assert.Contains(t, rec.Header().Get("Access-Control-Allow-Methods"), tt.method)
				allowHeaders := strings.ToLower(rec.Header().Get("Access-Control-Allow-Headers"))
				assert.True(t, containsAll(allowHeaders, "content-type", "authorization", "x-page-url"), allowHeaders)
				assert.Contains(t, rec.Header().Values("Vary"), "Origin")
				assert.Empty(t, rec.Body.String())
				return
			}
			assert.Empty(t, rec.Header().Get("Access-Control-Allow-Origin"))
			errorOf(t, rec)
		})
	}
}

func TestCORSOnRequests(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.AllowOrigins = []string{extensionOrigin} })
	body := `{"text":"Four towns pool their plows."}`
	tests := []struct {
		name, origin, host, fetchSite string
		wantStatus                    int
		wantAllowOrigin               string
	}{
		{"allowed extension", extensionOrigin, "127.0.0.1:8080", "cross-site", 200, extensionOrigin},
		{"other origin refused", "https://evil.example", "127.0.0.1:8080", "cross-site", 403, ""},
		{"same origin by host", "http://127.0.0.1:8080", "127.0.0.1:8080", "", 200, "http://127.0.0.1:8080"},
		{"same origin by fetch metadata", "http://localhost:8080", "127.0.0.1:8080", "same-origin", 200, "http://localhost:8080"},
		{"no origin (curl, servers)", "", "127.0.0.1:8080", "", 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, "POST", "/v1/score", "application/json", strings.NewReader(body))
			req.Host = tt.host
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			if tt.fetchSite != "" {
				req.Header.Set("Sec-Fetch-Site", tt.fetchSite)
			}
			rec := serve(s, req)
			require.Equal(t, tt.wantStatus, rec.Code, rec.Body.String())
			assert.Equal(t, tt.wantAllowOrigin, rec.Header().Get("Access-Control-Allow-Origin"))
			if tt.wantStatus == http.StatusForbidden {
				assert.Equal(t, codeOriginNotAllowed, errorOf(t, rec).Code)
			}
		})
	}
}

// TestDNSRebindingIsRefused sends what a page that rebinds its own name
// to 127.0.0.1 sends: its own name as Host, and the same as Origin. Without
// API keys only loopback hosts are answered, on every endpoint; with keys
// (a server meant to be reached by name) the key decides.
func TestDNSRebindingIsRefused(t *testing.T) {
	t.Parallel()
	feedback := filepath.Join(t.TempDir(), "feedback.jsonl")
	open := newTestServer(t, func(c *Config) { c.FeedbackPath = feedback })
	const attacker = "rebind.attacker.example:8080"
	for _, ep := range []struct{ method, path, body string }{
		{"POST", "/v1/score", `{"text":"x"}`},
		{"GET", "/metrics", ""},
		{"POST", "/v1/feedback", `{"url":"https://a.example/","label_claimed":"authentic"}`},
		{"GET", "/", ""},
		{"GET", "/readyz", ""},
	} {
		rec := call(t, open.Handler(), ep.method, ep.path, "application/json", strings.NewReader(ep.body),
			map[string]string{"Host": attacker, "Origin": "http://" + attacker})
		assert.Equal(t, http.StatusForbidden, rec.Code, "%s %s", ep.method, ep.path)
		assert.Equal(t, codeHostNotAllowed, errorOf(t, rec).Code, "%s %s", ep.method, ep.path)
	}
	b, err := os.ReadFile(feedback)
	require.NoError(t, err)
	assert.Empty(t, b, "no feedback recorded through a rebound name")

	tests := []struct {
		host string
		ok   bool
	}{
		{"127.0.0.1:8080", true}, {"localhost:8080", true}, {"LOCALHOST", true}, {"[::1]:8080", true}, {"127.1.2.3", true},
		{"rebind.attacker.example:8080", false}, {"10.0.0.5:8080", false}, {"localhost.attacker.example", false},
		{"127.0.0.1.nip.io:8080", false}, {"localhost:http", false}, {"", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.ok, loopbackHost(tt.host), tt.host)
	}

	keyed := newTestServer(t, func(c *Config) { c.APIKeys = []string{"0123456789abcdef0123"} })
	rec := call(t, keyed.Handler(), "GET", "/v1/model", "", nil, map[string]string{"Host": "repack.internal.example", "Authorization": "Bearer 0123456789abcdef0123"})
	assert.Equal(t, http.StatusOK, rec.Code, "with API keys the server may be reached by name")
}

func TestAllowOriginFlagIsChecked(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"evil.example", "https://example.org/path", "*", "chrome-extension://", "https://user@example.org"} {
		_, err := New(Config{AllowOrigins: []string{bad}})
		assert.Error(t, err, bad)
	}
	s, err := New(Config{AllowOrigins: []string{"HTTPS://Newsroom.Example/"}})
	require.NoError(t, err)
	assert.True(t, s.origins["https://newsroom.example"])
}

func TestAPIKeys(t *testing.T) {
	t.Parallel()
	const key = "k3y-for-tests-0123456789abcdef"
	s := newTestServer(t, func(c *Config) { c.APIKeys = []string{"another-key-aaaaaaaaaaaaaaaa", key} })
	tests := []struct {
		name, method, path, auth string
		wantStatus               int
	}{
		{"no key", "GET", "/v1/model", "", 401},
		{"wrong key", "GET", "/v1/model", "Bearer k3y-for-tests-0123456789abcdeX", 401},
		{"key prefix", "GET", "/v1/model", "Bearer k3y-for-tests", 401},
		{"basic auth", "GET", "/v1/model", "Basic " + key, 401},
		{"right key", "GET", "/v1/model", "Bearer " + key, 200},
		{"scheme in lower case", "GET", "/v1/model", "bearer " + key, 200},
		{"score needs a key", "POST", "/v1/score", "", 401},
		{"metrics need a key", "GET", "/metrics", "", 401},
		{"metrics with key", "GET", "/metrics", "Bearer " + key, 200},
		{"health is open", "GET", "/healthz", "", 200},
		{"readiness is open", "GET", "/readyz", "", 200},
		{"demo page is open", "GET", "/", "", 200},
		{"OpenAPI is open", "GET", "/v1/openapi.json", "", 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			req := newRequest(t, tt.method, tt.path, "application/json", strings.NewReader(`{"text":"A line."}`))
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			rec := serve(s, req)
			require.Equal(t, tt.wantStatus, rec.Code, rec.Body.String())
			if tt.wantStatus == http.StatusUnauthorized {
				assert.Equal(t, codeUnauthorized, errorOf(t, rec).Code)
				assert.Equal(t, `Bearer realm="repack"`, rec.Header().Get("WWW-Authenticate"))
			}
		})
	}
}

func TestShortAPIKeyRefused(t *testing.T) {
	t.Parallel()
	_, err := New(Config{APIKeys: []string{"short"}})
	assert.ErrorContains(t, err, "at least 16")
}

func TestLoadAPIKeys(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name, content string
		want          []string
		wantErr       string
	}{
		{"keys, comments and blanks", "# team keys\n\nkey-one-0123456789abcdef\n  key-two-0123456789abcdef  \r\n", []string{"key-one-0123456789abcdef", "key-two-0123456789abcdef"}, ""},
		{"empty file", "# nothing yet\n", nil, "holds no keys"},
		{"short key", "key-one-0123456789abcdef\nshort\n", nil, "line 2"},
		{"key with a space", "key one 0123456789abcdef\n", nil, "white space"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_"))
			require.NoError(t, os.WriteFile(p, []byte(tt.content), 0o600))
			keys, err := LoadAPIKeys(p)
			if tt.wantErr != "" {
				assert.ErrorContains(t, err, tt.wantErr)
				assert.ErrorContains(t, err, p, "the error names the file")
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.want, keys)
		})
	}
	_, err := LoadAPIKeys(filepath.Join(dir, "missing"))
	assert.ErrorContains(t, err, "missing")
}

// fakeListener reports an address without listening on it.
type fakeListener struct{ addr net.Addr }

func (l fakeListener) Accept() (net.Conn, error) { return nil, net.ErrClosed }
func (l fakeListener) Close() error              { return nil }
func (l fakeListener) Addr() net.Addr            { return l.addr }

func TestListenerMustBeLoopbackWithoutKeys(t *testing.T) {
	t.Parallel()
	open, err := New(Config{})
	require.NoError(t, err)
	keyed, err := New(Config{APIKeys: []string{"k3y-for-tests-0123456789abcdef"}})
	require.NoError(t, err)
	tests := []struct {
		ip        string
		openOK    bool
		keyedOKay bool
	}{
		{"127.0.0.1", true, true},
		{"127.0.0.2", true, true},
		{"::1", true, true},
		{"0.0.0.0", false, true},
		{"::", false, true},
		{"192.0.2.10", false, true},
	}
	for _, tt := range tests {
		ln := fakeListener{&net.TCPAddr{IP: net.ParseIP(tt.ip), Port: 8080}}
		if tt.openOK {
			assert.NoError(t, open.CheckListener(ln), tt.ip)
		} else {
			assert.ErrorContains(t, open.CheckListener(ln), "--api-keys", tt.ip)
		}
		assert.NoError(t, keyed.CheckListener(ln), tt.ip)
	}
}

func TestParseByteSize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want int64
	}{
		{"5MB", 5 << 20}, {"5mb", 5 << 20}, {"5M", 5 << 20}, {"5MiB", 5 << 20},
		{"512KB", 512 << 10}, {"64k", 64 << 10}, {"1GB", 1 << 30}, {"1048576", 1 << 20}, {"100B", 100}, {" 2 MB ", 2 << 20},
	}
	for _, tt := range tests {
		got, err := ParseByteSize(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	for _, bad := range []string{"", "MB", "-5MB", "0", "5TB", "five", "1.5MB", "99999999999999GB"} {
		_, err := ParseByteSize(bad)
		assert.Error(t, err, bad)
	}
}

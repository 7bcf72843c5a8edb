package server

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features"
)

func TestScoreJSONReturnsVerdictTextAndHighlights(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	page := splicedPage(t)
	rec := call(t, s.Handler(), "POST", "/v1/score", "application/json",
		jsonBody(t, map[string]string{"html": page, "url": "https://lakeshore-money.example/markets/2025/11/02/plow.html", "client_token": "tab-17"}), nil)
	out := scoreOf(t, rec)

	assert.Equal(t, "tab-17", out.ClientToken)
	assert.Equal(t, "html", out.Format)
	assert.Equal(t, "test-1", out.Verdict.Model)
	assert.Equal(t, "repackaged", out.Verdict.Label, "the hand-set model flags a page where this many repackaging features fire")
	require.NotEmpty(t, out.Verdict.Reasons)
	sum := out.Verdict.Intercept
	for _, r := range out.Verdict.Reasons {
		sum += r.Contribution
	}
	assert.InDelta(t, out.Verdict.Score, sum, 1e-9, "contributions plus intercept make the score")

	// Every text-field evidence span indexes the returned text, by bytes
	// and by UTF-16 units.
	spans := 0
	for _, r := range out.Verdict.Reasons {
		for _, ev := range r.Evidence {
			if ev.Field == "text" {
				spans++
				require.LessOrEqual(t, ev.End, len(out.Text))
				assert.Equal(t, ev.Text, out.Text[ev.Start:ev.End], "%s evidence", r.Feature)
			}
		}
	}
	assert.Positive(t, spans)
	var splice *highlight
	for i, h := range out.Highlights {
		text := out.Text
		if h.Field == "hidden" {
			text = out.HiddenText
		}
		assert.Equal(t, h.Text, text[h.Start:h.End], "%s byte span", h.Feature)
		assert.Equal(t, h.Text, utf16Slice(text, h.StartUTF16, h.EndUTF16), "%s UTF-16 span", h.Feature)
		if h.Feature == "lead_brand_splice" {
			splice = &out.Highlights[i]
		}
	}
	require.NotNil(t, splice, "the lead splice is highlighted")
	assert.Equal(t, splicedBrand, splice.Text)
	assert.NotEmpty(t, splice.Path, "HTML evidence carries a CSS-like path")
	assert.Greater(t, splice.StartUTF16, 0)
	assert.Less(t, splice.StartUTF16, splice.Start, "the text before the lead holds multi-byte runes, so UTF-16 offsets run behind byte offsets")
}

func TestScoreRawBodies(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	tests := []struct {
		name, contentType, path string
		headers                 map[string]string
		body                    string
		wantFormat, wantToken   string
	}{
		{name: "html with URL header", contentType: "text/html; charset=utf-8", path: "/v1/score",
			headers: map[string]string{"X-Page-URL": "https://lakeshore-money.example/a.html", "X-Client-Token": "t1"},
			body:    splicedPage(t), wantFormat: "html", wantToken: "t1"},
		{name: "text with URL query", contentType: "text/plain", path: "/v1/score?url=https%3A%2F%2Fexample.org%2Fx&client_token=t2",
			body: "Towns share snowplows\nMONTPELIER, Vt. (AP) — Four towns voted to pool their plows.\n", wantFormat: "text", wantToken: "t2"},
		{name: "xhtml", contentType: "application/xhtml+xml", path: "/v1/score",
			body: `<html xmlns="http://www.w3.org/1999/xhtml"><body><p>A short note about plows.</p></body></html>`, wantFormat: "html"},
		{name: "latin-1 charset parameter", contentType: "text/plain; charset=iso-8859-1", path: "/v1/score",
			body: "Caf\xe9 owners meet the town board\n", wantFormat: "text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := scoreOf(t, call(t, s.Handler(), "POST", tt.path, tt.contentType, strings.NewReader(tt.body), tt.headers))
			assert.Equal(t, tt.wantFormat, out.Format)
			assert.Equal(t, tt.wantToken, out.ClientToken)
			assert.NotEmpty(t, out.Text)
		})
	}
	t.Run("charset decoded", func(t *testing.T) {
		t.Parallel()
		out := scoreOf(t, call(t, s.Handler(), "POST", "/v1/score", "text/plain; charset=iso-8859-1", strings.NewReader("Caf\xe9 owners meet\n"), nil))
		assert.Contains(t, out.Text, "Café")
	})
}

func TestScoreErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	html := "<p>A page.</p>"
	checkErrorCases(t, s.Handler(), "POST", "/v1/score", []errorCase{
		{"invalid JSON", "application/json", `{"html": "<p>`, 400, codeBadJSON},
		{"JSON array", "application/json", `["<p>x</p>"]`, 400, codeBadJSON},
		{"empty JSON body", "application/json", ``, 400, codeBadJSON},
		{"unknown field", "application/json", `{"htlm": "<p>x</p>"}`, 400, codeBadJSON},
		{"trailing data", "application/json", `{"html": "<p>x</p>"} {}`, 400, codeBadJSON},
		{"html is not a string", "application/json", `{"html": 42}`, 400, codeBadJSON},
		{"neither html nor text", "application/json", `{"url": "https://example.org/"}`, 400, codeMissingPage},
		{"JSON null", "application/json", `null`, 400, codeMissingPage},
		{"both html and text", "application/json", `{"html": "<p>x</p>", "text": "x"}`, 400, codeAmbiguousPage},
		{"empty html", "application/json", `{"html": ""}`, 400, codeEmptyPage},
		{"white space text", "application/json", `{"text": " \n\t "}`, 400, codeEmptyPage},
		{"relative URL", "application/json", `{"html": "` + html + `", "url": "/news/a.html"}`, 400, codeBadURL},
		{"unparsable URL", "application/json", `{"html": "` + html + `", "url": "http://[::1"}`, 400, codeBadURL},
		{"URL too long", "application/json", `{"html": "` + html + `", "url": "https://example.org/` + strings.Repeat("a", maxURLBytes) + `"}`, 400, codeBadURL},
		{"client token too long", "application/json", `{"html": "` + html + `", "client_token": "` + strings.Repeat("t", maxClientTokenBytes+1) + `"}`, 400, codeBadRequest},
		{"binary in JSON", "application/json", `{"text": "\u0000\u0001\u0002PNG\u0000\u0000"}`, 400, codeBinaryContent},
		{"binary raw", "text/plain", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", 400, codeBinaryContent},
		{"empty raw body", "text/html", "", 400, codeEmptyPage},
		{"wrong content type", "application/xml", "<p>x</p>", 415, codeUnsupportedType},
		{"form content type", "application/x-www-form-urlencoded", "html=x", 415, codeUnsupportedType},
		{"no content type", "", `{"html": "<p>x</p>"}`, 415, codeUnsupportedType},
		{"malformed content type", "text/html; charset", "<p>x</p>", 415, codeUnsupportedType},
	})
}

func TestScoreBodyLimit(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.MaxBodyBytes = 1 << 20 })
	const hundredMB = 100 << 20
	t.Run("declared length over the limit is refused unread", func(t *testing.T) {
		t.Parallel()
		body := &repeatReader{pattern: []byte("<p>spam</p>"), left: hundredMB}
		req := newRequest(t, "POST", "/v1/score", "text/html", body)
		req.ContentLength = hundredMB
		rec := serve(s, req)
		assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		e := errorOf(t, rec)
		assert.Equal(t, codeTooLarge, e.Code)
		assert.EqualValues(t, 1<<20, e.Details["limit_bytes"])
		assert.Zero(t, body.read, "nothing read")
	})
	t.Run("chunked body is cut at the limit", func(t *testing.T) {
		t.Parallel()
		body := &repeatReader{pattern: []byte("<p>spam</p>"), left: hundredMB}
		req := newRequest(t, "POST", "/v1/score", "text/html", body)
		req.ContentLength = -1
		rec := serve(s, req)
		assert.Equal(t, http.StatusRequestEntityTooLarge, rec.Code)
		assert.Equal(t, codeTooLarge, errorOf(t, rec).Code)
		assert.LessOrEqual(t, body.read, int64(2<<20), "read stops near the limit, not at 100 MB")
	})
	t.Run("at the limit is scored", func(t *testing.T) {
		t.Parallel()
		const unit = "<p>Plows and salt sheds for four towns.</p>"
		page := "<html><body>" + strings.Repeat(unit, (1<<20-100)/len(unit)) + "</body></html>"
		require.LessOrEqual(t, len(page), 1<<20)
		scoreOf(t, call(t, s.Handler(), "POST", "/v1/score", "text/html", strings.NewReader(page), nil))
	})
}

func TestScoreOddPagesGetAVerdictOrADocumentedError(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	rng := rand.New(rand.NewPCG(5, 17))
	garbage := make([]byte, 64<<10)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	highBytes := make([]byte, 64<<10)
	for i := range highBytes {
		highBytes[i] = byte(0x80 + rng.UintN(128))
	}
	tests := []struct {
		name, contentType string
		body              []byte
	}{
		{"deeply nested divs", "text/html", []byte(strings.Repeat("<div>", 100_000) + "deep" + strings.Repeat("</div>", 100_000))},
		{"deeply nested formatting", "text/html", []byte(strings.Repeat("<b><i>", 20_000) + "deep")},
		{"unclosed tags", "text/html", []byte(strings.Repeat("<table><tr><td><p><a href='x'>", 5_000))},
		{"random bytes as html", "text/html", garbage},
		{"random bytes as text", "text/plain", garbage},
		{"high bytes, no NUL", "text/html", highBytes},
		{"invalid UTF-8 in a page", "text/html", []byte("<p>caf\xe9 \xff\xfe board</p>")},
		{"only a comment", "text/html", []byte("<!-- nothing -->")},
		{"only markup", "text/html", []byte("<html><head></head><body></body></html>")},
		{"script only", "text/html", []byte("<script>while(true){}</script>")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rec := call(t, s.Handler(), "POST", "/v1/score", tt.contentType, bytes.NewReader(tt.body), nil)
			switch rec.Code {
			case http.StatusOK:
				out := scoreOf(t, rec)
				assert.NotEmpty(t, out.Verdict.Label)
			case http.StatusBadRequest:
				assert.Contains(t, []string{codeEmptyPage, codeBinaryContent, codeUnreadablePage}, errorOf(t, rec).Code)
			default:
				t.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		})
	}
}

func TestBatchKeepsOrderAndPerDocumentErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	body := `{"documents": [
		{"html": ` + quote(splicedPage(t)) + `, "client_token": "a"},
		{"html": "<p>x</p>", "text": "x", "client_token": "b"},
		{"text": "Four towns pool their plows.\nThe boards voted on Thursday.", "client_token": "c"},
		{"htlm": "typo", "client_token": "d"},
		{"text": "", "client_token": "e"}
	]}`
	rec := call(t, s.Handler(), "POST", "/v1/batch", "application/json", strings.NewReader(body), nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var out struct {
		Model   string `json:"model"`
		Results []struct {
			Index       int               `json:"index"`
			ClientToken string            `json:"client_token"`
			Verdict     *detector.Verdict `json:"verdict"`
			Text        *string           `json:"text"`
			Error       *apiError         `json:"error"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	require.Len(t, out.Results, 5)
	assert.Equal(t, "test-1", out.Model)
	want := []struct {
		token, code, label string
	}{
		{"a", "", "repackaged"},
		{"b", codeAmbiguousPage, ""},
		{"c", "", "authentic"},
		{"", codeBadJSON, ""}, // the document did not decode, so neither did its token
		{"e", codeEmptyPage, ""},
	}
	for i, w := range want {
		r := out.Results[i]
		assert.Equal(t, i, r.Index)
		assert.Equal(t, w.token, r.ClientToken, "result %d", i)
		if w.code != "" {
			require.NotNil(t, r.Error, "result %d", i)
			assert.Equal(t, w.code, r.Error.Code, "result %d", i)
			assert.Nil(t, r.Verdict, "result %d", i)
			continue
		}
		require.Nil(t, r.Error, "result %d", i)
		require.NotNil(t, r.Verdict, "result %d", i)
		assert.Equal(t, w.label, r.Verdict.Label, "result %d", i)
		require.NotNil(t, r.Text, "result %d", i)
		assert.NotEmpty(t, *r.Text, "result %d", i)
	}
}

func TestBatchErrors(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.MaxBatchBodyBytes = 64 << 10 })
	docs := make([]map[string]string, MaxBatchDocuments+1)
	for i := range docs {
		docs[i] = map[string]string{"text": "a line"}
	}
	tooMany, err := json.Marshal(map[string]any{"documents": docs})
	require.NoError(t, err)
	checkErrorCases(t, s.Handler(), "POST", "/v1/batch", []errorCase{
		{"not JSON", "application/json", `{"documents": [`, 400, codeBadJSON},
		{"no documents", "application/json", `{"documents": []}`, 400, codeBadRequest},
		{"documents missing", "application/json", `{}`, 400, codeBadRequest},
		{"documents not a list", "application/json", `{"documents": {"html": "x"}}`, 400, codeBadJSON},
		{"too many documents", "application/json", string(tooMany), 413, codeTooManyDocuments},
		{"body over the batch limit", "application/json", `{"documents": [{"text": "` + strings.Repeat("a", 70<<10) + `"}]}`, 413, codeTooLarge},
		{"raw html", "text/html", "<p>x</p>", 415, codeUnsupportedType},
	})
}

func TestFeaturesListsCatalogueWithWeights(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	rec := call(t, s.Handler(), "GET", "/v1/features", "", nil, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	var out struct {
		Model    string        `json:"model"`
		Features []featureInfo `json:"features"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	assert.Equal(t, "test-1", out.Model)
	cat, err := features.Catalogue()
	require.NoError(t, err)
	list := cat.Extractors()
	require.Len(t, out.Features, len(list))
	for i, e := range list {
		f := out.Features[i]
		assert.Equal(t, e.Name, f.Name)
		assert.Equal(t, e.Family, f.Family)
		assert.Equal(t, e.Description(), f.Description)
		assert.Equal(t, e.Doc, f.Doc)
		assert.Len(t, f.Weights, 2, "%s has a weight per head", e.Name)
		assert.InDelta(t, 0.8, f.Weights[e.Family], 1e-12, "%s weight in its own family's head", e.Name)
	}
}

func TestModelDescribesTheModelInUse(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	rec := call(t, s.Handler(), "GET", "/v1/model", "", nil, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	var out modelInfo
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
	m := s.Detector().Model()
	assert.Equal(t, "test-1", out.Version)
	assert.Equal(t, m.Hash, out.Hash)
	assert.Regexp(t, `^sha256:[0-9a-f]{64}$`, out.Hash)
	assert.Equal(t, m.Features, out.Features)
	require.Len(t, out.Heads, 2)
	assert.JSONEq(t, string(m.Training), string(out.Training))
}

func TestNotReadyUntilAModelIsLoaded(t *testing.T) {
	t.Parallel()
	s, err := New(Config{})
	require.NoError(t, err)
	for _, rt := range []struct{ method, path, ct, body string }{
		{"POST", "/v1/score", "application/json", `{"html":"<p>x</p>"}`},
		{"POST", "/v1/batch", "application/json", `{"documents":[{"text":"x"}]}`},
		{"GET", "/v1/features", "", ""},
		{"GET", "/v1/model", "", ""},
		{"GET", "/readyz", "", ""},
	} {
		rec := call(t, s.Handler(), rt.method, rt.path, rt.ct, strings.NewReader(rt.body), nil)
		assert.Equal(t, http.StatusServiceUnavailable, rec.Code, rt.path)
		assert.Equal(t, codeNotReady, errorOf(t, rec).Code, rt.path)
		assert.Equal(t, "1", rec.Header().Get("Retry-After"), rt.path)
	}
	assert.Equal(t, http.StatusOK, call(t, s.Handler(), "GET", "/healthz", "", nil, nil).Code, "alive while not ready")

	s.SetDetector(testDetector(t, "test-1"))
	rec := call(t, s.Handler(), "GET", "/readyz", "", nil, nil)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"status":"ready","model":"test-1"}`, rec.Body.String())
}

func TestUnknownPathsAndMethodsAnswerJSON(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	tests := []struct {
		method, path string
		wantStatus   int
		wantCode     string
		wantAllow    string
	}{
		{"GET", "/nope", 404, codeNotFound, ""},
		{"GET", "/v2/score", 404, codeNotFound, ""},
		{"GET", "/v1//model", 404, codeNotFound, ""},
		{"GET", "/v1/./model", 404, codeNotFound, ""},
		{"GET", "/healthz/", 404, codeNotFound, ""},
		{"GET", "/v1/score", 405, codeMethodNotAllowed, "POST"},
		{"DELETE", "/v1/model", 405, codeMethodNotAllowed, "GET, HEAD"},
		{"POST", "/", 405, codeMethodNotAllowed, "GET, HEAD"},
		{"OPTIONS", "/v1/score", 405, codeMethodNotAllowed, "POST"},
	}
	for _, tt := range tests {
		rec := call(t, s.Handler(), tt.method, tt.path, "", nil, nil)
		assert.Equal(t, tt.wantStatus, rec.Code, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.wantCode, errorOf(t, rec).Code, "%s %s", tt.method, tt.path)
		assert.Equal(t, tt.wantAllow, rec.Header().Get("Allow"), "%s %s", tt.method, tt.path)
	}
}

func TestHealthz(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	rec := call(t, s.Handler(), "GET", "/healthz", "", nil, nil)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.JSONEq(t, `{"status":"ok"}`, rec.Body.String())
	assert.NotEmpty(t, rec.Header().Get("X-Request-ID"))
	assert.Equal(t, "nosniff", rec.Header().Get("X-Content-Type-Options"))
}

func TestDemoPageAllowsOnlyItsOwnScript(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	rec := call(t, s.Handler(), "GET", "/", "", nil, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "text/html; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.Contains(t, rec.Body.String(), `id="score"`)
	// The example page rides along as escaped text (its own links are
	// text, never fetched); nothing else names an outside address.
	assert.Regexp(t, `<textarea id="example" hidden data-url="https://[^"]+">&lt;!DOCTYPE html&gt;`, rec.Body.String(), "the example page, escaped, for the Try button")
	outside := regexp.MustCompile(`(src|href|action)\s*=\s*["']?\s*(https?:)?//|url\(\s*["']?(https?:)?//|@import|fetch\(\s*["'](https?:)?//`)
	assert.Empty(t, outside.FindAllString(rec.Body.String(), -1), "no CDN or other outside address")
	script, err := inlineBlock(demoHTML, "<script>", "</script>")
	require.NoError(t, err)
	csp := rec.Header().Get("Content-Security-Policy")
	assert.Contains(t, csp, "script-src '"+cspHash(script)+"'")
	assert.Contains(t, csp, "connect-src 'self'")
	assert.Contains(t, csp, "default-src 'none'")
}

func TestMetricsCountRequestsWithoutURLs(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	const secretURL = "https://private-reading.example/diary/entry-42"
	scoreOf(t, call(t, s.Handler(), "POST", "/v1/score", "application/json",
		jsonBody(t, map[string]string{"html": splicedPage(t), "url": secretURL}), nil))
	call(t, s.Handler(), "GET", "/no/such/"+secretURL, "", nil, nil)
	rec := call(t, s.Handler(), "GET", "/metrics", "", nil, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	text := rec.Body.String()
	for _, want := range []string{
		`repack_http_requests_total{code="200",endpoint="/v1/score"} 1`,
		`repack_http_requests_total{code="404",endpoint="other"} 1`,
		`repack_pages_scored_total{label="repackaged"} 1`,
		`repack_score_duration_seconds_count 1`,
		`repack_http_request_body_bytes_count{endpoint="/v1/score"} 1`,
		`repack_http_requests_in_flight 1`, // this request
		`repack_model_info{version="test-1"} 1`,
		`go_goroutines`,
	} {
		assert.Contains(t, text, want)
	}
	assert.NotContains(t, text, "private-reading")
}

func TestDocTimeoutAnswers422(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.DocTimeout = time.Nanosecond })
	rec := call(t, s.Handler(), "POST", "/v1/score", "text/html", strings.NewReader(splicedPage(t)), nil)
	require.Equal(t, http.StatusUnprocessableEntity, rec.Code, rec.Body.String())
	e := errorOf(t, rec)
	assert.Equal(t, codeTimeLimit, e.Code)
	assert.Contains(t, e.Message, "--doc-timeout")
	assert.Equal(t, 1e-9, e.Details["limit_seconds"])
}

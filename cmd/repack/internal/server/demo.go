package server

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"

	"github.com/repack/repack/detector"
)

// demoHTML is the demo page: one file of HTML with its script and style
// inline, no build step and nothing fetched from elsewhere.
//
//go:embed demo.html
var demoHTML []byte

// openAPIDocument describes every endpoint; TestOpenAPIMatchesRoutes
// keeps it in step with routeTable.
//
//go:embed openapi.json
var openAPIDocument []byte

// demoPage is the demo page with the Content-Security-Policy that allows
// exactly its own inline script and style (by hash) and requests to this
// server, and nothing else.
type demoPage struct {
	body []byte
	csp  string
}

func loadDemoPage() (demoPage, error) {
	script, err := inlineBlock(demoHTML, "<script>", "</script>")
	if err != nil {
		return demoPage{}, err
	}
	style, err := inlineBlock(demoHTML, "<style>", "</style>")
	if err != nil {
		return demoPage{}, err
	}
	csp := fmt.Sprintf("default-src 'none'; script-src '%s'; style-src '%s'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
		cspHash(script), cspHash(style))
	body := bytes.Replace(demoHTML, []byte("{{EXAMPLE_PAGE}}"), []byte(html.EscapeString(string(detector.ExamplePage()))), 1)
	body = bytes.Replace(body, []byte("{{EXAMPLE_URL}}"), []byte(html.EscapeString(detector.ExampleURL)), 1)
	return demoPage{body: body, csp: csp}, nil
}

// inlineBlock returns the text between the only open and close tags.
func inlineBlock(doc []byte, open, close string) ([]byte, error) {
	i := bytes.Index(doc, []byte(open))
	if i < 0 || bytes.Count(doc, []byte(open)) != 1 {
		return nil, fmt.Errorf("demo page: want exactly one %s block", open)
	}
	rest := doc[i+len(open):]
	j := bytes.Index(rest, []byte(close))
	if j < 0 {
		return nil, fmt.Errorf("demo page: %s is not closed", open)
	}
	return rest[:j], nil
}

func cspHash(b []byte) string {
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

func (s *Server) handleDemo(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Security-Policy", s.demo.csp)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-cache")
	_, _ = w.Write(s.demo.body)
}

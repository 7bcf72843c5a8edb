package server

import (
	"mime"
	"net/http"
	"net/url"
	"testing"
	"unicode/utf8"

	"github.com/repack/repack/features/page"
)

// FuzzDecodeScore feeds the request decoder arbitrary content types,
// headers, query strings and bodies. It must never panic, and every
// answer must be a page to score or a documented client error.
func FuzzDecodeScore(f *testing.F) {
	seeds := []struct{ contentType, pageURL, query, body string }{
		{"application/json", "", "", `{"html": "<p>Four towns pool their plows.</p>", "url": "https://example.org/a", "client_token": "t"}`},
		{"application/json; charset=utf-8", "", "", `{"text": "A line.\nAnother line."}`},
		{"application/json", "", "", `{"html": "<p>x</p>", "text": "x"}`},
		{"application/json", "", "", `{"html": ""}`},
		{"application/json", "", "", `{"html": "\u0000\u0001"}`},
		{"application/json", "", "", `{"html": "<p>x</p>", "url": "http://[::1"}`},
		{"application/json", "", "", `{"htlm": "<p>x</p>"}`},
		{"application/json", "", "", `{"html": "<p>x</p>"} trailing`},
		{"application/json", "", "", `[1, 2, 3]`},
		{"application/json", "", "", `null`},
		{"application/json", "", "", `{"html": "\ud800"}`},
		{"text/html; charset=windows-1252", "https://example.org/x", "", "<p>caf\xe9</p>"},
		{"text/plain", "", "url=https%3A%2F%2Fexample.org%2F&client_token=abc", "plain text page"},
		{"text/html", "not a url", "", "<p>x</p>"},
		{"text/html", "", "url=%zz", "<p>x</p>"},
		{"application/xml", "", "", "<p>x</p>"},
		{"", "", "", "<p>x</p>"},
		{"text/html; charset", "", "", "<p>x</p>"},
		{"multipart/form-data; boundary=x", "", "", "--x\r\n"},
	}
	for _, s := range seeds {
		f.Add(s.contentType, s.pageURL, s.query, []byte(s.body))
	}
	codes := map[string]int{
		codeBadJSON: 400, codeBadRequest: 400, codeBadURL: 400, codeMissingPage: 400, codeAmbiguousPage: 400,
		codeEmptyPage: 400, codeUnsupportedType: 415,
	}
	f.Fuzz(func(t *testing.T, contentType, pageURL, rawQuery string, body []byte) {
		header := http.Header{}
		header.Set(headerPageURL, pageURL)
		query, _ := url.ParseQuery(rawQuery)
		in, aerr := decodeScore(contentType, header, query, body)
		if aerr != nil {
			want, ok := codes[aerr.Code]
			if !ok || want != aerr.Status {
				t.Fatalf("undocumented error %d %s: %s", aerr.Status, aerr.Code, aerr.Message)
			}
			if aerr.Message == "" || aerr.Details == nil {
				t.Fatalf("error %s without a message or details", aerr.Code)
			}
			return
		}
		if len(in.in.Body) == 0 {
			t.Fatal("an empty page was accepted")
		}
		if in.in.Format != page.FormatHTML && in.in.Format != page.FormatText {
			t.Fatalf("format %v: the decoder must decide html or text", in.in.Format)
		}
		if len(in.clientToken) > maxClientTokenBytes || len(in.in.URL) > maxURLBytes {
			t.Fatal("an over-long token or URL was accepted")
		}
		if in.in.URL != "" {
			u, err := url.Parse(in.in.URL)
			if err != nil || !u.IsAbs() {
				t.Fatalf("URL %q accepted but not absolute", in.in.URL)
			}
		}
		if mt, _, _ := mime.ParseMediaType(contentType); mt == "application/json" && !utf8.Valid(in.in.Body) {
			t.Fatal("a page sent as a JSON string must come out as valid UTF-8")
		}
	})
}

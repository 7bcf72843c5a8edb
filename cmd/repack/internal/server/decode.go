package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/page"
)

// Limits on request fields other than the page itself.
const (
	// maxURLBytes caps the page URL a client sends.
	maxURLBytes = 8192
	// maxClientTokenBytes caps the client token echoed back.
	maxClientTokenBytes = 256
	// MaxBatchDocuments is the most documents one POST /v1/batch may hold.
	MaxBatchDocuments = 64
)

// Headers and query parameters that carry the page URL and the client
// token when the body is the raw page.
const (
	headerPageURL     = "X-Page-URL"
	headerClientToken = "X-Client-Token"
	queryPageURL      = "url"
	queryClientToken  = "client_token"
)

// scoreRequest is the JSON body of POST /v1/score and one document of
// POST /v1/batch. Exactly one of HTML and Text is set.
type scoreRequest struct {
	HTML        *string `json:"html,omitempty"`
	Text        *string `json:"text,omitempty"`
	URL         string  `json:"url,omitempty"`
	ClientToken string  `json:"client_token,omitempty"`
}

// batchRequest is the JSON body of POST /v1/batch. Documents stay raw so
// that one malformed document is that document's error, not the batch's.
type batchRequest struct {
	Documents []json.RawMessage `json:"documents"`
}

// pageInput is a decoded page to score and the token to echo.
type pageInput struct {
	in          detector.Input
	clientToken string
}

// decodeScore reads the body of POST /v1/score: a JSON scoreRequest, or
// the raw page as text/html or text/plain with the URL and client token in
// headers or query parameters. It does no I/O, so that it can be fuzzed.
func decodeScore(contentType string, header http.Header, query url.Values, body []byte) (pageInput, *apiError) {
	mediaType, err := parseContentType(contentType)
	if err != nil {
		return pageInput{}, err
	}
	var format page.Format
	switch mediaType {
	case "application/json":
		var req scoreRequest
		if err := decodeJSON(body, &req); err != nil {
			return pageInput{}, err
		}
		return req.input()
	case "text/html", "application/xhtml+xml":
		format = page.FormatHTML
	case "text/plain":
		format = page.FormatText
	default:
		return pageInput{}, newError(http.StatusUnsupportedMediaType, codeUnsupportedType,
			fmt.Sprintf("Content-Type %q: send application/json, text/html or text/plain", mediaType)).with("content_type", mediaType)
	}
	pageURL := header.Get(headerPageURL)
	if pageURL == "" {
		pageURL = query.Get(queryPageURL)
	}
	token := header.Get(headerClientToken)
	if token == "" {
		token = query.Get(queryClientToken)
	}
	pageURL, aerr := checkPageURL(pageURL)
	if aerr != nil {
		return pageInput{}, aerr
	}
	if aerr := checkClientToken(token); aerr != nil {
		return pageInput{}, aerr
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return pageInput{}, newError(http.StatusBadRequest, codeEmptyPage, "the page is empty")
	}
	// The raw body keeps its Content-Type, so that its charset parameter
	// decodes it.
	return pageInput{in: detector.Input{Body: body, URL: pageURL, ContentType: contentType, Format: format}, clientToken: token}, nil
}

// decodeBatch reads the body of POST /v1/batch. A malformed batch is an
// error for the whole request; a malformed document is returned as that
// document's error, in its place.
func decodeBatch(contentType string, body []byte) ([]pageInput, []*apiError, *apiError) {
	mediaType, err := parseContentType(contentType)
	if err != nil {
		return nil, nil, err
	}
	if mediaType != "application/json" {
		return nil, nil, newError(http.StatusUnsupportedMediaType, codeUnsupportedType,
			fmt.Sprintf("Content-Type %q: /v1/batch reads application/json", mediaType)).with("content_type", mediaType)
	}
	var req batchRequest
	if err := decodeJSON(body, &req); err != nil {
		return nil, nil, err
	}
	switch n := len(req.Documents); {
	case n == 0:
		return nil, nil, newError(http.StatusBadRequest, codeBadRequest, `"documents" is missing or empty`)
	case n > MaxBatchDocuments:
		return nil, nil, newError(http.StatusRequestEntityTooLarge, codeTooManyDocuments,
			fmt.Sprintf("%d documents in one batch; the limit is %d", n, MaxBatchDocuments)).
			with("documents", n).with("limit", MaxBatchDocuments)
	}
	inputs := make([]pageInput, len(req.Documents))
	errs := make([]*apiError, len(req.Documents))
	for i, raw := range req.Documents {
		var doc scoreRequest
		if err := decodeJSON(raw, &doc); err != nil {
			errs[i] = err
			continue
		}
		inputs[i], errs[i] = doc.input()
		if errs[i] != nil && checkClientToken(doc.ClientToken) == nil {
			// The token still tells the client which document failed.
			inputs[i].clientToken = doc.ClientToken
		}
	}
	return inputs, errs, nil
}

// parseContentType returns the media type of a Content-Type header, lower
// case, or a 415 error.
func parseContentType(contentType string) (string, *apiError) {
	if strings.TrimSpace(contentType) == "" {
		return "", newError(http.StatusUnsupportedMediaType, codeUnsupportedType,
			"no Content-Type: send application/json, text/html or text/plain")
	}
	mediaType, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", newError(http.StatusUnsupportedMediaType, codeUnsupportedType,
			fmt.Sprintf("Content-Type %q does not parse: %v", contentType, err))
	}
	return mediaType, nil
}

// decodeJSON decodes exactly one JSON object into v, refusing unknown
// fields (a misspelt "htlm" would otherwise score an empty page) and
// trailing data.
func decodeJSON(body []byte, v any) *apiError {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		msg := err.Error()
		if errors.Is(err, io.EOF) {
			msg = "the body is empty"
		}
		return newError(http.StatusBadRequest, codeBadJSON, "request body is not valid JSON for this endpoint: "+msg)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return newError(http.StatusBadRequest, codeBadJSON, "request body has data after the JSON object")
	}
	return nil
}

// input checks a JSON request and returns the page to score.
func (r scoreRequest) input() (pageInput, *apiError) {
	var body string
	var format page.Format
	var contentType string
	switch {
	case r.HTML != nil && r.Text != nil:
		return pageInput{}, newError(http.StatusBadRequest, codeAmbiguousPage, `send either "html" or "text", not both`)
	case r.HTML != nil:
		// JSON strings are Unicode already: the page's own <meta charset>
		// must not re-decode them.
		body, format, contentType = *r.HTML, page.FormatHTML, "text/html; charset=utf-8"
	case r.Text != nil:
		body, format, contentType = *r.Text, page.FormatText, "text/plain; charset=utf-8"
	default:
		return pageInput{}, newError(http.StatusBadRequest, codeMissingPage, `the request has neither "html" nor "text"`)
	}
	pageURL, err := checkPageURL(r.URL)
	if err != nil {
		return pageInput{}, err
	}
	if err := checkClientToken(r.ClientToken); err != nil {
		return pageInput{}, err
	}
	if strings.TrimSpace(body) == "" {
		return pageInput{}, newError(http.StatusBadRequest, codeEmptyPage, "the page is empty")
	}
	return pageInput{in: detector.Input{Body: []byte(body), URL: pageURL, ContentType: contentType, Format: format}, clientToken: r.ClientToken}, nil
}

// checkPageURL returns the trimmed page URL, or an error when it is too
// long or not an absolute URL. "" is allowed: the URL is optional.
func checkPageURL(raw string) (string, *apiError) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", nil
	}
	if len(raw) > maxURLBytes {
		return "", newError(http.StatusBadRequest, codeBadURL, fmt.Sprintf("the page URL is %d bytes; the limit is %d", len(raw), maxURLBytes))
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", newError(http.StatusBadRequest, codeBadURL, fmt.Sprintf("the page URL does not parse: %v", err))
	}
	if !u.IsAbs() {
		return "", newError(http.StatusBadRequest, codeBadURL, "the page URL is not absolute (it needs a scheme such as https:)")
	}
	return raw, nil
}

// checkClientToken refuses a token too long to echo.
func checkClientToken(token string) *apiError {
	if len(token) > maxClientTokenBytes {
		return newError(http.StatusBadRequest, codeBadRequest,
			fmt.Sprintf("client_token is %d bytes; the limit is %d", len(token), maxClientTokenBytes))
	}
	return nil
}

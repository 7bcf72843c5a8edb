package server

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// Error codes: the machine-readable "code" of an error response. Each is
// listed, with its status, in openapi.json and docs/serve.md.
const (
	codeBadJSON           = "bad_json"            // 400: the body is not the JSON object the endpoint reads
	codeBadRequest        = "bad_request"         // 400: a field is missing, too long or invalid
	codeBadURL            = "bad_url"             // 400: the page URL does not parse
	codeMissingPage       = "missing_page"        // 400: neither "html" nor "text" was sent
	codeAmbiguousPage     = "ambiguous_page"      // 400: both "html" and "text" were sent
	codeEmptyPage         = "empty_page"          // 400: the page holds nothing but white space
	codeBinaryContent     = "binary_content"      // 400: the page is binary data, not HTML or text
	codeUnreadablePage    = "unreadable_page"     // 400: the page could not be read for another reason
	codeUnauthorized      = "unauthorized"        // 401: API keys are configured and none was sent, or a wrong one
	codeOriginNotAllowed  = "origin_not_allowed"  // 403: a cross-origin request from an origin not allowed by --allow-origin
	codeTimeLimit         = "time_limit"          // 422: the page was not analysed within --doc-timeout
	codeHostNotAllowed    = "host_not_allowed"    // 403: without API keys, a Host that is not a loopback address or localhost (DNS rebinding)
	codeNotFound          = "not_found"           // 404: no such endpoint
	codeFeedbackDisabled  = "feedback_disabled"   // 404: POST /v1/feedback without --feedback
	codeMethodNotAllowed  = "method_not_allowed"  // 405: the endpoint exists for other methods (see Allow)
	codeRequestTimeout    = "request_timeout"     // 408: the body did not arrive within the read timeout
	codeTooLarge          = "too_large"           // 413: the body is over --max-body (--max-batch-body for /v1/batch)
	codeTooManyDocuments  = "too_many_documents"  // 413: a batch of more than MaxBatchDocuments
	codeUnsupportedType   = "unsupported_type"    // 415: a Content-Type the endpoint does not read
	codeOverloaded        = "overloaded"          // 429: --max-inflight requests are already being served
	codeInternal          = "internal"            // 500: a bug; the log has the details
	codeNotReady          = "not_ready"           // 503: no model loaded yet, or shutting down
	codeFeedbackWriteFail = "feedback_write_fail" // 500: the feedback file could not be written
)

// apiError is an error response: an HTTP status and the body's error
// object.
type apiError struct {
	Status  int            `json:"-"`
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Details map[string]any `json:"details"`
}

func (e *apiError) Error() string { return e.Code + ": " + e.Message }

// newError returns an apiError with no details.
func newError(status int, code, message string) *apiError {
	return &apiError{Status: status, Code: code, Message: message, Details: map[string]any{}}
}

// with adds a detail and returns the error.
func (e *apiError) with(key string, value any) *apiError {
	e.Details[key] = value
	return e
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error *apiError `json:"error"`
}

// writeError writes e as the response.
func writeError(w http.ResponseWriter, e *apiError) {
	if e.Status == http.StatusTooManyRequests || e.Status == http.StatusServiceUnavailable {
		if w.Header().Get("Retry-After") == "" {
			w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds))
		}
	}
	writeJSON(w, e.Status, errorBody{Error: e})
}

// writeJSON writes v as the JSON response with the status.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	// An error here is the client going away mid-response; there is no one
	// left to tell.
	_ = enc.Encode(v)
}

package server

import (
	"encoding/json"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openAPIOperations returns "METHOD path" for every operation in the
// embedded OpenAPI document.
func openAPIOperations(t *testing.T) []string {
	t.Helper()
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	require.NoError(t, json.Unmarshal(openAPIDocument, &doc))
	require.True(t, strings.HasPrefix(doc.OpenAPI, "3."), "an OpenAPI 3 document")
	var ops []string
	for path, item := range doc.Paths {
		for method := range item {
			switch method {
			case "get", "put", "post", "delete", "options", "head", "patch", "trace":
				ops = append(ops, strings.ToUpper(method)+" "+path)
			}
		}
	}
	sort.Strings(ops)
	return ops
}

func TestOpenAPIMatchesRoutes(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, func(c *Config) { c.FeedbackPath = filepath.Join(t.TempDir(), "feedback.jsonl") })
	var routes []string
	for _, rt := range s.routes {
		routes = append(routes, rt.method+" "+rt.path)
	}
	sort.Strings(routes)
	assert.Equal(t, routes, openAPIOperations(t), "every route is documented, and every documented operation is served")

	// And the mux really serves each one: neither 404 nor 405.
	for _, op := range openAPIOperations(t) {
		method, path, _ := strings.Cut(op, " ")
		rec := call(t, s.Handler(), method, path, "application/json", strings.NewReader(`{}`), nil)
		assert.NotContains(t, []int{http.StatusNotFound, http.StatusMethodNotAllowed}, rec.Code, op)
	}
}

func TestOpenAPIIsServedAndListsEveryErrorCode(t *testing.T) {
	t.Parallel()
	s := newTestServer(t, nil)
	rec := call(t, s.Handler(), "GET", "/v1/openapi.json", "", nil, nil)
	require.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, "application/json; charset=utf-8", rec.Header().Get("Content-Type"))
	assert.JSONEq(t, string(openAPIDocument), rec.Body.String())
	for _, code := range []string{codeBadJSON, codeBadRequest, codeBadURL, codeMissingPage, codeAmbiguousPage, codeEmptyPage,
		codeBinaryContent, codeUnreadablePage, codeUnauthorized, codeOriginNotAllowed, codeHostNotAllowed, codeTimeLimit, codeNotFound, codeFeedbackDisabled,
		codeMethodNotAllowed, codeRequestTimeout, codeTooLarge, codeTooManyDocuments, codeUnsupportedType, codeOverloaded,
		codeInternal, codeNotReady, codeFeedbackWriteFail} {
		assert.Contains(t, rec.Body.String(), `"`+code+`"`)
	}
}

// redoclyPath is where .ci/run installs the OpenAPI linter (npm ci in .ci).
const redoclyPath = "../../../../.ci/node_modules/.bin/redocly"

// TestOpenAPILint runs redocly's linter, with every recommended rule an
// error (.ci/redocly.yaml), over the document the server embeds. Under
// CI=true a missing linter fails the test (.ci/run installs it);
// elsewhere it skips: `npm ci --prefix .ci` installs it.
func TestOpenAPILint(t *testing.T) {
	t.Parallel()
	if _, err := os.Stat(redoclyPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("redocly is not installed at %s; .ci/run installs it with npm ci --prefix .ci", redoclyPath)
		}
		t.Skipf("redocly is not installed (npm ci --prefix .ci); set CI=true to make this a failure")
	}
	cmd := exec.Command(redoclyPath, "lint", "--config", "../../../../.ci/redocly.yaml", "--format", "stylish", "openapi.json")
	cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
	out, err := cmd.CombinedOutput()
	assert.NoError(t, err, "redocly lint openapi.json:\n%s", out)
	assert.Contains(t, string(out), "openapi.json: validated", "the linter read the document")
}

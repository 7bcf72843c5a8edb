package server

import (
	"bytes"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/repack/repack/features/fixture"
)

// docsFeature is the feature whose reason and highlight docs/serve.md
// shows: the spliced brand in the lead, whose UTF-16 offsets differ from
// its byte offsets.
const docsFeature = "lead_brand_splice"

// TestDocsShowTheScoreAnswer sends the request docs/serve.md describes to
// a server with the embedded model and keeps the doc's copy of the answer
// equal to it, cut as the doc says (one reason, one highlight, the text's
// first line).
func TestDocsShowTheScoreAnswer(t *testing.T) {
	t.Parallel()
	s := newDefaultModelServer(t)
	rec := call(t, s.Handler(), http.MethodPost, "/v1/score?client_token=tab-17", "text/html", strings.NewReader(splicedPage(t)), nil)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	var got scoreResponse
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &got))

	reasons := got.Verdict.Reasons[:0]
	for _, r := range got.Verdict.Reasons {
		if r.Feature == docsFeature {
			r.Evidence = r.Evidence[:1]
			reasons = append(reasons, r)
		}
	}
	require.Len(t, reasons, 1, "%s no longer fires on the example page", docsFeature)
	got.Verdict.Reasons = reasons
	var hl []highlight
	for _, h := range got.Highlights {
		if h.Feature == docsFeature && len(hl) == 0 {
			hl = append(hl, h)
		}
	}
	got.Highlights = hl
	got.Text = got.Text[:strings.IndexByte(got.Text, '\n')] + "\n..."

	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(got))
	fixture.GoldenSection(t, filepath.Join("..", "..", "..", "..", "docs", "serve.md"), "score-answer", "```json\n"+b.String()+"```\n")
}

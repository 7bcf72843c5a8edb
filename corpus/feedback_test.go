package corpus

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func writeFeedback(t *testing.T, lines ...string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "feedback.jsonl")
	require.NoError(t, os.WriteFile(p, []byte(strings.Join(lines, "\n")+"\n"), 0o600))
	return p
}

func TestReadFeedback(t *testing.T) {
	t.Parallel()
	p := writeFeedback(t,
		`{"received_at":"2026-12-01T10:00:00Z","url":"https://news.example/a","label_claimed":"authentic","verdict_model":"m-1","verdict_label":"repackaged","html":"<p>A genuine story.</p>"}`,
		`{"received_at":"2026-12-01T10:01:00Z","url":"https://news.example/b","label_claimed":"repackaged","verdict_label":"authentic"}`,
		``,
		`{"received_at":"2026-12-01T10:02:00Z","url":"https://spam.example/c","label_claimed":"repackaged","text":"Brand|A copied story."}`,
		`{"received_at":"2026-12-01T10:03:00Z","url":"https://news.example/a","label_claimed":"authentic","comment":"again","html":"<p>A genuine story.</p>"}`,
	)
	docs, sum, err := ReadFeedback(p, Options{})
	require.NoError(t, err)
	assert.Equal(t, FeedbackSummary{Reports: 4, Pages: 2, WithoutPage: 1, Repeated: 1}, sum)
	require.Len(t, docs, 2)
	assert.Equal(t, Authentic, docs[0].Label)
	assert.Equal(t, FormatHTML, docs[0].Format)
	assert.Equal(t, p+":5", docs[0].Origin, "the latest report of a page is kept")
	assert.Equal(t, "feedback:"+p+":5", docs[0].ID)
	assert.Equal(t, FeedbackSource, docs[0].Source)
	assert.Equal(t, "2026-12-01T10:03:00Z", docs[0].Meta[FeedbackMeta].(map[string]any)["received_at"])
	assert.Equal(t, Repackaged, docs[1].Label)
	assert.Equal(t, FormatText, docs[1].Format)
	assert.Equal(t, "Brand|A copied story.", string(docs[1].Body))
}

func TestReadFeedbackErrorsNameTheLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, line, want string
	}{
		{"not JSON", `{"label_claimed":`, ":2: not a report"},
		{"unknown label", `{"label_claimed":"spam","html":"<p>x</p>"}`, `:2: label_claimed "spam"`},
		{"no label", `{"html":"<p>x</p>"}`, `:2: label_claimed ""`},
		{"both pages", `{"label_claimed":"authentic","html":"<p>x</p>","text":"x"}`, ":2: both html and text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := writeFeedback(t, `{"label_claimed":"authentic","text":"fine"}`, tt.line)
			_, _, err := ReadFeedback(p, Options{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), p+tt.want)
		})
	}
	_, _, err := ReadFeedback(filepath.Join(t.TempDir(), "none.jsonl"), Options{})
	assert.ErrorContains(t, err, "none.jsonl")
}

package inject

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScanLayout(t *testing.T) {
	t.Parallel()
	long := "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen"
	for _, tc := range []struct {
		name               string
		html               string
		paragraphs         int
		headAt, bodyAt, ft string // the text right after each point
	}{
		{"full page", "<html><head><title>T</title></head><body><p>" + long + "</p><footer>F</footer></body></html>", 1, "</head>", "<p>", "</footer>"},
		{"no body tag", "<html><head><title>T</title></head><p>" + long + "</p></html>", 1, "</head>", "<p>", "</html>"},
		{"fragment", "<p>" + long + "</p>", 1, "<p>", "<p>", ""},
		{"short and boilerplate paragraphs", "<body><p>short</p><nav><p>" + long + "</p></nav><p>" + long + "</p></body>", 1, "<body>", "<p>short", "</body>"},
		{"tags in scripts and comments", "<body><script>var s = '<p>" + long + "</p></body>';</script><!-- <p>" + long + "</p> --><p>" + long + "</p></body>", 1, "<body>", "<script>", "</body>"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			body := []byte(tc.html)
			l := scanLayout(body)
			assert.Len(t, l.paragraphs, tc.paragraphs)
			after := func(at int) string {
				require.GreaterOrEqual(t, at, 0)
				end := min(len(body), at+len(tc.ft)+12)
				return string(body[at:end])
			}
			assert.Contains(t, after(l.headEnd()), tc.headAt)
			assert.Contains(t, after(l.bodyStart()), tc.bodyAt)
			assert.Contains(t, after(l.footerEnd()), tc.ft)
			for _, p := range l.paragraphs {
				assert.Equal(t, long, string(body[p.inner.start:p.inner.end]))
				assert.Equal(t, "</p>", string(body[p.inner.end:min(len(body), p.inner.end+4)]))
			}
		})
	}
}

func TestApplyEdits(t *testing.T) {
	t.Parallel()
	body := []byte("abcdef")
	got := apply(body, []edit{{4, 4, "X"}, {0, 0, "<"}, {1, 3, "--"}, {2, 2, "lost"}})
	assert.Equal(t, "<a--dXef", string(got), "edits in order of offset; one overlapping an earlier edit is dropped")
	assert.Equal(t, "abcdef", string(body), "the source is not changed")
}

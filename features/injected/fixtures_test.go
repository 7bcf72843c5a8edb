package injected

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// Fixture pages carry their URL and expectations in comments, so that a
// reader sees the input and what it must give together:
//
//	<!-- url: https://site.example/page -->
//	<!-- want EXTRACTOR FIELD "exact evidence text" -->
//	<!-- want quiet -->
//
// A "want" names an extractor that must fire with an evidence item in
// FIELD whose text is exactly the quoted text, with \n for a line break
// (and whose offsets point at it); "quiet" says that no injection extractor may fire (a hard
// negative). The golden file of each fixture pins every value and span.
var (
	urlRE  = regexp.MustCompile(`<!-- url: (\S+) -->`)
	wantRE = regexp.MustCompile(`<!-- want (\S+)(?: (\S+) "([^"]*)")? -->`)
)

type want struct {
	extractor, field, text string
}

type fixture struct {
	name  string
	url   string
	body  []byte
	wants []want
	quiet bool
}

func readFixtures(t *testing.T) []fixture {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("testdata", "*.html"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	var out []fixture
	for _, path := range paths {
		body, err := os.ReadFile(path)
		require.NoError(t, err)
		f := fixture{name: strings.TrimSuffix(filepath.Base(path), ".html"), body: body}
		if m := urlRE.FindSubmatch(body); m != nil {
			f.url = string(m[1])
		}
		for _, m := range wantRE.FindAllSubmatch(body, -1) {
			if string(m[1]) == "quiet" {
				f.quiet = true
				continue
			}
			text := strings.ReplaceAll(string(m[3]), `\n`, "\n")
			f.wants = append(f.wants, want{extractor: string(m[1]), field: string(m[2]), text: text})
		}
		require.True(t, f.quiet || len(f.wants) > 0, "%s states no expectation", path)
		out = append(out, f)
	}
	return out
}

// fieldText returns the text an evidence field's offsets index.
func fieldText(p *page.Page, ev signal.Evidence) (string, bool) {
	switch ev.Field {
	case signal.FieldText:
		return p.Text, true
	case signal.FieldHidden:
		return p.HiddenText, true
	case signal.FieldTitle:
		return p.Meta["title"], true
	case fieldMetaRefresh:
		return p.MetaRefresh, true
	case fieldNoscript:
		return p.NoscriptText, true
	case fieldScript:
		for _, s := range p.Scripts {
			if page.Path(s.Node) == ev.Path && ev.End <= len(s.Text) && s.Text[ev.Start:ev.End] == ev.Text {
				return s.Text, true
			}
		}
	}
	return "", false
}

type goldenSignal struct {
	Name     string            `json:"name"`
	Value    float64           `json:"value"`
	Evidence []signal.Evidence `json:"evidence"`
}

func TestFixtures(t *testing.T) {
	t.Parallel()
	for _, f := range readFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			p, err := page.Parse(f.body, page.Options{URL: f.url})
			require.NoError(t, err)
			results := map[string]signal.Result{}
			var golden []goldenSignal
			for _, e := range Extractors() {
				r := runOne(t, e, p)
				results[e.Name] = r
				golden = append(golden, goldenSignal{Name: e.Name, Value: r.Value, Evidence: r.Evidence})
				for _, ev := range r.Evidence {
					text, ok := fieldText(p, ev)
					require.True(t, ok, "%s: evidence field %q cannot be resolved", e.Name, ev.Field)
					require.LessOrEqual(t, ev.End, len(text), "%s: span past its field", e.Name)
					assert.Equal(t, ev.Text, text[ev.Start:ev.End], "%s: evidence offsets", e.Name)
				}
			}
			if f.quiet {
				for name, r := range results {
					assert.Zero(t, r.Value, "%s fires on a hard negative: %+v", name, r.Evidence)
				}
			}
			for _, w := range f.wants {
				r, ok := results[w.extractor]
				require.True(t, ok, "unknown extractor %q", w.extractor)
				assert.Positive(t, r.Value, "%s must fire", w.extractor)
				found := false
				for _, ev := range r.Evidence {
					if ev.Field == w.field && ev.Text == w.text {
						found = true
					}
				}
				assert.True(t, found, "%s: no evidence %s %q among %+v", w.extractor, w.field, w.text, r.Evidence)
			}
			checkGolden(t, filepath.Join("testdata", "golden", f.name+".json"), golden)
		})
	}
}

func checkGolden(t *testing.T, path string, got any) {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	require.NoError(t, enc.Encode(got))
	data := buf.Bytes()
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, data, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file missing: run go test ./features/injected -run TestFixtures -update")
	assert.Equal(t, string(want), string(data), "golden %s differs: review and run with -update", path)
}

// familyCatalogue returns the injection extractors as a catalogue, failing
// the test if the list is invalid.
func familyCatalogue(t testing.TB) *signal.Catalogue {
	t.Helper()
	c, err := signal.NewCatalogue(Extractors())
	require.NoError(t, err)
	return c
}

// runOne runs one extractor of the family, with what it requires.
func runOne(t testing.TB, e *signal.Extractor, p *page.Page) signal.Result {
	t.Helper()
	return familyCatalogue(t).Run(e, p)
}

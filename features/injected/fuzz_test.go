package injected

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/repack/repack/features/fixture"
	"github.com/repack/repack/features/page"
)

// FuzzExtractors parses arbitrary input and runs every injection
// extractor: none may panic, and every span must lie inside its field.
// go test -fuzz FuzzExtractors -fuzztime 1m ./features/injected
func FuzzExtractors(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join("testdata", "*.html"))
	for _, p := range paths {
		if body, err := os.ReadFile(p); err == nil {
			f.Add(body, false)
		}
	}
	f.Add([]byte("Main SLOT-GACOR hari ini, slot88 togel4d スーパーコピー 娱乐城"), true)
	f.Add([]byte(`<meta http-equiv=refresh content="0;url="><script>location.replace("//x</script><noscript><a href=`), false)
	f.Fuzz(func(t *testing.T, body []byte, text bool) {
		opts := page.Options{URL: "https://fuzz.example/page"}
		if text {
			opts.Format = page.FormatText
		}
		p, err := page.Parse(body, opts)
		if err != nil {
			return
		}
		for _, e := range Extractors() {
			r := runOne(t, e, p)
			for _, ev := range r.Evidence {
				if ev.Start < 0 || ev.End < ev.Start {
					t.Fatalf("%s: bad span %d:%d", e.Name, ev.Start, ev.End)
				}
				if s, ok := fixture.FieldText(p, ev); ok && (ev.End > len(s) || s[ev.Start:ev.End] != ev.Text) {
					t.Fatalf("%s: span %d:%d does not hold %q", e.Name, ev.Start, ev.End, ev.Text)
				}
			}
		}
	})
}

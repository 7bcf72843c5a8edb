package features_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// FuzzParseExtract feeds arbitrary bytes to Parse and every extractor: no
// panic, no hang, and every piece of evidence inside its field.
func FuzzParseExtract(f *testing.F) {
	for _, name := range []string{"network-page.html", "member-site-page.html", "network-page-text.txt"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, uint8(0))
	}
	f.Add([]byte("WASHINGTON,Brand Ill. (AP) — The BrandWhite House said Tuesday."), uint8(2))
	f.Add([]byte("<p>X:Y</p><time datetime=2020-01-01>x</time><div style=display:none><a href=//x>y</a></div>"), uint8(1))
	f.Add([]byte("veryGood! (1)\nDate:2025-01-01 10:101\n"), uint8(2))
	f.Fuzz(func(t *testing.T, body []byte, format uint8) {
		p, err := page.Parse(body, page.Options{Format: page.Format(format % 3), URL: "https://example.test/2024/01/02/x"})
		if err != nil {
			return
		}
		for _, s := range catalogue(t).Extract(p) {
			for _, ev := range s.Evidence {
				if ev.Start < 0 || ev.Start > ev.End {
					t.Fatalf("%s: bad span [%d:%d]", s.Name, ev.Start, ev.End)
				}
				if ev.Field == signal.FieldText && (ev.End > len(p.Text) || p.Text[ev.Start:ev.End] != ev.Text) {
					t.Fatalf("%s: text span [%d:%d] does not match", s.Name, ev.Start, ev.End)
				}
				if ev.Field == signal.FieldHidden && ev.End > len(p.HiddenText) {
					t.Fatalf("%s: hidden span [%d:%d] past the hidden text", s.Name, ev.Start, ev.End)
				}
			}
		}
	})
}

package features_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/features/page"
)

type benchPage struct {
	body []byte
	url  string
}

// loadCorpus reads the shared authentic pages once per benchmark.
func loadCorpus(b *testing.B) ([]benchPage, int64) {
	b.Helper()
	files := sharedtest.Glob(b, "corpus/authentic/*/*.html")
	var pages []benchPage
	var total int64
	for _, f := range files {
		body, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		var meta struct {
			URL string `json:"url"`
		}
		if j, err := os.ReadFile(strings.TrimSuffix(f, ".html") + ".json"); err == nil {
			_ = json.Unmarshal(j, &meta)
		}
		pages = append(pages, benchPage{body, meta.URL})
		total += int64(len(body))
	}
	return pages, total
}

func reportPages(b *testing.B, n int) {
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
}

// BenchmarkGoqueryParse is the baseline: a bare goquery parse of every
// page, the least any HTML tool must do.
func BenchmarkGoqueryParse(b *testing.B) {
	pages, total := loadCorpus(b)
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := goquery.NewDocumentFromReader(bytes.NewReader(p.body)); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPages(b, len(pages))
}

// BenchmarkParse is page.Parse alone: decoding, the one parse, the one walk
// and the shared views.
func BenchmarkParse(b *testing.B) {
	pages, total := loadCorpus(b)
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			if _, err := page.Parse(p.body, page.Options{URL: p.url}); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportPages(b, len(pages))
}

// BenchmarkParseExtract is page.Parse plus every extractor.
func BenchmarkParseExtract(b *testing.B) {
	cat := catalogue(b)
	pages, total := loadCorpus(b)
	b.SetBytes(total)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, p := range pages {
			pg, err := page.Parse(p.body, page.Options{URL: p.url})
			if err != nil {
				b.Fatal(err)
			}
			cat.Extract(pg)
		}
	}
	reportPages(b, len(pages))
}

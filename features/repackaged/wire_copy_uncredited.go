package repackaged

import (
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// WireCopyUncredited fires on a wire dateline without the wire's credit.
var WireCopyUncredited = signal.Extractor{
	Name:   "wire_copy_uncredited",
	Family: signal.Repackaged,
	Doc: `A wire dateline opens the story but the page credits the wire nowhere else. ` +
		`A licensed carrier of an AP, Reuters or AFP story credits the agency in the byline, the metadata, a photo credit or a copyright ` +
		`line ("BY ASSOCIATED PRESS", "(AP Photo/...)", "Copyright 2023 The Associated Press"); the network keeps the "(AP) —" dateline and ` +
		`drops every credit. Pages on the agency's own site are exempt. Value: 1 when uncredited.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		d := p.Dateline
		if d == nil {
			return signal.Result{}
		}
		agency, ok := lexis.Agency(d.Agency)
		if !ok {
			return signal.Result{}
		}
		host := p.Host()
		for _, h := range agency.Hosts {
			if host == h || strings.HasSuffix(host, "."+h) {
				return signal.Result{}
			}
		}
		if credited(p, agency, d) {
			return signal.Result{}
		}
		return signal.Result{Value: 1, Evidence: []signal.Evidence{signal.TextSpan(p.Page, d.Span.Start, d.Span.End, "uncredited "+d.Agency+" dateline")}}
	},
}

// credited reports whether the page credits the agency outside its
// dateline: in a byline, in metadata or JSON-LD, or anywhere in the text.
func credited(p *article.Article, agency lexis.WireAgency, d *article.Dateline) bool {
	var meta []string
	for _, c := range p.Bylines {
		meta = append(meta, c.Text)
	}
	for _, k := range []string{"author", "article:author", "og:site_name", "copyright", "dc.rights", "article:publisher", "twitter:creator"} {
		meta = append(meta, p.Meta[k])
	}
	meta = append(meta, p.JSONLD["author"]...)
	meta = append(meta, p.JSONLD["creator"]...)
	meta = append(meta, p.JSONLD["publisher"]...)
	for _, m := range meta {
		if hasCredit(strings.ToLower(m), agency, d.Agency) {
			return true
		}
	}
	lower := p.LowerText()
	// Leave the dateline's own "(AP)" out of the search.
	cut := strings.ToLower(p.Text[d.Span.Start:d.Span.End])
	rest := strings.Replace(lower, cut, "", 1)
	return hasCredit(rest, agency, d.Agency)
}

func hasCredit(lower string, agency lexis.WireAgency, code string) bool {
	for _, c := range agency.Credits {
		if len(c) <= 4 {
			// Short credits ("afp", "dpa", "upi") must stand as words.
			if containsWord(lower, c) {
				return true
			}
			continue
		}
		if strings.Contains(lower, c) {
			return true
		}
	}
	// A bare agency code in a byline-like context: "/AP", "AP/".
	lc := strings.ToLower(code)
	return strings.Contains(lower, "/"+lc+")") || strings.Contains(lower, lc+" photo")
}

func containsWord(s, w string) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		at := off + i
		off = at + len(w)
		before := at == 0 || !isAlnum(s[at-1])
		after := off >= len(s) || !isAlnum(s[off])
		if before && after {
			return true
		}
	}
}

// Package signal defines what an extractor is and what it finds: an
// Extractor is plain data (a stable snake_case name, a doc, a family and a
// Run function over a shared page), and a Signal is its numeric value with
// the Evidence that triggered it: a field, byte offsets into that field's
// text, the snippet and a CSS-like path into the DOM.
//
// It imports the page model only; it must not import the extractor sets,
// the detector or the training code.
package signal

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/page"
	"golang.org/x/net/html"
)

// Family groups extractors by the kind of spam they look for. A verdict
// carries one probability per family.
type Family string

const (
	// Repackaged: a copied story re-branded by a scraper-spam site.
	Repackaged Family = "repackaged"
	// Injected: SEO spam planted on a legitimate site's page.
	Injected Family = "injected"
)

// Evidence fields: which text a span's offsets index into.
const (
	// FieldText is Page.Text, the visible text.
	FieldText = "text"
	// FieldHidden is Page.HiddenText.
	FieldHidden = "hidden"
	// FieldTitle is the <title> (Page.Meta["title"]).
	FieldTitle = "title"
	// FieldURL is the page URL.
	FieldURL = "url"
)

// Evidence is one place on the page that made a signal fire.
type Evidence struct {
	// Field names the text Start and End index: "text", "hidden", "title",
	// "url", "meta:og:title", "jsonld:headline", "script", ...
	Field string `json:"field"`
	// Start and End are byte offsets [Start, End) into the field's text.
	Start int `json:"start"`
	End   int `json:"end"`
	// Text is the span's text.
	Text string `json:"text"`
	// Path is a CSS-like path to the element, for HTML input.
	Path string `json:"path,omitempty"`
	// Note says what the span is, when the signal has several kinds of
	// evidence ("dateline region", "claimed date", ...).
	Note string `json:"note,omitempty"`
}

// Result is what an extractor's Run returns for one page.
type Result struct {
	Value    float64
	Evidence []Evidence
}

// Signal is an extractor's result with its name and description, as
// `repack features` prints it and the model reads it.
type Signal struct {
	Name        string     `json:"name"`
	Family      Family     `json:"family"`
	Value       float64    `json:"value"`
	Description string     `json:"description"`
	Evidence    []Evidence `json:"evidence"`
}

// Extractor is one explainable feature: a value with a name and a doc and
// a function that reads the shared page. Run must not modify the page and
// must be safe to call from several goroutines on different pages.
//
// An extractor that reads other extractors' results names them in
// Requires, as a go/analysis analyzer names the analyzers it needs: the
// catalogue runs every extractor once per page, each after the ones it
// requires, and hands their results over through Pass.ResultOf.
type Extractor struct {
	// Name is the stable snake_case feature name used in model files.
	Name string
	// Family is the kind of spam the feature points at.
	Family Family
	// Doc describes the feature; its first sentence is the one-line
	// description shown in reports.
	Doc string
	// Requires lists the extractors whose results Run reads.
	Requires []*Extractor
	// Run computes the feature for one page.
	Run func(*Pass) Result
}

// Pass is what an extractor's Run reads: the page, and the results of the
// extractors it requires.
type Pass struct {
	Page *page.Page
	// results holds the results of this page's run so far, indexed as
	// the catalogue that made the pass indexes its extractors.
	results []Result
	index   map[*Extractor]int
	// of is the extractor running.
	of *Extractor
}

// ResultOf returns the result of an extractor the running one requires.
// It returns the zero Result for an extractor not in Requires: a result
// read without being declared could be read before it is computed.
func (ps *Pass) ResultOf(e *Extractor) Result {
	if ps.of == nil || !slices.Contains(ps.of.Requires, e) {
		return Result{}
	}
	i, ok := ps.index[e]
	if !ok || i >= len(ps.results) {
		return Result{}
	}
	return ps.results[i]
}

// Description returns the first sentence of the doc.
func (e *Extractor) Description() string {
	d := strings.TrimSpace(e.Doc)
	if i := strings.Index(d, ". "); i >= 0 {
		d = d[:i+1]
	}
	return strings.Join(strings.Fields(d), " ")
}

var nameRE = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)

// Validate checks a list of extractors: every name is snake_case, unique,
// documented and runnable, every family known, and every requirement in
// the list. Duplicates are refused loudly rather than shadowing each
// other.
func Validate(list []*Extractor) error {
	seen := map[string]bool{}
	in := map[*Extractor]bool{}
	for _, e := range list {
		in[e] = true
	}
	for i, e := range list {
		switch {
		case e == nil:
			return fmt.Errorf("extractor %d is nil", i)
		case !nameRE.MatchString(e.Name):
			return fmt.Errorf("extractor %d: name %q is not snake_case", i, e.Name)
		case seen[e.Name]:
			return fmt.Errorf("extractor %q is listed twice", e.Name)
		case e.Run == nil:
			return fmt.Errorf("extractor %q has no Run function", e.Name)
		case strings.TrimSpace(e.Doc) == "":
			return fmt.Errorf("extractor %q has no doc", e.Name)
		case e.Family != Repackaged && e.Family != Injected:
			return fmt.Errorf("extractor %q has unknown family %q", e.Name, e.Family)
		}
		for _, r := range e.Requires {
			if !in[r] {
				return fmt.Errorf("extractor %q requires one that is not in the list", e.Name)
			}
		}
		seen[e.Name] = true
	}
	return nil
}

// TextSpan returns evidence for [start, end) of the page's visible text,
// with the path of the block holding start.
func TextSpan(p *page.Page, start, end int, note string) Evidence {
	start, end = clampSpan(start, end, len(p.Text))
	ev := Evidence{Field: FieldText, Start: start, End: end, Text: p.Text[start:end], Note: note}
	if bi := p.BlockAt(start); bi >= 0 {
		ev.Path = page.Path(p.Blocks[bi].Node)
	}
	return ev
}

// HiddenSpan returns evidence for [start, end) of the page's hidden text.
func HiddenSpan(p *page.Page, start, end int, node *html.Node, note string) Evidence {
	start, end = clampSpan(start, end, len(p.HiddenText))
	return Evidence{Field: FieldHidden, Start: start, End: end, Text: p.HiddenText[start:end], Path: page.Path(node), Note: note}
}

// FieldSpan returns evidence for [start, end) of a string that is not part
// of the visible text (the title, a meta value, the URL).
func FieldSpan(field, text string, start, end int, node *html.Node, note string) Evidence {
	start, end = clampSpan(start, end, len(text))
	return Evidence{Field: field, Start: start, End: end, Text: text[start:end], Path: page.Path(node), Note: note}
}

// CandidateSpan returns evidence for [start, end) of a candidate's text:
// in the visible text when the candidate is visible, in its own field
// otherwise.
func CandidateSpan(p *page.Page, c article.Candidate, start, end int, note string) Evidence {
	if c.Visible() {
		return TextSpan(p, c.Offset+start, c.Offset+end, note)
	}
	ev := FieldSpan(c.FieldName(), c.Text, start, end, c.Node, note)
	ev.Start += c.Offset
	ev.End += c.Offset
	return ev
}

// DateSpan returns evidence for a dated string.
func DateSpan(p *page.Page, d article.DatedString, note string) Evidence {
	if d.Block >= 0 {
		return TextSpan(p, d.Offset, d.Offset+len(d.Text), note)
	}
	field := d.Origin
	return FieldSpan(field, d.Text, 0, len(d.Text), d.Node, note)
}

func clampSpan(start, end, n int) (int, int) {
	start = max(0, min(start, n))
	end = max(start, min(end, n))
	return start, end
}

// Dedupe drops evidence that repeats an earlier item's field and span.
func Dedupe(evs []Evidence) []Evidence {
	type key struct {
		f    string
		s, e int
	}
	seen := map[key]bool{}
	out := evs[:0]
	for _, e := range evs {
		k := key{e.Field, e.Start, e.End}
		if e.Field != FieldText && e.Field != FieldHidden {
			k.f += "\x00" + e.Text
		}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, e)
	}
	return out
}

package detector

import (
	"context"
	_ "embed"
	"fmt"
	"sync"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/repack/repack/features/source"
)

//go:generate go run ../cmd/repack index build --quiet --out example/default.index --url https://www.harborlight-radio.test/news/2025/11/04/maine-ferry-fares example/original-page.html

//go:embed example/default.index
var defaultIndexBytes []byte

// DefaultIndexName names the index embedded in the binary.
const DefaultIndexName = "embedded"

// ExampleOriginalURL is where the genuine version of the example page
// would live: a public radio station carrying the wire story.
const ExampleOriginalURL = "https://www.harborlight-radio.test/news/2025/11/04/maine-ferry-fares"

// DefaultIndex returns the story index embedded in the binary: the pages
// the project wrote (the genuine version of the example page), so that
// the example shows its inserted brand against its original out of the
// box. Indexes over real pages are built by users (repack index build).
var DefaultIndex = sync.OnceValues(func() (*source.Index, error) {
	ix, err := source.Read(defaultIndexBytes, DefaultIndexName)
	if err != nil {
		return nil, fmt.Errorf("embedded default index: %w", err)
	}
	return ix, nil
})

// LoadIndex returns the index a --index flag names: "" or "embedded" for
// the embedded default index, "none" for no index (nil), else a file.
func LoadIndex(spec string) (*source.Index, error) {
	switch spec {
	case "", DefaultIndexName:
		return DefaultIndex()
	case "none":
		return nil, nil
	}
	return source.Open(spec)
}

// IndexInfo names the story index a verdict was looked up in.
type IndexInfo struct {
	// Name is the file the index was read from, or "embedded".
	Name string `json:"name"`
	// Checksum is the index file's CRC-32: it tells two builds apart.
	Checksum string `json:"checksum"`
	// Stories is how many stories it holds.
	Stories int `json:"stories"`
}

// InfoOf describes an index; nil for none.
func InfoOf(ix *source.Index) *IndexInfo {
	if ix == nil {
		return nil
	}
	return &IndexInfo{Name: ix.Name(), Checksum: ix.Checksum(), Stories: ix.Len()}
}

// Source is the story of the index a page copies, as the verdict shows
// it: the original, how much of it the page carries, the aligned
// sentences, what the page inserted and dropped, and the features the
// match yields, which the model weighs with the page's own (as one
// witness: SourcePlace).
type Source struct {
	// ID, URL and Title name the original; Title is its first indexed
	// headline (source.Story.Headline).
	ID    string `json:"id"`
	URL   string `json:"url"`
	Title string `json:"title"`
	// Containment is the share of the original's words in sentences the
	// page carries; PageShare the share of the page's story words that
	// are the original's.
	Containment float64 `json:"containment"`
	PageShare   float64 `json:"page_share"`
	// Aligned are the aligned sentence pairs, in page order.
	Aligned []AlignedPair `json:"aligned"`
	// Inserted are the page's spans the original lacks, Dropped the
	// original's sentences the page left out (field "source").
	Inserted []signal.Evidence `json:"inserted"`
	Dropped  []signal.Evidence `json:"dropped"`
	// Credits are who the original credits; CreditDropped says the page
	// credits none of them.
	Credits       []string `json:"credits"`
	CreditDropped bool     `json:"credit_dropped"`
	// Features are copy_of_indexed_story, inserted_spans and
	// credit_dropped with their evidence.
	Features []signal.Signal `json:"features"`
}

// AlignedPair is a page sentence and the original's it aligns with.
type AlignedPair struct {
	Page     signal.Evidence `json:"page"`
	Original signal.Evidence `json:"original"`
	Cosine   float64         `json:"cosine"`
}

// SourceOf returns the verdict's view of a match on page p; nil for none.
func SourceOf(m *source.Match, p *page.Page) *Source {
	if m == nil {
		return nil
	}
	s := &Source{ID: m.Story.ID, URL: m.Story.URL, Title: m.Story.Headline(), Containment: m.Containment, PageShare: m.PageShare,
		Aligned: []AlignedPair{}, Inserted: []signal.Evidence{}, Dropped: []signal.Evidence{}, Credits: m.Story.Credits, CreditDropped: m.CreditDropped}
	if s.Credits == nil {
		s.Credits = []string{}
	}
	for _, pr := range m.Pairs {
		field, text := source.FieldSource, m.Story.Text
		if pr.Title {
			field, text = source.FieldSourceTitle, m.Story.Title
		}
		s.Aligned = append(s.Aligned, AlignedPair{
			Page:     signal.TextSpan(p, pr.Page.Start, pr.Page.End, ""),
			Original: signal.Evidence{Field: field, Start: pr.Original.Start, End: pr.Original.End, Text: text[pr.Original.Start:pr.Original.End]},
			Cosine:   pr.Cosine,
		})
	}
	sigs := m.Signals(p)
	for _, sg := range sigs {
		if sg.Name == source.InsertedSpans.Name {
			s.Inserted = append(s.Inserted, sg.Evidence...)
		}
	}
	for _, d := range m.Dropped {
		s.Dropped = append(s.Dropped, signal.Evidence{Field: source.FieldSource, Start: d.Start, End: d.End, Text: m.Story.Text[d.Start:d.End]})
	}
	s.Features = sigs
	return s
}

// WithIndex returns a detector that looks every page up in ix (nil: in
// none); d is not changed.
func (d *Detector) WithIndex(ix *source.Index) *Detector {
	c := *d
	c.stories = ix
	return &c
}

// Index returns the story index the detector looks pages up in, nil for
// none.
func (d *Detector) Index() *source.Index { return d.stories }

// lookUp finds the page's original in the detector's index.
func (d *Detector) lookUp(ctx context.Context, a *Analysis) {
	if d.stories == nil || a.Page == nil {
		return
	}
	a.Match = d.stories.Match(ctx, a.Page)
}

// StoryOf reads a corpus document as a story to index: ok is false when
// the page has too little story body to be found again; err says why a
// document could not be read as a page.
func StoryOf(d corpus.Document) (s source.Story, ok bool, err error) {
	if d.Err != nil {
		return source.Story{}, false, d.Err
	}
	in := InputOf(d)
	p, err := page.Parse(in.Body, page.Options{Format: in.Format, URL: in.URL, ContentType: in.ContentType, MaxBytes: in.MaxBytes})
	if err != nil {
		return source.Story{}, false, err
	}
	s, ok = source.StoryOf(p, d.ID)
	return s, ok, nil
}

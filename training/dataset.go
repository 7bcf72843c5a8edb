// Package training turns labelled documents into a scoring model: it
// extracts the feature matrix in parallel, standardises it, fits a ridge
// regression per kind of spam with github.com/sajari/regression, calibrates
// the raw scores with Platt scaling on out-of-fold scores, picks the
// threshold for a target false-positive rate, and evaluates with
// cross-validation grouped by publisher.
//
// It writes detector.Model files; the detector never imports this package.
package training

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"runtime"
	"sync"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features"
	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/source"
)

// Row is one document's feature vector with what training needs to know
// about it.
type Row struct {
	ID     string
	Label  corpus.Label
	Group  string
	Source string
	Meta   map[string]any
	// Values are the feature values in catalogue order.
	Values []float64
	// Places are, per feature, where its evidence lies
	// (detector.Places), for the corroboration rule.
	Places [][]detector.Place
	// Sealed marks a row no model may be fitted on: evaluation scores it
	// with every split's model and trains on it in none.
	Sealed bool
	// LookedUp marks a row that was looked up in the story index
	// (ExtractOptions.Index): its source features are its match's. A row
	// not looked up has them zero, as a page has when its original is not
	// indexed.
	LookedUp bool
	// Unwitnessed marks a copy that only the story index can witness (a
	// spun copy: synth.needs_index) and that was not looked up: nothing
	// of it is on the page, so Train leaves it out of the fit (it would
	// teach the model that a page with no evidence is spam); evaluation
	// still scores it, as the miss it is.
	Unwitnessed bool
}

// Dataset is the feature matrix of a corpus.
type Dataset struct {
	// Features names the columns.
	Features []string
	Rows     []Row
	// Index describes the story index the rows were looked up in, nil
	// for none.
	Index *IndexSummary
}

// ExtractOptions control feature extraction.
type ExtractOptions struct {
	// Workers is the number of parallel extractors; 0 means GOMAXPROCS.
	Workers int
	// Progress, if set, is called after each document with the number done.
	Progress func(done, total int)
	// Index, if set, is the story index documents are looked up in, for
	// the source features (detector.SourceSignals); without it they are
	// zero and a model cannot learn them.
	Index *source.Index
	// IndexShare is the share of source groups whose documents are looked
	// up (0 means all): the others keep their source features zero, so
	// that a model learns the page's own features as well, for the pages
	// whose original no index holds. Groups are chosen by a hash of their
	// name, the same on every run.
	IndexShare float64
}

// LooksUp reports whether documents of a source group are looked up in
// the index under opts.
func (opts ExtractOptions) LooksUp(group string) bool {
	if opts.Index == nil {
		return false
	}
	if opts.IndexShare <= 0 || opts.IndexShare >= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(group))
	return float64(h.Sum64()%10000) < opts.IndexShare*10000
}

// Extract parses every document once and computes every feature, in
// parallel, keeping the documents' order, through detector.Extract: the
// path batch and serve score by. A document that cannot be read
// or parsed, or has no label, is an error naming it.
func Extract(ctx context.Context, docs []corpus.Document, opts ExtractOptions) (*Dataset, error) {
	if len(docs) == 0 {
		return nil, errors.New("empty corpus: no documents to train on")
	}
	for _, d := range docs {
		if d.Err != nil {
			return nil, fmt.Errorf("document %s: %w", d.ID, d.Err)
		}
		if d.Label == corpus.Unlabelled {
			return nil, fmt.Errorf("document %s (%s) has no label", d.ID, d.Origin)
		}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	cat, err := features.Catalogue()
	if err != nil {
		return nil, err
	}
	if opts.IndexShare < 0 || opts.IndexShare > 1 {
		return nil, fmt.Errorf("index share %v is not in [0, 1]", opts.IndexShare)
	}
	ds := &Dataset{Features: detector.FeatureNames(cat), Rows: make([]Row, len(docs))}
	if ix := opts.Index; ix != nil {
		share := opts.IndexShare
		if share == 0 {
			share = 1
		}
		ds.Index = &IndexSummary{Checksum: ix.Checksum(), Stories: ix.Len(), Share: share}
	}
	derived := detector.Derived(cat)
	errs := make([]error, len(docs))
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	done := 0
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				row, err := extractOne(ctx, derived, docs[i], opts)
				ds.Rows[i], errs[i] = row, err
				if opts.Progress != nil {
					mu.Lock()
					done++
					opts.Progress(done, len(docs))
					mu.Unlock()
				}
			}
		}()
	}
	var ctxErr error
feed:
	for i := range docs {
		select {
		case jobs <- i:
		case <-ctx.Done():
			ctxErr = ctx.Err()
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if ctxErr != nil {
		return nil, ctxErr
	}
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return ds, nil
}

func extractOne(ctx context.Context, derived []bool, d corpus.Document, opts ExtractOptions) (Row, error) {
	a, err := detector.Extract(ctx, detector.InputOf(d))
	if err != nil {
		return Row{}, fmt.Errorf("document %s (%s): %w", d.ID, d.Origin, err)
	}
	group := d.GroupKeyOr(article.Of(a.Page).SiteName())
	var match *source.Match
	lookedUp := opts.LooksUp(group)
	if lookedUp {
		match = opts.Index.Match(ctx, a.Page)
	}
	sigs := append(a.Signals, detector.SourceSignals(match, a.Page)...)
	vals := make([]float64, len(sigs))
	for i, s := range sigs {
		vals[i] = s.Value
	}
	needs, _ := MetaValue(d.Meta, "synth.needs_index")
	return Row{ID: d.ID, Label: d.Label, Group: group, Source: d.Source, Meta: d.Meta, Values: vals, Places: detector.SignalPlaces(sigs, derived), LookedUp: lookedUp,
		Unwitnessed: needs == "true" && !lookedUp}, nil
}

// Witnessed returns the dataset without its unwitnessed rows (Row.Unwitnessed), the rows a model is fitted on.
func (ds *Dataset) Witnessed() *Dataset {
	for _, r := range ds.Rows {
		if r.Unwitnessed {
			return ds.Subset(func(r Row) bool { return !r.Unwitnessed })
		}
	}
	return ds
}

// Subset returns the rows for which keep is true, sharing the feature
// names.
func (ds *Dataset) Subset(keep func(Row) bool) *Dataset {
	out := &Dataset{Features: ds.Features, Index: ds.Index}
	for _, r := range ds.Rows {
		if keep(r) {
			out.Rows = append(out.Rows, r)
		}
	}
	return out
}

// Counts returns the number of rows per label.
func (ds *Dataset) Counts() map[corpus.Label]int {
	c := map[corpus.Label]int{}
	for _, r := range ds.Rows {
		c[r.Label]++
	}
	return c
}

// Package pipeline is repack's Apache Beam pipeline: it reads crawls with
// the project's own corpus readers, scores every document with one
// detector per worker, and writes the public batch record format
// (detector/record) as JSONL shards, counting pages per label as Beam
// metrics. Its records are those `repack batch` writes for the same
// inputs, byte for byte, apart from their order.
//
// The stages, each a seam of its own:
//
//	Match      patterns -> Input (a file, a byte range of a large .warc.gz, or a
//	           directory, named under the pattern's root); at launch
//	Reshuffle  Inputs spread over the workers
//	Score      Input -> Scored (record line, label, site), one per document:
//	           read streaming and scored by a pool of goroutines on one detector
//	Key        Scored -> KV<site, Scored>: the keyed stage where group-by-key
//	           work (a story's copies across a crawl, verdicts per site) plugs in
//	Write      lines -> OUTPUT-SSSSS-of-NNNNN.jsonl
//	Sites      lines grouped by host -> one row a host (detector/sites), written
//	           to OUTPUT.sites-00000-of-00001.jsonl
package pipeline

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/detector/record"
	"github.com/repack/repack/features/source"
)

// Config says what the pipeline reads, how it scores and where it writes.
type Config struct {
	// Inputs are file patterns (crawl/*.warc.gz), files or directories.
	Inputs []string
	// Output is the shards' path prefix: OUTPUT-00000-of-00008.jsonl.
	Output string
	// Shards is the number of output files (default 1).
	Shards int
	// ModelJSON is the model file's bytes; empty means the model embedded
	// in the binary. Bytes rather than a path, so that a worker on
	// another machine needs no copy of the file.
	ModelJSON []byte
	// Thresholds is an operating point, as --threshold gives it.
	Thresholds string
	// Index names the story index pages are looked up in, as --index
	// does: "" or "embedded" for the index embedded in the binary,
	// "none" for none, else the name of the file IndexBytes holds
	// (shipped to the workers like the model).
	Index      string
	IndexBytes []byte
	// InputFormat forces every page to be read as html or text; "" or
	// "auto" follows the file, record or Content-Type, as batch does.
	InputFormat string
	// Reasons is the number of reasons a record carries.
	Reasons int
	// DocTimeout limits one document's analysis (0: none).
	DocTimeout time.Duration
	// SplitBytes is the size of the byte ranges a large WARC gzipped
	// record by record is read in, each range by one worker; 0 reads
	// every file whole (the command's default is DefaultSplitBytes).
	SplitBytes int64
	// Goroutines is the number of pages one worker scores at once within
	// an input (0: one a CPU). Runners that run several bundles at once
	// on a worker (Dataflow) may want 1.
	Goroutines int
}

// DefaultSplitBytes is the default size of the ranges a large .warc.gz is
// read in: a Common Crawl WARC file (about 1 GB) on a path every worker
// reads becomes about 16 elements (an object in cloud storage is read
// whole).
const DefaultSplitBytes = 64 << 20

// Build adds the pipeline to scope s and returns the scored pages keyed
// by site, the collection that the write stage reads and that keyed
// stages can group. It checks the configuration first: the inputs
// exist, the model reads and the operating point parses, so that a
// mistake fails at launch, not on a worker.
func Build(s beam.Scope, cfg Config) (beam.PCollection, error) {
	Register()
	if len(cfg.Inputs) == 0 {
		return beam.PCollection{}, errors.New("want at least one --input")
	}
	if cfg.Output == "" {
		return beam.PCollection{}, errors.New("want --output PREFIX")
	}
	if cfg.Shards <= 0 {
		cfg.Shards = 1
	}
	if _, err := readOptions(cfg.InputFormat); err != nil {
		return beam.PCollection{}, err
	}
	if _, err := newDetector(cfg.ModelJSON, cfg.Thresholds, cfg.Index, cfg.IndexBytes); err != nil {
		return beam.PCollection{}, err
	}
	if cfg.Goroutines <= 0 {
		cfg.Goroutines = runtime.GOMAXPROCS(0)
	}
	var inputs []Input
	for _, pattern := range cfg.Inputs {
		in, err := Match(pattern)
		if err != nil {
			return beam.PCollection{}, err
		}
		for _, i := range in {
			if cfg.SplitBytes <= 0 {
				inputs = append(inputs, i)
				continue
			}
			ranges, err := Split(i, cfg.SplitBytes)
			if err != nil {
				return beam.PCollection{}, err
			}
			inputs = append(inputs, ranges...)
		}
	}

	matched := beam.CreateList(s.Scope("Match"), inputs)
	spread := beam.Reshuffle(s.Scope("Reshuffle"), matched)
	scored := beam.ParDo(s.Scope("Score"), &scoreFn{ModelJSON: cfg.ModelJSON, Thresholds: cfg.Thresholds, Index: cfg.Index, IndexBytes: cfg.IndexBytes, InputFormat: cfg.InputFormat,
		Reasons: cfg.Reasons, DocTimeout: int64(cfg.DocTimeout), Goroutines: cfg.Goroutines}, spread)
	keyed := beam.ParDo(s.Scope("Key"), keyBySite, scored)
	records := beam.DropKey(s, keyed)
	Write(s.Scope("Write"), cfg.Output, cfg.Shards, records)
	RollUpSites(s.Scope("Sites"), cfg.Output, records)
	return keyed, nil
}

// readOptions are the corpus read options batch uses: the same bodies,
// the same caps, no JSONL metadata parsed.
func readOptions(inputFormat string) (corpus.Options, error) {
	var f corpus.Format
	switch inputFormat {
	case "", "auto":
	case "html":
		f = corpus.FormatHTML
	case "text":
		f = corpus.FormatText
	default:
		return corpus.Options{}, fmt.Errorf("--input-format %q: want auto, html or text", inputFormat)
	}
	return corpus.Options{Format: f, SkipMeta: true}, nil
}

// Scored is one page's record, with what later stages key and count by.
type Scored struct {
	// Line is the record as one JSONL line, without its line break.
	Line string
	// Label is the record's label, "" for an error record.
	Label string
	// Site is the page's registrable domain ("" when it has no URL).
	Site string
}

// scoreFn reads an input's documents and scores them, with one detector
// per worker (built in Setup) shared by Goroutines goroutines.
type scoreFn struct {
	ModelJSON   []byte
	Thresholds  string
	Index       string
	IndexBytes  []byte
	InputFormat string
	Reasons     int
	// DocTimeout is a time.Duration in nanoseconds.
	DocTimeout int64
	Goroutines int

	det *detector.Detector
	// pages counts every record; labels by label, errors apart.
	pages, errs beam.Counter
	labels      map[string]beam.Counter
}

// Counter names of the pipeline's metrics, in the "repack" namespace.
const (
	MetricNamespace = "repack"
	MetricPages     = "pages"
	MetricErrors    = "errors"
	// MetricLabelPrefix + a label ("authentic", "repackaged",
	// "injected") counts the pages given that label.
	MetricLabelPrefix = "label_"
)

// Setup builds the worker's detector.
func (f *scoreFn) Setup() error {
	det, err := newDetector(f.ModelJSON, f.Thresholds, f.Index, f.IndexBytes)
	if err != nil {
		return err
	}
	f.det = det
	f.pages = beam.NewCounter(MetricNamespace, MetricPages)
	f.errs = beam.NewCounter(MetricNamespace, MetricErrors)
	f.labels = map[string]beam.Counter{}
	for _, l := range []corpus.Label{corpus.Authentic, corpus.Repackaged, corpus.Injected} {
		f.labels[string(l)] = beam.NewCounter(MetricNamespace, MetricLabelPrefix+string(l))
	}
	return nil
}

// ProcessElement reads one input, streaming, and emits one Scored per
// document: Goroutines goroutines score, this one emits (Beam's emitters
// are not safe for concurrent use). At most 2 × Goroutines + 1 documents
// are held at once (one being read, Goroutines queued, Goroutines being
// scored), and Goroutines results waiting to be emitted.
func (f *scoreFn) ProcessElement(ctx context.Context, in Input, emit func(Scored)) error {
	opts, err := readOptions(f.InputFormat)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := max(1, f.Goroutines)
	docs := make(chan corpus.Document, workers)
	out := make(chan scoredOrErr, workers)
	go func() {
		defer close(docs)
		for d := range in.Documents(ctx, opts) {
			select {
			case docs <- d:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range docs {
				sc, err := f.score(ctx, d)
				select {
				case out <- scoredOrErr{sc, err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	var firstErr error
	for r := range out {
		if r.err != nil {
			if firstErr == nil {
				firstErr = r.err
				cancel()
			}
			continue
		}
		f.pages.Inc(ctx, 1)
		if r.s.Label == "" {
			f.errs.Inc(ctx, 1)
		} else if c, ok := f.labels[r.s.Label]; ok {
			c.Inc(ctx, 1)
		}
		emit(r.s)
	}
	if firstErr != nil {
		return firstErr
	}
	return ctx.Err()
}

type scoredOrErr struct {
	s   Scored
	err error
}

// score turns one document into its record line.
func (f *scoreFn) score(ctx context.Context, d corpus.Document) (Scored, error) {
	rec, _ := record.Score(ctx, f.det, d, f.Reasons, time.Duration(f.DocTimeout))
	var buf bytes.Buffer
	if err := record.Append(&buf, record.FormatJSONL, rec); err != nil {
		return Scored{}, fmt.Errorf("record %s: %w", d.ID, err)
	}
	return Scored{Line: strings.TrimSuffix(buf.String(), "\n"), Label: rec.Label, Site: d.GroupKey()}, nil
}

func newDetector(modelJSON []byte, thresholds, index string, indexBytes []byte) (*detector.Detector, error) {
	t, err := detector.ParseThresholds(thresholds)
	if err != nil {
		return nil, fmt.Errorf("--threshold %w", err)
	}
	var m *detector.Model
	if len(modelJSON) == 0 {
		m, err = detector.DefaultModel()
	} else {
		m, err = detector.ParseModel(modelJSON)
	}
	if err != nil {
		return nil, err
	}
	if m, err = m.WithThresholds(t); err != nil {
		return nil, err
	}
	det, err := detector.New(m)
	if err != nil {
		return nil, err
	}
	var ix *source.Index
	switch {
	case index == "none":
	case len(indexBytes) > 0:
		ix, err = source.Read(indexBytes, index)
	default:
		ix, err = detector.DefaultIndex()
	}
	if err != nil {
		return nil, err
	}
	return det.WithIndex(ix), nil
}

// keyBySite keys a scored page by its site: the seam for stages that
// group by key after scoring (verdicts rolled up per site; with a story
// fingerprint as the key, the copies of one story across a crawl).
func keyBySite(s Scored) (string, Scored) { return s.Site, s }

// Register registers the pipeline's functions and types with Beam, once:
// a runner's worker finds a DoFn by its registered name. Build calls it;
// a main that runs as a worker must call it before beam.Init (the
// project has no init functions).
func Register() {
	registerOnce.Do(func() {
		registerWrite()
		registerPipeline()
		registerSites()
	})
}

var registerOnce sync.Once

func registerPipeline() {
	register.DoFn3x1[context.Context, Input, func(Scored), error](&scoreFn{})
	register.Emitter1[Scored]()
	register.Function1x2(keyBySite)
	beam.RegisterType(reflect.TypeFor[Input]())
	beam.RegisterType(reflect.TypeFor[Scored]())
}

// DefaultDocTimeout is batch's default time limit on one document.
const DefaultDocTimeout = 10 * time.Second

// LabelCounts are the pipeline's counters as a run reports them.
type LabelCounts struct {
	Pages, Errors                   int64
	Authentic, Repackaged, Injected int64
}

// String is the closing summary line.
func (c LabelCounts) String() string {
	return fmt.Sprintf("%d records: %d authentic, %d repackaged, %d injected, %d errors",
		c.Pages, c.Authentic, c.Repackaged, c.Injected, c.Errors)
}

// Counts reads the pipeline's counters from a finished run.
func Counts(res beam.PipelineResult) LabelCounts {
	var c LabelCounts
	for _, r := range res.Metrics().AllMetrics().Counters() {
		if r.Key.Namespace != MetricNamespace {
			continue
		}
		v := r.Result()
		switch r.Key.Name {
		case MetricPages:
			c.Pages += v
		case MetricErrors:
			c.Errors += v
		case MetricLabelPrefix + string(corpus.Authentic):
			c.Authentic += v
		case MetricLabelPrefix + string(corpus.Repackaged):
			c.Repackaged += v
		case MetricLabelPrefix + string(corpus.Injected):
			c.Injected += v
		}
	}
	return c
}

// Package batch scores a stream of documents (directories, JSONL, WARC)
// with one detector and writes one output record per input document, in
// input order, whatever the number of workers.
//
// The pipeline is three stages joined by bounded channels: one reader
// (corpus.Read, streaming), N workers (detector.Analyze), and one writer
// that puts the records back in input order and writes each as one whole
// line. A fixed number of documents is in flight at any time, so memory
// stays bounded whatever the input size.
//
// It must not import the training code: it scores, it does not fit.
package batch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/detector/record"
)

// DefaultReasons is how many reasons a record carries by default.
const DefaultReasons = 5

// DefaultMaxInflightBytes is the default cap on the bytes of bodies read
// and waiting to be scored.
const DefaultMaxInflightBytes = 64 << 20

// budgetUnit is the grain of the in-flight byte budget.
const budgetUnit = 1 << 20

// MemoryBound is the documented ceiling on a batch process's peak
// resident memory with workers workers (docs/batch.md, checked by the
// hostile-input suite): a base for the runtime, the model and buffers; six
// times the largest record the reader holds (its line or block, the
// decoded body and the copies on the way, at the 64 MiB body cap); the
// in-flight budget of bodies waiting to be scored; and per worker one
// page being analysed (the page model reads at most 4 MiB of it).
func MemoryBound(workers int) int64 {
	const (
		base      = 120 << 20
		perRecord = 6 * corpus.DefaultMaxBodyBytes
		perWorker = 25 << 20
	)
	return base + perRecord + DefaultMaxInflightBytes + int64(workers)*perWorker
}

// DefaultDocTimeout is the default time limit on one document's
// analysis: thousands of times what a typical page takes.
const DefaultDocTimeout = 10 * time.Second

// Config says what to score and how.
type Config struct {
	// Inputs are directories, files or "-" (JSONL on Read.Stdin).
	Inputs []string
	// Read controls how inputs are read.
	Read corpus.Options
	// Detector scores the documents.
	Detector *detector.Detector
	// Workers is the number of scoring goroutines; 0 means one a CPU.
	Workers int
	// Reasons is the number of reasons a record carries; negative
	// means DefaultReasons.
	Reasons int
	// Shard, when Count > 1, keeps only the documents whose ID hashes
	// to shard Index of Count.
	Shard Shard
	// MaxInflightBytes caps the bytes of document bodies read but not yet
	// scored (0: DefaultMaxInflightBytes); the reader waits for room. A
	// document larger than the cap is let through alone.
	MaxInflightBytes int64
	// DocTimeout limits the analysis of one document (0: no limit): a
	// page not analysed in time becomes an error record naming the limit.
	DocTimeout time.Duration
	// Done holds the IDs already in the output (--resume): they are read
	// but not scored or written again.
	Done *IDSet
	// Progress, when set, is called about every ProgressEvery with the
	// counts so far, and once at the end.
	Progress      func(Progress)
	ProgressEvery time.Duration
}

// Progress is a snapshot of a run's counts.
type Progress struct {
	// Read counts the documents read, Skipped those left to another
	// shard or already in the output, Written the records written.
	Read, Skipped, Written int64
	// BytesRead counts the input bytes read, of BytesTotal (0 when the
	// total is unknown, e.g. standard input).
	BytesRead, BytesTotal int64
	Elapsed               time.Duration
}

// Summary counts what a run did.
type Summary struct {
	// Read counts the documents read (every record of the inputs).
	Read int
	// Resumed counts the documents skipped because the output already
	// held them; OtherShard those left to other shards.
	Resumed, OtherShard int
	// Scored counts the documents scored, Flagged those of them given a
	// spam label, Errors the records written with an error.
	Scored, Flagged, Errors int
	Wall                    time.Duration
}

// PagesPerSecond is the rate of records written.
func (s Summary) PagesPerSecond() float64 {
	if s.Wall <= 0 {
		return 0
	}
	return float64(s.Scored+s.Errors) / s.Wall.Seconds()
}

// String is the closing summary line.
func (s Summary) String() string {
	line := fmt.Sprintf("read %d documents: %d scored, %d flagged, %d errors", s.Read, s.Scored, s.Flagged, s.Errors)
	if s.Resumed > 0 {
		line += fmt.Sprintf(", %d already in the output", s.Resumed)
	}
	if s.OtherShard > 0 {
		line += fmt.Sprintf(", %d left to other shards", s.OtherShard)
	}
	return line + fmt.Sprintf("; %s wall, %.1f pages/s", s.Wall.Round(time.Millisecond), s.PagesPerSecond())
}

// RecordWriter takes the records of a run, in input order.
type RecordWriter interface {
	// WriteRecord writes one record; idle says that no other record is
	// ready, so that buffered output may be flushed.
	WriteRecord(r record.Record, idle bool) error
}

// job is one document on its way to a worker, numbered in input order.
type job struct {
	seq int
	doc corpus.Document
	// units is the in-flight byte budget the document holds.
	units int
}

// result is one worker's record for a job.
type result struct {
	seq     int
	rec     record.Record
	flagged bool
}

// Run reads, scores and writes every document of cfg.Inputs to w, one
// record per document in input order. It returns an error only when the
// output cannot be written or ctx is cancelled; unreadable or unscorable
// documents become error records.
func Run(ctx context.Context, cfg Config, w RecordWriter) (Summary, error) {
	start := time.Now()
	workers := cfg.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	reasons := cfg.Reasons
	if reasons < 0 {
		reasons = DefaultReasons
	}
	if cfg.Detector == nil {
		return Summary{}, errors.New("batch: no detector")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var bytesRead atomic.Int64
	readOpts := cfg.Read
	if readOpts.BytesRead == nil {
		readOpts.BytesRead = &bytesRead
	}
	var bytesTotal int64
	if cfg.Progress != nil {
		bytesTotal = inputBytes(cfg.Inputs)
	}

	// inFlight bounds the documents between the reader and the writer:
	// queued, being scored, or scored and waiting for an earlier one.
	inFlight := make(chan struct{}, 4*workers)
	maxBytes := cfg.MaxInflightBytes
	if maxBytes <= 0 {
		maxBytes = DefaultMaxInflightBytes
	}
	// budget holds one token per budgetUnit of bodies read and not yet
	// scored: the reader takes them, a worker gives them back once the
	// document is scored (its record is small).
	budget := make(chan struct{}, max(1, maxBytes/budgetUnit))
	jobs := make(chan job, workers)
	results := make(chan result, workers)

	var sum Summary
	var readN, skippedN, writtenN, otherShardN, resumedN atomic.Int64

	// Reader.
	readErr := make(chan error, 1)
	go func() {
		defer close(jobs)
		seq := 0
		for d := range corpus.Read(ctx, cfg.Inputs, readOpts) {
			readN.Add(1)
			if !cfg.Shard.Keeps(d.ID) {
				skippedN.Add(1)
				otherShardN.Add(1)
				continue
			}
			if cfg.Done.Has(d.ID) {
				skippedN.Add(1)
				resumedN.Add(1)
				continue
			}
			select {
			case inFlight <- struct{}{}:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
			units := min(1+len(d.Body)/budgetUnit, cap(budget))
			for range units {
				select {
				case budget <- struct{}{}:
				case <-ctx.Done():
					readErr <- ctx.Err()
					return
				}
			}
			select {
			case jobs <- job{seq: seq, doc: d, units: units}:
			case <-ctx.Done():
				readErr <- ctx.Err()
				return
			}
			seq++
		}
		readErr <- ctx.Err()
	}()

	// Workers.
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				var j job
				var ok bool
				select {
				case j, ok = <-jobs:
				case <-ctx.Done():
					// The reader may be blocked in a read that only the
					// process's end interrupts (a silent pipe).
					return
				}
				if !ok {
					return
				}
				rec, flagged := record.Score(ctx, cfg.Detector, j.doc, reasons, cfg.DocTimeout)
				for range j.units {
					<-budget
				}
				select {
				case results <- result{seq: j.seq, rec: rec, flagged: flagged}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	// Progress.
	progressDone := make(chan struct{})
	var progressWG sync.WaitGroup
	snapshot := func() Progress {
		return Progress{Read: readN.Load(), Skipped: skippedN.Load(), Written: writtenN.Load(),
			BytesRead: readOpts.BytesRead.Load(), BytesTotal: bytesTotal, Elapsed: time.Since(start)}
	}
	if cfg.Progress != nil {
		every := cfg.ProgressEvery
		if every <= 0 {
			every = 200 * time.Millisecond
		}
		progressWG.Add(1)
		go func() {
			defer progressWG.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				select {
				case <-t.C:
					cfg.Progress(snapshot())
				case <-progressDone:
					return
				}
			}
		}()
	}

	// Ordering writer: records leave in input order; a record that comes
	// back early waits (with its in-flight slot held) for those before it.
	pending := map[int]result{}
	nextSeq := 0
	var writeErr error
	for r := range results {
		pending[r.seq] = r
		for {
			p, ok := pending[nextSeq]
			if !ok {
				break
			}
			delete(pending, nextSeq)
			nextSeq++
			if writeErr == nil && ctx.Err() != nil {
				// Interrupted: records from here on may carry the
				// cancellation as their error, and a resumed run must
				// score those documents again, so none is written.
				writeErr = ctx.Err()
			}
			if writeErr == nil {
				idle := len(results) == 0 && len(pending) == 0
				if err := w.WriteRecord(p.rec, idle); err != nil {
					writeErr = err
					cancel()
				}
			}
			<-inFlight
			if writeErr != nil {
				continue // not written: not counted
			}
			writtenN.Add(1)
			switch {
			case p.rec.Error != nil:
				sum.Errors++
			case p.flagged:
				sum.Scored++
				sum.Flagged++
			default:
				sum.Scored++
			}
		}
	}
	var rErr error
	select {
	case rErr = <-readErr:
	case <-ctx.Done():
		// Do not wait for a reader blocked in a read (a pipe that sends
		// nothing): the records written so far are whole, and --resume
		// finishes the run.
		rErr = ctx.Err()
	}
	close(progressDone)
	progressWG.Wait()
	sum.Read = int(readN.Load())
	sum.OtherShard, sum.Resumed = int(otherShardN.Load()), int(resumedN.Load())
	sum.Wall = time.Since(start)
	if cfg.Progress != nil {
		cfg.Progress(snapshot())
	}
	if writeErr != nil {
		return sum, writeErr
	}
	if rErr != nil {
		return sum, rErr
	}
	return sum, nil
}

// TuneGC sets the garbage collector for a batch process, unless the
// GOGC or GOMEMLIMIT environment variables say otherwise: GC at 400%
// heap growth rather than 100% (parsing allocates a lot of short-lived
// memory, and a collection every few pages costs CPU that scoring
// needs), with a soft limit of 400 MiB that makes the collector work
// harder before memory gets near it. The in-flight bound keeps the live
// heap small (tens of MB), so the peak stays far below the limit. It
// changes the whole process: call it from a command, not a library.
func TuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(400 << 20)
	}
}

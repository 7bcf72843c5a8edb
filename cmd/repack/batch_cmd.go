package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/repack/repack/detector"

	"github.com/repack/repack/cmd/repack/internal/batch"
	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector/record"
)

var batchCommand = command{
	name:    "batch",
	summary: "score a directory, JSONL or WARC crawl: one JSONL/CSV record per page",
	run:     runBatch,
}

func runBatch(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "batch", `Usage: repack batch [flags] INPUT...

Scores every page of the inputs and writes exactly one record per input
document, in input order, whatever --workers says. INPUT is a directory
(walked recursively in sorted order: .html, .htm and .txt pages with an
optional sidecar .json, .jsonl, .jsonl.gz, .warc, .warc.gz, .wet,
.wet.gz), one such file, or - for JSONL on standard input.

A JSONL record is
  {"schema_version","id","source","url","label","kind","probability",
   "score","model","reasons":[{"feature","value","contribution",
   "evidence"}],"error":null,"warc_filename","warc_record_offset",
   "warc_record_length","warc_record_id"}
where id is the path relative to the input directory (the file name for a
file argument), FILE#OFFSET for a WARC record (its byte offset in the
file), or the JSONL input record's own id. The warc_ fields place a WARC
record in its file as Common Crawl's index does (the byte range of its
gzip member), null for other inputs. A page that cannot be read or
scored gets a record with "error" set and an empty label; the run goes
on. CSV has the same columns, kinds and reasons joined by ";".

--resume (with --output) skips the documents whose ids FILE already holds
and appends, so that a run killed at any point ends, once resumed, with
one record per document; a partial last line left by a kill is cut off.
--shard i/n keeps the documents whose id hashes to i modulo n, so that n
machines split a crawl without talking to each other. A summary goes to
standard error at the end. See docs/batch.md.

Exit codes: 0 nothing flagged, 1 at least one page flagged (repackaged or
injected; not a failure, and --exit-zero makes it 0 for job runners), 2
error (bad flags, unreadable model or output, interrupted).
`)
	format := fs.String("format", "jsonl", "output format: jsonl or csv")
	output := fs.String("output", "", "write records to `FILE` instead of standard output")
	resume := fs.Bool("resume", false, "with --output: skip documents whose ids are already in FILE and append")
	workers := fs.Int("workers", runtime.NumCPU(), "number of pages scored at once")
	reasons := fs.Int("reasons", batch.DefaultReasons, "reasons per record (top contributions)")
	shard := fs.String("shard", "", "score only shard `i/n` of the documents (by a stable hash of the id)")
	modelPath := fs.String("model", "", "model file (default: the model embedded in the binary)")
	indexPath := fs.String("index", detector.DefaultIndexName, indexHelp)
	thresholds := fs.String("threshold", "", thresholdHelp)
	exitZero := fs.Bool("exit-zero", false, exitZeroHelp)
	inputFormat := fs.String("input-format", "auto", "read every page as html or text; auto follows the file extension, record or Content-Type")
	docTimeout := fs.Duration("doc-timeout", batch.DefaultDocTimeout, "time limit for one document's analysis; a page over it becomes an error record naming the limit (0: none)")
	progress := fs.Bool("progress", true, "draw a progress bar on standard error when it is a terminal")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	cfg, err := batchConfig(pos, *format, *inputFormat, *shard, *workers, *reasons, *resume, *output)
	if err != nil {
		return fail(e, "batch", err)
	}
	det, err := loadDetector(*modelPath, *thresholds, *indexPath)
	if err != nil {
		return fail(e, "batch", err)
	}
	cfg.Detector = det
	cfg.DocTimeout = *docTimeout
	cfg.Read.Stdin = e.stdin
	batch.TuneGC()
	outFormat, _ := record.ParseFormat(*format)

	var out *batch.Output
	priorFlagged := 0
	if *output == "" {
		out, err = batch.NewOutput(e.stdout, outFormat)
	} else {
		var res batch.Resumed
		out, res, err = batch.OpenOutput(*output, outFormat, *resume)
		if err == nil && *resume {
			cfg.Done, priorFlagged = res.Done, res.Flagged
			fmt.Fprintf(e.stderr, "repack batch: resuming %s: %d records already there (%d flagged)", *output, res.Records, res.Flagged)
			if res.TruncatedBytes > 0 {
				fmt.Fprintf(e.stderr, "; cut a partial last line of %d bytes", res.TruncatedBytes)
			}
			fmt.Fprintln(e.stderr)
		}
	}
	if err != nil {
		return fail(e, "batch", err)
	}
	var bar *batch.ProgressBar
	if *progress && e.stderrTerminal {
		bar = batch.NewProgressBar(e.stderr)
		cfg.Progress = bar.Update
	}
	sum, runErr := batch.Run(ctx, cfg, out)
	if bar != nil {
		bar.Done()
	}
	closeErr := out.Close()
	fmt.Fprintf(e.stderr, "repack batch: %s\n", sum)
	switch {
	case errors.Is(runErr, context.Canceled):
		return fail(e, "batch", errors.New("interrupted; run again with --resume to finish"))
	case runErr != nil:
		return fail(e, "batch", runErr)
	case closeErr != nil:
		return fail(e, "batch", closeErr)
	}
	if (sum.Flagged > 0 || priorFlagged > 0) && !*exitZero {
		return exitFlagged
	}
	return exitAuthentic
}

// batchConfig checks the command line and builds the run's configuration
// (all but the detector and the output).
func batchConfig(inputs []string, format, inputFormat, shard string, workers, reasons int, resume bool, output string) (batch.Config, error) {
	var cfg batch.Config
	if len(inputs) == 0 {
		return cfg, usageError{"want at least one INPUT (a directory, a file, or - for JSONL on standard input)"}
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		// A missing input is a mistake in the command line, not a record.
		if _, err := os.Stat(in); errors.Is(err, os.ErrNotExist) {
			return cfg, usageError{fmt.Sprintf("input %s does not exist", in)}
		}
	}
	if _, err := record.ParseFormat(format); err != nil {
		return cfg, usageError{"--format: " + err.Error()}
	}
	pf, ok := corpusFormat(inputFormat)
	if !ok {
		return cfg, usageError{fmt.Sprintf("--input-format %q: want auto, html or text", inputFormat)}
	}
	if workers < 1 {
		return cfg, usageError{fmt.Sprintf("--workers %d: want at least 1", workers)}
	}
	if reasons < 0 {
		return cfg, usageError{fmt.Sprintf("--reasons %d: want 0 or more", reasons)}
	}
	if resume && output == "" {
		return cfg, usageError{"--resume needs --output FILE"}
	}
	if strings.HasSuffix(strings.ToLower(output), ".gz") {
		return cfg, usageError{fmt.Sprintf("--output %s: repack batch writes plain %s, which --resume can append to; compress it when the run is done, or pipe it: repack batch ... | gzip > %s", output, format, output)}
	}
	if in, ok := outputAmongInputs(output, inputs); ok {
		return cfg, usageError{fmt.Sprintf("--output %s is inside input %s and would be read as input; write it elsewhere", output, in)}
	}
	if shard != "" {
		s, err := batch.ParseShard(shard)
		if err != nil {
			return cfg, usageError{"--shard: " + err.Error()}
		}
		cfg.Shard = s
	}
	cfg.Inputs = inputs
	cfg.Workers = workers
	cfg.Reasons = reasons
	// Batch records carry no metadata: it is never parsed (a record's meta
	// cannot cost more than its line).
	cfg.Read = corpus.Options{Format: pf, SkipMeta: true}
	return cfg, nil
}

// outputAmongInputs reports the input that would read the output file
// back: the file itself, or a directory holding it.
func outputAmongInputs(output string, inputs []string) (string, bool) {
	if output == "" {
		return "", false
	}
	out, err := filepath.Abs(output)
	if err != nil {
		return "", false
	}
	for _, in := range inputs {
		if in == "-" {
			continue
		}
		abs, err := filepath.Abs(in)
		if err != nil {
			continue
		}
		if rel, err := filepath.Rel(abs, out); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
			return in, true
		}
	}
	return "", false
}

// corpusFormat reads --input-format for batch.
func corpusFormat(s string) (corpus.Format, bool) {
	switch s {
	case "", "auto":
		return corpus.FormatAuto, true
	case "html":
		return corpus.FormatHTML, true
	case "text", "txt":
		return corpus.FormatText, true
	}
	return corpus.FormatAuto, false
}

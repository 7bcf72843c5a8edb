// Command repack-beam scores whole crawls with repack on Apache Beam:
// Dataflow, Flink, Spark, or in-process on the Prism runner. It writes the
// records `repack batch` writes (detector/record), as JSONL shards, the
// rows `repack sites` makes of them (one a host, PREFIX.sites-00000-of-00001.jsonl),
// and counts pages per label as Beam metrics. It is a Go module of its own,
// so that Beam's dependencies never enter the repack binary's.
//
// See docs/scale.md.
//
//go:generate go run github.com/repack/repack/cmd/repack/internal/notices -for repack-beam -out THIRD_PARTY_NOTICES.md .
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/x/beamx"

	"github.com/repack/repack/cmd/repack-beam/pipeline"
)

const usage = `Usage: repack-beam --input PATTERN [--input PATTERN...] --output PREFIX [flags] [Beam flags]

Scores every page of the inputs with repack on an Apache Beam runner and
writes one record per input document (the format of repack batch, record
schema 3: docs/formats.md) into PREFIX-SSSSS-of-NNNNN.jsonl. Records are
those repack batch writes for the same inputs, byte for byte, in another
order. PATTERN is a file pattern (crawl/*.warc.gz), a file or a directory
on a path every worker can read, or an object pattern in cloud storage
(gs://bucket/crawl/*.warc.gz); ids are relative to the pattern's root (the
directory before the first wildcard), as batch names them relative to a
directory argument. A large local .warc.gz is read in byte ranges by
several workers (--split-bytes). A document that cannot be read or scored is an
error record, never a failed pipeline.

Runners (--runner): prism (default: in-process, no JVM or Docker),
dataflow, flink, spark, universal; their own flags (--project, --region,
--endpoint, --environment_type ...) pass through. docs/scale.md shows each.

Exit codes: 0 the pipeline ran (flagged pages are records, not failures),
2 error (bad flags, an input that matches nothing, the pipeline failed).

Flags:
`

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

// inputs is the repeatable --input flag.
type inputs []string

func (i *inputs) String() string { return strings.Join(*i, ",") }
func (i *inputs) Set(s string) error {
	*i = append(*i, s)
	return nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	// Beam's runners read their flags from the process's flag set.
	fs := flag.CommandLine
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	var in inputs
	fs.Var(&in, "input", "file `PATTERN`, file or directory to score (repeatable)")
	output := fs.String("output", "", "path `PREFIX` of the output shards (PREFIX-00000-of-NNNNN.jsonl; the site rows go to PREFIX.sites-00000-of-00001.jsonl)")
	shards := fs.Int("shards", 1, "number of output files")
	modelPath := fs.String("model", "", "model file (default: the model embedded in the binary); read at launch and shipped to the workers")
	threshold := fs.String("threshold", "", "operating point: P, or KIND=P[,KIND=P] (as repack batch)")
	index := fs.String("index", "embedded", "story index pages are looked up in, as repack batch --index: embedded, none, or a file read at launch and shipped to the workers")
	inputFormat := fs.String("input-format", "auto", "read every page as html or text; auto follows the file, record or Content-Type")
	reasons := fs.Int("reasons", 5, "reasons per record (top contributions)")
	docTimeout := fs.Duration("doc-timeout", pipeline.DefaultDocTimeout, "time limit for one document's analysis; a page over it becomes an error record (0: none, as in batch)")
	splitBytes := fs.Int64("split-bytes", pipeline.DefaultSplitBytes, "read a .warc.gz gzipped record by record in byte ranges of this size, each by one worker (0: every file whole)")
	goroutines := fs.Int("goroutines", 0, "pages one worker scores at once (0: one a CPU; 1 on runners that run a bundle a core)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	pipeline.Register()
	tuneGC()
	beam.Init() // a worker started by the runner takes over here
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "repack-beam: unexpected argument %q (inputs go in --input)\n", fs.Arg(0))
		return 2
	}
	cfg := pipeline.Config{Inputs: in, Output: *output, Shards: *shards, Thresholds: *threshold, Index: *index,
		InputFormat: *inputFormat, Reasons: *reasons, DocTimeout: *docTimeout, SplitBytes: *splitBytes, Goroutines: *goroutines}
	if *modelPath != "" {
		b, err := os.ReadFile(*modelPath)
		if err != nil {
			fmt.Fprintf(stderr, "repack-beam: --model: %v\n", err)
			return 2
		}
		cfg.ModelJSON = b
	}
	if *index != "" && *index != "embedded" && *index != "none" {
		b, err := os.ReadFile(*index)
		if err != nil {
			fmt.Fprintf(stderr, "repack-beam: --index: %v\n", err)
			return 2
		}
		cfg.IndexBytes = b
	}
	p, s := beam.NewPipelineWithRoot()
	if _, err := pipeline.Build(s, cfg); err != nil {
		fmt.Fprintf(stderr, "repack-beam: %v\n", err)
		return 2
	}
	res, err := beamx.RunWithMetrics(ctx, p)
	if err != nil {
		fmt.Fprintf(stderr, "repack-beam: pipeline failed: %v\n", err)
		return 2
	}
	if res != nil {
		fmt.Fprintf(stderr, "repack-beam: %s\n", pipeline.Counts(res))
	}
	return 0
}

// tuneGC collects garbage at 400% heap growth rather than 100%, unless
// GOGC says otherwise: parsing makes much short-lived garbage, and
// repack batch measured a collection every few pages costing CPU that
// scoring needs. Unlike batch it sets no memory limit: a worker's memory
// is the runner's to size, and several bundles may share it.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
}

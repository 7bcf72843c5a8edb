package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/training"
	"github.com/repack/repack/training/report"
)

var evalCommand = command{
	name:    "eval",
	summary: "evaluate the detector honestly (grouped CV, leave-one-template-out)",
	run:     runEval,
}

// defaultHoldOuts are the template choices the repackager and the injector
// record, held out one value at a time.
const defaultHoldOuts = "synth.family,synth.brand_kind,synth.separator,synth.brand_place,synth.splice,synth.splice_glued,synth.rendering,synth.text_start,synth.byline,synth.counter,synth.date_format,synth.source_label,synth.breadcrumb_label,synth.language,inject.kind,inject.placement"

func runEval(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "eval", `Usage: repack eval [flags] INPUT...

Measures the detector on held-out data only. Nested cross-validation
grouped by publisher: every page is scored by a model (weights,
calibration and threshold) trained without any page of its publisher.
Leave-one-template-out: for every metadata key given (the repackager's and
injector's recorded choices), each value in turn is left out of training
and the recall on its pages reported. Writes a markdown report with
precision, recall, F1, ROC-AUC, PR-AUC, recall at 0.1% and 1%
false-positive rate, a threshold sweep, the confusion matrix, false
positives by source and per-feature statistics, and PNG curves.

`+labelledInputHelp+`
`)
	var tf trainFlags
	tf.register(fs)
	outer := fs.Int("outer-folds", 5, "outer cross-validation folds, grouped by publisher")
	reportPath := fs.String("report", "docs/evaluation.md", "write the markdown report here")
	pngPath := fs.String("png", "docs/evaluation-{kind}.png", "write ROC and PR curves here, one PNG per head ({kind} is replaced); empty for none")
	holdOuts := fs.String("hold-out", defaultHoldOuts, "comma-separated metadata keys held out one value at a time")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	format, err := trainingFormat(tf.inputFormat)
	if err != nil {
		return fail(e, "eval", err)
	}
	docs, err := loadLabelled(ctx, pos, format, e.stdin)
	if err != nil {
		return fail(e, "eval", err)
	}
	ds, err := extractWithProgress(ctx, e, docs, tf.workers)
	if err != nil {
		return fail(e, "eval", err)
	}
	var keys []string
	for _, k := range strings.Split(*holdOuts, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	fmt.Fprintf(e.stderr, "evaluating %d documents (%d outer folds, %d hold-out keys)...\n", len(ds.Rows), *outer, len(keys))
	ev, err := training.Evaluate(ds, training.EvalOptions{Train: tf.options(), Folds: *outer, HoldOut: keys})
	if err != nil {
		return fail(e, "eval", err)
	}
	info := report.Info{Command: "repack eval " + strings.Join(args, " "), Inputs: describeInputs(pos, docs), TargetFPR: tf.targetFPR}
	if *pngPath != "" {
		info.PNG = filepath.Base(*pngPath)
		for _, h := range ev.Heads {
			p := strings.Replace(*pngPath, "{kind}", string(h.Kind), 1)
			if err := report.Curves(p, h); err != nil {
				return fail(e, "eval", err)
			}
		}
	}
	f, err := os.Create(*reportPath)
	if err != nil {
		return fail(e, "eval", err)
	}
	if err := report.Markdown(f, ev, info); err != nil {
		f.Close()
		return fail(e, "eval", err)
	}
	if err := f.Close(); err != nil {
		return fail(e, "eval", err)
	}
	fmt.Fprintf(e.stderr, "wrote %s\n", *reportPath)
	return exitAuthentic
}

// describeInputs says what each input contributed, for the report.
func describeInputs(args []string, docs []corpus.Document) []string {
	var out []string
	for _, a := range args {
		in, _ := parseLabelledInput(a)
		label := string(in.label)
		if label == "" {
			label = "labels from the records"
		}
		out = append(out, fmt.Sprintf("`%s` (%s)", in.path, label))
	}
	out = append(out, fmt.Sprintf("%d documents in all", len(docs)))
	return out
}

func corpusLabel(s string) corpus.Label { return corpus.Label(s) }

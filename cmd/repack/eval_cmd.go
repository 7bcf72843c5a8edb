package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
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
const defaultHoldOuts = "synth.family,synth.brand_kind,synth.separator,synth.brand_place,synth.splice,synth.splice_glued,synth.rendering,synth.text_start,synth.byline,synth.counter,synth.date_format,synth.source_label,synth.breadcrumb_label,synth.language,synth.spin_synonyms,synth.spin_structure,synth.spin_quotes,inject.kind,inject.placement"

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
	reportPath := fs.String("report", "evaluation.md", "write the markdown report here (docs/evaluation.md is the committed one: name it to replace it)")
	pngPath := fs.String("png", "evaluation-{kind}.png", "write ROC and PR curves here, one PNG per head ({kind} is replaced); empty for none")
	exclude := fs.String("exclude", "", excludeHelp+" (while rules are shaped, the sealed pages stay out of sight this way)")
	sealedPath := fs.String("sealed", "", "a list of page ids (one a line, the id first, # comments) that no model is fitted on: they are scored by every outer split's model and reported apart")
	baseline := fs.String("baseline", "", "with feedback:FILE inputs, the model the pages were reported against (default: the embedded model); the report shows which verdicts the retrained model flips and which weights moved")
	holdOuts := fs.String("hold-out", defaultHoldOuts, "comma-separated metadata keys held out one value at a time")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	format, err := trainingFormat(tf.inputFormat)
	if err != nil {
		return fail(e, "eval", err)
	}
	docs, err := loadLabelled(ctx, pos, format, e.stdin, e.stderr)
	if err != nil {
		return fail(e, "eval", err)
	}
	docs, dropped, err := excludeListed(docs, *exclude)
	if err != nil {
		return fail(e, "eval", err)
	}
	if dropped > 0 {
		fmt.Fprintf(e.stderr, "eval: left out %d pages listed in %s\n", dropped, *exclude)
	}
	xopts, err := tf.extractOptions()
	if err != nil {
		return fail(e, "eval", err)
	}
	ds, err := extractWithProgress(ctx, e, docs, xopts)
	if err != nil {
		return fail(e, "eval", err)
	}
	if *sealedPath != "" {
		n, err := markSealed(ds, *sealedPath)
		if err != nil {
			return fail(e, "eval", err)
		}
		fmt.Fprintf(e.stderr, "%d pages sealed by %s: scored, never trained on\n", n, *sealedPath)
	}
	var keys []string
	for _, k := range strings.Split(*holdOuts, ",") {
		if k = strings.TrimSpace(k); k != "" {
			keys = append(keys, k)
		}
	}
	fmt.Fprintf(e.stderr, "evaluating %d documents (%d outer folds, %d hold-out keys)...\n", len(ds.Rows), *outer, len(keys))
	start := time.Now()
	progress := func(what string, done, total int) {
		fmt.Fprintf(e.stderr, "eval: %d/%d models (%s) after %s\n", done, total, what, time.Since(start).Round(time.Second))
	}
	ev, err := interruptible(ctx, func() (*training.Evaluation, error) {
		return training.Evaluate(ds, training.EvalOptions{Train: tf.options(), Folds: *outer, HoldOut: keys, Progress: progress})
	})
	if err != nil {
		return fail(e, "eval", err)
	}
	info := report.Info{Command: "repack eval " + strings.Join(args, " "), Inputs: describeInputs(pos, docs), TargetFPR: tf.targetFPR,
		Took: time.Since(start).Round(time.Second)}
	if *baseline == "" {
		info.Baseline, err = detector.DefaultModel()
	} else {
		info.Baseline, err = detector.LoadModel(*baseline)
	}
	if err != nil {
		return fail(e, "eval", err)
	}
	if *pngPath != "" {
		info.PNG = filepath.Base(*pngPath)
		for _, h := range ev.Heads {
			p := strings.Replace(*pngPath, "{kind}", string(h.Kind), 1)
			if err := writeFileAtomically(ctx, p, func(w io.Writer) error { return report.CurvesTo(w, ds, h) }); err != nil {
				return fail(e, "eval", err)
			}
		}
	}
	if err := writeFileAtomically(ctx, *reportPath, func(w io.Writer) error { return report.Markdown(w, ev, info) }); err != nil {
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

// markSealed marks the rows whose id is on the list at path. A listed id
// that matches no row is an error, so that a list and its corpus cannot
// drift apart unnoticed.
func markSealed(ds *training.Dataset, path string) (int, error) {
	want, err := readIDList(path)
	if err != nil {
		return 0, fmt.Errorf("--sealed: %w", err)
	}
	n := 0
	for i := range ds.Rows {
		if want[ds.Rows[i].ID] {
			ds.Rows[i].Sealed = true
			delete(want, ds.Rows[i].ID)
			n++
		}
	}
	if len(want) > 0 {
		return 0, fmt.Errorf("--sealed %s: %d listed pages are not among the inputs (first: %s)", path, len(want), firstKey(want))
	}
	return n, nil
}

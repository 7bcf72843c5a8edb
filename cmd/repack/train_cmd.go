package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/training"
)

var trainCommand = command{
	name:    "train",
	summary: "fit a model on labelled pages and write the model file",
	run:     runTrain,
}

// trainFlags are the options train and eval share.
type trainFlags struct {
	fit         string
	hardFPR     float64
	lambda      float64
	folds       int
	seed        uint64
	targetFPR   float64
	workers     int
	inputFormat string
	allFeatures bool
	index       string
	indexShare  float64
}

func (t *trainFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&t.fit, "fit", training.FitLogistic, "fitting method: logistic (regression by IRLS, each step a weighted ridge solve) or ridge (least squares of the labels)")
	fs.Float64Var(&t.hardFPR, "hard-negative-fpr", 0.005, "false-positive rate on hard negatives (the generators' look-alikes) the threshold aims for; the threshold is the larger of this and --target-fpr's")
	fs.Float64Var(&t.lambda, "lambda", 1, "ridge penalty on the standardised weights")
	fs.IntVar(&t.folds, "folds", 5, "cross-validation folds, grouped by publisher, for calibration and threshold")
	fs.Uint64Var(&t.seed, "seed", 1, "seed of the fold assignment")
	fs.Float64Var(&t.targetFPR, "target-fpr", 0.001, "false-positive rate on real authentic pages the threshold aims for")
	fs.IntVar(&t.workers, "workers", 0, "parallel feature extractors (default: all cores)")
	fs.StringVar(&t.inputFormat, "input-format", "auto", "read pages as html or text; auto sniffs")
	fs.BoolVar(&t.allFeatures, "all-features", false, "let each head weigh every feature, not only its own family's")
	fs.StringVar(&t.index, "index", "none", "a story index (repack index build) the pages are looked up in, so that the model learns the source features (copy_of_indexed_story, inserted_spans, inserted_name, credit_dropped); none leaves them zero and unweighed")
	fs.Float64Var(&t.indexShare, "index-share", 0.5, "with --index, the share of publishers (source groups, chosen by a hash of their name) whose pages are looked up: the others' stay zero, as pages whose original no index holds, so that the page's own features keep their weight")
}

// extractOptions are the feature extraction options the flags give: the
// workers, and the story index the pages are looked up in.
func (t *trainFlags) extractOptions() (training.ExtractOptions, error) {
	opts := training.ExtractOptions{Workers: t.workers, IndexShare: t.indexShare}
	if !(t.indexShare > 0 && t.indexShare <= 1) {
		return opts, usageError{fmt.Sprintf("--index-share %v is not in (0, 1]", t.indexShare)}
	}
	if t.index == "" || t.index == "none" {
		return opts, nil
	}
	ix, err := detector.LoadIndex(t.index)
	opts.Index = ix
	return opts, err
}

func (t *trainFlags) options() training.Options {
	return training.Options{Fit: t.fit, Lambda: t.lambda, Folds: t.folds, Seed: t.seed, TargetFPR: t.targetFPR, HardNegativeFPR: t.hardFPR, AllFeatures: t.allFeatures}
}

func runTrain(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "train", `Usage: repack train --out MODEL.json [flags] INPUT...

Extracts the features of every labelled page (in parallel), standardises
them, fits one head per kind of spam present (repackaged, injected):
logistic regression by iteratively reweighted least squares, each step a
weighted ridge solve with sajari/regression, weights kept non-negative
(--fit ridge: least squares of the labels). Calibrates each raw score
into a probability with Platt scaling on out-of-fold scores (folds
grouped by publisher), picks the threshold for the target false-positive
rate on authentic pages, and writes a versioned JSON model file. Same
data and seed, same file byte for byte.

To learn from the reports users sent (repack serve --feedback FILE), add
feedback:FILE to the inputs the default model was trained on (the
README's command) and compare with repack eval, which shows how the
retrained model judges the reported pages.

`+labelledInputHelp+`
`)
	var tf trainFlags
	tf.register(fs)
	out := fs.String("out", "", "write the model file here (required)")
	exclude := fs.String("exclude", "", excludeHelp)
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if *out == "" {
		return fail(e, "train", usageError{"--out is required"})
	}
	format, err := trainingFormat(tf.inputFormat)
	if err != nil {
		return fail(e, "train", err)
	}
	docs, err := loadLabelled(ctx, pos, format, e.stdin, e.stderr)
	if err != nil {
		return fail(e, "train", err)
	}
	docs, dropped, err := excludeListed(docs, *exclude)
	if err != nil {
		return fail(e, "train", err)
	}
	if dropped > 0 {
		fmt.Fprintf(e.stderr, "train: left out %d pages listed in %s\n", dropped, *exclude)
	}
	xopts, err := tf.extractOptions()
	if err != nil {
		return fail(e, "train", err)
	}
	ds, err := extractWithProgress(ctx, e, docs, xopts)
	if err != nil {
		return fail(e, "train", err)
	}
	res, err := interruptible(ctx, func() (*training.Result, error) { return training.Train(ds, tf.options()) })
	if err != nil {
		return fail(e, "train", err)
	}
	if err := training.Seal(res.Model); err != nil {
		return fail(e, "train", err)
	}
	b, err := res.Model.Encode()
	if err != nil {
		return fail(e, "train", err)
	}
	if err := writeFileAtomically(ctx, *out, func(w io.Writer) error { _, err := w.Write(b); return err }); err != nil {
		return fail(e, "train", err)
	}
	for _, w := range res.Warnings {
		fmt.Fprintf(e.stderr, "warning: %s\n", w)
	}
	if fit := ds.Witnessed(); len(fit.Rows) < len(ds.Rows) {
		fmt.Fprintf(e.stderr, "left out of the fit: %d copies only the story index witnesses (spun copies) whose original was not looked up\n", len(ds.Rows)-len(fit.Rows))
		ds = fit
	}
	counts := ds.Counts()
	var labels []string
	for l := range counts {
		labels = append(labels, string(l))
	}
	sort.Strings(labels)
	fmt.Fprintf(e.stderr, "trained on %d documents (", len(ds.Rows))
	for i, l := range labels {
		if i > 0 {
			fmt.Fprint(e.stderr, ", ")
		}
		fmt.Fprintf(e.stderr, "%s %d", l, counts[corpusLabel(l)])
	}
	fmt.Fprintf(e.stderr, ")\n")
	for _, h := range res.Model.Heads {
		fmt.Fprintf(e.stderr, "%s head: threshold %.4f, intercept %.4f\n", h.Kind, h.Threshold, h.Intercept)
	}
	fmt.Fprintf(e.stderr, "wrote %s (model %s)\n", *out, res.Model.Version)
	return exitAuthentic
}

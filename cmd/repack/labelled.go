package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/training"
)

// labelledInput is one training input: a path, with the label and source
// given to its records that name none.
type labelledInput struct {
	path   string
	label  corpus.Label
	source string
	// feedback marks a feedback file (feedback:PATH): reports of wrong
	// verdicts, each labelled with the label its reporter claimed.
	feedback bool
}

// parseLabelledInput reads "[LABEL[@SOURCE]:]PATH", e.g.
// "authentic:../shared/corpus/authentic" or
// "repackaged@examples:../shared/examples/seed-novaquant-page.txt".
func parseLabelledInput(arg string) (labelledInput, error) {
	i := strings.IndexByte(arg, ':')
	if i <= 0 {
		return labelledInput{path: arg}, nil
	}
	prefix := arg[:i]
	if prefix == corpus.FeedbackSource {
		return labelledInput{path: arg[i+1:], feedback: true}, nil
	}
	label, source, _ := strings.Cut(prefix, "@")
	l, err := corpus.ParseLabel(label)
	if err != nil || l == corpus.Unlabelled {
		// Not a label: a path that happens to hold a colon.
		return labelledInput{path: arg}, nil
	}
	return labelledInput{path: arg[i+1:], label: l, source: source}, nil
}

const labelledInputHelp = `Each INPUT is [LABEL[@SOURCE]:]PATH. PATH is a directory (walked
recursively), a .html/.htm/.txt file (with an optional sidecar .json), a
.jsonl[.gz] file, a WARC, or - for JSONL on stdin. LABEL (authentic,
repackaged or injected) labels the records that carry no label of their
own; SOURCE names where they come from in reports. A PATH after a label
may be a glob ("repackaged:../shared/examples/real/network-*.txt"), which
repack expands itself. Every record must end up with a label.

feedback:FILE reads the reports that repack serve --feedback FILE
collected: each report that carries the page becomes a page labelled with
the label its reporter claimed (as sa-learn learns from a user's
corrections); reports without the page are counted and skipped. Review a
feedback file before training on it: anyone who can reach the server can
report.`

// loadLabelled reads every input into memory and refuses unreadable or
// unlabelled records, naming them. What a feedback file held is said on
// notes.
func loadLabelled(ctx context.Context, args []string, format corpus.Format, stdin io.Reader, notes io.Writer) ([]corpus.Document, error) {
	if len(args) == 0 {
		return nil, usageError{"no INPUT given"}
	}
	var docs []corpus.Document
	for _, arg := range args {
		in, err := parseLabelledInput(arg)
		if err != nil {
			return nil, err
		}
		if in.feedback {
			fb, sum, err := corpus.ReadFeedback(in.path, corpus.Options{})
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(notes, "feedback %s: %d reports: %d pages to learn from, %d without the page (skipped), %d repeated\n",
				in.path, sum.Reports, sum.Pages, sum.WithoutPage, sum.Repeated)
			docs = append(docs, fb...)
			continue
		}
		paths := []string{in.path}
		if strings.ContainsAny(in.path, "*?[") {
			// A glob after a label prefix: the shell cannot expand it.
			paths, err = filepath.Glob(in.path)
			if err != nil {
				return nil, fmt.Errorf("input %s: %w", in.path, err)
			}
			if len(paths) == 0 {
				return nil, fmt.Errorf("input %s matches no file", in.path)
			}
		}
		n := 0
		for d := range corpus.Read(ctx, paths, corpus.Options{DefaultLabel: in.label, DefaultSource: in.source, Format: format, Stdin: stdin}) {
			n++
			if d.Err != nil {
				return nil, fmt.Errorf("input %s: %s: %w", in.path, d.ID, d.Err)
			}
			if d.Label == corpus.Unlabelled {
				return nil, fmt.Errorf("input %s: %s has no label; give one with LABEL:%s", in.path, d.ID, in.path)
			}
			docs = append(docs, d)
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, fmt.Errorf("input %s holds no documents", in.path)
		}
	}
	return docs, nil
}

// trainingFormat reads --input-format for train and eval.
func trainingFormat(s string) (corpus.Format, error) {
	f, ok := corpusFormat(s)
	if !ok {
		return "", usageError{fmt.Sprintf("--input-format %q: want auto, html or text", s)}
	}
	return f, nil
}

// extractWithProgress builds the feature matrix, reporting progress on
// stderr when it is a terminal.
func extractWithProgress(ctx context.Context, e *env, docs []corpus.Document, opts training.ExtractOptions) (*training.Dataset, error) {
	if e.stderrTerminal {
		opts.Progress = func(done, total int) {
			if done%50 == 0 || done == total {
				fmt.Fprintf(e.stderr, "\rextracting features: %d/%d", done, total)
				if done == total {
					fmt.Fprintln(e.stderr)
				}
			}
		}
	}
	return training.Extract(ctx, docs, opts)
}

// excludeHelp documents --exclude for every command that has it.
const excludeHelp = "a list of page ids to leave out (one a line, the id first, # comments): training/sealed-authentic-extra.txt keeps the sealed pages out of the model and of the data made for it"

// readIDList reads a list of page ids: the first field of each line that
// is not blank or a # comment.
func readIDList(path string) (map[string]bool, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	ids := map[string]bool{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ids[strings.Fields(line)[0]] = true
	}
	return ids, nil
}

// excludeListed drops the documents whose id is on the list at path ("" for
// none), and says how many it dropped. A listed id that matches no
// document is an error, so that a list and its corpus cannot drift apart
// unnoticed.
func excludeListed(docs []corpus.Document, path string) ([]corpus.Document, int, error) {
	if path == "" {
		return docs, 0, nil
	}
	ids, err := readIDList(path)
	if err != nil {
		return nil, 0, fmt.Errorf("--exclude: %w", err)
	}
	out := docs[:0]
	dropped := 0
	for _, d := range docs {
		if ids[d.ID] {
			delete(ids, d.ID)
			dropped++
			continue
		}
		out = append(out, d)
	}
	if len(ids) > 0 {
		return nil, 0, fmt.Errorf("--exclude %s: %d listed pages are not among the inputs (first: %s)", path, len(ids), firstKey(ids))
	}
	return out, dropped, nil
}

func firstKey(m map[string]bool) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys[0]
}

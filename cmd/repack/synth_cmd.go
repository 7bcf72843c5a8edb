package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/synth"
)

var synthCommand = command{
	name:    "synth",
	summary: "make repackaged pages (and hard negatives) from authentic pages",
	run:     runSynth,
}

func runSynth(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "synth", `Usage: repack synth --out FILE.jsonl[.gz] [flags] AUTHENTIC_DIR|FILE...

Turns authentic pages into training data. Each AUTHENTIC_DIR holds pages as
<id>.html with an optional sidecar <id>.json (url, title, date_day,
language, ...), in subdirectories or not; a FILE is a page or a JSONL file
as the corpus readers read them. From each HTML page labelled authentic
(or unlabelled) it takes the story (headline, article paragraphs, real
date) and writes:

  - --per-source repackaged copies (label "repackaged"): the story in one of
    the network's spam templates, with an invented brand spliced into the
    headline and lead (or none), a fake date 6 to 30 months later, a byline,
    counters and lists of other stories' headlines; --operator-share of them
    are other operators' copies instead (meta.synth.kind "operator_copy":
    a feed scraper's lines, the copied publisher's paywall or "Read more
    at" line, news on a business's domain; no brand, no credit);
  - with --hard-negatives, as many hard negatives (label "authentic"): the
    page in its own markup with a legitimate look-alike (an editorial label,
    an AP dateline and credit, same-site related links, a comment counter,
    a visible correct date) or as text.

Records are JSON lines in the order of the input pages, {"id", "url",
"html"|"text", "label", "source", "group", "meta"}; group is the source
page's group (its host), so that a page and its copies share a
cross-validation group; meta.synth records every choice (family,
brand_kind, separator, splice, date_format, ...; see docs/synth.md).
Pages with no usable story (no headline, fewer than 3 paragraphs,
unreadable, text, labelled spam) are skipped and listed with their
reason. Progress and a summary go to standard error.
`)
	seed := fs.Uint64("seed", 1, "seed of every random choice; the same seed and input give the same bytes")
	out := fs.String("out", "", "output file: .jsonl, or .jsonl.gz for gzip; - for standard output (required)")
	perSource := fs.Int("per-source", 1, "repackaged copies (and, with --hard-negatives, hard negatives) made from each source page, on average: English stories get 3x the copies of others, as the network copies English stories")
	hardNeg := fs.Bool("hard-negatives", false, "also write hard negatives: authentic pages given legitimate look-alikes, labelled authentic")
	textShare := fs.Float64("text-share", synth.DefaultTextShare, "share of pages written as text (visible text, one block per line) instead of HTML")
	noBrand := fs.Float64("no-brand-share", synth.DefaultNoBrandShare, "share of repackaged pages with no brand at all (the bare template)")
	spin := fs.Float64("spin-share", synth.DefaultSpinShare, "share of repackaged copies made as spun copies: the story reworded (synonyms, sentences split, merged or reordered, quotes turned into reported speech), without credit or under the wire's dateline kept")
	operators := fs.Float64("operator-share", synth.DefaultOperatorShare, "share of repackaged copies made as other operators' copies (scraper feeds, a publisher's paywall left in, news on a business's domain) instead of the network's")
	workers := fs.Int("workers", 0, "goroutines that parse and generate (0: one per CPU); the output does not depend on it")
	exclude := fs.String("exclude", "", excludeHelp)
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	switch {
	case *out == "":
		return fail(e, "synth", usageError{"--out is required"})
	case len(pos) == 0:
		return fail(e, "synth", usageError{"want at least one AUTHENTIC_DIR"})
	case *perSource < 1:
		return fail(e, "synth", usageError{fmt.Sprintf("--per-source %d: want 1 or more", *perSource)})
	}
	opts := synth.DefaultOptions(*seed)
	opts.TextShare, opts.NoBrandShare, opts.OperatorShare, opts.SpinShare = *textShare, *noBrand, *operators, *spin
	gen, err := synth.New(opts)
	if err != nil {
		return fail(e, "synth", usageError{err.Error()})
	}

	for _, in := range pos {
		if _, err := os.Stat(in); err != nil {
			return fail(e, "synth", fmt.Errorf("%s: no such directory or file of authentic pages", in))
		}
	}
	docs := corpus.ReadAll(ctx, pos, corpus.Options{DefaultLabel: corpus.Authentic, DefaultSource: "authentic"})
	if err := ctx.Err(); err != nil {
		return fail(e, "synth", err)
	}
	docs, dropped, err := excludeListed(docs, *exclude)
	if err != nil {
		return fail(e, "synth", err)
	}
	if dropped > 0 {
		fmt.Fprintf(e.stderr, "synth: left out %d pages listed in %s\n", dropped, *exclude)
	}
	if len(docs) == 0 {
		return fail(e, "synth", fmt.Errorf("no pages in %s", strings.Join(pos, ", ")))
	}
	fmt.Fprintf(e.stderr, "synth: read %d pages\n", len(docs))
	stories, skipped, err := synth.Stories(ctx, docs, *workers, progressPrinter(e, "parsed", "pages"))
	if err != nil {
		return fail(e, "synth", err)
	}
	if len(stories) == 0 {
		return fail(e, "synth", fmt.Errorf("none of the %d pages yields a usable story", len(docs)))
	}
	g := synth.GenerateOptions{PerSource: *perSource, Workers: *workers, Progress: progressPrinter(e, "generated from", "stories")}
	if *hardNeg {
		g.HardNegatives = *perSource
	}
	outDocs, err := gen.Generate(ctx, stories, synth.NewPool(stories), g)
	if err != nil {
		return fail(e, "synth", err)
	}
	if err := writeSynthJSONL(ctx, e, *out, outDocs); err != nil {
		return fail(e, "synth", err)
	}
	printSynthSummary(e.stderr, len(docs), stories, skipped, outDocs, *out)
	return exitAuthentic
}

// progressPrinter reports progress on stderr: a rewritten line on a
// terminal, a line every 10% otherwise.
func progressPrinter(e *env, verb, noun string) func(done, total int) {
	step := 0
	return func(done, total int) {
		switch {
		case e.stderrTerminal:
			fmt.Fprintf(e.stderr, "\rsynth: %s %d/%d %s", verb, done, total, noun)
			if done == total {
				fmt.Fprintln(e.stderr)
			}
		case done*10/total > step || done == total:
			step = done * 10 / total
			fmt.Fprintf(e.stderr, "synth: %s %d/%d %s\n", verb, done, total, noun)
		}
	}
}

// writeSynthJSONL writes the documents as JSON lines to path (gzip when it
// ends in .gz, stdout for "-"). A file is written whole or not at all
// (writeFileAtomically): a signal stops the write and leaves no file.
func writeSynthJSONL(ctx context.Context, e *env, path string, docs []corpus.Document) error {
	write := func(w io.Writer) error {
		jw := corpus.NewJSONLWriter(w, strings.HasSuffix(path, ".gz"))
		for _, d := range docs {
			if err := jw.Write(d); err != nil {
				return fmt.Errorf("write %s: %w", path, err)
			}
		}
		if err := jw.Close(); err != nil {
			return fmt.Errorf("write %s: %w", path, err)
		}
		return nil
	}
	if path == "-" {
		return write(e.stdout)
	}
	return writeFileAtomically(ctx, path, write)
}

// printSynthSummary prints the counts per label and per choice family,
// then the skipped sources grouped by reason.
func printSynthSummary(w io.Writer, pages int, stories []synth.Story, skipped []*corpus.SkipError, docs []corpus.Document, out string) {
	byLabel := map[corpus.Label]int{}
	counts := map[string]map[string]int{}
	count := func(key, val string) {
		if counts[key] == nil {
			counts[key] = map[string]int{}
		}
		counts[key][val]++
	}
	for _, d := range docs {
		byLabel[d.Label]++
		m, _ := d.Meta["synth"].(map[string]any)
		if d.Label == corpus.Authentic {
			count("hard negatives by rendering", fmt.Sprint(m["rendering"]))
			looks, _ := m["lookalikes"].([]string)
			if len(looks) == 0 {
				count("hard negatives by look-alike", "(text only)")
			}
			for _, l := range looks {
				count("hard negatives by look-alike", l)
			}
			continue
		}
		for _, key := range []string{"family", "rendering", "brand_kind", "splice", "separator", "date_format", "counter", "site_suffix"} {
			count("repackaged by "+key, fmt.Sprintf("%q", m[key]))
		}
	}
	fmt.Fprintf(w, "\nsynth: %d pages, %d stories, %d skipped; wrote %d documents to %s (%d repackaged, %d hard negatives)\n",
		pages, len(stories), len(skipped), len(docs), out, byLabel[corpus.Repackaged], byLabel[corpus.Authentic])
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "  %s:", k)
		for _, v := range sortedByCount(counts[k]) {
			fmt.Fprintf(w, " %s %d", v, counts[k][v])
		}
		fmt.Fprintln(w)
	}
	if len(skipped) == 0 {
		return
	}
	byReason := map[string][]string{}
	for _, s := range skipped {
		byReason[s.Reason] = append(byReason[s.Reason], s.ID)
	}
	fmt.Fprintln(w, "skipped sources:")
	for _, reason := range sortedByLen(byReason) {
		fmt.Fprintf(w, "  %s (%d): %s\n", reason, len(byReason[reason]), strings.Join(byReason[reason], ", "))
	}
}

func sortedByCount(m map[string]int) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}

func sortedByLen(m map[string][]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool {
		if len(m[out[i]]) != len(m[out[j]]) {
			return len(m[out[i]]) > len(m[out[j]])
		}
		return out[i] < out[j]
	})
	return out
}

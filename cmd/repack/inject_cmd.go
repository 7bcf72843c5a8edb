package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/inject"
)

var injectCommand = command{
	name:    "inject",
	summary: "plant SEO spam into authentic pages (and make hard negatives)",
	run:     runInject,
}

func runInject(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "inject", `Usage: repack inject --out FILE.jsonl[.gz] [flags] AUTHENTIC_DIR|FILE...

Plants SEO spam into authentic pages, keeping their own markup, to train
and evaluate the injected family. Each AUTHENTIC_DIR holds pages as
<id>.html with an optional sidecar <id>.json (url, ...); a FILE is a page
or a JSONL file as the corpus readers read them. From each HTML page
labelled authentic (or unlabelled) it writes:

  - --per-source injected copies (label "injected"), each of one kind:
    hidden_links (a hidden div of casino and pharma links),
    japanese_keyword_hack, spliced_paragraph (Indonesian slot gambling
    mostly), keyword_anchors (mid-paragraph anchors to unrelated domains),
    link_farm, keyword_stuffing, cloaking (meta refresh, script redirect,
    user-agent or referrer check, spam only in <noscript>);
  - with --hard-negatives, as many hard negatives (label "authentic"): a
    footer of many same-site links, a labelled sponsor block, a page about
    gambling, medicines or loans on a site of that trade, a language
    switcher and a quoted foreign sentence, screen-reader text, a cookie
    banner hidden by CSS.

Records are JSON lines in the order of the input pages, {"id", "url",
"html"|"text", "label", "source", "group", "meta"}; group is the source
page's host, so that a page and its copies share a cross-validation
group; meta.inject records every choice (kind or hard_negative,
placement, language, n_links, seed, variant, source_id, rendering and
the kind's own: hiding, method, trades, ...; see docs/injection.md), so
that an evaluation can leave one kind out (--kinds makes a set without
it). Pages that cannot be sources (text, not UTF-8, no <body>, labelled
spam, unreadable) are skipped and listed with their reason. A summary
goes to standard error.
`)
	seed := fs.Uint64("seed", 1, "seed of every random choice; the same seed and input give the same bytes")
	out := fs.String("out", "", "output file: .jsonl, or .jsonl.gz for gzip; - for standard output (required)")
	perSource := fs.Int("per-source", 1, "injected copies (and, with --hard-negatives, hard negatives) made from each source page")
	hardNeg := fs.Bool("hard-negatives", false, "also write hard negatives: authentic pages with legitimate look-alikes, labelled authentic")
	textShare := fs.Float64("text-share", inject.DefaultTextShare, "share of pages with visible spam written as their visible text instead of HTML")
	kinds := fs.String("kinds", "", "comma-separated injection kinds to draw from (default all): "+kindNames())
	workers := fs.Int("workers", 0, "goroutines that generate (0: one per CPU); the output does not depend on it")
	exclude := fs.String("exclude", "", excludeHelp)
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	switch {
	case *out == "":
		return fail(e, "inject", usageError{"--out is required"})
	case len(pos) == 0:
		return fail(e, "inject", usageError{"want at least one AUTHENTIC_DIR"})
	case *perSource < 1:
		return fail(e, "inject", usageError{fmt.Sprintf("--per-source %d: want 1 or more", *perSource)})
	}
	opts := inject.Options{Seed: *seed, TextShare: *textShare}
	if *kinds != "" {
		for _, name := range strings.Split(*kinds, ",") {
			k, err := inject.ParseKind(strings.TrimSpace(name))
			if err != nil {
				return fail(e, "inject", usageError{"--kinds: " + err.Error()})
			}
			opts.Kinds = append(opts.Kinds, k)
		}
	}
	in, err := inject.New(opts)
	if err != nil {
		return fail(e, "inject", usageError{err.Error()})
	}
	for _, arg := range pos {
		if _, err := os.Stat(arg); err != nil {
			return fail(e, "inject", fmt.Errorf("%s: no such directory or file of authentic pages", arg))
		}
	}
	docs := corpus.ReadAll(ctx, pos, corpus.Options{DefaultLabel: corpus.Authentic, DefaultSource: "authentic"})
	if err := ctx.Err(); err != nil {
		return fail(e, "inject", err)
	}
	docs, dropped, err := excludeListed(docs, *exclude)
	if err != nil {
		return fail(e, "inject", err)
	}
	if dropped > 0 {
		fmt.Fprintf(e.stderr, "inject: left out %d pages listed in %s\n", dropped, *exclude)
	}
	if len(docs) == 0 {
		return fail(e, "inject", fmt.Errorf("no pages in %s", strings.Join(pos, ", ")))
	}
	g := inject.GenerateOptions{PerSource: *perSource, Workers: *workers}
	if *hardNeg {
		g.HardNegatives = *perSource
	}
	outDocs, skipped, err := in.Generate(ctx, docs, g)
	if err != nil {
		return fail(e, "inject", err)
	}
	if len(outDocs) == 0 {
		return fail(e, "inject", fmt.Errorf("none of the %d pages can be a source", len(docs)))
	}
	if err := writeSynthJSONL(ctx, e, *out, outDocs); err != nil {
		return fail(e, "inject", err)
	}
	printInjectSummary(e.stderr, len(docs), skipped, outDocs, *out)
	return exitAuthentic
}

func kindNames() string {
	var s []string
	for _, k := range inject.Kinds() {
		s = append(s, string(k))
	}
	return strings.Join(s, ", ")
}

// printInjectSummary prints the counts per label, kind, placement and
// language, then the skipped sources grouped by reason.
func printInjectSummary(w io.Writer, pages int, skipped []*corpus.SkipError, docs []corpus.Document, out string) {
	byLabel := map[corpus.Label]int{}
	counts := map[string]map[string]int{}
	count := func(key string, val any) {
		if counts[key] == nil {
			counts[key] = map[string]int{}
		}
		counts[key][fmt.Sprint(val)]++
	}
	for _, d := range docs {
		byLabel[d.Label]++
		m, _ := d.Meta[inject.MetaKey].(map[string]any)
		if d.Label == corpus.Authentic {
			count("hard negatives by kind", m["hard_negative"])
			continue
		}
		count("injected by kind", m["kind"])
		count("injected by placement", m["placement"])
		count("injected by language", m["language"])
		count("injected by rendering", m["rendering"])
	}
	fmt.Fprintf(w, "inject: %d pages, %d skipped; wrote %d documents to %s (%d injected, %d hard negatives)\n",
		pages, len(skipped), len(docs), out, byLabel[corpus.Injected], byLabel[corpus.Authentic])
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

package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/source"
)

var indexCommand = command{
	name:    "index",
	summary: "build, extend, describe and query an index of trusted stories",
	run:     runIndex,
}

const indexUsage = `Usage: repack index build --out FILE [flags] INPUT...
       repack index add [flags] FILE INPUT...
       repack index stats [--format text|json] FILE
       repack index query [--format text|json] [--url URL] FILE PAGE|-

An index holds the stories of pages you trust (a publisher's archive, a
wire feed, a crawl of known-good sites): each story's text, who it
credits, and a MinHash fingerprint of its body. With --index FILE,
score, batch and serve look every page up in it: a page that carries an
indexed story gets a "source" in its verdict, naming the original and
showing exactly which spans the page inserted into it and which credit it
dropped.

  build   reads INPUTs (directories, JSONL, WARC, WET, as batch reads
          them) and writes a new index to --out
  add     adds the stories of INPUTs to FILE: it writes a new file and
          renames it over the old one, so readers never see half an index
  stats   prints how many stories FILE holds, its size and format
  query   prints the candidate originals of one page with their scores:
          shared LSH bands and anchors, estimated containment, and the verified
          alignment when there is one

A page with too little story body (a section front, an error page) is not
indexed; the count of those is printed. The binary embeds a small index
of pages the project wrote ("embedded"), which the other commands use by
default.
`

func runIndex(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(e.stderr, indexUsage)
		return fail(e, "index", usageError{"missing subcommand: want build, add, stats or query"})
	}
	switch args[0] {
	case "build":
		return runIndexBuild(ctx, e, args[1:], false)
	case "add":
		return runIndexBuild(ctx, e, args[1:], true)
	case "stats":
		return runIndexStats(e, args[1:])
	case "query":
		return runIndexQuery(ctx, e, args[1:])
	case "-h", "-help", "--help", "help":
		fmt.Fprint(e.stderr, indexUsage)
		return exitAuthentic
	}
	return fail(e, "index", usageError{fmt.Sprintf("unknown subcommand %q: want build, add, stats or query", args[0])})
}

// indexBuildSummary is what build and add report.
type indexBuildSummary struct {
	Out        string  `json:"out"`
	Stories    int     `json:"stories"`
	Added      int     `json:"added"`
	Duplicates int     `json:"duplicates"`
	NoStory    int     `json:"no_story"`
	Errors     int     `json:"errors"`
	Bytes      int     `json:"bytes"`
	Seconds    float64 `json:"seconds"`
}

func runIndexBuild(ctx context.Context, e *env, args []string, add bool) int {
	name := "index build"
	if add {
		name = "index add"
	}
	fs := newFlagSet(e, name, indexUsage)
	out := fs.String("out", "", "build: the index file to write")
	inputFormat := fs.String("input-format", "auto", "read pages as html or text; auto sniffs")
	pageURL := fs.String("url", "", "the URL of the page, when INPUT is one file that does not say it")
	workers := fs.Int("workers", 0, "pages parsed at once (default: one per CPU)")
	quiet := fs.Bool("quiet", false, "no progress on standard error")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	b := source.NewBuilder()
	if add {
		if len(pos) < 2 {
			return fail(e, name, usageError{"want FILE and at least one INPUT"})
		}
		*out = pos[0]
		old, err := source.Open(*out)
		if err != nil {
			return fail(e, name, err)
		}
		b.AddIndex(old)
		pos = pos[1:]
	} else if *out == "" || len(pos) == 0 {
		return fail(e, name, usageError{"want --out FILE and at least one INPUT"})
	}
	if *pageURL != "" && len(pos) != 1 {
		return fail(e, name, usageError{"--url names the page of one INPUT file"})
	}
	pf, err := inputFormatFlag(*inputFormat)
	if err != nil {
		return fail(e, name, err)
	}
	opts := corpus.Options{}
	switch pf {
	case page.FormatHTML:
		opts.Format = corpus.FormatHTML
	case page.FormatText:
		opts.Format = corpus.FormatText
	}
	start := time.Now()
	sum := indexBuildSummary{Out: *out}
	before := b.Len()
	const chunk = 256
	var docs []corpus.Document
	flush := func() {
		stories := make([]source.Story, len(docs))
		oks := make([]bool, len(docs))
		errs := make([]error, len(docs))
		corpus.ForEach(ctx, len(docs), *workers, func(i int) {
			stories[i], oks[i], errs[i] = detector.StoryOf(docs[i])
		}, nil)
		for i := range docs {
			switch {
			case errs[i] != nil:
				sum.Errors++
				fmt.Fprintf(e.stderr, "repack %s: %s: %v\n", name, docs[i].ID, errs[i])
			case !oks[i]:
				sum.NoStory++
			case b.Add(stories[i]):
				sum.Added++
			default:
				sum.Duplicates++
			}
		}
		seen := sum.Added + sum.Duplicates + sum.NoStory + sum.Errors
		if !*quiet && seen%(chunk*8) < len(docs) {
			fmt.Fprintf(e.stderr, "repack %s: %d pages read, %d stories added\n", name, seen, sum.Added)
		}
		docs = docs[:0]
	}
	for d := range corpus.Read(ctx, pos, opts) {
		if *pageURL != "" {
			d.URL = *pageURL
		}
		docs = append(docs, d)
		if len(docs) == chunk {
			flush()
		}
	}
	flush()
	if err := ctx.Err(); err != nil {
		return fail(e, name, fmt.Errorf("interrupted; %s not written: %w", *out, err))
	}
	if b.Len() == before && !add {
		return fail(e, name, fmt.Errorf("no story to index in %v: %d pages without a story body, %d unreadable", pos, sum.NoStory, sum.Errors))
	}
	if err := b.WriteFile(*out); err != nil {
		return fail(e, name, err)
	}
	sum.Stories = b.Len()
	if fi, err := os.Stat(*out); err == nil {
		sum.Bytes = int(fi.Size())
	}
	sum.Seconds = time.Since(start).Seconds()
	fmt.Fprintf(e.stdout, "%s: %d stories (%d added, %d duplicates, %d pages without a story body, %d unreadable), %d bytes, %.1fs\n",
		*out, sum.Stories, sum.Added, sum.Duplicates, sum.NoStory, sum.Errors, sum.Bytes, sum.Seconds)
	if sum.Errors > 0 {
		return exitError
	}
	return exitAuthentic
}

// indexStats is the JSON form of `repack index stats`.
type indexStats struct {
	File          string `json:"file"`
	FormatVersion int    `json:"format_version"`
	Checksum      string `json:"checksum"`
	Stories       int    `json:"stories"`
	Bytes         int    `json:"bytes"`
	TextBytes     int    `json:"text_bytes"`
	Credited      int    `json:"credited"`
}

func runIndexStats(e *env, args []string) int {
	fs := newFlagSet(e, "index stats", indexUsage)
	format := fs.String("format", "text", "output format: text or json")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if len(pos) != 1 {
		return fail(e, "index stats", usageError{"want one index FILE"})
	}
	ix, err := detector.LoadIndex(pos[0])
	if err != nil {
		return fail(e, "index stats", err)
	}
	if ix == nil {
		return fail(e, "index stats", usageError{`"none" is no index`})
	}
	st := indexStats{File: ix.Name(), FormatVersion: source.FormatVersion, Checksum: ix.Checksum(), Stories: ix.Len(), Bytes: ix.Size()}
	for i := range ix.Len() {
		s := ix.Story(i)
		st.TextBytes += len(s.Text)
		if len(s.Credits) > 0 {
			st.Credited++
		}
	}
	switch *format {
	case "json":
		return writeJSON(e, "index stats", st)
	case "text":
		per := 0
		if st.Stories > 0 {
			per = st.Bytes / st.Stories
		}
		fmt.Fprintf(e.stdout, "%s: format version %d, checksum %s\n%d stories, %d bytes (%d a story; story text %d bytes), %d with a credit\n",
			st.File, st.FormatVersion, st.Checksum, st.Stories, st.Bytes, per, st.TextBytes, st.Credited)
		return exitAuthentic
	}
	return fail(e, "index stats", usageError{fmt.Sprintf("--format %q: want text or json", *format)})
}

// queryCandidate is one candidate in `repack index query --format json`.
type queryCandidate struct {
	Number  int    `json:"number"`
	ID      string `json:"id"`
	URL     string `json:"url"`
	Title   string `json:"title"`
	Bands   int    `json:"bands"`
	Anchors int    `json:"anchors"`
	// Immutables is how many of the page's immutable keys (names,
	// numbers and quoted words paired within a sentence) the story shares.
	Immutables int              `json:"immutables"`
	Estimate   float64          `json:"estimated_containment"`
	Source     *detector.Source `json:"match"`
}

func runIndexQuery(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "index query", indexUsage)
	format := fs.String("format", "text", "output format: text or json")
	inputFormat := fs.String("input-format", "auto", "read the page as html or text; auto sniffs")
	pageURL := fs.String("url", "", "the page's URL, if known (a page never matches itself)")
	limit := fs.Int("limit", 10, "at most this many candidates")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if len(pos) != 2 {
		return fail(e, "index query", usageError{"want an index FILE and one PAGE"})
	}
	if *format != "text" && *format != "json" {
		return fail(e, "index query", usageError{fmt.Sprintf("--format %q: want text or json", *format)})
	}
	ix, err := detector.LoadIndex(pos[0])
	if err != nil {
		return fail(e, "index query", err)
	}
	if ix == nil {
		return fail(e, "index query", usageError{`"none" is no index`})
	}
	pf, err := inputFormatFlag(*inputFormat)
	if err != nil {
		return fail(e, "index query", err)
	}
	body, err := readPageArg(ctx, e, pos[1])
	if err != nil {
		return fail(e, "index query", err)
	}
	body, u := withTextHeader(body, *pageURL)
	p, err := page.Parse(body, page.Options{Format: pf, URL: u})
	if err != nil {
		return fail(e, "index query", fmt.Errorf("%s: %w", pos[1], err))
	}
	var out []queryCandidate
	for _, c := range ix.Candidates(ctx, p, *limit) {
		out = append(out, queryCandidate{Number: c.Number, ID: c.Story.ID, URL: c.Story.URL, Title: c.Story.Headline(), Bands: c.Bands, Anchors: c.Anchors, Immutables: c.Immutables, Estimate: c.Estimate, Source: detector.SourceOf(c.Match, p)})
	}
	if *format == "json" {
		if out == nil {
			out = []queryCandidate{}
		}
		return writeJSON(e, "index query", out)
	}
	if len(out) == 0 {
		fmt.Fprintln(e.stdout, "no candidate: no indexed story shares a band, enough anchors or enough immutables with this page's body")
		return exitAuthentic
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "story\tbands\tanchors\timmutables\test. containment\taligned\tcontainment\tinserted\turl")
	for _, c := range out {
		aligned, cont, ins := "no", "-", "-"
		if c.Source != nil {
			aligned, cont, ins = fmt.Sprint(len(c.Source.Aligned)), fmt.Sprintf("%.2f", c.Source.Containment), fmt.Sprint(len(c.Source.Inserted))
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.2f\t%s\t%s\t%s\t%s\n", c.ID, c.Bands, c.Anchors, c.Immutables, c.Estimate, aligned, cont, ins, c.URL)
	}
	tw.Flush()
	for _, c := range out {
		if c.Source == nil {
			continue
		}
		fmt.Fprintf(e.stdout, "\n%s: inserted spans\n", c.ID)
		for _, ev := range c.Source.Inserted {
			fmt.Fprintf(e.stdout, "  [%d, %d) %q  (%s)\n", ev.Start, ev.End, ev.Text, ev.Note)
		}
	}
	return exitAuthentic
}

// writeJSON writes v as indented JSON to standard output.
func writeJSON(e *env, cmd string, v any) int {
	enc := json.NewEncoder(e.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		if errors.Is(err, io.ErrClosedPipe) {
			return exitError
		}
		return fail(e, cmd, err)
	}
	return exitAuthentic
}

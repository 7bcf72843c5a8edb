package main

import (
	"context"
	"fmt"
	"os"

	"github.com/repack/repack/detector/sites"
)

var sitesCommand = command{
	name:    "sites",
	summary: "roll batch records up by site: pages, flagged share, top cues, examples",
	run:     runSites,
}

func runSites(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "sites", `Usage: repack sites [flags] RECORDS.jsonl[.gz]... (or - for standard input)

Reads the records repack batch (or repack-beam) wrote, in JSONL, and
rolls them up by site: one row per host (the URL's, lower case, without
"www."; records without a URL are "(no url)"), with its pages, the pages
with an error, how many were flagged and their share of the pages with a
verdict, the flagged pages by kind, the features most often among the
flagged pages' reasons, and the flagged pages with the highest
probability. Rows are sorted by flagged share, then flagged pages, then
host. A line that is not a record stops the run with its file and line
(exit 2).

  repack batch --output verdicts.jsonl crawl/ && repack sites verdicts.jsonl
  repack batch --exit-zero crawl/ | repack sites --format jsonl -
`)
	format := fs.String("format", "table", "table (for people) or jsonl (one site a line)")
	minPages := fs.Int("min-pages", 1, "list only sites with at least this many pages")
	cues := fs.Int("cues", 3, "top cues listed per site")
	examples := fs.Int("examples", 3, "example pages listed per site (jsonl; the table shows the first)")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	if *format != "table" && *format != "jsonl" {
		return fail(e, "sites", usageError{fmt.Sprintf("--format %q: want table or jsonl", *format)})
	}
	if *minPages < 1 || *cues < 1 || *examples < 1 {
		return fail(e, "sites", usageError{"--min-pages, --cues and --examples must be at least 1"})
	}
	if len(pos) == 0 {
		return fail(e, "sites", usageError{"no records given: name the batch output files, or - for standard input"})
	}
	var t sites.Tally
	records := 0
	for _, p := range pos {
		if err := ctx.Err(); err != nil {
			return fail(e, "sites", err)
		}
		n, err := readSiteRecords(e, &t, p)
		if err != nil {
			return fail(e, "sites", err)
		}
		records += n
	}
	var list []sites.Site
	for _, s := range t.Sites(sites.Options{Cues: *cues, Examples: *examples}) {
		if s.Pages >= *minPages {
			list = append(list, s)
		}
	}
	var err error
	if *format == "jsonl" {
		err = sites.WriteJSONL(e.stdout, list)
	} else {
		err = sites.WriteTable(e.stdout, list)
	}
	if err != nil {
		return fail(e, "sites", err)
	}
	fmt.Fprintf(e.stderr, "repack sites: %d records, %d sites listed\n", records, len(list))
	return exitAuthentic
}

// readSiteRecords adds the records of one input ("-": standard input).
func readSiteRecords(e *env, t *sites.Tally, path string) (int, error) {
	if path == "-" {
		return t.Read(e.stdin, "standard input")
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return t.Read(f, path)
}

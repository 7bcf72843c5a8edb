package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

var featuresCommand = command{
	name:    "features",
	summary: "print every feature of one page with its value and evidence",
	run:     runFeatures,
}

// featuresOutput is the JSON form of `repack features`.
type featuresOutput struct {
	Signals     []signal.Signal `json:"signals"`
	Truncated   bool            `json:"truncated"`
	TruncatedBy string          `json:"truncated_by,omitempty"`
	Format      string          `json:"format"`
}

func runFeatures(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "features", `Usage: repack features [flags] FILE|-
       repack features --fire-rates INPUT...
       repack features --catalogue [--format text|json|markdown] [INPUT...]

Prints every feature the extractors compute for one page (HTML or text),
with its value and its evidence: the field, the byte offsets [start, end)
into that field's text, the snippet, and for HTML a CSS-like path.

With --fire-rates, reads every page of the inputs and prints a markdown
table of how often each feature fires on them, with examples: run on
authentic pages, it is the features' false-fire rate.

With --catalogue, prints every feature of the catalogue without a page:
its family, its weight in each head of the model, where its code and its
fixture pages are, and its doc; with INPUTs, how often it fires on their
pages. docs/features.md is its markdown, over the shared authentic
corpora (go generate ./cmd/repack).
`)
	format := fs.String("format", "text", "output format: text (a table for people) or json")
	inputFormat := fs.String("input-format", "auto", "read the page as html or text; auto sniffs")
	pageURL := fs.String("url", "", "the page's URL, if known (its host and path dates are evidence)")
	all := fs.Bool("all", false, "with --format text, list features that did not fire too")
	fireRates := fs.Bool("fire-rates", false, "instead of one page, read every page of the INPUTs (directories, JSONL, WARC) and print a markdown table of how often each feature fires")
	catalogue := fs.Bool("catalogue", false, "instead of one page, print the catalogue of features (--format text, json or markdown); with INPUTs, their fire rates on them")
	modelPath := fs.String("model", "", "with --catalogue, the model whose weights to show (default: the model embedded in the binary)")
	outPath := fs.String("out", "", "write the output to this file instead of standard output")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	pf, err := inputFormatFlag(*inputFormat)
	if err != nil {
		return fail(e, "features", err)
	}
	w := e.stdout
	if *outPath != "" {
		f, err := os.Create(*outPath)
		if err != nil {
			return fail(e, "features", err)
		}
		defer f.Close()
		w = f
	}
	if *catalogue {
		if *format != "text" && *format != "json" && *format != "markdown" {
			return fail(e, "features", usageError{fmt.Sprintf("--format %q: want text, json or markdown", *format)})
		}
		if err := runCatalogue(ctx, w, *format, *modelPath, pos, pf); err != nil {
			return fail(e, "features", err)
		}
		return exitAuthentic
	}
	if *fireRates {
		if len(pos) == 0 {
			return fail(e, "features", usageError{"--fire-rates wants at least one INPUT"})
		}
		if err := printFireRates(ctx, w, pos, pf); err != nil {
			return fail(e, "features", err)
		}
		return exitAuthentic
	}
	if len(pos) != 1 {
		return fail(e, "features", usageError{"want exactly one FILE or -"})
	}
	if *format != "text" && *format != "json" {
		return fail(e, "features", usageError{fmt.Sprintf("--format %q: want text or json", *format)})
	}
	body, err := readPageArg(ctx, e, pos[0])
	if err != nil {
		return fail(e, "features", err)
	}
	body, u := withTextHeader(body, *pageURL)
	a, err := detector.Extract(ctx, detector.Input{Body: body, Format: pf, URL: u})
	if err != nil {
		return fail(e, "features", fmt.Errorf("%s: %w", pos[0], err))
	}
	p := a.Page
	out := featuresOutput{Signals: a.Signals, Truncated: p.Truncated, TruncatedBy: p.TruncatedBy, Format: p.Format.String()}
	if *format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			return fail(e, "features", err)
		}
		return exitAuthentic
	}
	printFeatures(w, out, *all)
	return exitAuthentic
}

func printFeatures(w io.Writer, out featuresOutput, all bool) {
	if out.Truncated {
		fmt.Fprintf(w, "note: page truncated (%s)\n", out.TruncatedBy)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "VALUE\tFEATURE\tDESCRIPTION")
	for _, s := range out.Signals {
		if s.Value == 0 && !all {
			continue
		}
		fmt.Fprintf(tw, "%.3f\t%s\t%s\n", s.Value, s.Name, s.Description)
	}
	tw.Flush()
	for _, s := range out.Signals {
		if s.Value == 0 || len(s.Evidence) == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", s.Name)
		for _, ev := range s.Evidence {
			fmt.Fprintf(w, "  %s[%d:%d] %q", ev.Field, ev.Start, ev.End, clip(ev.Text, 100))
			if ev.Note != "" {
				fmt.Fprintf(w, "  (%s)", ev.Note)
			}
			if ev.Path != "" {
				fmt.Fprintf(w, "\n    at %s", ev.Path)
			}
			fmt.Fprintln(w)
		}
	}
}

func clip(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && (s[cut]&0xC0) == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}

// runCatalogue prints the catalogue with the model's weights and, with
// inputs, the features' fire rates on their pages.
func runCatalogue(ctx context.Context, w io.Writer, format, modelPath string, inputs []string, pf page.Format) error {
	det, err := loadDetector(modelPath, "", "none")
	if err != nil {
		return err
	}
	var c *fireCounts
	if len(inputs) > 0 {
		if c, err = countFires(ctx, inputs, pf); err != nil {
			return err
		}
	}
	entries := catalogueEntries(det.Catalogue(), det.Model(), c)
	return printCatalogue(w, format, entries, det.Model(), inputs, c)
}

package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/repack/repack/detector"
	"github.com/repack/repack/features/signal"
)

var scoreCommand = command{
	name:    "score",
	summary: "score one page (file, URL or stdin) and explain the verdict",
	run:     runScore,
}

func runScore(ctx context.Context, e *env, args []string) int {
	fs := newFlagSet(e, "score", `Usage: repack score [flags] FILE|URL|-
       repack score --example

Scores one page, HTML or text (sniffed; --input-format forces one). A URL
is fetched (timeout, 64 MB cap, at most 5 redirects; the final URL is what
the date heuristics see). The first line is the label and probability;
with --explain (the default) a table of the reasons follows, each with the
points it added, and under it every piece of evidence with the offending
span highlighted in context (colour on a terminal, [brackets] otherwise).

Exit codes: 0 authentic, 1 flagged (repackaged or injected: not a
failure; --exit-zero makes it 0), 2 error.
`)
	format := fs.String("format", "text", "output format: text (for people) or json (the verdict object)")
	explain := fs.Bool("explain", true, "print the reasons and evidence under the verdict line (text format)")
	inputFormat := fs.String("input-format", "auto", "read the page as html or text; auto sniffs")
	pageURL := fs.String("url", "", "the page's URL, when scoring a file or stdin (its host and path dates are evidence)")
	modelPath := fs.String("model", "", "model file (default: the model embedded in the binary)")
	indexPath := fs.String("index", detector.DefaultIndexName, indexHelp)
	thresholds := fs.String("threshold", "", thresholdHelp)
	exitZero := fs.Bool("exit-zero", false, exitZeroHelp)
	colourFlag := fs.String("color", "auto", colourFlagHelp)
	example := fs.Bool("example", false, "score the example page embedded in the binary instead of FILE")
	timeout := fs.Duration("timeout", 20*time.Second, "timeout for fetching a URL")
	pos, code, done := parseFlags(fs, args)
	if done {
		return code
	}
	pf, err := inputFormatFlag(*inputFormat)
	if err != nil {
		return fail(e, "score", err)
	}
	if *format != "text" && *format != "json" {
		return fail(e, "score", usageError{fmt.Sprintf("--format %q: want text or json", *format)})
	}
	colour, err := e.colour(*colourFlag)
	if err != nil {
		return fail(e, "score", err)
	}
	var in detector.Input
	in.Format = pf
	in.URL = *pageURL
	name := "example page"
	switch {
	case *example && len(pos) == 0:
		in.Body = detector.ExamplePage()
		if in.URL == "" {
			in.URL = detector.ExampleURL
		}
	case !*example && len(pos) == 1:
		name = pos[0]
		if isURL(name) {
			fetched, err := fetchURL(ctx, name, *timeout)
			if err != nil {
				return fail(e, "score", err)
			}
			in.Body, in.ContentType = fetched.body, fetched.contentType
			if in.URL == "" {
				in.URL = fetched.finalURL
			}
		} else {
			in.Body, err = readPageArg(ctx, e, name)
			if err != nil {
				return fail(e, "score", err)
			}
			in.Body, in.URL = withTextHeader(in.Body, in.URL)
		}
	default:
		return fail(e, "score", usageError{"want exactly one FILE, URL or -, or --example"})
	}
	det, err := loadDetector(*modelPath, *thresholds, *indexPath)
	if err != nil {
		return fail(e, "score", err)
	}
	a, err := det.Analyze(ctx, in)
	if err != nil {
		return fail(e, "score", fmt.Errorf("%s: %w", name, err))
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(a.Verdict); err != nil {
			return fail(e, "score", err)
		}
	} else {
		printVerdict(e.stdout, a, *explain, colour)
	}
	if a.Verdict.Flagged() && !*exitZero {
		return exitFlagged
	}
	return exitAuthentic
}

// loadDetector returns a detector with the model file (the embedded
// default when path is ""), looking pages up in the index a --index flag
// names.
func loadDetector(path, thresholds, index string) (*detector.Detector, error) {
	t, err := parseThresholds(thresholds)
	if err != nil {
		return nil, err
	}
	d, err := detector.Load(path, t)
	if err != nil {
		return nil, err
	}
	ix, err := detector.LoadIndex(index)
	if err != nil {
		return nil, err
	}
	return d.WithIndex(ix), nil
}

// indexHelp documents --index for every command that has it.
const indexHelp = "story index to look pages up in (repack index build): a page that carries an indexed story gets a source in its verdict, with the spans it inserted; \"embedded\" is the small index in the binary, \"none\" looks nothing up"

// thresholdHelp documents --threshold for every command that has it.
const thresholdHelp = "operating point: the probability at which a head flags a page, instead of the model's; KIND=P[,KIND=P] (repackaged=0.9,injected=0.95) or P for every head. docs/evaluation.md tabulates recall against false positives by threshold"

// parseThresholds reads --threshold (detector.ParseThresholds) as a
// usage error.
func parseThresholds(s string) (map[signal.Family]float64, error) {
	t, err := detector.ParseThresholds(s)
	if err != nil {
		return nil, usageError{"--threshold " + err.Error()}
	}
	return t, nil
}

// printVerdict writes the human report: the verdict line, then (with
// explain) a SpamAssassin-style table of reasons and the evidence in
// context.
func printVerdict(w io.Writer, a *detector.Analysis, explain, colour bool) {
	v := a.Verdict
	fmt.Fprintf(w, "%s  probability %s  (score %.3f, threshold %.3f, model %s)\n", strings.ToUpper(v.Label), detector.ProbabilityText(v.Probability), v.Score, v.Threshold, v.Model)
	if !explain {
		return
	}
	if v.Truncated {
		fmt.Fprintf(w, "note: page truncated (%s)\n", v.TruncatedBy)
	}
	for _, k := range v.Kinds {
		fmt.Fprintf(w, "  %-10s probability %-7s  threshold %.3f  supporting features %d, cues %d (needs %d)  flagged %v\n", k.Kind, detector.ProbabilityText(k.Probability), k.Threshold, k.Fired, k.Cues, k.MinCues, k.Flagged)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, " pts\tfeature\tvalue\tdescription\n")
	fmt.Fprintf(tw, " ---\t-------\t-----\t-----------\n")
	for _, r := range v.Reasons {
		if !r.Weighed() {
			continue
		}
		fmt.Fprintf(tw, "%+.3f\t%s\t%.3f\t%s\n", r.Contribution, r.Feature, r.Value, clip(r.Description, 90))
	}
	fmt.Fprintf(tw, "%+.3f\t(intercept, and features that did not fire)\t\t\n", v.Score-sumFired(v.Reasons))
	tw.Flush()
	if un := v.Unweighed(); len(un) > 0 {
		var names []string
		for _, r := range un {
			names = append(names, fmt.Sprintf("%s %.3f", r.Feature, r.Value))
		}
		fmt.Fprintf(w, "Also fired, with no weight in the %s head: %s\n", primaryKind(v), strings.Join(names, ", "))
	}
	text := a.Page.Text
	first := true
	for _, r := range v.Reasons {
		if !r.Weighed() || len(r.Evidence) == 0 {
			continue
		}
		if first {
			fmt.Fprintln(w, "\nEvidence:")
			first = false
		}
		fmt.Fprintf(w, "  %s\n", r.Feature)
		for _, ev := range r.Evidence {
			fmt.Fprintf(w, "    %s  %s\n", evidenceLabel(ev), highlight(text, ev, colour))
		}
	}
	printSource(w, a, colour)
}

// printSource prints the story of the index the page copies: the
// original, how much of it the page carries, and the spans the page
// inserted into it, in context.
func printSource(w io.Writer, a *detector.Analysis, colour bool) {
	v := a.Verdict
	if v.Index == nil {
		return
	}
	if v.Source == nil {
		fmt.Fprintf(w, "\nSource: no story of index %s (%d stories) found in this page.\n", v.Index.Name, v.Index.Stories)
		return
	}
	s := v.Source
	fmt.Fprintf(w, "\nSource (index %s): a copy of %s\n  %s\n", v.Index.Name, s.ID, s.URL)
	fmt.Fprintf(w, "  containment %.2f (share of the original carried), %d sentences aligned, %d of the original's left out\n", s.Containment, len(s.Aligned), len(s.Dropped))
	if s.CreditDropped {
		fmt.Fprintf(w, "  credit dropped: the original credits %s, this page none of them\n", strings.Join(s.Credits, ", "))
	}
	if len(s.Inserted) > 0 {
		fmt.Fprintln(w, "  inserted (the original lacks these):")
		for _, ev := range s.Inserted {
			fmt.Fprintf(w, "    %s  %s\n", evidenceLabel(ev), highlight(a.Page.Text, ev, colour))
		}
	}
}

func sumFired(rs []detector.Reason) float64 {
	s := 0.0
	for _, r := range rs {
		if r.Weighed() {
			s += r.Contribution
		}
	}
	return s
}

// primaryKind names the head whose reasons a verdict lists.
func primaryKind(v detector.Verdict) string {
	for _, k := range v.Kinds {
		if k.Score == v.Score && k.Probability == v.Probability {
			return string(k.Kind)
		}
	}
	return v.Label
}

func evidenceLabel(ev signal.Evidence) string {
	l := fmt.Sprintf("%s[%d:%d]", ev.Field, ev.Start, ev.End)
	if ev.Note != "" {
		l += " " + ev.Note
	}
	return l + ":"
}

// highlight shows an evidence span in up to 40 bytes of context on each
// side, the span in bold red on a terminal or in [brackets] otherwise.
func highlight(text string, ev signal.Evidence, colour bool) string {
	open, close := "[", "]"
	if colour {
		open, close = "\x1b[1;31m", "\x1b[0m"
	}
	if ev.Field != signal.FieldText || ev.End > len(text) || ev.Start < 0 || ev.Start > ev.End {
		return open + clip(ev.Text, 120) + close
	}
	const ctxBytes = 40
	from := ev.Start - ctxBytes
	if from < 0 {
		from = 0
	}
	to := ev.End + ctxBytes
	if to > len(text) {
		to = len(text)
	}
	for from > 0 && text[from]&0xC0 == 0x80 {
		from--
	}
	for to < len(text) && text[to]&0xC0 == 0x80 {
		to++
	}
	pre, span, post := text[from:ev.Start], text[ev.Start:ev.End], text[ev.End:to]
	flat := func(s string) string { return strings.ReplaceAll(s, "\n", " ⏎ ") }
	var b strings.Builder
	if from > 0 {
		b.WriteString("…")
	}
	b.WriteString(flat(pre))
	b.WriteString(open + flat(clip(span, 160)) + close)
	b.WriteString(flat(post))
	if to < len(text) {
		b.WriteString("…")
	}
	return b.String()
}

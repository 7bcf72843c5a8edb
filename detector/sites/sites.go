// Package sites rolls batch records up by site, for moderators, who act
// on sites rather than pages: each host's pages, how many were flagged and
// of which kind, the cues its flagged pages share most, and the flagged
// pages that show them best.
package sites

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"sort"
	"strings"

	"github.com/repack/repack/detector/record"
)

// Schema is the version of a site row's JSON, which every row carries
// (docs/formats.md keeps the changelog).
const Schema = 1

// NoURL is the host of records without a URL (or with one that names no
// host).
const NoURL = "(no url)"

// Site is one host's rollup.
type Site struct {
	// SchemaVersion is Schema.
	SchemaVersion int `json:"schema_version"`
	// Host is the URL's host, lower case, without "www.".
	Host string `json:"host"`
	// Pages counts the host's records; Errors those without a verdict.
	Pages  int `json:"pages"`
	Errors int `json:"errors"`
	// Flagged counts the pages flagged as any kind; FlaggedShare is
	// Flagged over the pages with a verdict (0 when there are none).
	Flagged      int     `json:"flagged"`
	FlaggedShare float64 `json:"flagged_share"`
	// Kinds counts the flagged pages by label.
	Kinds map[string]int `json:"kinds"`
	// Cues are the features most often among the flagged pages' reasons,
	// most frequent first.
	Cues []Cue `json:"cues"`
	// Examples are the flagged pages with the highest probabilities.
	Examples []Example `json:"examples"`
}

// Cue is a feature and the number of the site's flagged pages it explains.
type Cue struct {
	Feature string `json:"feature"`
	Pages   int    `json:"pages"`
}

// Example is one flagged page of a site.
type Example struct {
	ID          string  `json:"id"`
	URL         string  `json:"url"`
	Label       string  `json:"label"`
	Probability float64 `json:"probability"`
	// Original is the indexed story the page copies, "" for none.
	Original string `json:"original,omitempty"`
}

// Options bound what a rollup keeps per site.
type Options struct {
	// Cues and Examples are how many of each a site lists (0: 3;
	// Examples at most MaxExamples).
	Cues, Examples int
}

func (o Options) withDefaults() Options {
	if o.Cues <= 0 {
		o.Cues = 3
	}
	if o.Examples <= 0 {
		o.Examples = 3
	}
	o.Examples = min(o.Examples, MaxExamples)
	return o
}

// Tally accumulates records; its zero value is ready to use.
type Tally struct {
	sites map[string]*tallied
}

type tallied struct {
	Site
	cues     map[string]int
	examples []Example
}

// HostOf returns the site a record belongs to: its URL's host, lower case
// and without a leading "www.", or NoURL.
func HostOf(rawURL string) string {
	u, err := url.Parse(strings.TrimSpace(rawURL))
	if err != nil || u.Hostname() == "" {
		return NoURL
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// Add counts one record.
func (t *Tally) Add(r record.Record) {
	if t.sites == nil {
		t.sites = map[string]*tallied{}
	}
	host := HostOf(r.URL)
	s := t.sites[host]
	if s == nil {
		s = &tallied{Site: Site{SchemaVersion: Schema, Host: host, Kinds: map[string]int{}}, cues: map[string]int{}}
		t.sites[host] = s
	}
	s.Pages++
	if r.Error != nil || r.Label == "" {
		s.Errors++
		return
	}
	if r.Label == "authentic" {
		return
	}
	s.Flagged++
	s.Kinds[r.Label]++
	for _, reason := range r.Reasons {
		s.cues[reason.Feature]++
	}
	ex := Example{ID: r.ID, URL: r.URL, Label: r.Label}
	if r.Probability != nil {
		ex.Probability = *r.Probability
	}
	if r.Original != nil {
		ex.Original = r.Original.ID
	}
	s.examples = append(s.examples, ex)
	if len(s.examples) >= 2*MaxExamples {
		// A host of a million flagged pages keeps its best examples only.
		sortExamples(s.examples)
		s.examples = s.examples[:MaxExamples]
	}
}

// MaxExamples is the most examples a site lists (Options.Examples is
// capped at it): a tally keeps no more per host, so that its memory does
// not grow with the host's pages.
const MaxExamples = 100

// sortExamples orders examples the most probable first, then by id, so
// that a site's examples do not depend on the order its records came in
// (a Beam group's order is arbitrary).
func sortExamples(ex []Example) {
	sort.Slice(ex, func(i, j int) bool {
		if ex[i].Probability != ex[j].Probability {
			return ex[i].Probability > ex[j].Probability
		}
		return ex[i].ID < ex[j].ID
	})
}

// Sites returns every site, the highest flagged share first (then the most
// flagged pages, then the host), each with its top cues and examples.
func (t *Tally) Sites(o Options) []Site {
	o = o.withDefaults()
	out := make([]Site, 0, len(t.sites))
	for _, s := range t.sites {
		site := s.Site
		if scored := site.Pages - site.Errors; scored > 0 {
			site.FlaggedShare = float64(site.Flagged) / float64(scored)
		}
		site.Cues = []Cue{}
		for f, n := range s.cues {
			site.Cues = append(site.Cues, Cue{Feature: f, Pages: n})
		}
		sort.Slice(site.Cues, func(i, j int) bool {
			if site.Cues[i].Pages != site.Cues[j].Pages {
				return site.Cues[i].Pages > site.Cues[j].Pages
			}
			return site.Cues[i].Feature < site.Cues[j].Feature
		})
		site.Cues = site.Cues[:min(len(site.Cues), o.Cues)]
		site.Examples = append([]Example{}, s.examples...)
		sortExamples(site.Examples)
		site.Examples = site.Examples[:min(len(site.Examples), o.Examples)]
		out = append(out, site)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.FlaggedShare != b.FlaggedShare {
			return a.FlaggedShare > b.FlaggedShare
		}
		if a.Flagged != b.Flagged {
			return a.Flagged > b.Flagged
		}
		return a.Host < b.Host
	})
	return out
}

// MaxLine bounds one record's line: a record lists a few reasons with
// their evidence, far below it.
const MaxLine = 16 << 20

// Read adds every record of a batch output in JSONL (gzipped or not) to
// t. name names the input in errors, which give the line: a line that is
// not a record, or a record of a schema this build does not read, stops
// the reading (no record is dropped silently).
func (t *Tally) Read(r io.Reader, name string) (int, error) {
	br := bufio.NewReader(r)
	if head, err := br.Peek(2); err == nil && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", name, err)
		}
		defer zr.Close()
		br = bufio.NewReader(zr)
	}
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 64<<10), MaxLine)
	n, line := 0, 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec record.Record
		if err := json.Unmarshal(b, &rec); err != nil {
			return n, fmt.Errorf("%s:%d: not a batch record (repack batch --format jsonl): %w", name, line, err)
		}
		if rec.SchemaVersion < 1 || rec.SchemaVersion > record.Schema {
			return n, fmt.Errorf("%s:%d: record schema_version %d: this build reads 1 to %d", name, line, rec.SchemaVersion, record.Schema)
		}
		if rec.ID == "" {
			return n, fmt.Errorf("%s:%d: record without an id", name, line)
		}
		t.Add(rec)
		n++
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return n, fmt.Errorf("%s:%d: line longer than %d bytes", name, line+1, MaxLine)
		}
		return n, fmt.Errorf("%s: %w", name, err)
	}
	return n, nil
}

// WriteJSONL writes one site a line.
func WriteJSONL(w io.Writer, sites []Site) error {
	enc := json.NewEncoder(w)
	for _, s := range sites {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

// WriteTable writes the sites as an aligned table for people: host,
// pages, flagged (share), kinds, top cues and the first example.
func WriteTable(w io.Writer, sites []Site) error {
	bw := bufio.NewWriter(w)
	hostWidth := len("host")
	for _, s := range sites {
		hostWidth = max(hostWidth, min(len(s.Host), 48))
	}
	fmt.Fprintf(bw, "%-*s  %6s  %7s  %6s  %-24s  %s\n", hostWidth, "host", "pages", "flagged", "share", "kinds", "top cues (flagged pages)  example")
	for _, s := range sites {
		host := s.Host
		if len(host) > 48 {
			host = host[:47] + "…"
		}
		kinds := make([]string, 0, len(s.Kinds))
		for k, n := range s.Kinds {
			kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
		}
		sort.Strings(kinds)
		cues := make([]string, len(s.Cues))
		for i, c := range s.Cues {
			cues[i] = fmt.Sprintf("%s %d", c.Feature, c.Pages)
		}
		example := ""
		if len(s.Examples) > 0 {
			example = "  " + s.Examples[0].ID
		}
		if s.Errors > 0 {
			kinds = append(kinds, fmt.Sprintf("errors %d", s.Errors))
		}
		fmt.Fprintf(bw, "%-*s  %6d  %7d  %6.3f  %-24s  %s%s\n", hostWidth, host, s.Pages, s.Flagged, s.FlaggedShare, strings.Join(kinds, ", "), strings.Join(cues, ", "), example)
	}
	return bw.Flush()
}

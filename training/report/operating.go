package report

import (
	"fmt"
	"sort"
	"strings"

	"github.com/repack/repack/corpus"

	"github.com/repack/repack/training"
	"github.com/repack/repack/training/metrics"
)

// operatingThresholds are the thresholds the operating-point table shows.
var operatingThresholds = []float64{0.5, 0.7, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9999}

// rate formats k of n with its 95% Clopper-Pearson interval.
func rate(k, n int) string {
	if n == 0 {
		return "–"
	}
	lo, hi := metrics.ClopperPearson(k, n, 0.95)
	return fmt.Sprintf("%.4f (%d/%d) [%.4f, %.4f]", float64(k)/float64(n), k, n, lo, hi)
}

// negativeSet names the negatives a false-positive rate is measured on.
type negativeSet struct {
	name string
	in   func(training.Row) bool
}

// flaggedIn counts the head's held-out flags among the negatives of s:
// false positives fp of n.
func flaggedIn(ds *training.Dataset, h training.HeadEval, s negativeSet) (fp, n int) {
	for _, p := range h.Predictions {
		if !p.Positive && s.in(ds.Rows[p.Row]) {
			n++
			if p.Flagged {
				fp++
			}
		}
	}
	return fp, n
}

func negativeSets() []negativeSet {
	return []negativeSet{
		{"real authentic, rules shaped on these", func(r training.Row) bool { return Categorise(r) == KindAuthentic }},
		{"sealed real authentic", func(r training.Row) bool { return Categorise(r) == KindSealed }},
		{"hard negatives", func(r training.Row) bool { return Categorise(r) == KindHardNegative }},
	}
}

// writeOperatingPoints writes, for one head, the held-out recall and
// false-positive rates at several thresholds with 95% intervals, the whole
// rule applied (probability at the threshold and enough cues), over the
// pooled held-out predictions of every fold.
func writeOperatingPoints(b *strings.Builder, ds *training.Dataset, h training.HeadEval) {
	sets := negativeSets()
	fmt.Fprintf(b, "\nOperating points (`--threshold %s=P`): the whole rule at a fixed threshold P (probability at least P and at least %d cues), over the pooled held-out probabilities; 95%% Clopper-Pearson intervals in brackets. Below 1/N false positives in N pages nothing is measured: an upper bound is all a set of N pages can give.\n\n", h.Kind, h.MinCues)
	fmt.Fprintf(b, "| threshold | recall |")
	for _, s := range sets {
		fmt.Fprintf(b, " FPR %s |", s.name)
	}
	fmt.Fprintf(b, "\n| ---: | ---: |")
	for range sets {
		fmt.Fprintf(b, " ---: |")
	}
	fmt.Fprintln(b)
	for _, t := range operatingThresholds {
		tp, pn := 0, 0
		fp := make([]int, len(sets))
		nn := make([]int, len(sets))
		for _, p := range h.Predictions {
			flagged := p.Probability >= t && p.Cues >= h.MinCues
			r := ds.Rows[p.Row]
			if p.Positive {
				pn++
				if flagged {
					tp++
				}
				continue
			}
			for k, s := range sets {
				if s.in(r) {
					nn[k]++
					if flagged {
						fp[k]++
					}
				}
			}
		}
		fmt.Fprintf(b, "| %g | %s |", t, rate(tp, pn))
		for k := range sets {
			fmt.Fprintf(b, " %s |", rate(fp[k], nn[k]))
		}
		fmt.Fprintln(b)
	}
}

// languageOf returns a row's language: the corpus sidecar's, or the one
// the generator recorded.
func languageOf(r training.Row) string {
	if v, ok := training.MetaValue(r.Meta, "language"); ok && v != "" {
		return v
	}
	for _, k := range []string{"synth.language", "inject.language"} {
		if v, ok := training.MetaValue(r.Meta, k); ok && v != "" && v != "none" {
			return v
		}
	}
	return "?"
}

// writeLanguages writes, for the four languages with the most real
// authentic pages, each fold's own verdicts: recall on the spam of that
// language and false positives on its real and hard-negative pages.
func writeLanguages(b *strings.Builder, ds *training.Dataset, h training.HeadEval) {
	count := map[string]int{}
	for _, r := range ds.Rows {
		if k := Categorise(r); k == KindAuthentic || k == KindSealed {
			count[languageOf(r)]++
		}
	}
	var langs []string
	for l := range count {
		if l != "?" {
			langs = append(langs, l)
		}
	}
	sort.Slice(langs, func(i, j int) bool {
		if count[langs[i]] != count[langs[j]] {
			return count[langs[i]] > count[langs[j]]
		}
		return langs[i] < langs[j]
	})
	if len(langs) > 4 {
		langs = langs[:4]
	}
	fmt.Fprintf(b, "\nBy language (the four with the most real authentic pages; each fold at its own threshold, the whole rule; 95%% intervals):\n\n| language | recall on %s pages | FPR real authentic (all) | FPR hard negatives |\n| --- | ---: | ---: | ---: |\n", h.Kind)
	for _, l := range langs {
		var tp, pn, fr, nr, fh, nh int
		for _, p := range h.Predictions {
			r := ds.Rows[p.Row]
			if languageOf(r) != l {
				continue
			}
			switch k := Categorise(r); {
			case p.Positive:
				pn++
				if p.Flagged {
					tp++
				}
			case k == KindAuthentic || k == KindSealed:
				nr++
				if p.Flagged {
					fr++
				}
			case k == KindHardNegative:
				nh++
				if p.Flagged {
					fh++
				}
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s |\n", l, rate(tp, pn), rate(fr, nr), rate(fh, nh))
	}
}

// writeRenderings writes the recall on the head's synthetic pages by how
// they were rendered (HTML, or the text a reader copies), each fold at
// its own threshold: a text rendering keeps no markup to find cues in.
func writeRenderings(b *strings.Builder, ds *training.Dataset, h training.HeadEval) {
	byR := renderingCounts(ds, h)
	if len(byR) == 0 {
		return
	}
	fmt.Fprintf(b, "\nRecall on synthetic %s pages by rendering (each fold at its own threshold, the whole rule; 95%% intervals):\n\n| rendering | recall |\n| --- | ---: |\n", h.Kind)
	for _, v := range sortedKeys(byR) {
		fmt.Fprintf(b, "| %s | %s |\n", v, rate(byR[v][0], byR[v][1]))
	}
}

// writeIndexLookups writes, when the evaluation looked pages up in a
// story index, the head's recall on its synthetic pages by text start
// (where a text rendering begins; html for the others) and the false
// positives on hard negatives and real authentic pages, for the pages
// looked up (their original indexed) and the others apart.
func writeIndexLookups(b *strings.Builder, ds *training.Dataset, h training.HeadEval) {
	any := false
	for _, r := range ds.Rows {
		any = any || r.LookedUp
	}
	if !any {
		return
	}
	type cell struct{ tp, pn int }
	recall := map[string]*[2]cell{}
	var fp, n [2][2]int // [looked up][real, hard negative]
	for _, p := range h.Predictions {
		r := ds.Rows[p.Row]
		look := 0
		if r.LookedUp {
			look = 1
		}
		switch k := Categorise(r); {
		case p.Positive:
			start, ok := training.MetaValue(r.Meta, "synth.text_start")
			if !ok {
				if start, ok = training.MetaValue(r.Meta, "synth.rendering"); !ok {
					continue
				}
			}
			if recall[start] == nil {
				recall[start] = &[2]cell{}
			}
			recall[start][look].pn++
			if p.Flagged {
				recall[start][look].tp++
			}
		case k == KindAuthentic || k == KindSealed || k == KindHardNegative:
			j := 0
			if k == KindHardNegative {
				j = 1
			}
			n[look][j]++
			if p.Flagged {
				fp[look][j]++
			}
		}
	}
	fmt.Fprintf(b, "\nWith the story index (`--index`: the pages of the publishers looked up, `--index-share` of them, against the others; each fold at its own threshold, the whole rule; 95%% intervals):\n\n| %s pages | looked up | not looked up |\n| --- | ---: | ---: |\n", h.Kind)
	for _, k := range sortedKeys(recall) {
		c := recall[k]
		fmt.Fprintf(b, "| recall, %s | %s | %s |\n", k, rate(c[1].tp, c[1].pn), rate(c[0].tp, c[0].pn))
	}
	fmt.Fprintf(b, "| FPR real authentic | %s | %s |\n", rate(fp[1][0], n[1][0]), rate(fp[0][0], n[0][0]))
	fmt.Fprintf(b, "| FPR hard negatives | %s | %s |\n", rate(fp[1][1], n[1][1]), rate(fp[0][1], n[0][1]))
	unwitnessed := 0
	for _, r := range ds.Rows {
		if r.Unwitnessed && r.Label == corpus.Label(h.Kind) {
			unwitnessed++
		}
	}
	if unwitnessed > 0 {
		fmt.Fprintf(b, "\n%d of the %s pages are copies only the index witnesses (spun copies) whose original was not looked up: scored here, as the misses they are, and never fitted on.\n", unwitnessed, h.Kind)
	}
}

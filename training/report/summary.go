package report

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/repack/repack/training"
	"github.com/repack/repack/training/metrics"
)

// SummaryBegin and SummaryEnd enclose the report's summary, which the
// README quotes verbatim (a test compares the two).
const (
	SummaryBegin = "<!-- begin summary -->"
	SummaryEnd   = "<!-- end summary -->"
)

// weakTemplates is how many of the weakest held-out template values the
// summary names per head.
const weakTemplates = 3

// writeSummary writes one row per head of the figures a reader asks first:
// recall (and by rendering), false positives on real authentic pages (the
// shaped and the sealed) and on hard negatives, ROC-AUC, the real examples,
// and the template values the head catches least when it never saw them.
func writeSummary(b *strings.Builder, ev *training.Evaluation) {
	ds := ev.Dataset
	fmt.Fprintf(b, "%s\n", SummaryBegin)
	fmt.Fprintf(b, "| head | recall (by rendering) | real authentic flagged: rules shaped on these / sealed | hard negatives flagged | ROC-AUC | real examples | weakest templates held out |\n| --- | ---: | ---: | ---: | ---: | --- | --- |\n")
	for _, h := range ev.Heads {
		scores := make([]float64, len(h.Predictions))
		pos := make([]bool, len(h.Predictions))
		tp, np := 0, 0
		for i, p := range h.Predictions {
			scores[i], pos[i] = p.Probability, p.Positive
			if p.Positive {
				np++
				if p.Flagged {
					tp++
				}
			}
		}
		recall := fmt.Sprintf("%.3f", ratio(tp, np))
		if byR := renderingCounts(ds, h); len(byR) > 0 {
			var parts []string
			for _, v := range sortedKeys(byR) {
				parts = append(parts, fmt.Sprintf("%s %.3f", v, ratio(byR[v][0], byR[v][1])))
			}
			recall += " (" + strings.Join(parts, ", ") + ")"
		}
		var negs []string
		for _, s := range negativeSets() {
			fp, n := flaggedIn(ds, h, s)
			negs = append(negs, fmt.Sprintf("%d of %d", fp, n))
			if s.name == "sealed real authentic" && n > 0 {
				_, hi := metrics.ClopperPearson(fp, n, 0.95)
				negs[len(negs)-1] = fmt.Sprintf("**%d of %d** (95%% upper bound %.2f%%)", fp, n, 100*hi)
			}
			if s.name == "hard negatives" {
				negs[len(negs)-1] += fmt.Sprintf(" (%.2f%%)", 100*ratio(fp, n))
			}
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %.3f | %s | %s |\n", h.Kind, recall, strings.Join(negs[:len(negs)-1], " / "), negs[len(negs)-1],
			metrics.AUC(metrics.ROC(scores, pos)), realExamples(ds, h), weakest(h))
	}
	fmt.Fprintf(b, "%s\n", SummaryEnd)
}

// realExamples summarises the head's verdicts on the real examples: how
// many of its kind are flagged and the lowest probability among them, and
// how many real authentic examples are.
func realExamples(ds *training.Dataset, h training.HeadEval) string {
	spam, spamFlagged, auth, authFlagged := 0, 0, 0, 0
	lowest := math.Inf(1)
	for _, p := range h.Predictions {
		switch Categorise(ds.Rows[p.Row]) {
		case KindRealSpam:
			if !p.Positive {
				continue
			}
			spam++
			lowest = math.Min(lowest, p.Probability)
			if p.Flagged {
				spamFlagged++
			}
		case KindRealOther:
			auth++
			if p.Flagged {
				authFlagged++
			}
		}
	}
	var parts []string
	if spam > 0 {
		parts = append(parts, fmt.Sprintf("%d of %d flagged (lowest probability %.4f)", spamFlagged, spam, lowest))
	}
	if auth > 0 {
		parts = append(parts, fmt.Sprintf("authentic: %d of %d flagged", authFlagged, auth))
	}
	return strings.Join(parts, "; ")
}

// weakest names the held-out template values of 100 pages or more with
// the lowest recall.
func weakest(h training.HeadEval) string {
	var hs []training.HoldOutEval
	for _, ho := range h.HoldOuts {
		if ho.Rows >= 100 {
			hs = append(hs, ho)
		}
	}
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Recall() < hs[j].Recall() })
	var parts []string
	for _, ho := range hs[:min(weakTemplates, len(hs))] {
		key := ho.Key[strings.LastIndexByte(ho.Key, '.')+1:]
		parts = append(parts, fmt.Sprintf("%s=%s %.2f", key, ho.Value, ho.Recall()))
	}
	return strings.Join(parts, ", ")
}

// renderingCounts counts, per rendering of the head's synthetic pages,
// the flagged and all positives.
func renderingCounts(ds *training.Dataset, h training.HeadEval) map[string][2]int {
	out := map[string][2]int{}
	for _, p := range h.Predictions {
		if !p.Positive {
			continue
		}
		r := ds.Rows[p.Row]
		v, ok := training.MetaValue(r.Meta, "synth.rendering")
		if !ok {
			v, ok = training.MetaValue(r.Meta, "inject.rendering")
		}
		if !ok {
			continue
		}
		c := out[v]
		c[1]++
		if p.Flagged {
			c[0]++
		}
		out[v] = c
	}
	return out
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

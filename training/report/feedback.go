package report

import (
	"fmt"
	"math"
	"strings"

	"github.com/repack/repack/training"
)

// maxWeightShifts bounds the weights the feedback section lists.
const maxWeightShifts = 12

// writeFeedback writes, when the data holds reported pages (feedback:FILE
// inputs), how the retrained model changes their verdicts against the
// model they were reported against, and which weights moved most.
func writeFeedback(b *strings.Builder, ev *training.Evaluation, info Info) error {
	if info.Baseline == nil {
		return nil
	}
	changes, err := training.FeedbackChanges(ev, info.Baseline)
	if err != nil || len(changes) == 0 {
		return err
	}
	ds := ev.Dataset
	nowClaimed, heldClaimed := 0, 0
	for _, c := range changes {
		if c.After.Label == string(c.Claimed) {
			nowClaimed++
		}
		if c.HeldOut.Label == string(c.Claimed) {
			heldClaimed++
		}
	}
	fmt.Fprintf(b, "\n## Feedback: the reported pages\n\n")
	fmt.Fprintf(b, "%d pages reported as wrongly judged (inputs feedback:FILE), each labelled with the label its reporter claimed. "+
		"Before: the model they were reported against (%s). Retrained: the model trained on all the data, the reports included. "+
		"Held out: the outer fold's model, trained without the page's publisher: whether the lesson carries to pages it did not see. "+
		"The retrained model gives %d of %d the claimed label; held out, %d.\n\n", len(changes), info.Baseline.Version, nowClaimed, len(changes), heldClaimed)
	fmt.Fprintf(b, "| page | publisher | claimed | before | retrained | held out | flipped |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, c := range changes {
		r := ds.Rows[c.Row]
		flipped := "no"
		if c.Before.Label != c.After.Label {
			flipped = "yes"
		}
		fmt.Fprintf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", r.ID, mdCell(r.Group), c.Claimed,
			verdictCell(c.Before), verdictCell(c.After), verdictCell(c.HeldOut), flipped)
	}
	shifts := training.WeightShifts(info.Baseline, ev.Final.Model)
	fmt.Fprintf(b, "\nWeights that moved most, per standard deviation (before: %s; after: the retrained model):\n\n| head | feature | before | after | change |\n| --- | --- | ---: | ---: | ---: |\n", info.Baseline.Version)
	for _, s := range shifts[:min(maxWeightShifts, len(shifts))] {
		if math.Abs(s.After-s.Before) == 0 {
			break
		}
		fmt.Fprintf(b, "| %s | %s | %.4f | %.4f | %+.4f |\n", s.Kind, s.Feature, s.Before, s.After, s.After-s.Before)
	}
	return nil
}

func verdictCell(v training.RowVerdict) string {
	return fmt.Sprintf("%s (%.3f)", v.Label, v.Probability)
}

// mdCell keeps a value from breaking a table row.
func mdCell(s string) string {
	if s == "" {
		return "–"
	}
	return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s)
}

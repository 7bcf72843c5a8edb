package report

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/training"
)

func TestCategorise(t *testing.T) {
	tests := []struct {
		name string
		row  training.Row
		want RowKind
	}{
		{"corpus page", training.Row{Label: corpus.Authentic, Source: "mozilla/readability"}, KindAuthentic},
		{"real authentic example", training.Row{Label: corpus.Authentic, Source: "examples"}, KindRealOther},
		{"real spam example", training.Row{Label: corpus.Repackaged, Source: "examples"}, KindRealSpam},
		{"repackager's spam", training.Row{Label: corpus.Repackaged, Meta: map[string]any{
			"synth": map[string]any{"kind": "spam"}}}, KindSynthetic},
		{"repackager's hard negative", training.Row{Label: corpus.Authentic, Meta: map[string]any{
			"synth": map[string]any{"kind": "hard_negative"}}}, KindHardNegative},
		{"injector's spam", training.Row{Label: corpus.Injected, Meta: map[string]any{
			"inject": map[string]any{"kind": "link_farm"}}}, KindSynthetic},
		{"injector's hard negative", training.Row{Label: corpus.Authentic, Meta: map[string]any{
			"inject": map[string]any{"hard_negative": "multilingual"}}}, KindHardNegative},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, Categorise(tt.row))
		})
	}
}

func TestSummaryRow(t *testing.T) {
	synth := func(rendering string) map[string]any {
		return map[string]any{"synth": map[string]any{"kind": "spam", "rendering": rendering}}
	}
	rows := []training.Row{
		{ID: "a", Label: corpus.Repackaged, Meta: synth("html")},
		{ID: "b", Label: corpus.Repackaged, Meta: synth("html")},
		{ID: "c", Label: corpus.Repackaged, Meta: synth("text")},
		{ID: "d", Label: corpus.Repackaged, Source: "examples"},
		{ID: "e", Label: corpus.Authentic, Source: "fundus"},
		{ID: "f", Label: corpus.Authentic, Source: "fundus", Sealed: true},
		{ID: "g", Label: corpus.Authentic, Meta: map[string]any{"synth": map[string]any{"kind": "hard_negative"}}},
	}
	preds := []training.Prediction{
		{Row: 0, Probability: 0.9, Flagged: true, Positive: true},
		{Row: 1, Probability: 0.2, Positive: true},
		{Row: 2, Probability: 0.8, Flagged: true, Positive: true},
		{Row: 3, Probability: 0.95, Flagged: true, Positive: true},
		{Row: 4, Probability: 0.1},
		{Row: 5, Probability: 0.1},
		{Row: 6, Probability: 0.7, Flagged: true},
	}
	ev := &training.Evaluation{
		Dataset: &training.Dataset{Rows: rows},
		Heads: []training.HeadEval{{Kind: "repackaged", Predictions: preds, HoldOuts: []training.HoldOutEval{
			{Key: "synth.byline", Value: "none", Rows: 100, Caught: 50},
			{Key: "synth.byline", Value: "person", Rows: 200, Caught: 190},
			{Key: "synth.byline", Value: "tiny", Rows: 10, Caught: 0},
		}}},
	}
	var b strings.Builder
	writeSummary(&b, ev)
	lines := strings.Split(strings.TrimSpace(b.String()), "\n")
	require.Len(t, lines, 5, b.String())
	assert.Equal(t, SummaryBegin, lines[0])
	assert.Equal(t, SummaryEnd, lines[4])
	assert.Equal(t, "| repackaged | 0.750 (html 0.500, text 1.000) | 0 of 1 / **0 of 1** (95% upper bound 97.50%) | 1 of 1 (100.00%) | 0.917 | 1 of 1 flagged (lowest probability 0.9500) | byline=none 0.50, byline=person 0.95 |", lines[3])
}

func TestIndexLookupsSection(t *testing.T) {
	lead := map[string]any{"synth": map[string]any{"kind": "spam", "rendering": "text", "text_start": "lead"}}
	hard := map[string]any{"synth": map[string]any{"kind": "hard_negative"}}
	rows := []training.Row{
		{ID: "a", Label: corpus.Repackaged, Meta: lead, LookedUp: true},
		{ID: "b", Label: corpus.Repackaged, Meta: lead, LookedUp: true},
		{ID: "c", Label: corpus.Repackaged, Meta: lead},
		{ID: "d", Label: corpus.Authentic, Meta: hard, LookedUp: true},
		{ID: "e", Label: corpus.Authentic, Source: "fundus"},
	}
	preds := []training.Prediction{
		{Row: 0, Flagged: true, Positive: true},
		{Row: 1, Flagged: true, Positive: true},
		{Row: 2, Positive: true},
		{Row: 3, Flagged: true},
		{Row: 4},
	}
	ds := &training.Dataset{Rows: rows}
	h := training.HeadEval{Kind: "repackaged", Predictions: preds}
	var b strings.Builder
	writeIndexLookups(&b, ds, h)
	out := b.String()
	assert.Contains(t, out, "| recall, lead | 1.0000 (2/2)")
	assert.Contains(t, out, "| 0.0000 (0/1)", "the capture not looked up, missed")
	assert.Contains(t, out, "| FPR hard negatives | 1.0000 (1/1)")
	assert.Contains(t, out, "| FPR real authentic | – | 0.0000 (0/1)", "none looked up: no rate")

	for i := range rows {
		rows[i].LookedUp = false
	}
	b.Reset()
	writeIndexLookups(&b, ds, h)
	assert.Empty(t, b.String(), "no section when nothing was looked up")
}

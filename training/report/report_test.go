package report

import (
	"testing"

	"github.com/stretchr/testify/assert"

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

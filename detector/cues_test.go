package detector

import (
	"testing"

	"github.com/repack/repack/features/signal"
	"github.com/repack/repack/features/source"
	"github.com/stretchr/testify/assert"
)

func TestCountCues(t *testing.T) {
	t.Parallel()
	ev := func(field string, start, end int, path string) signal.Evidence {
		return signal.Evidence{Field: field, Start: start, End: end, Path: path}
	}
	sig := func(v float64, evs ...signal.Evidence) signal.Signal { return signal.Signal{Value: v, Evidence: evs} }
	all := func(n int) []int {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	tests := []struct {
		name    string
		sigs    []signal.Signal
		derived []bool
		want    int
	}{
		{"one splice fires two features: one cue",
			[]signal.Signal{sig(1, ev("text", 10, 30, "p")), sig(1, ev("text", 25, 40, "p"))}, nil, 1},
		{"four hidden links, and vocabulary and a block over them all: four cues",
			[]signal.Signal{
				sig(2, ev("hidden", 0, 10, "div>a:nth-of-type(1)"), ev("hidden", 20, 30, "div>a:nth-of-type(2)"), ev("hidden", 40, 50, "div>a:nth-of-type(3)"), ev("hidden", 60, 70, "div>a:nth-of-type(4)")),
				sig(1, ev("hidden", 3, 7, "div"), ev("hidden", 22, 28, "div")),
				sig(2, ev("hidden", 0, 70, "div")),
			}, nil, 4},
		{"three terms in one paragraph: one cue",
			[]signal.Signal{sig(1, ev("text", 0, 5, "div>p"), ev("text", 50, 60, "div>p"), ev("text", 90, 95, "div>p"))}, nil, 1},
		{"the same feature in two paragraphs: two cues",
			[]signal.Signal{sig(1, ev("text", 0, 5, "div>p:nth-of-type(1)"), ev("text", 50, 60, "div>p:nth-of-type(2)"))}, nil, 2},
		{"text input, two features apart: two cues",
			[]signal.Signal{sig(1, ev("text", 0, 5, "")), sig(1, ev("text", 50, 60, ""))}, nil, 2},
		{"one script, two spans: one node, one cue",
			[]signal.Signal{sig(1, ev("script", 0, 9, "script:nth-of-type(1)"), ev("script", 40, 49, "script:nth-of-type(1)"))}, nil, 1},
		{"two scripts at the same offsets: two cues",
			[]signal.Signal{sig(1, ev("script", 0, 9, "script:nth-of-type(1)")), sig(1, ev("script", 0, 9, "script:nth-of-type(2)"))}, nil, 2},
		{"a derived feature and one that did not fire make none",
			[]signal.Signal{sig(1, ev("text", 0, 5, "")), sig(0, ev("text", 50, 60, "")), sig(2, ev("text", 0, 5, ""), ev("text", 80, 90, ""))}, []bool{false, false, true}, 1},
		{"the title and the text are different texts",
			[]signal.Signal{sig(1, ev("title", 0, 5, "")), sig(1, ev("text", 0, 5, ""))}, nil, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, CountCues(Places(tt.sigs, tt.derived), all(len(tt.sigs))))
		})
	}
}

func TestCountCuesPlainTextHasNoNodes(t *testing.T) {
	t.Parallel()
	sigs := []signal.Signal{{Value: 1, Evidence: []signal.Evidence{{Field: "text", Start: 0, End: 5}, {Field: "text", Start: 50, End: 60}}}}
	assert.Equal(t, 2, CountCues(Places(sigs, nil), []int{0}))
}

// TestSourceFeaturesPlaces checks where the source features lie: in the
// original, one witness and one cue however many of them fire, which
// corroborates a cue of the page's own.
func TestSourceFeaturesPlaces(t *testing.T) {
	t.Parallel()
	text := func(start, end int) []signal.Evidence {
		return []signal.Evidence{{Field: signal.FieldText, Start: start, End: end}}
	}
	original := []signal.Evidence{{Field: source.FieldSource, Start: 0, End: 40}}
	// One extractor of the page's own (lead_brand_splice, say), then the
	// source features in SourceSignals' order.
	sigs := func(page, copied, inserted, name, credit float64) []signal.Signal {
		out := []signal.Signal{{Name: "lead_brand_splice", Value: page, Evidence: text(100, 130)}}
		for _, s := range SourceSignals(nil, nil) {
			switch s.Name {
			case source.CopyOfIndexedStory.Name:
				s.Value, s.Evidence = copied, append(text(0, 500), original...)
			case source.InsertedSpans.Name:
				s.Value, s.Evidence = inserted, append(text(100, 130), text(600, 620)...)
			case source.InsertedName.Name:
				s.Value, s.Evidence = name, text(100, 130)
			case source.CreditDropped.Name:
				s.Value, s.Evidence = credit, append(original, text(0, 120)...)
			}
			out = append(out, s)
		}
		return out
	}
	tests := []struct {
		name string
		sigs []signal.Signal
		want int
	}{
		{"a copy alone: one cue", sigs(0, 0.9, 0, 0, 0), 1},
		{"a copy with its credit dropped: still the one witness", sigs(0, 0.9, 0, 0, 1), 1},
		{"a name inserted and the credit dropped: still the one witness", sigs(0, 0.9, 1.5, 1, 1), 1},
		{"the page's own cue, which the original corroborates: two cues", sigs(1, 0.9, 1, 1, 0), 2},
		{"the page's own cue alone: one cue", sigs(1, 0, 0, 0, 0), 1},
		{"nothing fired: no cue", sigs(0, 0, 0, 0, 0), 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			all := make([]int, len(tt.sigs))
			for i := range all {
				all[i] = i
			}
			assert.Equal(t, tt.want, CountCues(SignalPlaces(tt.sigs, []bool{false}), all))
		})
	}
}

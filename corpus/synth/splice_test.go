package synth

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSpliceShapes checks each splice position's text, glued and spaced,
// on leads written for this test.
func TestSpliceShapes(t *testing.T) {
	t.Parallel()
	const (
		regional = "DULUTH, Minn. (AP) — A storm knocked out power to the port on Monday, officials said."
		bare     = "OMAHA (AP) — The council voted to widen the bridge, the city said."
		plain    = "The council voted to widen the bridge, officials said."
		brand    = "Velora Exchange"
	)
	tests := []struct {
		name, lead, pos string
		glued           bool
		want            string
	}{
		{"inside dateline, glued comma", regional, SpliceInsideDateline, true, "DULUTH,Velora Exchange Minn. (AP) — A storm"},
		{"inside dateline, spaced comma", regional, SpliceInsideDateline, false, "DULUTH, Velora Exchange Minn. (AP) — A storm"},
		{"inside a dateline without region", bare, SpliceInsideDateline, true, "OMAHA,Velora Exchange (AP) — The council"},
		{"after the place, no comma", bare, SpliceAfterPlace, false, "OMAHA Velora Exchange (AP) — The council"},
		{"after the place, before the region", regional, SpliceAfterPlace, false, "DULUTH Velora Exchange, Minn. (AP) — A storm"},
		{"after the dateline's article, glued", bare, SpliceAfterDateline, true, "OMAHA (AP) — The Velora Exchangecouncil voted"},
		{"after the article, spaced", plain, SpliceAfterThe, false, "The Velora Exchange council voted"},
		{"after the article, glued", plain, SpliceAfterThe, true, "The Velora Exchangecouncil voted"},
		{"lead start, spaced", plain, SpliceLeadStart, false, "Velora Exchange The council"},
		{"before the attribution, glued", plain, SpliceBeforeAttributon, true, "the bridge,Velora Exchange officials said."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			paras := []string{tt.lead}
			require.True(t, feasibleSplices(paras)[tt.pos], "%s not feasible on %q", tt.pos, tt.lead)
			spot := locateSplice(rand.New(rand.NewPCG(1, 2)), paras, tt.pos, brand, tt.glued)
			got := applySplice(paras, spot)[0]
			assert.Contains(t, got, tt.want)
			assert.Equal(t, tt.lead, paras[0], "the input changed")
		})
	}
}

// TestDatelineSplicesNeedADateline checks that a lead without a dateline
// offers no dateline splice.
func TestDatelineSplicesNeedADateline(t *testing.T) {
	t.Parallel()
	ok := feasibleSplices([]string{"The council voted to widen the bridge on Monday night."})
	for _, pos := range []string{SpliceAfterDateline, SpliceInsideDateline, SpliceAfterPlace} {
		assert.False(t, ok[pos], pos)
	}
	assert.True(t, ok[SpliceAfterThe])
}

func TestSpliceOfRecordsTheInsertedText(t *testing.T) {
	for _, tc := range []struct {
		old, new string
		want     Splice
		ok       bool
	}{
		{"The White House voiced concern", "The NovaQuant CenterWhite House voiced concern",
			Splice{Where: "p", Before: "The ", Text: "NovaQuant Center", After: "White House voiced conce"}, true},
		// The insertion starts at a word, not inside the one it shares
		// its first letter with.
		{"The Secret", "Tevex|The Secret", Splice{Where: "p", Text: "Tevex|", After: "The Secret"}, true},
		{"Anti-terror op", "Académie - Anti-terror op", Splice{Where: "p", Text: "Académie - ", After: "Anti-terror op"}, true},
		{"PORTLAND, Maine (AP)", "PORTLAND,Mint Maine (AP)", Splice{Where: "p", Before: "PORTLAND,", Text: "Mint", After: " Maine (AP)"}, true},
		{"unchanged", "unchanged", Splice{}, false},
	} {
		got, ok := spliceOf("p", tc.old, tc.new)
		assert.Equal(t, tc.ok, ok, tc.new)
		assert.Equal(t, tc.want, got, tc.new)
		if ok {
			assert.Contains(t, tc.new, got.Before+got.Text+got.After, "the splice is found in the page as recorded")
		}
	}
}

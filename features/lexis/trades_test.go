package lexis

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTradeOfHost(t *testing.T) {
	t.Parallel()
	tests := []struct{ host, trade, mark string }{
		{"pacificsunshineplumbing.com", "plumbing", "plumbing"},
		{"www.abc-hvac.net", "heating and cooling", "hvac"},
		{"ipl101.com", "cricket", "ipl"},
		{"summitroofing-example.com", "roofing", "roofing"},
		{"best-tshirts.shop", "clothing", "tshirt"},
		// Not trades: news publishers, and words that only hold a mark.
		{"salon.com", "", ""},
		{"diplomat.com", "", ""},
		{"nytimes.com", "", ""},
		{"kare11.com", "", ""},
	}
	for _, tt := range tests {
		tr, mark, ok := TradeOfHost(tt.host)
		assert.Equal(t, tt.trade != "", ok, tt.host)
		assert.Equal(t, tt.trade, tr.Name, tt.host)
		assert.Equal(t, tt.mark, mark, tt.host)
	}
}

func TestTradeOnField(t *testing.T) {
	t.Parallel()
	tr, _, ok := TradeOfHost("eaglecrestplumbing.com")
	assert.True(t, ok)
	assert.Equal(t, 3, tr.OnField(map[string]int{"pipes": 2, "leaking": 1, "senate": 4}))
	assert.Equal(t, 0, tr.OnField(map[string]int{"senate": 4, "bill": 2}))
}

package source

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestInsertedName(t *testing.T) {
	tests := []struct {
		insertion, want string
	}{
		{"Halen Silver Blockchain |", "Halen Silver Blockchain"},
		{"DULUTH, Minn. (AP) — Tobias Odette Brightwater", "Tobias Odette Brightwater"},
		{"Académie de Finance Orvel:", "Académie de Finance Orvel"},
		// "degli" is not one of lexis's connectors: the name found is the
		// phrase after it, which is enough to count the insertion.
		{"Accademia degli Investimenti Yorora:", "Investimenti Yorora"},
		{"Bank of America", "Bank of America"},
		{"GaleHub:", "GaleHub"},
		{"ZorentoIQ", "ZorentoIQ"},
		{"Current:Home > FinanceFeatherstone Abernathy |", "FinanceFeatherstone Abernathy"},
		// Labels, single words, capitals, links and clauses are none.
		{"Analyse:", ""},
		{"Meinung |", ""},
		{"Quelle: BILD", ""},
		{"Live updates:", ""},
		{"NASA", ""},
		{"LAS CRUCES, N.M. (AP) —", ""},
		{"SPOKANE Wilhelmina Delacroix, Wash. (AP) —", "Wilhelmina Delacroix"},
		{"THE TIMES OF INDIA", ""},
		{"https://www.mysanantonio.com/news/article/", ""},
		{"Share or comment on this article:", ""},
		{"ObamaWhiteHouse.gov", ""},
		{"Harriet G. Holloway", "Harriet G. Holloway"},
		{"the report said", ""},
		// A connector neither starts nor ends a name.
		{"of Mars", ""},
		{"Maria de", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.insertion, func(t *testing.T) {
			text := "x " + tt.insertion + " y"
			s, ok := insertedName(text, 2, 2+len(tt.insertion))
			if tt.want == "" {
				assert.False(t, ok, "found %q", s.Of(text))
				return
			}
			if assert.True(t, ok) {
				assert.Equal(t, tt.want, s.Of(text))
			}
		})
	}
}

func TestPhotoCredit(t *testing.T) {
	tests := []struct {
		text, code string
		want       bool
	}{
		{"a ferry in the bay. (photo: jane doe/ap)", "ap", true},
		{"(ap/jane doe, file)", "ap", true},
		{"foto: dpa/max muster", "dpa", true},
		{"(photo jean dupont/afp)", "afp", true},
		{"the map shows the gap.", "ap", false},
		{"an ap of the year", "ap", false},
		{"read it at /apps/news", "ap", false},
		{"", "ap", false},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			assert.Equal(t, tt.want, photoCredit(tt.text, tt.code))
		})
	}
}

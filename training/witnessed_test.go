package training

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestWitnessedLeavesOutUnwitnessedCopies: a copy only the index
// witnesses, not looked up, is left out of the rows a model is fitted
// on; every other row stays, and a dataset without any is returned as is.
func TestWitnessedLeavesOutUnwitnessedCopies(t *testing.T) {
	ds := &Dataset{Rows: []Row{{ID: "a"}, {ID: "spun-not-looked-up", Unwitnessed: true}, {ID: "spun-looked-up", LookedUp: true}}}
	var ids []string
	for _, r := range ds.Witnessed().Rows {
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{"a", "spun-looked-up"}, ids)
	clean := &Dataset{Rows: []Row{{ID: "a"}}}
	assert.Same(t, clean, clean.Witnessed())
}

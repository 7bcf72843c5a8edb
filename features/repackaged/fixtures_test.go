package repackaged

import (
	"testing"

	"github.com/repack/repack/features/fixture"
)

// TestFixtures runs the family's fixture pages, one folder per feature
// under testdata (see package fixture for what a page states).
func TestFixtures(t *testing.T) {
	t.Parallel()
	fixture.RunFamily(t, Extractors(), "testdata")
}

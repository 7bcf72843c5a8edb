package injected

import (
	"testing"

	"github.com/repack/repack/features/fixture"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/stretchr/testify/require"
)

// TestFixtures runs the family's fixture pages, one folder per feature
// under testdata (see package fixture for what a page states).
func TestFixtures(t *testing.T) {
	t.Parallel()
	fixture.RunFamily(t, Extractors(), "testdata")
}

// runOne runs one extractor of the family, with what it requires.
func runOne(t testing.TB, e *signal.Extractor, p *page.Page) signal.Result {
	t.Helper()
	c, err := signal.NewCatalogue(Extractors())
	require.NoError(t, err)
	return c.Run(e, p)
}

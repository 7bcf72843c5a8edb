package features_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/repack/repack/features/fixture"
	"github.com/repack/repack/features/lexis"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// minLookAlikeWords is how many words of text (visible, hidden or in
// <noscript>) a look-alike page must hold: a blank page stays quiet
// without proving anything.
const minLookAlikeWords = 40

// TestEveryFeatureHasFixtures keeps the catalogue findable from a feature's
// name: every extractor has a folder named after it in its family's
// testdata, holding a page where it fires with an exact span and a
// look-alike page, one a genuine site would show, where it stays quiet;
// the look-alike is named in the feature's doc. The family's own
// TestFixtures checks that the pages say the truth.
func TestEveryFeatureHasFixtures(t *testing.T) {
	t.Parallel()
	for _, e := range catalogue(t).Extractors() {
		t.Run(e.Name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(string(e.Family), "testdata", e.Name)
			info, err := os.Stat(dir)
			require.NoError(t, err, "no fixture folder for %s", e.Name)
			require.True(t, info.IsDir())
			pages, err := fixture.ReadDir(filepath.Dir(dir))
			require.NoError(t, err)
			fires, quiet := 0, 0
			for _, f := range pages {
				if f.Folder != e.Name {
					continue
				}
				for _, w := range f.Wants {
					if w.Feature == e.Name && w.Field != "" && w.Text != "" {
						fires++
					}
				}
				for _, q := range f.Quiets {
					if q.Feature != e.Name {
						continue
					}
					assert.Contains(t, strings.ToLower(e.Doc), strings.ToLower(q.LookAlike), "%s: the look-alike %q is not named in the feature's doc", f.Path, q.LookAlike)
					p, err := f.Parse()
					require.NoError(t, err, f.Path)
					words := lexis.WordCount(p.Text) + lexis.WordCount(p.HiddenText) + lexis.WordCount(p.NoscriptText)
					assert.GreaterOrEqual(t, words, minLookAlikeWords, "%s: a look-alike page holds a page's worth of text", f.Path)
					quiet++
				}
			}
			assert.Positive(t, fires, "%s: no page where %s fires with its exact span", dir, e.Name)
			assert.Positive(t, quiet, "%s: no look-alike page where %s stays quiet", dir, e.Name)
		})
	}
}

package inject

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/features/injected"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSharedCorpus injects every page of the authentic corpus once and
// makes one hard negative of each: every output must parse, and the
// injection extractors (read here only to check the data, never by the
// injector) must see most injections of every kind and stay quiet on
// most hard negatives. With -v it prints the rates per kind.
func TestSharedCorpus(t *testing.T) {
	t.Parallel()
	sharedAuthentic := sharedtest.Dir(t, "corpus/authentic")
	docs := corpus.ReadAll(context.Background(), []string{sharedAuthentic}, corpus.Options{DefaultLabel: corpus.Authentic, DefaultSource: "authentic"})
	require.NotEmpty(t, docs)
	if raceEnabled {
		// The race detector makes parsing ten times slower; a quarter of
		// the sources still runs Generate on several goroutines.
		var sample []corpus.Document
		for i := 0; i < len(docs); i += 4 {
			sample = append(sample, docs[i])
		}
		docs = sample
	}
	in, err := New(Options{Seed: 1, TextShare: DefaultTextShare})
	require.NoError(t, err)
	out, skipped, err := in.Generate(context.Background(), docs, GenerateOptions{PerSource: 1, HardNegatives: 1})
	require.NoError(t, err)
	for _, s := range skipped {
		t.Logf("skipped %s", s)
	}
	assert.LessOrEqual(t, len(skipped), len(docs)/20, "too many sources skipped")
	type tally struct{ n, fired int }
	byKind := map[string]*tally{}
	var quiet []string
	for _, d := range out {
		p, err := page.Parse(d.Body, page.Options{URL: d.URL, Format: pageFormat(d.Format)})
		require.NoError(t, err, d.ID)
		fired := []string{}
		cat, err := signal.NewCatalogue(injected.Extractors())
		require.NoError(t, err)
		for i, s := range cat.Extract(p) {
			e := cat.Extractors()[i]
			if s.Value > 0 {
				fired = append(fired, e.Name)
			}
		}
		m := d.Meta[MetaKey].(map[string]any)
		key := fmt.Sprint(m["kind"])
		if d.Label == corpus.Authentic {
			key = "hard:" + fmt.Sprint(m["hard_negative"])
		}
		if byKind[key] == nil {
			byKind[key] = &tally{}
		}
		byKind[key].n++
		if len(fired) > 0 {
			byKind[key].fired++
			if d.Label == corpus.Authentic {
				quiet = append(quiet, fmt.Sprintf("%s fires %v", d.ID, fired))
			}
		} else if d.Label == corpus.Injected {
			quiet = append(quiet, fmt.Sprintf("%s (%v %v %v) fires nothing", d.ID, m["kind"], m["method"], m["rendering"]))
		}
	}
	keys := make([]string, 0, len(byKind))
	for k := range byKind {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		c := byKind[k]
		fmt.Fprintf(&b, "%-32s %4d documents, %5.1f%% fire\n", k, c.n, 100*float64(c.fired)/float64(c.n))
	}
	sort.Strings(quiet)
	t.Logf("\n%s\n%s", b.String(), strings.Join(quiet, "\n"))
	if raceEnabled {
		return // a quarter of the corpus is too few pages per kind for rates
	}
	for _, k := range keys {
		c := byKind[k]
		rate := float64(c.fired) / float64(c.n)
		switch {
		case k == "hard:"+string(PartnerLinks):
			// A look-alike by design: the games portal's anchor trips the
			// vocabulary, in one place; the detector's corroboration rule,
			// not the extractors, keeps such a page authentic.
			assert.GreaterOrEqual(t, rate, 0.2, "%s: the one cue it plants is seen (the vocabulary's discounts quiet the rest)", k)
		case strings.HasPrefix(k, "hard:"):
			assert.LessOrEqual(t, rate, 0.1, "%s: hard negatives firing", k)
		default:
			assert.GreaterOrEqual(t, rate, 0.8, "%s: injections seen", k)
		}
	}
}

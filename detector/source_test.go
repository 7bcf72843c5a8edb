package detector

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/corpus/sharedtest"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/source"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readExample reads a page of ../shared/examples: the text after the
// url:/kind:/note: header when it has one (corpus.TextHeader, as batch
// reads it), and the header's URL.
func readExample(t testing.TB, path string) corpus.Document {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	d := corpus.Document{ID: filepath.Base(path), Format: corpus.FormatText, Body: b}
	if u, _, rest, ok := corpus.TextHeader(b); ok {
		d.URL, d.Body = u, rest
	}
	return d
}

// sharedStories are the stories of the shared authentic corpora, read
// once for every test that indexes them.
var sharedStories struct {
	once    sync.Once
	stories []source.Story
	err     error
}

// sharedIndex indexes the shared authentic corpora and the extra
// documents, at test time: no shared page is copied into the project.
func sharedIndex(t testing.TB, extra ...corpus.Document) *source.Index {
	t.Helper()
	dirs := []string{sharedtest.Dir(t, "corpus/authentic"), sharedtest.Dir(t, "corpus/authentic-extra")}
	sharedStories.once.Do(func() {
		docs := corpus.ReadAll(context.Background(), dirs, corpus.Options{})
		stories, oks, errs := make([]source.Story, len(docs)), make([]bool, len(docs)), make([]error, len(docs))
		sharedStories.err = corpus.ForEach(context.Background(), len(docs), 0, func(i int) {
			stories[i], oks[i], errs[i] = StoryOf(docs[i])
		}, nil)
		for i, d := range docs {
			if errs[i] != nil {
				sharedStories.err = fmt.Errorf("%s: %w", d.ID, errs[i])
				return
			}
			if oks[i] {
				sharedStories.stories = append(sharedStories.stories, stories[i])
			}
		}
	})
	require.NoError(t, sharedStories.err)
	b := source.NewBuilder()
	for _, s := range sharedStories.stories {
		b.Add(s)
	}
	for _, d := range extra {
		s, ok, err := StoryOf(d)
		require.NoError(t, err, d.ID)
		if ok {
			b.Add(s)
		}
	}
	require.Greater(t, b.Len(), 800, "most authentic pages have a story body")
	ix, err := source.Read(b.Bytes(), "shared")
	require.NoError(t, err)
	return ix
}

func analyzeDoc(t testing.TB, d *Detector, doc corpus.Document) *Analysis {
	t.Helper()
	a, err := d.Analyze(context.Background(), InputOf(doc))
	require.NoError(t, err, doc.ID)
	return a
}

func TestSeedPageInsertedBrandAgainstMemberSite(t *testing.T) {
	member := readExample(t, filepath.Join(sharedtest.Dir(t, "examples/real"), "authentic-iran-story-member-site.txt"))
	ix := sharedIndex(t, member)
	det, err := NewDefault()
	require.NoError(t, err)
	det = det.WithIndex(ix)

	seed := readExample(t, filepath.Join(sharedtest.Dir(t, "examples"), "seed-novaquant-page.txt"))
	a := analyzeDoc(t, det, seed)
	require.NotNil(t, a.Verdict.Source, "the seed page's original is found")
	assert.Equal(t, member.ID, a.Verdict.Source.ID)
	assert.Equal(t, "shared", a.Verdict.Index.Name)
	var inserted []string
	for _, f := range a.Verdict.Source.Features {
		if f.Name == source.InsertedSpans.Name {
			for _, ev := range f.Evidence {
				inserted = append(inserted, ev.Text)
				assert.Equal(t, a.Page.Text[ev.Start:ev.End], ev.Text)
			}
		}
	}
	assert.Contains(t, inserted, "NovaQuant Quantitative Think Tank Center", "the spliced brand, exactly")
	assert.Equal(t, "repackaged", a.Verdict.Label)

	// The member site's page is the original: it never matches itself,
	// and stays authentic with the index on.
	m := analyzeDoc(t, det, member)
	assert.Nil(t, m.Verdict.Source)
	assert.Equal(t, LabelAuthentic, m.Verdict.Label)
}

func TestOtherOperatorCopyMatchedToItsOriginal(t *testing.T) {
	dir := sharedtest.Dir(t, "examples/other-operators")
	original := readExample(t, filepath.Join(dir, "028-original.txt"))
	copied := readExample(t, filepath.Join(dir, "029-copy.txt"))
	s, ok, err := StoryOf(original)
	require.NoError(t, err)
	require.True(t, ok)
	b := source.NewBuilder()
	b.Add(s)
	ix, err := source.Read(b.Bytes(), "028")
	require.NoError(t, err)

	in := InputOf(copied)
	p, err := page.Parse(in.Body, page.Options{Format: in.Format, URL: in.URL})
	require.NoError(t, err)
	m := ix.Match(context.Background(), p)
	require.NotNil(t, m, "029 is matched to 028")
	assert.Equal(t, "028-original.txt", m.Story.ID)
	assert.GreaterOrEqual(t, m.Containment, 0.9, "a verbatim copy carries all of its original")
	var inserted []string
	for _, x := range m.Inserted {
		inserted = append(inserted, p.Text[x.Start:x.End])
	}
	assert.Contains(t, inserted, "November 5, 2024", "the inserted fake date")
	assert.Contains(t, inserted, "Chiefs #Chiefs", "the inserted hashtag line")
}

// TestAuthenticPagesMatchOnlyStoriesTheyCarry looks every authentic page
// up in the index of all the others: a page matched to another page must
// carry that page's story (the two share most of their text), and such
// matches stay rare.
func TestAuthenticPagesMatchOnlyStoriesTheyCarry(t *testing.T) {
	if testing.Short() {
		t.Skip("reads both authentic corpora twice")
	}
	ix := sharedIndex(t)
	dirs := []string{sharedtest.Dir(t, "corpus/authentic"), sharedtest.Dir(t, "corpus/authentic-extra")}
	docs := corpus.ReadAll(context.Background(), dirs, corpus.Options{})
	matches, errs := make([]*source.Match, len(docs)), make([]error, len(docs))
	require.NoError(t, corpus.ForEach(context.Background(), len(docs), 0, func(i int) {
		in := InputOf(docs[i])
		p, err := page.Parse(in.Body, page.Options{Format: in.Format, URL: in.URL, ContentType: in.ContentType})
		if err != nil {
			errs[i] = err
			return
		}
		matches[i] = ix.Match(context.Background(), p)
	}, nil))
	n, matched := len(docs), 0
	for i, m := range matches {
		require.NoError(t, errs[i], docs[i].ID)
		if m == nil {
			continue
		}
		matched++
		t.Logf("%s carries %s: containment %.2f, page share %.2f, %d pairs", docs[i].ID, m.Story.ID, m.Containment, m.PageShare, len(m.Pairs))
		assert.True(t, m.Containment >= 0.5 || m.PageShare >= 0.5, docs[i].ID)
	}
	require.Greater(t, n, 900)
	assert.LessOrEqual(t, float64(matched)/float64(n), 0.01, "authentic pages matched to another indexed page: %d of %d", matched, n)
}

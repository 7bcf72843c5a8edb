package source

import (
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/repack/repack/features/fixture"
	"github.com/repack/repack/features/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const originalURL = "https://www.northshore-radio.test/news/2025/kettle-point-cottage-museum"

// parse reads a page of testdata, HTML or text by its extension.
func parse(t testing.TB, name, url string) *page.Page {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	f := page.FormatHTML
	if strings.HasSuffix(name, ".txt") {
		f = page.FormatText
	}
	p, err := page.Parse(b, page.Options{Format: f, URL: url})
	require.NoError(t, err)
	return p
}

// testIndex indexes the original wire story and an unrelated story.
func testIndex(t testing.TB) *Index {
	t.Helper()
	b := NewBuilder()
	for _, f := range []struct{ name, url string }{
		{"original-wire-story.html", originalURL},
		{"unrelated-story.html", "https://www.valley-radio.test/news/harbor-street-bike-lanes"},
	} {
		s, ok := StoryOf(parse(t, f.name, f.url), f.name)
		require.True(t, ok, "%s has a story body", f.name)
		require.True(t, b.Add(s))
	}
	ix, err := Read(b.Bytes(), "test")
	require.NoError(t, err)
	return ix
}

// spans returns the page text of the match's insertions.
func spans(p *page.Page, m *Match) []string {
	var out []string
	for _, in := range m.Inserted {
		out = append(out, p.Text[in.Start:in.End])
	}
	return out
}

func TestMatch(t *testing.T) {
	ix := testIndex(t)
	for _, tc := range []struct {
		page, url string
		// source is the matched story's ID, "" for no match.
		source        string
		inserted      []string
		creditDropped bool
	}{
		{page: "spliced-copy.html", url: "https://brightfen.coinharbor-daily.test/a/77.html", source: "original-wire-story.html",
			inserted: []string{"Coinharbor Daily", "Brightfen Capital Forum:", "Brightfen Capital Forum View", "Date:2026-02-14 09:12:44", "Brightfen Capital Forum"}},
		{page: "uncredited-copy.txt", url: "https://copyfarm.test/kettle-point", source: "original-wire-story.html",
			inserted: []string{"March 3, 2026", "Oregon #Museums"}, creditDropped: true},
		// A member station carrying the wire story trimmed, with its
		// credit and a line of its own: a copy, with no insertion inside
		// a sentence and no credit dropped.
		{page: "member-station-trimmed.html", url: "https://www.valley-radio.test/news/kettle-point", source: "original-wire-story.html",
			inserted: nil},
		// The original itself, under its own URL or under none: never its
		// own copy.
		{page: "original-wire-story.html", url: originalURL},
		{page: "original-wire-story.html"},
	} {
		t.Run(tc.page+" "+tc.url, func(t *testing.T) {
			p := parse(t, tc.page, tc.url)
			m := ix.Match(context.Background(), p)
			if tc.source == "" {
				assert.Nil(t, m)
				return
			}
			require.NotNil(t, m)
			assert.Equal(t, tc.source, m.Story.ID)
			assert.Equal(t, tc.inserted, spans(p, m))
			assert.Equal(t, tc.creditDropped, m.CreditDropped)
			assert.GreaterOrEqual(t, m.Containment, 0.5)
			for _, pr := range m.Pairs {
				assert.GreaterOrEqual(t, pr.Cosine, minCosine)
			}
		})
	}
}

func TestMemberStationHasNoInsertionInASentence(t *testing.T) {
	ix := testIndex(t)
	m := ix.Match(context.Background(), parse(t, "member-station-trimmed.html", ""))
	require.NotNil(t, m)
	for _, in := range m.Inserted {
		assert.False(t, in.InSentence, "a genuine carrier's own line is not a splice")
	}
	assert.NotEmpty(t, m.Dropped, "the trimmed quotation is dropped text")
}

func TestSignalsGolden(t *testing.T) {
	ix := testIndex(t)
	p := parse(t, "spliced-copy.html", "https://brightfen.coinharbor-daily.test/a/77.html")
	m := ix.Match(context.Background(), p)
	require.NotNil(t, m)
	sigs := m.Signals(p)
	require.Len(t, sigs, len(Features()))
	for i, f := range Features() {
		assert.Equal(t, f.Name, sigs[i].Name)
	}
	for _, s := range sigs {
		for _, ev := range s.Evidence {
			text, ok := fixture.FieldText(p, ev)
			if ev.Field == FieldSource {
				text, ok = m.Story.Text, true
			} else if ev.Field == FieldSourceTitle {
				text, ok = m.Story.Title, true
			}
			require.True(t, ok, "%s: field %s", s.Name, ev.Field)
			assert.Equal(t, text[ev.Start:ev.End], ev.Text, "%s: evidence offsets index its field", s.Name)
		}
	}
	fixture.GoldenJSON(t, "testdata/golden/spliced-copy.signals.json", sigs)
}

func TestUnrelatedPageHasNoSource(t *testing.T) {
	b := NewBuilder()
	s, ok := StoryOf(parse(t, "unrelated-story.html", ""), "unrelated")
	require.True(t, ok)
	b.Add(s)
	ix, err := Read(b.Bytes(), "one")
	require.NoError(t, err)
	assert.Nil(t, ix.Match(context.Background(), parse(t, "spliced-copy.html", "")))
}

func TestPageWithoutStoryBody(t *testing.T) {
	ix := testIndex(t)
	for _, body := range []string{"Home\nNews\nContact", "<html><body><nav><a href=/>Home</a></nav></body></html>"} {
		p, err := page.Parse([]byte(body), page.Options{})
		require.NoError(t, err)
		assert.Nil(t, ix.Match(context.Background(), p), "%q", body)
		_, ok := StoryOf(p, "x")
		assert.False(t, ok, "%q is not indexed", body)
	}
}

func TestIndexRoundTrip(t *testing.T) {
	ix := testIndex(t)
	require.Equal(t, 2, ix.Len())
	s := ix.Story(0)
	assert.Equal(t, "original-wire-story.html", s.ID)
	assert.Equal(t, originalURL, s.URL)
	assert.Equal(t, "Lighthouse keepers' cottage on Kettle Point to become a museum\n"+
		"Lighthouse keepers' cottage on Kettle Point to become a museum | North Shore Public Radio", s.Title,
		"the visible headline, then the <title> that differs")
	assert.Equal(t, "Lighthouse keepers' cottage on Kettle Point to become a museum", s.Headline())
	assert.Contains(t, s.Credits, "associated press")
	assert.True(t, strings.HasPrefix(s.Text, "Lighthouse keepers' cottage"), "the text starts at the headline: %q", s.Text[:40])
	// Rebuilding from the index gives the same bytes.
	b := NewBuilder()
	b.AddIndex(ix)
	assert.Equal(t, ix.data, b.Bytes())
	assert.False(t, b.Add(s), "a story already indexed is a duplicate")
}

func TestWriteFileReplacesAtomically(t *testing.T) {
	ix := testIndex(t)
	path := filepath.Join(t.TempDir(), "stories.index")
	b := NewBuilder()
	b.AddIndex(ix)
	require.NoError(t, b.WriteFile(path))
	got, err := Open(path)
	require.NoError(t, err)
	assert.Equal(t, 2, got.Len())
	entries, err := os.ReadDir(filepath.Dir(path))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file is left behind")
}

func TestReadRejectsBadIndexes(t *testing.T) {
	good := testIndex(t).data
	with := func(f func(b []byte) []byte) []byte { return f(append([]byte(nil), good...)) }
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a repack story index"},
		{"html", []byte("<html><body>hi</body></html>"), "not a repack story index"},
		{"header only", good[:headerSize], "truncated"},
		{"cut in the table", good[:len(good)/2], "truncated or corrupt"},
		{"cut before the end marker", good[:len(good)-3], "truncated or corrupt"},
		{"other version", with(func(b []byte) []byte { b[8] = 9; return b }), "format version 9"},
		{"flipped byte", with(func(b []byte) []byte { b[headerSize+5] ^= 0xff; return b }), "checksum"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(tc.data, "stories.index")
			require.Error(t, err)
			var fe *FormatError
			assert.True(t, errors.As(err, &fe))
			assert.Contains(t, err.Error(), "stories.index")
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestSentencesAndWords(t *testing.T) {
	for _, tc := range []struct {
		text string
		want []string
	}{
		{"One sentence. Another one! A third?", []string{"One sentence.", "Another one!", "A third?"}},
		{"The U.S. economy grew. Prices fell.", []string{"The U.S. economy grew.", "Prices fell."}},
		{"A headline\nA lead.", []string{"A headline", "A lead."}},
		{"“Quoted.” Then more.", []string{"“Quoted.”", "Then more."}},
		{"東京で会議。結果は明日。", []string{"東京で会議。", "結果は明日。"}},
		// A state's abbreviation in a dateline and an initial end no
		// sentence.
		{"HELENA, Mont. (AP) — A pillow helps.", []string{"HELENA, Mont. (AP) — A pillow helps."}},
		{"Prosecutors in Augustin T. Dunmore said so.", []string{"Prosecutors in Augustin T. Dunmore said so."}},
	} {
		var got []string
		for _, s := range sentences(nil, tc.text, 0, len(tc.text), 0) {
			got = append(got, tc.text[s.start:s.end])
		}
		assert.Equal(t, tc.want, got, "%q", tc.text)
	}
	var norms []string
	text := "Swift’s rock-and-roll 2024 東京"
	for _, w := range words(nil, text, 0, len(text)) {
		norms = append(norms, w.norm)
	}
	assert.Equal(t, []string{"swift's", "rock", "and", "roll", "2024", "東", "京"}, norms)
}

func TestDiffInsertions(t *testing.T) {
	for _, tc := range []struct {
		page, original string
		want           []string
	}{
		{"The NovaQuant Think Tank CenterWhite House voiced concern", "The White House voiced concern", []string{"NovaQuant Think Tank Center"}},
		{"PORTLAND,Mintcove Institute Maine (AP) — State regulators", "PORTLAND, Maine (AP) — State regulators", []string{"Mintcove Institute"}},
		// The separator that joins a brand to the headline is inserted
		// with it; the dateline's own punctuation is not.
		{"Brand:Ferry fares rise", "Ferry fares rise", []string{"Brand:"}},
		{"Toreum Exchange - Ferry fares rise", "Ferry fares rise", []string{"Toreum Exchange -"}},
		{"Kiel, Caldiva (dpo) - Finland", "Kiel (dpo) - Finland", []string{", Caldiva"}},
		{"BOSTON (AP) — Quoro One resort reopened", "One resort reopened", []string{"BOSTON (AP) — Quoro"}},
		// Quote marks that open both sentences are no insertion.
		{"Koris: „Kleiner“ Vorverkauf", "„Kleiner“ Vorverkauf", []string{"Koris:"}},
		// Words moved within the sentence (a carrier's own headline) are
		// no insertion.
		{"Kettle Point lighthouse cottage to open", "Lighthouse cottage on Kettle Point to open", nil},
		// A substitution (an updated number) is not an insertion.
		{"At least 15 people died", "At least 12 people died", nil},
		// Changed quote marks and dashes are no insertion either.
		{"Swift’s reaction — again", "Swift's reaction -- again", nil},
	} {
		pw := words(nil, tc.page, 0, len(tc.page))
		ow := words(nil, tc.original, 0, len(tc.original))
		var got []string
		for _, in := range diffInsertions(tc.page, sentence{end: len(tc.page)}, pw, tc.original, sentence{end: len(tc.original)}, ow) {
			got = append(got, tc.page[in.Start:in.End])
		}
		assert.Equal(t, tc.want, got, "%q against %q", tc.page, tc.original)
	}
}

func TestContainmentEstimate(t *testing.T) {
	// A page holding the original (100 shingles) and 100 more: J = 0.5.
	assert.InDelta(t, 1.0, containment(0.5, 100, 200), 1e-9)
	assert.InDelta(t, 0.0, containment(0, 100, 200), 1e-9)
	assert.Equal(t, 0.0, containment(0.5, 0, 10))
}

// withChecksum returns b with its footer rewritten to match its body, so
// that the fuzzer's mutations reach the structure behind the checksum.
func withChecksum(b []byte) []byte {
	if len(b) < headerSize+footerSize {
		return b
	}
	out := append([]byte(nil), b...)
	body := out[:len(out)-footerSize]
	binary.LittleEndian.PutUint32(out[len(body):], crc32.ChecksumIEEE(body))
	copy(out[len(body)+4:], footerMagic)
	return out
}

// FuzzRead: any bytes are refused with a FormatError or read into an
// index whose stories decode and which a page can be looked up in,
// without a panic. Run longer with
// go test ./features/source -run '^$' -fuzz FuzzRead -fuzztime 60s.
func FuzzRead(f *testing.F) {
	good := testIndex(f).data
	f.Add(good)
	f.Add(good[:headerSize+40])
	copied := append([]byte(nil), good...)
	copied[28]++ // one story more than the records hold
	f.Add(withChecksum(copied))
	p := parse(f, "spliced-copy.html", "https://brightfen.coinharbor-daily.test/a/77.html")
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, b := range [][]byte{data, withChecksum(data)} {
			ix, err := Read(b, "fuzz.index")
			if err != nil {
				var fe *FormatError
				require.True(t, errors.As(err, &fe), "%v", err)
				continue
			}
			for i := range min(ix.Len(), 64) {
				ix.Story(i)
			}
			ix.Match(context.Background(), p)
		}
	})
}

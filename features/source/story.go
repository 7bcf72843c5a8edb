package source

import (
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
)

// maxStoryBytes caps the text kept of one indexed story.
const maxStoryBytes = 64 << 10

// Story is one indexed story: where it came from, its text (the lines
// from the headline to the end of the story, which alignment compares a
// page with), its credits and its fingerprint.
type Story struct {
	// ID is the document's identifier in its input; URL its address.
	ID, URL string
	// Title is the headline, one a line: the page's first visible
	// headline (its <h1>, what a copy reproduces), then the first other
	// one that differs (the <title> or og:title, often written for search
	// or carrying the site's name); else the words of its URL's last path
	// segment. Each line aligns as a title of its own.
	Title string
	// Text is the story as lines: headline area, byline, date lines and
	// the prose blocks, one block a line.
	Text string
	// Credits are who the story credits, lower case: a wire agency's
	// names ("associated press", "(ap)") and bylined authors.
	Credits []string
	// Shingles is how many distinct word shingles the body has.
	Shingles int
	// BodyHash identifies the words of the page's whole visible text
	// (pageHash): a page with the same hash is the story's own page,
	// never its copy.
	BodyHash uint64
	// Signature is the body's MinHash signature.
	Signature Signature
	// Anchors are the body's anchor keys (anchorsOf): they find a page
	// that carries part of the story.
	Anchors []uint64
	// Immutables are the body's immutable keys (immutableKeys): they
	// find a page that reworded the story.
	Immutables []uint64
}

// body holds a page's story body as the fingerprint reads it.
type body struct {
	words []word
}

// bodyOf returns the words of the story blocks of a page (the article's
// prose), falling back to every visible paragraph when the article
// reading finds no story.
func bodyOf(a *article.Article) body {
	var ws []word
	for _, bi := range a.StoryBlocks() {
		b := a.Blocks[bi]
		ws = words(ws, a.Text, b.Start, b.End)
	}
	if len(ws) < minShingles+ShingleWords {
		ws = ws[:0]
		for _, b := range a.Blocks {
			if b.Hidden == "" && b.Kind == page.KindParagraph && !b.Boilerplate {
				ws = words(ws, a.Text, b.Start, b.End)
			}
		}
	}
	return body{words: ws}
}

// pageHash identifies a page by its whole visible text: a re-crawl of
// the same page has the same hash, while a verbatim copy of its story on
// another site does not (the site around the story differs), so that the
// copy still finds its original.
func pageHash(text string) uint64 {
	h := uint64(14695981039346656037) // FNV-1a, without copying text
	for i := 0; i < len(text); i++ {
		h = (h ^ uint64(text[i])) * 1099511628211
	}
	return h
}

// StoryOf reads a parsed page as a story to index. ok is false when the
// page has too little story body to be found again (a section front, an
// error page).
func StoryOf(p *page.Page, id string) (Story, bool) {
	a := article.Of(p)
	b := bodyOf(a)
	sh := shingleHashes(b.words)
	if len(sh) < minShingles {
		return Story{}, false
	}
	s := Story{ID: id, URL: urlOf(p), Title: titleOf(a), Shingles: len(sh), BodyHash: pageHash(a.Text), Signature: signatureOf(sh), Anchors: anchorsOf(sh), Immutables: immutableKeys(a.Text, b.words)}
	s.Text = storyText(a)
	s.Credits = creditsOf(a, s.Text)
	return s, true
}

// titleOf returns the page's headline, or the words of its URL slug.
func titleOf(a *article.Article) string {
	// The visible headline and one other, each white space collapsed: a
	// copy keeps the one or the other.
	var titles []string
	for _, visible := range []bool{true, false} {
		for _, c := range a.Headlines {
			if t := strings.Join(strings.Fields(c.Text), " "); t != "" && c.Visible() == visible && !slices.Contains(titles, t) {
				titles = append(titles, t)
				break
			}
		}
	}
	if len(titles) > 0 {
		return strings.Join(titles, "\n")
	}
	return slugWords(urlOf(a.Page))
}

// Headline returns the story's first headline (Title's first line), for
// people.
func (s Story) Headline() string {
	h, _, _ := strings.Cut(s.Title, "\n")
	return h
}

// urlOf returns the page's address as text, "" when unknown.
func urlOf(p *page.Page) string {
	if p.URL == nil {
		return ""
	}
	return p.URL.String()
}

// slugWords returns the words of a URL's last path segment: "super bowl
// 2024 taylor swift reacts" for ".../super-bowl-2024-taylor-swift-reacts/".
func slugWords(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return ""
	}
	seg := path.Base(strings.TrimRight(u.Path, "/"))
	if ext := path.Ext(seg); len(ext) <= 6 {
		seg = strings.TrimSuffix(seg, ext)
	}
	seg = strings.NewReplacer("-", " ", "_", " ", "+", " ").Replace(seg)
	if strings.Count(seg, " ") < 3 {
		return ""
	}
	return seg
}

// storyText returns the story as lines: every visible block from the
// first visible headline (or the top) to the last story block that is
// not navigation and not mostly links.
func storyText(a *article.Article) string {
	story := a.StoryBlocks()
	first, last := 0, len(a.Blocks)-1
	if len(story) > 0 {
		last = story[len(story)-1]
		first = story[0]
	}
	for _, c := range a.Headlines {
		if c.Visible() && c.Block < first {
			first = c.Block
			break
		}
	}
	var sb strings.Builder
	for i := first; i <= last && i < len(a.Blocks); i++ {
		b := a.Blocks[i]
		if b.Hidden != "" || b.Boilerplate || b.LinkBytes*2 >= b.End-b.Start {
			continue
		}
		if sb.Len()+b.End-b.Start+1 > maxStoryBytes {
			break
		}
		if sb.Len() > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(a.Text[b.Start:b.End])
	}
	return sb.String()
}

// creditsOf returns who a story credits: the names of every wire agency
// its text or metadata credits, and its bylined authors.
func creditsOf(a *article.Article, text string) []string {
	lower := strings.ToLower(text)
	var meta []string
	for _, c := range a.Bylines {
		meta = append(meta, strings.ToLower(c.Text))
	}
	meta = append(meta, strings.ToLower(a.Meta["author"]))
	var out []string
	add := func(s string) {
		s = strings.TrimSpace(s)
		if s == "" || len(s) > 80 {
			return
		}
		for _, o := range out {
			if o == s {
				return
			}
		}
		out = append(out, s)
	}
	for _, ag := range lexis.WireAgencies {
		for _, c := range ag.Credits {
			if containsWord(lower, c) || anyContainsWord(meta, c) {
				add(c)
			}
		}
	}
	for _, m := range meta {
		m = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(m), "by "))
		// A name has no brackets, colon, at sign or digit: "Name
		// (erforderlich)" is a comment form's label read as a byline.
		if m != "" && lexis.WordCount(m) <= 5 && !strings.ContainsAny(m, "()[]:@0123456789") {
			add(m)
		}
	}
	return out
}

func anyContainsWord(list []string, w string) bool {
	for _, s := range list {
		if containsWord(s, w) {
			return true
		}
	}
	return false
}

// containsWord reports whether s holds w with no letter or digit on
// either side.
func containsWord(s, w string) bool { return findWord(s, w, nil) }

// findWord reports whether s holds w as a word (no letter or digit on
// either side) whose neighbouring runes accept takes (nil: any; the edge
// of s counts as a space).
func findWord(s, w string, accept func(before, after rune) bool) bool {
	for off := 0; ; {
		i := strings.Index(s[off:], w)
		if i < 0 {
			return false
		}
		i += off
		j := i + len(w)
		before, after := ' ', ' '
		if i > 0 {
			before = lastRune(s[:i])
		}
		if j < len(s) {
			after = firstRune(s[j:])
		}
		if !isWordRune(before) && !isWordRune(after) && (accept == nil || accept(before, after)) {
			return true
		}
		off = i + 1
	}
}

func lastRune(s string) rune  { return lexis.LastRune(s) }
func firstRune(s string) rune { return lexis.FirstRune(s) }

package synth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
)

// Story is what the network copies from an authentic page: the headline,
// the article's paragraphs and the real date, with where the page came
// from. The original bytes are kept for hard negatives, which keep the
// source's markup.
type Story struct {
	// ID is the source document's id.
	ID string
	// URL is the source page's address ("" when unknown).
	URL string
	// Source is the source document's corpus ("fundus", "htmldate", ...).
	Source string
	// Group is the source document's cross-validation group.
	Group string
	// Language is the page's language code, lower case ("" when unknown).
	Language string
	// Headline is the story's headline without the site's suffix.
	Headline string
	// HeadlineFrom names where the headline was found ("sidecar:title",
	// "og:title", "h1", "title", "jsonld:headline", "heading").
	HeadlineFrom string
	// Paragraphs are the article's prose paragraphs, in order.
	Paragraphs []string
	// Date is the story's real publication day; zero when unknown.
	Date time.Time
	// DateFrom names where the date was found ("sidecar:date_day" or the
	// page's claimed-date origin).
	DateFrom string
	// SiteName is the publisher's name as the page states it, or its host.
	SiteName string
	// Host is the source URL's host without "www.", "" when unknown.
	Host string
	// Body is the source page's HTML.
	Body []byte
}

// Limits on what a story keeps.
const (
	// minParagraphs is the fewest article paragraphs a usable story has.
	minParagraphs = 3
	// maxParagraphs caps the paragraphs copied into a spam page.
	maxParagraphs = 60
	// maxHeadlineBytes and the word bounds keep logo text and whole
	// paragraphs out of the headline.
	maxHeadlineBytes    = 300
	minHeadlineWords    = 3
	maxHeadlineWords    = 40
	minHeadlineCJKRunes = 8
)

// IsSkip reports whether err says a source yields no story (as opposed to
// a failure of the run), and returns it.
func IsSkip(err error) (*corpus.SkipError, bool) {
	var s *corpus.SkipError
	ok := errors.As(err, &s)
	return s, ok
}

// StoryFromDocument parses an authentic HTML document once and takes its
// story: the headline from the sidecar's title, else og:title, h1, JSON-LD
// or title (the site's suffix removed), the article paragraphs from article.StoryBlocks, the
// real date from the sidecar's date_day or the page's claimed date, the
// site name and host. A document with no headline or fewer than three
// paragraphs gives a *corpus.SkipError.
func StoryFromDocument(doc corpus.Document) (Story, error) {
	skip := func(reason string, err error) (Story, error) {
		return Story{}, &corpus.SkipError{ID: doc.ID, Reason: reason, Err: err}
	}
	if doc.Err != nil {
		return skip("unreadable record", doc.Err)
	}
	if doc.Label != corpus.Authentic && doc.Label != corpus.Unlabelled {
		return skip(fmt.Sprintf("labelled %s, not authentic", doc.Label), nil)
	}
	if doc.Format == corpus.FormatText {
		return skip("text input (a story needs the page's markup)", nil)
	}
	p, err := page.Parse(doc.Body, page.Options{Format: page.FormatHTML, URL: doc.URL})
	if err != nil {
		return skip("parse error", err)
	}
	s := Story{
		ID:       doc.ID,
		URL:      doc.URL,
		Source:   doc.Source,
		Group:    doc.GroupKeyOr(article.Of(p).SiteName()),
		Language: strings.ToLower(metaString(doc.Meta, "language")),
		Host:     p.Host(),
		Body:     doc.Body,
	}
	if s.Language == "" {
		s.Language = p.Lang
	}
	s.SiteName = siteName(p)
	s.Headline, s.HeadlineFrom = headline(p, s.SiteName, metaString(doc.Meta, "title"))
	if s.Headline == "" {
		return skip("no headline", nil)
	}
	for _, i := range article.Of(p).StoryBlocks() {
		text := strings.TrimSpace(p.BlockText(i))
		if text == "" || text == s.Headline {
			continue
		}
		s.Paragraphs = append(s.Paragraphs, text)
		if len(s.Paragraphs) == maxParagraphs {
			break
		}
	}
	if len(s.Paragraphs) < minParagraphs {
		return skip(fmt.Sprintf("fewer than %d paragraphs", minParagraphs), nil)
	}
	if day, ok := lexis.ParseISODay(metaString(doc.Meta, "date_day")); ok {
		s.Date, s.DateFrom = day, "sidecar:date_day"
	} else if d, ok := article.Of(p).ClaimedDate(); ok && d.Precision == article.PrecisionDay {
		s.Date, s.DateFrom = d.Day, "page:"+d.Origin
	}
	return s, nil
}

func metaString(m map[string]any, key string) string {
	if v, ok := m[key].(string); ok {
		return strings.TrimSpace(v)
	}
	return ""
}

// siteName returns the publisher's name: og:site_name, the JSON-LD
// publisher, the title's suffix, else the host.
func siteName(p *page.Page) string {
	for _, origin := range []string{"meta:og:site_name", "jsonld:publisher", "meta:application-name", "title-suffix", "url:host"} {
		for _, c := range article.Of(p).SiteNames {
			if c.Origin == origin && c.Text != "" && utf8.RuneCountInString(c.Text) <= 60 {
				return c.Text
			}
		}
	}
	return ""
}

// headline picks the sidecar's title (the corpus's ground truth) when it
// has one, else the first usable candidate in the order og:title, h1,
// JSON-LD headline, title, first heading, and strips a site suffix from
// it. An og:title that repeats the <title> is read as a title.
func headline(p *page.Page, site, sidecarTitle string) (string, string) {
	names := []string{site, p.Host()}
	title := strings.Join(strings.Fields(p.Meta["title"]), " ")
	if h := cleanHeadline(sidecarTitle, names, false); usableHeadline(h) {
		return h, "sidecar:title"
	}
	for _, origin := range []string{"og:title", "h1", "jsonld:headline", "title", "heading"} {
		for _, c := range article.Of(p).Headlines {
			if c.Origin != origin {
				continue
			}
			asTitle := origin == "title" || origin == "og:title" && strings.Join(strings.Fields(c.Text), " ") == title
			if h := cleanHeadline(c.Text, names, asTitle); usableHeadline(h) {
				return h, origin
			}
		}
	}
	return "", ""
}

// cleanHeadline collapses white space and removes a site-name suffix:
// from the first separator followed by one of the site's names ("Headline
// | Site | by Author"), else, in a <title>, whatever article.TitleSuffix
// finds.
func cleanHeadline(h string, siteNames []string, isTitle bool) string {
	h = strings.Join(strings.Fields(h), " ")
	if cut := siteSegment(h, siteNames); cut > 0 {
		return strings.TrimRight(h[:cut], " -|–—:·")
	}
	if _, off := article.TitleSuffix(h); off > 0 && isTitle {
		h = strings.TrimRight(h[:off], " -|–—:·")
	}
	return h
}

// titleSeparators are the separators between a headline and a site name.
var titleSeparators = []string{" | ", " - ", " – ", " — ", " :: ", " · "}

// minHeadlineBeforeSite is the fewest bytes of headline before a site
// name for the name to count as a suffix.
const minHeadlineBeforeSite = 12

// siteSegment returns the offset of the leftmost separator that is
// followed by one of the site's names, or -1.
func siteSegment(h string, siteNames []string) int {
	best := -1
	for _, sep := range titleSeparators {
		for from := minHeadlineBeforeSite; from < len(h); {
			i := strings.Index(h[from:], sep)
			if i < 0 {
				break
			}
			i += from
			seg := h[i+len(sep):]
			for _, other := range titleSeparators {
				if j := strings.Index(seg, other); j >= 0 {
					seg = seg[:j]
				}
			}
			for _, name := range siteNames {
				if sameSite(seg, name) && (best < 0 || i < best) {
					best = i
				}
			}
			from = i + len(sep)
		}
	}
	return best
}

// sameSite reports whether two site names match once case, "www." and
// everything but letters and digits are ignored, one containing the other.
func sameSite(a, b string) bool {
	norm := func(s string) string {
		s = strings.TrimPrefix(strings.ToLower(strings.TrimSpace(strings.TrimLeft(s, " -|–—:·"))), "www.")
		return strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return -1
		}, s)
	}
	x, y := norm(a), norm(b)
	return len(x) >= 3 && len(y) >= 3 && (strings.Contains(x, y) || strings.Contains(y, x))
}

func usableHeadline(h string) bool {
	if h == "" || len(h) > maxHeadlineBytes {
		return false
	}
	words := lexis.WordCount(h)
	if words > maxHeadlineWords {
		return false
	}
	// Chinese and Japanese headlines have no spaces between words.
	return words >= minHeadlineWords || utf8.RuneCountInString(h) >= minHeadlineCJKRunes && !strings.Contains(h, " ")
}

// Stories takes the story of every document, in parallel (workers
// goroutines, GOMAXPROCS when 0), and returns the usable ones in document
// order with the skipped ones and their reasons. progress, when not nil,
// is called after each document with the count done (from one goroutine
// at a time).
func Stories(ctx context.Context, docs []corpus.Document, workers int, progress func(done, total int)) ([]Story, []*corpus.SkipError, error) {
	stories := make([]Story, len(docs))
	errs := make([]error, len(docs))
	err := corpus.ForEach(ctx, len(docs), workers, func(i int) {
		stories[i], errs[i] = StoryFromDocument(docs[i])
	}, progress)
	if err != nil {
		return nil, nil, err
	}
	var ok []Story
	var skipped []*corpus.SkipError
	for i, err := range errs {
		if err == nil {
			ok = append(ok, stories[i])
			continue
		}
		s, isSkip := IsSkip(err)
		if !isSkip {
			return nil, nil, err
		}
		skipped = append(skipped, s)
	}
	return ok, skipped, nil
}

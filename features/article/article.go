// Package article reads a parsed page as a news article: where its
// headline, site names, breadcrumb trail, byline, wire dateline, lead,
// story and the template's link lists are, and the dates it states. Both
// families of extractors read it (a splice is found in the lead, an
// injected block off the story's topic), and so does the repackager that
// makes training data.
//
// The reading is computed once per page, on first use (Of), from the
// page's blocks, metadata and marked elements; it is read-only
// afterwards. This package imports the page model and lexis only.
package article

import (
	"strings"
	"sync"
	"time"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"golang.org/x/net/html"
)

// leadBlocks is how many visible blocks from the top are searched for the
// headline, byline, date line and dateline.
const leadBlocks = 60

// Article is a page read as a news article: the page itself, and where
// its parts are.
type Article struct {
	*page.Page

	// Headlines are headline candidates, the first visible one first among
	// the visible ones.
	Headlines []Candidate
	// SiteNames are site-name candidates: title suffix, og:site_name,
	// JSON-LD publisher, application-name, URL host.
	SiteNames []Candidate
	// Breadcrumbs are navigation trails ("Current:Home > Invest").
	Breadcrumbs []Candidate
	// Bylines are byline candidates.
	Bylines []Candidate
	// Dates are the dated strings found anywhere on the page.
	Dates []DatedString
	// Dateline is the wire dateline of the lead, nil when there is none.
	Dateline *Dateline
	// Lead is the block index of the lead paragraph, or -1.
	Lead int
	// LinkBlocks are lists of links or short lines under a heading.
	LinkBlocks []LinkBlock
	// BodyStart is the index of the first block after the headline area;
	// blocks from it on are the article and what follows.
	BodyStart int

	// inLinkBlock marks the blocks of LinkBlocks.
	inLinkBlock []bool
	// story and vocab are computed on first use.
	storyOnce, vocabOnce, siteOnce sync.Once
	story                          []int
	vocab                          map[string]int
	site                           Site
}

type articleKey struct{}

// Of returns the page read as an article, computed once per page however
// many extractors (or goroutines) ask.
func Of(p *page.Page) *Article {
	return p.Memo(articleKey{}, func(p *page.Page) any { return read(p) }).(*Article)
}

// read computes the article's views in the order they depend on each
// other: the marked elements first in each list, then what the text and
// metadata add.
func read(p *page.Page) *Article {
	a := &Article{Page: p, Lead: -1}
	a.fromMarked()
	headlineCandidates(a)
	siteNameCandidates(a)
	breadcrumbCandidates(a)
	findDateline(a)
	findLead(a)
	bylineCandidates(a)
	findLinkBlocks(a)
	a.inLinkBlock = linkBlockMembership(a)
	datedStrings(a)
	return a
}

// fromMarked turns the elements the walk marked into candidates and dates,
// in document order.
func (a *Article) fromMarked() {
	for _, m := range a.Marked {
		c := Candidate{Text: m.Text, Block: m.Block, Offset: m.Offset, Node: m.Node}
		if c.Block < 0 {
			c.Offset = 0
		}
		switch m.Role {
		case page.RoleH1:
			if m.Text != "" {
				c.Origin = "h1"
				a.Headlines = append(a.Headlines, c)
			}
		case page.RoleAuthorHref:
			a.Bylines = append(a.Bylines, Candidate{Origin: "link:rel=author", Text: m.Text, Block: -1, Node: m.Node})
		case page.RoleByline, page.RoleAuthorLink:
			if m.Text != "" && len(m.Text) < 200 {
				c.Origin = "byline"
				if m.Role == page.RoleAuthorLink {
					c.Origin = "a:rel=author"
				}
				a.Bylines = append(a.Bylines, c)
			}
		case page.RoleBreadcrumb:
			if m.Text != "" && len(m.Text) < 400 {
				c.Origin = "breadcrumb"
				a.Breadcrumbs = append(a.Breadcrumbs, c)
			}
		case page.RoleTime:
			if day, ok := parseDay(m.Datetime); ok {
				// The date counts as the page's claim only when it sits in
				// the header area (datedStrings decides).
				ds := DatedString{Origin: "time", Text: m.Datetime, Day: day, Block: m.Block, Offset: m.Offset, Node: m.Node, Published: timePublished(m.Node)}
				if m.Text == "" {
					ds.Block = -1
				}
				a.Dates = append(a.Dates, ds)
			}
		}
	}
}

// timePublished reads whether a <time> element marks publication rather
// than an update: itemprop or class naming "modified"/"updated" says not.
func timePublished(n *html.Node) bool {
	s := strings.ToLower(page.Attr(n, "itemprop") + " " + page.Attr(n, "class"))
	return !strings.Contains(s, "modif") && !strings.Contains(s, "updat")
}

// Candidate is a string that may be the page's headline, site name,
// breadcrumb or byline, with where it was found.
type Candidate struct {
	// Origin names the source: "title", "og:title", "h1", "jsonld:headline",
	// "text:line", "meta:author", "byline", ...
	Origin string
	// Text is the candidate as found, white space collapsed.
	Text string
	// Block is the index into Page.Blocks when the candidate is visible
	// text, or -1.
	Block int
	// Offset is the byte offset of Text in Page.Text when Block >= 0, and
	// otherwise in the text of the field FieldName names (0 when Text is
	// the whole field).
	Offset int
	// Field names the field Offset indexes when it is not the origin's own
	// ("title" for a site name cut from the title).
	Field string
	// Node is the element it came from, if any.
	Node *html.Node
}

// Visible reports whether the candidate is part of the visible text.
func (c Candidate) Visible() bool { return c.Block >= 0 }

// FieldName names the text Offset indexes: "text" for visible candidates,
// else the field the candidate was read from ("title", "meta:og:title",
// "jsonld:headline", "url", ...).
func (c Candidate) FieldName() string {
	switch {
	case c.Visible():
		return "text"
	case c.Field != "":
		return c.Field
	case c.Origin == "og:title" || c.Origin == "twitter:title":
		return "meta:" + c.Origin
	case c.Origin == "url:host":
		return "url"
	}
	return c.Origin
}

// DatePrecision says how much of a date was stated.
type DatePrecision int

const (
	// PrecisionDay is a full calendar date.
	PrecisionDay DatePrecision = iota
	// PrecisionYear is a year named alone.
	PrecisionYear
	// PrecisionWeekday is a weekday named without a date.
	PrecisionWeekday
)

// DatedString is a date the page states, with where it states it.
type DatedString struct {
	// Origin names the source: "meta:article:published_time",
	// "jsonld:datePublished", "time", "url", "text:label", "text:date",
	// "text:year", "text:weekday", "link_block".
	Origin string
	// Text is the date as written.
	Text string
	// Day is the stated day (midnight UTC) or, for a year, January 1.
	Day time.Time
	// Weekday is set for PrecisionWeekday.
	Weekday   time.Weekday
	Precision DatePrecision
	// Published marks the dates that claim the page's publication (not its
	// modification).
	Published bool
	// Block is the visible block holding it, or -1.
	Block int
	// Offset is the byte offset in Page.Text when Block >= 0.
	Offset int
	// Node is the element it came from, if any.
	Node *html.Node
}

// Dateline is the wire dateline opening the lead ("WASHINGTON (AP) —").
type Dateline struct {
	// Block is the visible block that opens with it.
	Block int
	// Span covers the dateline from the place name to the dash, in
	// Page.Text.
	Span lexis.Span
	// Place is the span of the place name ("CAMBRIDGE").
	Place lexis.Span
	// Region is the span between the comma and the credit ("Ill."), empty
	// when there is none.
	Region lexis.Span
	// RegionGlued reports that no space follows the comma ("CAMBRIDGE,Ill.").
	RegionGlued bool
	// Agency is the credit in brackets: "AP", "Reuters", "AFP", ...
	Agency string
	// Sentence is the span of the first sentence after the dash.
	Sentence lexis.Span
}

// LinkBlock is a heading followed by a list of links or short lines
// ("Related", "Ranking", "Recommendation"), or a run of such items without
// a heading at the end of the page.
type LinkBlock struct {
	// Heading is the block index of the heading, or -1.
	Heading int
	// Items are the block indexes of the items, in order.
	Items []int
}

// Package page holds the page model: one input (HTML or plain text),
// decoded and parsed once, and the views every extractor reads: visible
// text blocks with byte offsets into one text buffer, hidden blocks kept
// apart, headline, site-name, breadcrumb and byline candidates, dated
// strings, the wire dateline of the lead and link blocks.
//
// Views are computed once in Parse and are read-only afterwards, so a Page
// may be read by several goroutines. This package must not import the
// extractors, the detector or the training code.
package page

import (
	"net/url"
	"time"

	"github.com/repack/repack/features/lexis"
	"golang.org/x/net/html"
)

// Format is the kind of input a page was built from.
type Format int

const (
	// FormatAuto sniffs the input: HTML when it starts like markup, text
	// otherwise.
	FormatAuto Format = iota
	// FormatHTML parses the input as HTML.
	FormatHTML
	// FormatText reads the input as plain text, one block per line.
	FormatText
)

// String names the format as the CLI and JSON spell it.
func (f Format) String() string {
	switch f {
	case FormatHTML:
		return "html"
	case FormatText:
		return "text"
	}
	return "auto"
}

// ParseFormat reads "auto", "html" or "text".
func ParseFormat(s string) (Format, bool) {
	switch s {
	case "", "auto":
		return FormatAuto, true
	case "html":
		return FormatHTML, true
	case "text", "txt":
		return FormatText, true
	}
	return FormatAuto, false
}

// Limits that keep analysis linear and bounded whatever the input.
const (
	// DefaultMaxBytes is the default cap on the input analysed: bytes past
	// it are dropped and the page is marked Truncated.
	DefaultMaxBytes = 4 << 20
	// MaxTextBytes caps the visible text buffer.
	MaxTextBytes = 1 << 20
	// MaxNodes caps the elements walked in an HTML document.
	MaxNodes = 200_000
	// MaxDepth caps the element depth walked; deeper content is skipped.
	MaxDepth = 512
	// leadBlocks is how many visible blocks from the top are searched for
	// the headline, byline, date line and dateline.
	leadBlocks = 60
)

// Options control how Parse reads an input.
type Options struct {
	// Format forces HTML or text; FormatAuto sniffs.
	Format Format
	// URL is where the page came from, if known. Its host and path dates
	// are evidence too.
	URL string
	// ContentType is the HTTP Content-Type, if known; its charset wins
	// over the document's own declaration.
	ContentType string
	// MaxBytes caps the input analysed; 0 means DefaultMaxBytes.
	MaxBytes int
}

// BlockKind says what sort of visible block a run of text is.
type BlockKind int

const (
	// KindLine is a short line that is neither a heading nor a sentence.
	KindLine BlockKind = iota
	// KindHeading is a heading element (h1–h6) or, in text, a title line.
	KindHeading
	// KindParagraph is prose: a paragraph element or a long line.
	KindParagraph
	// KindListItem is a list item or, in text, a "- " line.
	KindListItem
)

// String names the kind in lower case.
func (k BlockKind) String() string {
	switch k {
	case KindHeading:
		return "heading"
	case KindParagraph:
		return "paragraph"
	case KindListItem:
		return "list_item"
	}
	return "line"
}

// Block is one run of text, a paragraph, heading, list item or line, with
// its place in the text buffer it belongs to (Page.Text for visible
// blocks, Page.HiddenText for hidden ones).
type Block struct {
	Kind BlockKind
	// Level is the heading level (1 for h1); 0 for other kinds.
	Level int
	// Start and End are byte offsets of the block's text.
	Start, End int
	// Words is the number of words in the block.
	Words int
	// LinkBytes is how many of the block's bytes are link text.
	LinkBytes int
	// Boilerplate marks blocks inside nav, header, footer or aside.
	Boilerplate bool
	// Hidden marks blocks that a reader does not see, with the reason.
	Hidden HiddenReason
	// Node is the element the block came from (nil for text input).
	Node *html.Node
}

// HiddenReason says why a block is not visible; "" when it is visible.
type HiddenReason string

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

// Link is an anchor with an href.
type Link struct {
	Href string
	// Host is the lower-case host of the resolved href, "" for relative
	// links without a page URL.
	Host string
	// Text is the anchor text, white space collapsed.
	Text string
	// Block is the block holding the anchor text (in Blocks, or in Hidden
	// when Hidden is true), or -1 when it has no text.
	Block int
	// Offset is the byte offset of Text in the buffer of its block.
	Offset int
	Hidden bool
	Rel    string
	Node   *html.Node
}

// Script is an inline script's text, kept for cloaking checks.
type Script struct {
	Type string
	Text string
	Node *html.Node
}

// Page is one parsed input with every view the extractors share.
type Page struct {
	// Format is what the input was read as.
	Format Format
	// URL is the page's address, if known.
	URL *url.URL
	// Truncated reports that the input was cut at the byte, node or text
	// cap; TruncatedBy says which.
	Truncated   bool
	TruncatedBy string
	// Charset is the encoding the input was decoded from.
	Charset string
	// Lang is the declared language (html lang, content-language), lower
	// case, "" when none.
	Lang string

	// Text holds the visible blocks, joined by "\n".
	Text string
	// Blocks are the visible blocks in reading order.
	Blocks []Block
	// HiddenText holds the hidden blocks, joined by "\n".
	HiddenText string
	// Hidden are the blocks a reader does not see.
	Hidden []Block

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
	// Links are all anchors with an href, visible and hidden.
	Links []Link
	// Meta holds <meta> name/property → content (first value wins), lower
	// case keys, and the href of <link rel=canonical> under MetaCanonical.
	Meta map[string]string
	// JSONLD holds the string fields of interest found in JSON-LD blocks,
	// by key ("headline", "datePublished", "author", "publisher", ...).
	JSONLD map[string][]string
	// Scripts are the inline scripts (other than JSON-LD).
	Scripts []Script
	// NoscriptText is the text found inside <noscript> elements.
	NoscriptText string
	// MetaRefresh is the content of a <meta http-equiv=refresh>, if any.
	MetaRefresh string
	// Root is the parsed document for HTML input, nil for text.
	Root *html.Node

	// BodyStart is the index of the first block after the headline area;
	// blocks from it on are the article and what follows.
	BodyStart int

	memo memo
}

// BlockText returns the text of visible block i.
func (p *Page) BlockText(i int) string {
	b := p.Blocks[i]
	return p.Text[b.Start:b.End]
}

// HiddenBlockText returns the text of hidden block i.
func (p *Page) HiddenBlockText(i int) string {
	b := p.Hidden[i]
	return p.HiddenText[b.Start:b.End]
}

// BlockAt returns the index of the visible block holding byte offset off of
// Text, or -1.
func (p *Page) BlockAt(off int) int {
	return blockIndexAt(p.Blocks, off)
}

// MetaCanonical is the key of Page.Meta that holds the href of the page's
// <link rel=canonical>.
const MetaCanonical = "link:canonical"

// Host returns the page URL's lower-case host without "www.", or "".
func (p *Page) Host() string {
	if p.URL == nil {
		return ""
	}
	return trimWWW(p.URL.Hostname())
}

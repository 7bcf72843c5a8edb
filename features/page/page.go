// Package page holds the page model, neutral about what a page is about:
// one input (HTML or plain text), decoded and parsed once, walked once
// into visible text blocks with byte offsets into one text buffer, hidden
// blocks kept apart, links, metadata and JSON-LD, inline scripts, and the
// elements recognised by their role (h1, byline, breadcrumb, time).
//
// What a page says as a news article (its headline, byline, dateline and
// story) is read from it by package article; what a family of extractors
// derives, by the family.
//
// A Page is read-only after Parse (its memo aside, which is safe for
// concurrent use), so it may be read by several goroutines. This package
// must not import the extractors, the detector or the training code.
package page

import (
	"net/url"

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

// Role is what the walk recognised an element as, by its tag or by the
// conventional names in its class, id, itemprop, rel and aria-label.
type Role int

const (
	// RoleH1 is an <h1>.
	RoleH1 Role = iota + 1
	// RoleByline is an element named for a byline or its author
	// ("byline", "author", itemprop=author).
	RoleByline
	// RoleBreadcrumb is an element named for a breadcrumb trail.
	RoleBreadcrumb
	// RoleTime is a <time> element.
	RoleTime
	// RoleAuthorLink is an <a rel=author>.
	RoleAuthorLink
	// RoleAuthorHref is a <link rel=author> in the head: Text is its href.
	RoleAuthorHref
)

// Marked is a visible element the walk recognised by its role, in
// document order, with its text and where that text sits.
type Marked struct {
	Role Role
	// Text is the element's text, white space collapsed (for
	// RoleAuthorHref, the href).
	Text string
	// Block is the visible block holding Text, or -1.
	Block int
	// Offset is the byte offset of Text in Page.Text.
	Offset int
	// Datetime is a <time> element's datetime (or content) attribute.
	Datetime string
	Node     *html.Node
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

	// Marked are the visible elements recognised by their role (h1,
	// byline, breadcrumb, time), in document order.
	Marked []Marked
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

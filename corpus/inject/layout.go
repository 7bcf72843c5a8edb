package inject

import (
	"bytes"
	"sort"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// layout is where a page's bytes can take an insertion, found in one pass
// of the HTML tokenizer over the source (so that markup inside scripts,
// comments and attributes is never mistaken for a tag). Offsets index the
// source bytes; -1 means "not found".
type layout struct {
	// headOpenEnd is just after the <head> start tag; headClose is at
	// the </head> end tag and headCloseEnd just after it.
	headOpenEnd, headClose, headCloseEnd int
	// bodyOpenEnd is just after the <body> start tag; bodyClose is at the
	// </body> end tag (at </html> or the end of the input when there is
	// none).
	bodyOpenEnd, bodyClose int
	// htmlClose is at the </html> end tag.
	htmlClose int
	// footerClose is at the last </footer> end tag.
	footerClose int
	// title is the span of the <title> element's text.
	title span
	// paragraphs are the content paragraphs: <p> elements outside
	// navigation, header, footer and aside with minParagraphWords words
	// or more, in document order.
	paragraphs []paragraph
}

// span is a half-open byte range of the source.
type span struct{ start, end int }

// paragraph is one content paragraph: the span of its inner HTML and the
// spans of its text outside links, where a word boundary can take an
// anchor.
type paragraph struct {
	inner span
	words int
	texts []span
}

// minParagraphWords is how many words a <p> needs to count as content.
const minParagraphWords = 15

// scanLayout tokenises body once and records the insertion points.
func scanLayout(body []byte) layout {
	l := layout{headOpenEnd: -1, headClose: -1, headCloseEnd: -1, bodyOpenEnd: -1, bodyClose: -1, htmlClose: -1, footerClose: -1, title: span{-1, -1}}
	z := html.NewTokenizer(bytes.NewReader(body))
	pos := 0
	boiler := 0 // depth of nav, header, footer, aside
	inA := 0
	var cur *paragraph
	inTitle := false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		start := pos
		pos += len(raw)
		switch tt {
		case html.StartTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			switch a {
			case atom.Head:
				if l.headOpenEnd < 0 {
					l.headOpenEnd = pos
				}
			case atom.Body:
				if l.bodyOpenEnd < 0 {
					l.bodyOpenEnd = pos
				}
			case atom.Title:
				if l.title.start < 0 && tt == html.StartTagToken {
					inTitle = true
					l.title = span{pos, pos}
				}
			case atom.Nav, atom.Header, atom.Footer, atom.Aside:
				if tt == html.StartTagToken {
					boiler++
				}
			case atom.A:
				if tt == html.StartTagToken {
					inA++
				}
			case atom.P:
				if tt == html.StartTagToken && boiler == 0 {
					cur = &paragraph{inner: span{pos, -1}}
				}
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			switch atom.Lookup(name) {
			case atom.Head:
				if l.headClose < 0 {
					l.headClose, l.headCloseEnd = start, pos
				}
			case atom.Body:
				l.bodyClose = start
			case atom.Html:
				l.htmlClose = start
			case atom.Title:
				inTitle = false
			case atom.Footer:
				l.footerClose = start
				boiler = max(0, boiler-1)
			case atom.Nav, atom.Header, atom.Aside:
				boiler = max(0, boiler-1)
			case atom.A:
				inA = max(0, inA-1)
			case atom.P:
				if cur != nil {
					cur.inner.end = start
					if cur.words >= minParagraphWords {
						l.paragraphs = append(l.paragraphs, *cur)
					}
					cur = nil
				}
			}
		case html.TextToken:
			if inTitle {
				l.title.end = pos
				continue
			}
			if cur != nil {
				if n := countWords(string(raw)); n > 0 {
					cur.words += n
					if inA == 0 {
						cur.texts = append(cur.texts, span{start, pos})
					}
				}
			}
		}
	}
	switch {
	case l.bodyClose >= 0:
	case l.htmlClose >= 0:
		l.bodyClose = l.htmlClose
	default:
		l.bodyClose = len(body)
	}
	if l.title.end < l.title.start {
		l.title = span{-1, -1}
	}
	return l
}

// countWords counts the runs of letters and digits of s.
func countWords(s string) int {
	n := 0
	in := false
	for _, r := range s {
		w := r > ' ' && !strings.ContainsRune(".,;:!?()[]{}\"'«»„“”‘’—–-/|<>&", r)
		if w && !in {
			n++
		}
		in = w
	}
	return n
}

// edit replaces source[start:end] with text (an insertion when start ==
// end).
type edit struct {
	start, end int
	text       string
}

// apply makes the edits (which must not overlap) on a copy of body.
func apply(body []byte, edits []edit) []byte {
	sort.SliceStable(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
	var b bytes.Buffer
	b.Grow(len(body) + 4096)
	at := 0
	for _, e := range edits {
		if e.start < at {
			continue // overlapping edits are a bug in the caller; keep the first
		}
		b.Write(body[at:e.start])
		b.WriteString(e.text)
		at = e.end
	}
	b.Write(body[at:])
	return b.Bytes()
}

// footerEnd is where the end of the page's footer is: its last </footer>,
// else the end of the body.
func (l layout) footerEnd() int {
	if l.footerClose >= 0 {
		return l.footerClose
	}
	return l.bodyClose
}

// headEnd is where an element of <head> can go: before </head>, else right
// after <head>, else before the body.
func (l layout) headEnd() int {
	switch {
	case l.headClose >= 0:
		return l.headClose
	case l.headOpenEnd >= 0:
		return l.headOpenEnd
	}
	return 0
}

// bodyStart is just inside the body; for a page that leaves its <body>
// tag out, just after </head>, else the start of the input.
func (l layout) bodyStart() int {
	switch {
	case l.bodyOpenEnd >= 0:
		return l.bodyOpenEnd
	case l.headCloseEnd >= 0:
		return l.headCloseEnd
	}
	return 0
}

// afterParagraph is just after paragraph i's end tag.
func (l layout) afterParagraph(body []byte, i int) int {
	end := l.paragraphs[i].inner.end
	if k := bytes.IndexByte(body[end:], '>'); k >= 0 {
		return end + k + 1
	}
	return end
}

package injected

import (
	"strings"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// shadow is markup readers never see but crawlers read: the contents of
// <noscript> (the parser runs with scripting on, so it is raw text) and
// the HTML an inline script writes into the page (document.write,
// innerHTML, insertAdjacentHTML), with its words, spam terms and links.
// Offsets index text, the field's whole text: Page.NoscriptText, or the
// script's text.
type shadow struct {
	field string
	text  string
	// lower is text's lower-case copy, which toks index.
	lower string
	// node is the script element (nil for <noscript>).
	node *html.Node
	// words counts the words outside tags; textStart and textEnd span
	// them.
	words              int
	textStart, textEnd int
	hits               []hit
	links              []shadowLink
}

// shadowLink is one <a href> of shadow markup.
type shadowLink struct {
	// start and end span the anchor text in the shadow's text (equal
	// when it has none).
	start, end int
	linkInfo
}

type shadowKey struct{}

// shadowsOf returns the page's shadow markup, read once.
func shadowsOf(p *page.Page, v *view) []shadow {
	return p.Memo(shadowKey{}, func(p *page.Page) any { return readShadows(p, v) }).([]shadow)
}

// writeCalls are the script calls that write markup into the page.
var writeCalls = []string{"document.write(", "document.writeln(", ".innerHTML", ".insertAdjacentHTML("}

// maxShadowBytes caps the markup read from one script.
const maxShadowBytes = 64 << 10

func readShadows(p *page.Page, v *view) []shadow {
	var out []shadow
	if ns := p.NoscriptText; lettersOutsideTags(ns) > 0 {
		out = append(out, readShadow(fieldNoscript, ns, nil, [][2]int{{0, len(ns)}}, v))
	}
	for _, s := range p.Scripts {
		var spans [][2]int
		read := 0
		for _, call := range writeCalls {
			for off := 0; off < len(s.Text); {
				k := strings.Index(s.Text[off:], call)
				if k < 0 {
					break
				}
				k += off
				off = k + len(call)
				if qs, qe, ok := stringAfter(s.Text, off); ok && read < maxShadowBytes {
					spans = append(spans, [2]int{qs, qe})
					read += qe - qs
					off = qe
				}
			}
		}
		if len(spans) > 0 {
			out = append(out, readShadow(fieldScript, s.Text, s.Node, spans, v))
		}
	}
	return out
}

// stringAfter finds the first string literal within a few bytes after off
// (past "(", "=", "+=", spaces and a position argument such as
// "'beforeend', ") and returns the span of its contents.
func stringAfter(text string, off int) (int, int, bool) {
	i := off
	for skipped := 0; skipped < 2; skipped++ {
		start, end, ok := stringLiteralAt(text, skipBytes(text, i, off+40, " \t\n(=+"))
		if !ok {
			return 0, 0, false
		}
		if strings.ContainsRune(text[start:end], '<') || end-start > 20 {
			return start, end, true
		}
		// A short argument without markup ("beforeend"): the markup is
		// the next one.
		i = skipBytes(text, end+1, len(text), ", ")
	}
	return 0, 0, false
}

// unescapeCloseTags turns the close tags a script string escapes for the
// HTML parser ("<\/a>") into close tags the tokenizer reads ("</a> "),
// keeping every byte offset: the backslash is dropped and a space put
// after the tag's '>'.
func unescapeCloseTags(s string) string {
	if !strings.Contains(s, `<\/`) {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] != '<' || b[i+1] != '\\' || b[i+2] != '/' {
			continue
		}
		end := strings.IndexByte(s[i:min(len(s), i+40)], '>')
		if end < 0 {
			continue
		}
		end += i
		copy(b[i+1:end], b[i+2:end+1]) // "</a>" over "<\/a"
		b[end] = ' '
		i = end
	}
	return string(b)
}

// readShadow tokenises the markup in the spans of text: words and spam
// terms of its text, and its links resolved against the page's site.
func readShadow(field, text string, node *html.Node, spans [][2]int, v *view) shadow {
	sh := shadow{field: field, text: text, node: node, lower: lowerSameLength(text, ""), textStart: -1, textEnd: -1}
	for _, sp := range spans {
		z := html.NewTokenizer(strings.NewReader(unescapeCloseTags(text[sp[0]:sp[1]])))
		pos := sp[0]
		open := -1 // index in sh.links of the <a> being read
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			raw := z.Raw()
			start := pos
			pos += len(raw)
			switch tt {
			case html.StartTagToken:
				name, hasAttr := z.TagName()
				if atom.Lookup(name) != atom.A {
					continue
				}
				open = -1 // a new anchor ends the one before
				if !hasAttr {
					continue
				}
				for {
					k, val, more := z.TagAttr()
					if string(k) == "href" {
						href := strings.Trim(string(val), `\"' `)
						if h, web := page.HrefHost(href); web {
							sh.links = append(sh.links, shadowLink{start: pos, end: pos, linkInfo: resolveHost(h, v.site)})
							open = len(sh.links) - 1
						}
						break
					}
					if !more {
						break
					}
				}
			case html.EndTagToken:
				if name, _ := z.TagName(); atom.Lookup(name) == atom.A {
					open = -1
				}
			case html.TextToken:
				n := lexis.WordCount(string(raw))
				if n == 0 {
					continue
				}
				sh.words += n
				if sh.textStart < 0 {
					sh.textStart = start
				}
				sh.textEnd = pos
				toks := tokensOf(text, sh.lower, start, pos)
				sh.hits = spamVocabulary.find(sh.hits, sh.lower, toks)
				if open >= 0 {
					// The anchor text without the white space around it.
					ts, te := start, pos
					for ts < te && isSpaceByte(text[ts]) {
						ts++
					}
					for te > ts && isSpaceByte(text[te-1]) {
						te--
					}
					l := &sh.links[open]
					if l.end == l.start {
						l.start = ts
					}
					l.end = te
				}
			}
		}
	}
	for i := range sh.links {
		l := &sh.links[i]
		if l.external && !l.benign {
			l.keyword = keywordAnchor(text[l.start:l.end], &l.linkInfo)
		}
	}
	return sh
}

// linkAt returns the link of a shadow whose anchor text covers offset
// off, or nil.
func (sh *shadow) linkAt(off int) *shadowLink {
	for i := range sh.links {
		if l := &sh.links[i]; l.start <= off && off < l.end {
			return l
		}
	}
	return nil
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\n' || c == '\t' || c == '\r' }

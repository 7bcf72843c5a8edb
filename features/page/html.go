package page

import (
	"bytes"
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/repack/repack/features/lexis"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxParseDepth is how deep buildHTML lets elements nest before it
// flattens the input: x/net/html refuses documents past 512 open elements.
const maxParseDepth = 400

// buildHTML parses text once with goquery and walks the tree once,
// filling the page's text buffers, blocks, links, meta, JSON-LD, scripts
// and the element-level candidates.
func buildHTML(p *Page, text []byte) error {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(text))
	if err != nil {
		// The only error x/net/html returns for in-memory input is the
		// open-element cap. Flatten the nesting and parse again.
		flat := flattenNesting(string(text), maxParseDepth)
		doc, err = goquery.NewDocumentFromReader(strings.NewReader(flat))
		if err != nil {
			return errors.New("HTML cannot be parsed even after flattening its nesting: " + err.Error())
		}
		p.Truncated = true
		p.TruncatedBy = joinReason(p.TruncatedBy, "elements nested deeper than 400 were flattened")
	}
	p.Root = doc.Get(0)
	w := newWalker(p)
	w.walk(p.Root)
	w.finish()
	return nil
}

func joinReason(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

// flattenNesting drops start and end tags past depth maxDepth, keeping
// their text, so that a pathologically nested document parses.
func flattenNesting(text string, maxDepth int) string {
	z := html.NewTokenizer(strings.NewReader(text))
	var b strings.Builder
	b.Grow(len(text))
	depth := 0
	dropped := 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return b.String()
		case html.StartTagToken:
			name, _ := z.TagName()
			if voidElement(string(name)) {
				b.Write(z.Raw())
				continue
			}
			if depth >= maxDepth {
				dropped++
				continue
			}
			depth++
		case html.EndTagToken:
			name, _ := z.TagName()
			if voidElement(string(name)) {
				continue
			}
			if dropped > 0 {
				dropped--
				continue
			}
			if depth > 0 {
				depth--
			}
		}
		b.Write(z.Raw())
	}
}

func voidElement(name string) bool {
	switch name {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr":
		return true
	}
	return false
}

// sink accumulates one text buffer (visible or hidden) and its blocks.
type sink struct {
	buf       []byte
	open      bool
	start     int
	needSpace bool
	linkBytes int
	blocks    []Block
	full      bool
}

// pos is the offset the next character will be written at, counting the
// space or newline that will precede it.
func (s *sink) pos() int {
	switch {
	case !s.open && len(s.buf) > 0:
		return len(s.buf) + 1
	case s.open && s.needSpace:
		return len(s.buf) + 1
	}
	return len(s.buf)
}

func (s *sink) writeText(t string, inLink bool) {
	if s.full {
		return
	}
	start := len(s.buf)
	for i := 0; i < len(t); {
		c := t[i]
		var r rune
		size := 1
		if c < utf8.RuneSelf {
			// ASCII fast path: most of every page.
			if c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v' {
				if s.open {
					s.needSpace = true
				}
				i++
				continue
			}
			r = rune(c)
		} else {
			r, size = utf8.DecodeRuneInString(t[i:])
			switch {
			case r == '\u00a0' || unicode.IsSpace(r):
				if s.open {
					s.needSpace = true
				}
				i += size
				continue
			case r == '\u200b' || r == '\u200c' || r == '\u200d' || r == '\ufeff' || r == '\u00ad':
				i += size
				continue
			}
		}
		if !s.open {
			if len(s.buf) > 0 {
				s.buf = append(s.buf, '\n')
			}
			s.open = true
			s.start = len(s.buf)
			s.needSpace = false
			s.linkBytes = 0
			start = len(s.buf)
		}
		if s.needSpace {
			s.buf = append(s.buf, ' ')
			s.needSpace = false
		}
		if size == 1 && c < utf8.RuneSelf {
			s.buf = append(s.buf, c)
		} else {
			s.buf = append(s.buf, t[i:i+size]...)
		}
		i += size
		if len(s.buf) >= MaxTextBytes {
			s.full = true
			break
		}
	}
	if inLink {
		s.linkBytes += len(s.buf) - start
	}
}

func (s *sink) flush(kind BlockKind, level int, boiler bool, hidden HiddenReason, node *html.Node) {
	if !s.open {
		return
	}
	s.open = false
	s.needSpace = false
	text := s.buf[s.start:]
	words := lexis.WordCountBytes(text)
	if kind == KindLine {
		kind = classifyLine(words, text)
	}
	s.blocks = append(s.blocks, Block{
		Kind: kind, Level: level, Start: s.start, End: len(s.buf),
		Words: words, LinkBytes: s.linkBytes, Boilerplate: boiler,
		Hidden: hidden, Node: node,
	})
}

// classifyLine calls a run of text without a paragraph element prose when
// it is long or reads as sentences, a line otherwise.
func classifyLine(words int, text []byte) BlockKind {
	if words >= 25 || (words >= 10 && lexis.EndsSentenceBytes(text)) {
		return KindParagraph
	}
	return KindLine
}

// frame is one element entered by the walker, with what it changed.
type frame struct {
	node      *html.Node
	block     bool
	kind      BlockKind
	level     int
	boiler    bool
	hidden    HiddenReason
	link      int // index into p.Links + 1, or 0
	mark      markKind
	markStart int
	markSink  *sink
}

// markKind is what the walker marks an element as: a Role, or the
// <title> whose text it keeps apart.
type markKind int

const (
	markNone  markKind = 0
	markTitle markKind = -1
)

type walker struct {
	p        *Page
	visible  sink
	hidden   sink
	stack    []frame
	nodes    int
	boiler   int
	hiddenBy []HiddenReason
	inLink   int
	title    string
	noscript strings.Builder
	classes  hiddenClasses
}

func newWalker(p *Page) *walker {
	p.Meta = map[string]string{}
	p.JSONLD = map[string][]string{}
	return &walker{p: p}
}

func (w *walker) cur() *sink {
	if len(w.hiddenBy) > 0 {
		return &w.hidden
	}
	return &w.visible
}

// blockContext returns the kind, level and node of the innermost block
// element open.
func (w *walker) blockContext() (BlockKind, int, *html.Node) {
	for i := len(w.stack) - 1; i >= 0; i-- {
		if w.stack[i].block {
			return w.stack[i].kind, w.stack[i].level, w.stack[i].node
		}
	}
	return KindLine, 0, nil
}

func (w *walker) flush() {
	kind, level, node := w.blockContext()
	s := w.cur()
	var reason HiddenReason
	if len(w.hiddenBy) > 0 {
		reason = w.hiddenBy[len(w.hiddenBy)-1]
	}
	s.flush(kind, level, w.boiler > 0, reason, node)
}

func (w *walker) walk(root *html.Node) {
	n := root
	for n != nil {
		descend := w.enter(n)
		if descend && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != nil {
			w.leave(n)
			if n == root {
				n = nil
				break
			}
			if n.NextSibling != nil {
				n = n.NextSibling
				break
			}
			n = n.Parent
		}
	}
}

// enter handles one node and reports whether to walk its children.
func (w *walker) enter(n *html.Node) bool {
	switch n.Type {
	case html.TextNode:
		if len(w.stack) > 0 && w.stack[len(w.stack)-1].mark == markTitle {
			w.title += n.Data
			return false
		}
		w.cur().writeText(n.Data, w.inLink > 0)
		return false
	case html.DocumentNode:
		return true
	case html.ElementNode:
	default:
		return false
	}
	w.nodes++
	if w.nodes > MaxNodes || len(w.stack) >= MaxDepth {
		if !w.p.Truncated || !strings.Contains(w.p.TruncatedBy, "elements") {
			w.p.Truncated = true
			w.p.TruncatedBy = joinReason(w.p.TruncatedBy, "element cap reached; the rest of the document was not analysed")
		}
		return false
	}
	switch n.DataAtom {
	case atom.Script:
		w.script(n)
		return false
	case atom.Noscript:
		w.noscriptText(n)
		return false
	case atom.Style:
		if n.FirstChild != nil {
			w.classes.addRules(n.FirstChild.Data)
		}
		return false
	case atom.Template, atom.Svg, atom.Math, atom.Iframe, atom.Object, atom.Embed, atom.Canvas,
		atom.Video, atom.Audio, atom.Select, atom.Option, atom.Textarea, atom.Input, atom.Button, atom.Datalist:
		return false
	case atom.Meta:
		w.meta(n)
		return false
	case atom.Link:
		switch rel := strings.ToLower(strings.TrimSpace(Attr(n, "rel"))); rel {
		case "author":
			if h := Attr(n, "href"); h != "" {
				w.p.Marked = append(w.p.Marked, Marked{Role: RoleAuthorHref, Text: h, Block: -1, Node: n})
			}
		case "canonical":
			if h := strings.TrimSpace(Attr(n, "href")); h != "" && w.p.Meta[MetaCanonical] == "" {
				w.p.Meta[MetaCanonical] = h
			}
		}
		return false
	case atom.Html:
		if lang := Attr(n, "lang"); lang != "" {
			w.p.Lang = normLang(lang)
		}
	case atom.Br:
		w.flush()
		return false
	case atom.Img, atom.Hr:
		if n.DataAtom == atom.Hr {
			w.flush()
		}
		return false
	}

	f := frame{node: n}
	if reason := w.hiddenReason(n); reason != "" {
		w.flush()
		w.hiddenBy = append(w.hiddenBy, reason)
		f.hidden = reason
	}
	if kind, level, ok := blockElement(n.DataAtom); ok {
		w.flush()
		f.block, f.kind, f.level = true, kind, level
	}
	switch n.DataAtom {
	case atom.Nav, atom.Header, atom.Footer, atom.Aside:
		f.boiler = true
	}
	if role := Attr(n, "role"); role == "navigation" || role == "contentinfo" || role == "banner" || role == "complementary" {
		f.boiler = true
	}
	if f.boiler {
		w.boiler++
	}
	switch n.DataAtom {
	case atom.Title:
		if w.title == "" && !insideSVG(n) {
			f.mark = markTitle
		}
	case atom.H1:
		f.mark = markKind(RoleH1)
	case atom.Time:
		f.mark = markKind(RoleTime)
	case atom.A:
		if href := Attr(n, "href"); href != "" {
			w.p.Links = append(w.p.Links, Link{Href: href, Rel: Attr(n, "rel"), Node: n, Block: -1, Hidden: len(w.hiddenBy) > 0})
			f.link = len(w.p.Links)
			w.inLink++
			if strings.Contains(Attr(n, "rel"), "author") {
				f.mark = markKind(RoleAuthorLink)
			}
		}
	}
	if f.mark == markNone {
		f.mark = classMark(n)
	}
	if f.mark != markNone && f.mark != markTitle {
		f.markSink = w.cur()
		f.markStart = f.markSink.pos()
	}
	if f.link > 0 {
		f.markSink = w.cur()
		f.markStart = f.markSink.pos()
	}
	w.stack = append(w.stack, f)
	return true
}

func (w *walker) leave(n *html.Node) {
	if len(w.stack) == 0 || w.stack[len(w.stack)-1].node != n {
		return
	}
	f := w.stack[len(w.stack)-1]
	if f.link > 0 {
		w.inLink--
		w.finishLink(f)
	}
	if f.mark != markNone && f.mark != markTitle {
		w.finishMark(f)
	}
	if f.block || f.hidden != "" {
		w.flush()
	}
	if f.boiler {
		w.boiler--
	}
	if f.hidden != "" {
		w.hiddenBy = w.hiddenBy[:len(w.hiddenBy)-1]
	}
	w.stack = w.stack[:len(w.stack)-1]
}

// markedText returns the text written to s since start, trimmed, and its
// offset.
func markedText(s *sink, start int) (string, int) {
	if start >= len(s.buf) {
		return "", start
	}
	t := string(s.buf[start:])
	trimmed := strings.TrimLeft(t, " \n")
	off := start + len(t) - len(trimmed)
	return strings.TrimRight(trimmed, " \n"), off
}

func (w *walker) finishLink(f frame) {
	l := &w.p.Links[f.link-1]
	text, off := markedText(f.markSink, f.markStart)
	l.Text = text
	l.Offset = off // the block index is found in finish, once blocks are final
}

// finishMark records a visible marked element with its text; the block
// holding it is found in finish, once blocks are final.
func (w *walker) finishMark(f frame) {
	text, off := markedText(f.markSink, f.markStart)
	if f.markSink != &w.visible {
		return
	}
	m := Marked{Role: Role(f.mark), Text: text, Block: -2, Offset: off, Node: f.node}
	if m.Role == RoleTime {
		m.Datetime = Attr(f.node, "datetime")
		if m.Datetime == "" {
			m.Datetime = Attr(f.node, "content")
		}
	}
	w.p.Marked = append(w.p.Marked, m)
}

func insideSVG(n *html.Node) bool {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.DataAtom == atom.Svg {
			return true
		}
	}
	return false
}

// classMark recognises bylines and breadcrumbs by the conventional class,
// id, itemprop, rel and aria-label values.
func classMark(n *html.Node) markKind {
	var class, id, itemprop, aria string
	for _, a := range n.Attr {
		switch a.Key {
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		case "itemprop":
			itemprop = a.Val
		case "aria-label":
			aria = a.Val
		}
	}
	if class == "" && id == "" && itemprop == "" && aria == "" {
		return markNone
	}
	if itemprop == "author" {
		return markKind(RoleByline)
	}
	// One lower-cased copy of the names, on the stack, searched with the
	// fast substring search.
	var buf [192]byte
	names := lowerInto(buf[:0], class, id, aria)
	switch {
	case bytes.Contains(names, []byte("breadcrumb")):
		return markKind(RoleBreadcrumb)
	case bytes.Contains(names, []byte("byline")):
		return markKind(RoleByline)
	case bytes.Contains(names, []byte("author")) && !bytes.Contains(names, []byte("authorize")) && len(n.Attr) < 6 && isInlineOrSmall(n):
		return markKind(RoleByline)
	}
	return markNone
}

// lowerInto appends the ASCII-lower-cased strings to dst, separated by
// spaces, up to dst's capacity.
func lowerInto(dst []byte, ss ...string) []byte {
	for _, s := range ss {
		for i := 0; i < len(s) && len(dst) < cap(dst); i++ {
			c := s[i]
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
		}
		if len(dst) < cap(dst) {
			dst = append(dst, ' ')
		}
	}
	return dst
}

// isInlineOrSmall limits class-based author marks to elements that are not
// whole sections (an "author-bio" box holds paragraphs).
func isInlineOrSmall(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Section, atom.Article, atom.Aside, atom.Footer, atom.Ul, atom.Ol, atom.Main:
		return false
	}
	return true
}

func (w *walker) meta(n *html.Node) {
	var name, content, httpEquiv, charsetAttr string
	for _, a := range n.Attr {
		switch a.Key {
		case "name", "property", "itemprop":
			if name == "" {
				name = strings.ToLower(strings.TrimSpace(a.Val))
			}
		case "content":
			content = strings.TrimSpace(a.Val)
		case "http-equiv":
			httpEquiv = strings.ToLower(strings.TrimSpace(a.Val))
		case "charset":
			charsetAttr = a.Val
		}
	}
	_ = charsetAttr
	switch httpEquiv {
	case "refresh":
		w.p.MetaRefresh = content
	case "content-language":
		if w.p.Lang == "" {
			w.p.Lang = normLang(content)
		}
	}
	if name == "" || content == "" {
		return
	}
	if _, ok := w.p.Meta[name]; !ok {
		w.p.Meta[name] = collapseSpace(content)
	}
}

func (w *walker) script(n *html.Node) {
	if n.FirstChild == nil {
		return
	}
	typ := strings.ToLower(strings.TrimSpace(Attr(n, "type")))
	text := n.FirstChild.Data
	if typ == "application/ld+json" {
		readJSONLD(w.p.JSONLD, text)
		return
	}
	if typ != "" && !strings.Contains(typ, "javascript") && typ != "module" {
		return
	}
	const maxScript = 64 << 10
	if len(text) > maxScript {
		text = text[:maxScript]
	}
	if len(w.p.Scripts) < 200 {
		w.p.Scripts = append(w.p.Scripts, Script{Type: typ, Text: text, Node: n})
	}
}

func (w *walker) noscriptText(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.TextNode && w.noscript.Len() < 64<<10 {
			w.noscript.WriteString(c.Data)
			w.noscript.WriteByte('\n')
		}
	}
}

// finish closes the buffers and stores them on the page.
func (w *walker) finish() {
	w.visible.flush(KindLine, 0, false, "", nil)
	w.hidden.flush(KindLine, 0, false, "hidden", nil)
	if w.visible.full || w.hidden.full {
		w.p.Truncated = true
		w.p.TruncatedBy = joinReason(w.p.TruncatedBy, "text cut at the text cap")
	}
	w.p.Text = string(w.visible.buf)
	w.p.Blocks = w.visible.blocks
	w.p.HiddenText = string(w.hidden.buf)
	w.p.Hidden = w.hidden.blocks
	w.p.NoscriptText = w.noscript.String()
	w.p.Meta["title"] = collapseSpace(w.title)
	// Fix block indexes of marked elements and links now that blocks are
	// final.
	for i := range w.p.Marked {
		if m := &w.p.Marked[i]; m.Block == -2 {
			m.Block = w.p.BlockAt(m.Offset)
		}
	}
	for i := range w.p.Links {
		l := &w.p.Links[i]
		if l.Text == "" {
			l.Block = -1
			continue
		}
		blocks := w.p.Blocks
		if l.Hidden {
			blocks = w.p.Hidden
		}
		l.Block = blockIndexAt(blocks, l.Offset)
	}
}

func blockIndexAt(blocks []Block, off int) int {
	lo, hi := 0, len(blocks)
	for lo < hi {
		mid := (lo + hi) / 2
		switch {
		case off < blocks[mid].Start:
			hi = mid
		case off >= blocks[mid].End:
			lo = mid + 1
		default:
			return mid
		}
	}
	return -1
}

// blockElement reports whether an element starts a block, and of which
// kind.
func blockElement(a atom.Atom) (BlockKind, int, bool) {
	switch a {
	case atom.H1:
		return KindHeading, 1, true
	case atom.H2:
		return KindHeading, 2, true
	case atom.H3:
		return KindHeading, 3, true
	case atom.H4:
		return KindHeading, 4, true
	case atom.H5:
		return KindHeading, 5, true
	case atom.H6:
		return KindHeading, 6, true
	case atom.P:
		return KindParagraph, 0, true
	case atom.Li, atom.Dt, atom.Dd:
		return KindListItem, 0, true
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Body, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer,
		atom.Form, atom.Header, atom.Hgroup, atom.Html, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.Pre,
		atom.Section, atom.Summary, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr, atom.Td,
		atom.Th, atom.Ul, atom.Caption, atom.Legend, atom.Label:
		return KindLine, 0, true
	}
	return 0, 0, false
}

// Attr returns the value of an element's attribute, "" when it has none.
func Attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func normLang(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	if i := strings.IndexAny(s, "-_,; "); i > 0 {
		s = s[:i]
	}
	return s
}

func collapseSpace(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

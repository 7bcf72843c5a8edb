package synth

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Small DOM edits for hard negatives, which keep the source's markup and
// add to it.

// findElement returns the first element of type a under n, depth first.
func findElement(n *html.Node, a atom.Atom) *html.Node {
	if n.Type == html.ElementNode && n.DataAtom == a {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := findElement(c, a); f != nil {
			return f
		}
	}
	return nil
}

// findAll returns every element of type a under n, in document order.
func findAll(n *html.Node, a atom.Atom) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.DataAtom == a {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func setAttr(n *html.Node, key, val string) {
	for i, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			n.Attr[i].Val = val
			return
		}
	}
	n.Attr = append(n.Attr, html.Attribute{Key: key, Val: val})
}

// prependText puts s before the first non-blank text under n (so that it
// joins the element's visible text), or as n's first child when n has no
// text. It reports false for a nil node.
func prependText(n *html.Node, s string) bool {
	if n == nil {
		return false
	}
	var first *html.Node
	var walk func(*html.Node) bool
	walk = func(c *html.Node) bool {
		if c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" {
			first = c
			return true
		}
		if c.Type == html.ElementNode && (c.DataAtom == atom.Script || c.DataAtom == atom.Style) {
			return false
		}
		for k := c.FirstChild; k != nil; k = k.NextSibling {
			if walk(k) {
				return true
			}
		}
		return false
	}
	if walk(n) {
		lead := len(first.Data) - len(strings.TrimLeft(first.Data, " \t\r\n"))
		first.Data = first.Data[:lead] + s + first.Data[lead:]
		return true
	}
	n.InsertBefore(&html.Node{Type: html.TextNode, Data: s}, n.FirstChild)
	return true
}

// element makes <tag class="class">text</tag>.
func element(a atom.Atom, class, text string) *html.Node {
	n := &html.Node{Type: html.ElementNode, DataAtom: a, Data: a.String()}
	if class != "" {
		n.Attr = []html.Attribute{{Key: "class", Val: class}}
	}
	if text != "" {
		n.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	}
	return n
}

func insertBefore(ref, n *html.Node) {
	if ref.Parent != nil {
		ref.Parent.InsertBefore(n, ref)
	}
}

func insertAfter(ref, n *html.Node) {
	if ref.Parent != nil {
		ref.Parent.InsertBefore(n, ref.NextSibling)
	}
}

// normaliseCharset makes the page declare UTF-8, the encoding the
// rendered tree is written in: the source may declare the encoding it
// was transcoded from.
func normaliseCharset(root *html.Node) {
	for _, m := range findAll(root, atom.Meta) {
		if attr(m, "charset") != "" {
			setAttr(m, "charset", "utf-8")
		}
		if strings.EqualFold(attr(m, "http-equiv"), "content-type") {
			setAttr(m, "content", "text/html; charset=utf-8")
		}
	}
}

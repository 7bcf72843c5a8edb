package injected

import (
	"strings"

	"github.com/repack/repack/features/page"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Limits of a site menu.
const (
	// menuMinLinks is how many web links a list needs to be a menu.
	menuMinLinks = 3
	// navLabelMaxWords is the longest hidden text outside a link that
	// reads as a menu's label ("Betting", "More sections").
	navLabelMaxWords = 4
)

// menus tells which links sit in the site's own menus: a list (a list
// element, a table, a <nav>, or an element whose class or id says menu or
// nav) of three or more web links, of which at least half lead to the
// page's own site, or which lies in the site's header or navigation. News
// and shop sites name their sections there, betting and casino sections
// included, and link their network's sites and a partner or two among
// them. What an injection plants is a bare run of links to other sites,
// a list of them outside the site's navigation, or a link in a paragraph.
// It is asked only about links that hold a spam term, so it climbs the DOM
// only for them, and remembers each list it has judged. One menus serves
// one extractor run: it is not safe for concurrent use.
type menus struct {
	p      *page.Page
	v      *view
	judged map[*html.Node]bool
}

func newMenus(p *page.Page, v *view) *menus { return &menus{p: p, v: v} }

// has reports whether link i of the page sits in a site menu. The list
// judged is the link's nearest container with three or more web links; a
// drop-down nested in a menu's item is judged with the whole menu.
func (m *menus) has(i int) bool {
	for c := container(m.p.Links[i].Node); c != nil; c = container(c) {
		switch c.DataAtom {
		case atom.P, atom.Article, atom.Main, atom.Body:
			// A link in prose, or a list that is the whole page.
			return false
		}
		if m.judged == nil {
			m.judged = map[*html.Node]bool{}
		}
		if ok, seen := m.judged[c]; seen {
			return ok
		}
		own, total := m.v.linksUnder(c)
		if total < menuMinLinks {
			continue
		}
		ok := false
		if listLike(c) {
			if top := outerList(c); top != c {
				own, total = m.v.linksUnder(top)
			}
			ok = 2*own >= total || inSiteNav(c)
		}
		m.judged[c] = ok
		return ok
	}
	return false
}

// listLike reports whether an element groups links the way menus do: a
// list, a table, a <nav>, or an element whose class or id says menu or
// nav.
func listLike(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Ul, atom.Ol, atom.Menu, atom.Nav, atom.Dl, atom.Table, atom.Select:
		return true
	}
	return namedLike(n, "menu", "nav")
}

// namedLike reports whether an element's class, id or role contains one
// of the words.
func namedLike(n *html.Node, words ...string) bool {
	for _, a := range n.Attr {
		if a.Key != "class" && a.Key != "id" && a.Key != "role" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, w := range words {
			if strings.Contains(v, w) {
				return true
			}
		}
	}
	return false
}

// outerList returns the outermost list a list element is nested in, or n
// itself.
func outerList(n *html.Node) *html.Node {
	top := n
	if n.DataAtom != atom.Ul && n.DataAtom != atom.Ol && n.DataAtom != atom.Menu {
		return n
	}
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		switch a.DataAtom {
		case atom.Ul, atom.Ol, atom.Menu:
			top = a
		case atom.Body:
			return top
		}
	}
	return top
}

// inSiteNav reports whether n lies in the site's header or navigation: a
// <nav> or <header>, an element whose class, id or role says nav, header
// or banner. The site links its sections and its network's sites there;
// injections are planted elsewhere (footers, the body's edges, the
// article).
func inSiteNav(n *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		if a.DataAtom == atom.Nav || a.DataAtom == atom.Header || namedLike(a, "nav", "header", "banner") {
			return true
		}
	}
	return false
}

// linksUnder counts the web links under n and those of them that lead to
// the page's own site (relative, or to the same site by sameSite).
func (v *view) linksUnder(n *html.Node) (own, total int) {
	eachWebLink(n, func(h string) {
		total++
		if h == "" || v.site.Domain != "" && sameSite(v.site, page.DomainOf(h), page.LabelOf(page.DomainOf(h))) {
			own++
		}
	})
	return own, total
}

// navLabel reports whether a hidden block is a menu's label: a few words
// in the page's header, footer or navigation, outside any link ("Betting"
// over a drop-down of the site's sections).
func navLabel(b page.Block) bool {
	return b.Boilerplate && b.Words <= navLabelMaxWords && b.LinkBytes == 0
}

package injection

import (
	"fmt"
	"math"
	"sort"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// hiddenLinksMax caps hidden_links.
const hiddenLinksMax = 4

// HiddenLinks counts links a reader cannot see, by how commercial they are.
var HiddenLinks = signal.Extractor{
	Name:   "hidden_links",
	Family: signal.Injected,
	Doc: `Links inside hidden elements, weighted by how commercial their anchors are. ` +
		`The page model marks what a reader does not see (display:none, visibility:hidden, zero size, far off-screen, clipped, ` +
		`the hidden attribute, text the colour of its background, and simple class or id rules of inline style sheets); a hacked ` +
		`footer hides casino and pharma links there. A hidden link counts the spam vocabulary of its anchor as spam_vocabulary weighs ` +
		`it (doubled for a link to another site, at most 3 a link; to the page's own site only spam-specific terms count), and 0.25 ` +
		`more for a keyword anchor to another site hidden by a trick rather than a menu's display:none (off-screen, zero size, clipped, ` +
		`same colour). News sites hide menus of their own and their sister sites' sections: those anchors name places, not ` +
		`keywords, and count nothing. Value: the sum, 0 below 1, capped at 4.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		var r signal.Result
		menus := newMenus(p, v)
		for i, l := range p.Links {
			li := v.links[i]
			if !l.Hidden || !li.web || l.Block < 0 || l.Text == "" || li.benign {
				continue
			}
			reason := p.Hidden[l.Block].Hidden
			w := 0.0
			placement := placeHidden
			if li.external {
				placement = placeOffsite
			}
			for _, h := range v.hid[l.Block].hits {
				if h.start < l.Offset || h.end > l.Offset+len(l.Text) {
					continue
				}
				if !li.external && h.term.weight < strong {
					continue
				}
				w += v.termWeight(h.term, placement)
			}
			w = math.Min(w, 3)
			if li.external && li.keyword && trickHidden(reason) {
				w += 0.25
			}
			if w == 0 || menus.has(i) {
				continue // a drop-down of the site's own menu
			}
			r.Value += w
			if len(r.Evidence) < maxEvidence {
				target := li.host
				if target == "" {
					target = "the same site"
				}
				note := fmt.Sprintf("hidden link to %s (%s)", target, reason)
				r.Evidence = append(r.Evidence, signal.HiddenSpan(p, l.Offset, l.Offset+len(l.Text), l.Node, note))
			}
		}
		if r.Value < 1 {
			return signal.Result{}
		}
		r.Value = math.Min(round2(r.Value), hiddenLinksMax)
		return r
	},
}

// trickHidden reports whether an element is hidden the way injected links
// are and menus are not: pushed off-screen, shrunk to nothing, clipped or
// coloured like its background.
func trickHidden(r page.HiddenReason) bool {
	switch r {
	case page.HiddenOffscreen, page.HiddenZeroSize, page.HiddenClipped, page.HiddenSameColour:
		return true
	}
	return false
}

// anchorSpam weighs the spam terms inside [start, end) of a block: 2 for
// a strong or medium term, 1 for a weak one, the strongest only.
func anchorSpam(hits []hit, start, end int) float64 {
	best := 0.0
	for _, h := range hits {
		if h.start < start || h.end > end {
			continue
		}
		w := 1.0
		if h.term.weight > weak {
			w = 2
		}
		best = math.Max(best, w)
	}
	return best
}

// Limits of link_farm.
const (
	// farmMinDomains is how many unrelated sites one block must link to.
	farmMinDomains = 5
	// farmMaxValue caps the value.
	farmMaxValue = 4
)

// LinkFarm finds blocks of links to many unrelated sites.
var LinkFarm = signal.Extractor{
	Name:   "link_farm",
	Family: signal.Injected,
	Doc: `One block links out to many unrelated sites with keyword anchors. ` +
		`Links are grouped by their block (a list or a table taken whole). A block is a farm when it links to five or more other ` +
		`sites (not the page's own, a social network or web infrastructure), those links make up most of its links, and half of ` +
		`them have keyword anchors ("best payday loans", "cheap jerseys": lower-case search phrases or commercial words, not the ` +
		`target's name) or two carry spam vocabulary. Blogrolls, sister-site footers and partner lists name their targets ("The ` +
		`Guardian" to theguardian.com) and stay quiet. Value for the strongest block: its unrelated sites over 5 times the share of ` +
		`keyword anchors plus the share of spam anchors, capped at 4.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		type farm struct {
			links    []int
			total    int // web links under the container, of every site
			domains  map[string]bool
			keywords int
			spam     int
		}
		// Only links to unrelated sites are grouped by their container
		// (climbing the DOM is what costs here); a candidate container's
		// links of every kind are counted afterwards.
		byNode := map[*html.Node]*farm{}
		var order []*html.Node
		for i, l := range p.Links {
			li := v.links[i]
			if !li.web || !li.external || li.benign {
				continue
			}
			c := container(l.Node)
			if c == nil {
				continue
			}
			f := byNode[c]
			if f == nil {
				f = &farm{domains: map[string]bool{}}
				byNode[c] = f
				order = append(order, c)
			}
			f.links = append(f.links, i)
			f.domains[li.domain] = true
			spam := false
			if l.Block >= 0 {
				hits := v.vis
				if l.Hidden {
					hits = v.hid
				}
				spam = anchorSpam(hits[l.Block].hits, l.Offset, l.Offset+len(l.Text)) >= 2
			}
			if spam {
				f.spam++
			}
			if li.keyword || spam {
				f.keywords++
			}
		}
		for _, c := range order {
			if f := byNode[c]; len(f.domains) >= farmMinDomains {
				f.total = webLinksUnder(c)
			}
		}
		var best *farm
		bestScore := 0.0
		for _, c := range order {
			f := byNode[c]
			n := len(f.domains)
			if n < farmMinDomains || len(f.links)*2 < f.total || f.keywords*2 < len(f.links) && f.spam < 2 {
				continue
			}
			score := float64(n) / farmMinDomains * (float64(f.keywords) + float64(f.spam)) / float64(len(f.links))
			if score > bestScore {
				best, bestScore = f, score
			}
		}
		if best == nil {
			return signal.Result{}
		}
		r := signal.Result{Value: math.Min(round2(bestScore), farmMaxValue)}
		sort.Ints(best.links)
		for _, i := range best.links {
			l := p.Links[i]
			if l.Block < 0 || len(r.Evidence) >= maxEvidence {
				continue
			}
			note := "link to " + v.links[i].host
			if v.links[i].keyword {
				note = "keyword " + note
			}
			var ev signal.Evidence
			if l.Hidden {
				ev = signal.HiddenSpan(p, l.Offset, l.Offset+len(l.Text), l.Node, note)
			} else {
				ev = signal.TextSpan(p, l.Offset, l.Offset+len(l.Text), note)
				ev.Path = page.Path(l.Node)
			}
			r.Evidence = append(r.Evidence, ev)
		}
		return r
	},
}

// webLinksUnder counts the anchors with a web href under n.
func webLinksUnder(n *html.Node) int {
	count := 0
	eachWebLink(n, func(string) { count++ })
	return count
}

// eachWebLink calls fn with the host of every anchor under n whose first
// href is a web link ("" for a relative one).
func eachWebLink(n *html.Node, fn func(host string)) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		if c.DataAtom == atom.A {
			for _, a := range c.Attr {
				if a.Key == "href" {
					if h, web := hrefHost(a.Val); web {
						fn(h)
					}
					break
				}
			}
		}
		eachWebLink(c, fn)
	}
}

package injected

import (
	"math"
	"sort"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

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
					if h, web := page.HrefHost(a.Val); web {
						fn(h)
					}
					break
				}
			}
		}
		eachWebLink(c, fn)
	}
}

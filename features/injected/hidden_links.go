package injected

import (
	"fmt"
	"math"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
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
		`keywords, and count nothing. Accessibility text (a "skip to content" link clipped out of sight) and a hidden cookie banner ` +
		`carry no commercial anchor and count nothing either. Value: the sum, 0 below 1, capped at 4.`,
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

package injected

import (
	"math"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"golang.org/x/net/html"
)

// Limits of spam_vocabulary.
const (
	// vocabMinScore is the weighted count below which the page is quiet:
	// one weak or medium term in passing is no evidence.
	vocabMinScore = 1
	// vocabMaxScore caps the value.
	vocabMaxScore = 4
	// vocabPerTerm is how many occurrences of one term count.
	vocabPerTerm = 3
	// maxEvidence caps the evidence items one extractor returns.
	maxEvidence = 16
)

// SpamVocabulary weighs the spam trade's vocabulary against the page's own
// topic.
var SpamVocabulary = signal.Extractor{
	Name:   "spam_vocabulary",
	Family: signal.Injected,
	Doc: `Gambling, pharma, loan, replica, adult or scam vocabulary the page's topic does not explain. ` +
		`Terms in English and the common Indonesian, Japanese and Chinese spam terms ("slot gacor", "situs judi", "togel", "buy ` +
		`viagra", "replica watches", "スーパーコピー", "娱乐城"), each weighted: 1 for promotional or spam-specific terms, 0.5 for the ` +
		`trade's names ("online casino", "cialis"), 0.2 for its plain words ("casino", "loan"), which count only in hidden text and ` +
		`anchors; the trade's names count half in visible prose. A term in hidden text counts 1.5 times, in an anchor to another site ` +
		`twice. A category the page is about (its headline or ` +
		`several of its paragraphs use it) drops its plain words and keeps a fifth of its names; a site whose host or name is in the ` +
		`trade (a casino, a pharmacy, a lender) keeps a tenth of everything. At most three occurrences of one term count. Value: the ` +
		`weighted count, 0 below 1, capped at 4.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		var r signal.Result
		counted := map[*termInfo]int{}
		add := func(h hit, placement float64, ev func(note string) signal.Evidence, where string) {
			w := v.termWeight(h.term, placement)
			if w == 0 || counted[h.term] >= vocabPerTerm {
				return
			}
			counted[h.term]++
			r.Value += w
			if len(r.Evidence) < maxEvidence {
				r.Evidence = append(r.Evidence, ev(h.term.cat.String()+" term"+where))
			}
		}
		if t := p.Meta["title"]; t != "" {
			for _, h := range v.titleHits {
				add(h, 1, func(note string) signal.Evidence {
					return signal.FieldSpan(signal.FieldTitle, t, h.start, h.end, nil, note)
				}, " in the title")
			}
		}
		anchors := &anchors{p: p, v: v}
		menus := newMenus(p, v)
		for bi, b := range v.vis {
			for _, h := range b.hits {
				placement, where := 1.0, ""
				var link *html.Node // the anchor holding the term, if any
				if li := anchors.at(bi, h.start, false); li >= 0 {
					link = p.Links[li].Node
					if menus.has(li) {
						continue // the site's own menu names its sections
					}
					switch {
					case v.links[li].external && !v.links[li].benign:
						placement, where = placeOffsite, " in an anchor to "+v.links[li].host
					case !v.links[li].external:
						// The site names its own pages: its guides and
						// sections, whatever their trade.
						placement, where = placeOwn, " in a link to the same site"
					default:
						where = " in a link"
					}
				}
				add(h, placement, func(note string) signal.Evidence {
					ev := signal.TextSpan(p, h.start, h.end, note)
					if link != nil {
						ev.Path = page.Path(link) // the anchor, not its block
					}
					return ev
				}, where)
			}
		}
		for bi, b := range v.hid {
			for _, h := range b.hits {
				li := anchors.at(bi, h.start, true)
				if li >= 0 && menus.has(li) || li < 0 && navLabel(p.Hidden[bi]) {
					continue // a drop-down of the site's own menu
				}
				node := p.Hidden[bi].Node
				if li >= 0 {
					node = p.Links[li].Node // the anchor, not its block
				}
				placement := placeHidden
				if li >= 0 && !v.links[li].external {
					placement = placeHidden * placeOwn
				}
				add(h, placement, func(note string) signal.Evidence {
					return signal.HiddenSpan(p, h.start, h.end, node, note)
				}, " in hidden text ("+string(p.Hidden[bi].Hidden)+")")
			}
		}
		// Markup only crawlers read: <noscript>, and what scripts write.
		for si := range shadowsOf(p, v) {
			sh := &shadowsOf(p, v)[si]
			where := " in <noscript>"
			if sh.field == fieldScript {
				where = " written by a script"
			}
			for _, h := range sh.hits {
				placement := placeHidden
				if l := sh.linkAt(h.start); l != nil && l.external && !l.benign {
					placement = placeOffsite
				} else if l != nil && !l.external {
					placement = placeHidden * placeOwn
				}
				add(h, placement, func(note string) signal.Evidence {
					return signal.FieldSpan(sh.field, sh.text, h.start, h.end, sh.node, note)
				}, where)
			}
		}
		if r.Value < vocabMinScore {
			return signal.Result{}
		}
		r.Value = math.Min(round2(r.Value), vocabMaxScore)
		return r
	},
}

// Placements of a term: visible prose and the title count once; hidden
// text half again; an anchor to another site double; an anchor to the
// page's own site a tenth.
const (
	placeProse   = 1.0
	placeHidden  = 1.5
	placeOffsite = 2.0
	placeOwn     = 0.1
)

// termWeight is a term's weight at a placement, after the page's topic
// and the site's trade are taken into account. Weak terms count only
// hidden or in anchors to other sites; medium terms count half in prose.
func (v *view) termWeight(t *termInfo, placement float64) float64 {
	w := t.weight
	if placement <= placeProse && t.weight == medium {
		w *= 0.5
	}
	if v.topic[t.cat] {
		switch t.weight {
		case weak:
			w = 0
		case medium:
			w *= 0.2
		}
	}
	if t.weight == weak && placement <= placeProse {
		w = 0
	}
	if v.siteTrade[t.cat] {
		w *= 0.1
	}
	return w * placement
}

func round2(x float64) float64 { return math.Round(x*100) / 100 }

// anchors finds the link whose anchor text covers an offset of a visible
// or hidden block. Its index is built on first use: most pages have no
// spam term to place.
type anchors struct {
	p        *page.Page
	v        *view
	vis, hid map[int][]int
}

// at returns the index of the link covering offset off of block bi
// (hidden or visible), or -1.
func (a *anchors) at(bi, off int, hidden bool) int {
	if a.vis == nil {
		a.vis, a.hid = map[int][]int{}, map[int][]int{}
		for i, l := range a.p.Links {
			if l.Block < 0 || !a.v.links[i].web {
				continue
			}
			if l.Hidden {
				a.hid[l.Block] = append(a.hid[l.Block], i)
			} else {
				a.vis[l.Block] = append(a.vis[l.Block], i)
			}
		}
	}
	byBlock := a.vis
	if hidden {
		byBlock = a.hid
	}
	for _, li := range byBlock[bi] {
		l := a.p.Links[li]
		if l.Offset <= off && off < l.Offset+len(l.Text) {
			return li
		}
	}
	return -1
}

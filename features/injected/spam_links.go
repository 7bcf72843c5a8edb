package injected

import (
	"math"
	"strings"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// spamLinksMax caps spam_links: past a handful of planted links, more say
// little more.
const spamLinksMax = 2

// SpamLinks counts the unrelated sites a page links or sends its readers
// to the way injected spam does.
var SpamLinks = signal.Extractor{
	Name:   "spam_links",
	Family: signal.Injected,
	Doc: `Links to unrelated sites that carry spam, and redirects no reader chose. ` +
		`Every kind of SEO injection exists to send search engines or readers to a spam site, wherever it is planted: hidden ` +
		`footer links, a link farm, keyword anchors in a story, links in a spliced paragraph, in <noscript> or written by a ` +
		`script for crawlers, a redirect. A link to another site (not the page's own, its menus, a social network or web ` +
		`infrastructure) counts when its anchor holds spam vocabulary, when the target's host is named for a spam trade ` +
		`(casino, slot, gacor, togel, poker, viagra, pills, payday, loan, replica, porn, escort; "slot88"), wherever it is: ` +
		`visible, hidden, in <noscript> or written by a script. A meta refresh or a script redirect that cloaking_hints counts ` +
		`counts here too when its target's host is named for a spam trade. Value: the number of such sites, capped at 2.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		var r signal.Result
		seen := map[string]bool{}
		count := func(host string, ev func(note string) signal.Evidence, why string) {
			if seen[host] {
				return
			}
			seen[host] = true
			r.Value++
			if len(r.Evidence) < maxEvidence {
				r.Evidence = append(r.Evidence, ev(why+" to "+host))
			}
		}
		// A redirect is cloaking_hints' evidence; it is a link to a spam
		// site as well only when its target's host is named for a spam
		// trade, so that one tag is not counted as two kinds of evidence.
		c := cloakOf(p, v)
		if c.refresh.ok && spamHost(c.refresh.host) {
			ev := c.refresh.ev
			count(c.refresh.host, func(note string) signal.Evidence { ev.Note = note; return ev }, "meta refresh")
		}
		for _, sh := range c.scripts {
			if spamHost(sh.host) {
				ev := sh.evs[0]
				count(sh.host, func(note string) signal.Evidence { ev.Note = note; return ev }, "script redirect")
			}
		}
		var menus *menus
		for i, l := range p.Links {
			li := &v.links[i]
			if !li.web || !li.external || li.benign || l.Block < 0 || l.Text == "" || seen[li.host] {
				continue
			}
			views := v.vis
			if l.Hidden {
				views = v.hid
			}
			why := v.spamLinkReason(li, views[l.Block].hits, l.Offset, l.Offset+len(l.Text))
			if why == "" {
				continue
			}
			if menus == nil {
				menus = newMenus(p, v)
			}
			if menus.has(i) {
				continue
			}
			start, end := l.Offset, l.Offset+len(l.Text)
			count(li.host, func(note string) signal.Evidence {
				if l.Hidden {
					return signal.HiddenSpan(p, start, end, l.Node, note)
				}
				ev := signal.TextSpan(p, start, end, note)
				ev.Path = page.Path(l.Node)
				return ev
			}, why)
		}
		for si := range shadowsOf(p, v) {
			sh := &shadowsOf(p, v)[si]
			where := " in <noscript>"
			if sh.field == fieldScript {
				where = " written by a script"
			}
			for _, l := range sh.links {
				if !l.external || l.benign || l.end <= l.start {
					continue
				}
				why := v.spamLinkReason(&l.linkInfo, sh.hits, l.start, l.end)
				if why == "" {
					continue
				}
				count(l.host, func(note string) signal.Evidence {
					return signal.FieldSpan(sh.field, sh.text, l.start, l.end, sh.node, note)
				}, why+where)
			}
		}
		r.Value = math.Min(r.Value, spamLinksMax)
		return r
	},
}

// spamLinkReason says why a link to an unrelated site looks planted, or
// "": a spam term in its anchor text [start, end) (hits are those of the
// anchor's block) that spam_vocabulary would count at least 1 in an anchor
// to another site (a promotional term or a trade's name, off the page's
// topic and the site's trade: "best online casino", not "Bitcoin wallet"
// or "small business loans"), or a host named for a spam trade.
func (v *view) spamLinkReason(li *linkInfo, hits []hit, start, end int) string {
	for _, h := range hits {
		if h.start >= start && h.end <= end && v.termWeight(h.term, placeOffsite) >= 1 {
			return "spam anchor"
		}
	}
	if spamHost(li.host) {
		return "link to a spam trade's host"
	}
	return ""
}

// spamHostStems are the words spam sites name their hosts with, glued to
// others ("gacorslot", "bestcasinoonline"), and found inside no common
// word; spamHostWords must stand alone between dots, hyphens and digits
// ("slot88", "bet-365", "cheap-pills"), because they hide inside common
// words ("specialist", "replicate", "fordescort").
var (
	spamHostStems = []string{"casino", "gacor", "togel", "poker", "maxwin", "jackpot", "viagra", "payday", "bokep", "sbobet"}
	spamHostWords = wordSet(`slot|slots|judi|bet|pill|pills|meds|loan|loans|xxx|sex|cams|hentai|pinjol|cialis|replica|replicas|porn|escort|escorts`)
)

// spamHost reports whether a host is named for a spam trade. Its last
// label (the top-level domain) is left out.
func spamHost(host string) bool {
	if host == "" {
		return false
	}
	name := host
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	for _, s := range spamHostStems {
		if strings.Contains(name, s) {
			return true
		}
	}
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return r < 'a' || r > 'z' }) {
		if spamHostWords[w] {
			return true
		}
	}
	return false
}

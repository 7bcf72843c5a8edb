package injected

import (
	"fmt"
	"math"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Limits of foreign_script_block.
const (
	// foreignMinCJK is how many Chinese, Japanese or Korean characters a
	// block needs to be judged (a language switcher's "日本語" is not).
	foreignMinCJK = 30
	// foreignMinLetters is how many letters a block of another script
	// needs.
	foreignMinLetters = 60
	// foreignMinWords is how many words a Latin block needs before its
	// language is told by its function words.
	foreignMinWords = 20
	// foreignShare is the share of a block's letters its script must have.
	foreignShare = 0.6
	// foreignVoteShare is the share of a Latin block's words that must be
	// function words of its language: real prose has 25% to 50%, a list
	// of names or URLs matches a few by chance.
	foreignVoteShare = 0.12
	foreignMax       = 3
	// foreignSpamFactor multiplies a foreign block holding spam
	// vocabulary; foreignPlainFactor one without, whose values add up to
	// foreignPlainMax at most.
	foreignSpamFactor  = 2
	foreignPlainFactor = 0.5
	foreignPlainMax    = 0.5
)

// ForeignScriptBlock finds blocks in a script or language the page is not
// written in.
var ForeignScriptBlock = signal.Extractor{
	Name:   "foreign_script_block",
	Family: signal.Injected,
	Doc: `A block in a script or language unlike the page's declared and dominant language. ` +
		`The "Japanese keyword hack" fills an English site's pages with Japanese; slot spam splices Indonesian paragraphs into them. A ` +
		`block counts 1 when most of its letters are in a script that neither the declared language, nor the site's country domain ` +
		`(.jp, .ru, ...), nor half the page's letters use (at least 30 CJK characters or 60 letters; Latin is allowed everywhere), and ` +
		`0.5 when, on a page in a Latin-script language, its function words say it is in another one (English, German, French, ` +
		`Spanish, Italian, Portuguese, Dutch, Indonesian; 20 words or more, an eighth of them function words) that is neither the ` +
		`declared nor the dominant language. English, the web's lingua franca (cookie banners, embedded posts), counts only with spam ` +
		`vocabulary. A foreign block holding spam vocabulary counts double. A quoted sentence inside a paragraph and a language ` +
		`switcher stay below the thresholds. Value: the sum, capped at 3.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		var r signal.Result
		allowed := v.allowedScripts(p)
		check := func(bv *blockView, text string, words int, spam bool) (float64, string) {
			if s, share := bv.scripts.dominant(); s != scriptNone && s != scriptLatin && !allowed[s] && share >= foreignShare {
				n := bv.scripts[s]
				if s == scriptKana {
					n += bv.scripts[scriptHan]
				}
				if isCJKScript(s) && n >= foreignMinCJK || !isCJKScript(s) && n >= foreignMinLetters {
					return 1, fmt.Sprintf("block in %s script", scriptLabel(s, bv.scripts))
				}
			}
			if strings.Count(text, "://") >= 2 {
				return 0, "" // a run of URLs: "com" is no Portuguese
			}
			if l := v.foreignLatinLang(bv, words); l != "" && (l != "en" || spam) {
				return 0.5, "block in " + langNames[l]
			}
			return 0, ""
		}
		// scan judges the blocks of one buffer, visible or hidden.
		plain := 0.0
		scan := func(blocks []page.Block, views []blockView, text string, span func(b page.Block, note string) signal.Evidence) {
			for i := range views {
				b := blocks[i]
				if b.Kind == page.KindHeading || b.Kind == page.KindListItem || b.LinkBytes*2 >= b.End-b.Start {
					continue // a teaser's headline, a menu, a language switcher
				}
				spam := spamWeight(views[i].hits) >= 1
				w, note := check(&views[i], text[b.Start:b.End], b.Words, spam)
				if w == 0 || quoted(b.Node) {
					continue
				}
				if spam {
					w *= foreignSpamFactor
					note += " with spam vocabulary"
				} else {
					// Without spam vocabulary a foreign block is as
					// often the page's own (a quotation, a poem, a
					// notice in the country's language) as planted.
					w = math.Min(w*foreignPlainFactor, foreignPlainMax-plain)
					plain += w
					if w <= 0 {
						continue
					}
				}
				r.Value += w
				if len(r.Evidence) < maxEvidence {
					r.Evidence = append(r.Evidence, span(b, note))
				}
			}
		}
		scan(p.Blocks, v.vis, p.Text, func(b page.Block, note string) signal.Evidence {
			return signal.TextSpan(p, b.Start, b.End, note)
		})
		scan(p.Hidden, v.hid, p.HiddenText, func(b page.Block, note string) signal.Evidence {
			return signal.HiddenSpan(p, b.Start, b.End, b.Node, "hidden "+note)
		})
		r.Value = math.Min(r.Value, foreignMax)
		return r
	},
}

var langNames = map[string]string{"en": "English", "de": "German", "fr": "French", "es": "Spanish", "it": "Italian", "pt": "Portuguese", "nl": "Dutch", "id": "Indonesian"}

func isCJKScript(s script) bool { return s == scriptHan || s == scriptKana || s == scriptHangul }

func scriptLabel(s script, c scriptCounts) string {
	if s == scriptKana || s == scriptHan && c[scriptKana] > 0 {
		return "Japanese"
	}
	if s == scriptHan {
		return "Chinese"
	}
	if s == scriptHangul {
		return "Korean"
	}
	return s.String()
}

// allowedScripts are the scripts a block may be written in: Latin, the
// declared language's, the site's country's, the script of half the
// page's letters (a page in Yiddish on a site that declares English
// everywhere is in Yiddish), and the script most of its prose blocks are
// written in (a Japanese story on a page that declares English, or none,
// and carries English menus and teasers, is in Japanese).
func (v *view) allowedScripts(p *page.Page) [numScripts]bool {
	var ok [numScripts]bool
	ok[scriptLatin] = true
	for _, s := range langScripts[v.declared] {
		ok[s] = true
	}
	if i := strings.LastIndexByte(v.site.Host, '.'); i >= 0 {
		for _, s := range tldScripts[v.site.Host[i+1:]] {
			ok[s] = true
		}
	}
	if dom, share := v.scripts.dominant(); dom != scriptNone && (v.declared == "" || share >= 0.5) {
		ok[dom] = true
	}
	if s := v.proseScript(p); s != scriptNone {
		ok[s] = true
	}
	if ok[scriptKana] {
		ok[scriptHan] = true
	}
	return ok
}

// foreignLatinLang returns the language of a Latin-script block when it
// differs from both the page's declared and its dominant language, or "".
// It judges only pages whose declared or dominant language it can tell.
func (v *view) foreignLatinLang(bv *blockView, words int) string {
	if words < foreignMinWords {
		return ""
	}
	if s, _ := bv.scripts.dominant(); s != scriptLatin {
		return ""
	}
	pageLangs := 0
	if isDetectable(v.declared) {
		pageLangs++
	}
	if v.lang != "" {
		pageLangs++
	}
	if pageLangs == 0 {
		return ""
	}
	if v.declared != "" && !isDetectable(v.declared) && langScripts[v.declared] == nil {
		// A Latin-script language we cannot tell (Polish, Turkish, ...):
		// its blocks would read as noise.
		return ""
	}
	l := bv.votes.detect(max(4, int(foreignVoteShare*float64(words))))
	if l == "" || l == v.declared || l == v.lang {
		return ""
	}
	return l
}

// spamWeight sums the weights of strong and medium terms.
func spamWeight(hits []hit) float64 {
	s := 0.0
	for _, h := range hits {
		if h.term.weight > weak {
			s += h.term.weight
		}
	}
	return s
}

// quoted reports whether a block is a quotation, a list item's or a
// caption's text: an element inside <blockquote>, <q>, <li>, <dd>, <dt>
// or <figcaption>. A German page quotes Spanish protesters, an archive
// lists a French title, a teaser list shows a Yiddish story's dek.
func quoted(n *html.Node) bool {
	for a := n; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		switch a.DataAtom {
		case atom.Blockquote, atom.Q, atom.Li, atom.Dd, atom.Dt, atom.Figcaption:
			return true
		}
	}
	return false
}

// proseScript returns the script of more than half the letters of the
// page's prose blocks (not headings, list items or runs of links; 30 CJK
// characters or 60 letters at least), a Chinese or Japanese character
// weighing as much as cjkLetterWeight Latin letters, or scriptNone. The
// article's blocks are asked first, the whole page's if the article has
// fewer than two. A Japanese keyword hack adds a few short paragraphs to a
// story of many; a Japanese story is Japanese in most of its text,
// whatever its markup declares and however many Latin letters its menus
// and teasers hold.
func (v *view) proseScript(p *page.Page) script {
	if s, n := v.majorityScript(p, article.Of(p).StoryBlocks()); n >= 2 {
		return s
	}
	all := make([]int, len(v.vis))
	for i := range all {
		all[i] = i
	}
	s, _ := v.majorityScript(p, all)
	return s
}

// cjkLetterWeight is how many Latin letters a Chinese or Japanese
// character stands for: a word takes one to three characters, not five
// letters.
const cjkLetterWeight = 3

// majorityScript returns the script of more than half the weighted
// letters of the given prose blocks (scriptNone if none), and how many
// prose blocks there are.
func (v *view) majorityScript(p *page.Page, idx []int) (script, int) {
	var letters [numScripts]int
	total, blocks := 0, 0
	for _, i := range idx {
		b := p.Blocks[i]
		if b.Kind == page.KindHeading || b.Kind == page.KindListItem || b.LinkBytes*2 >= b.End-b.Start {
			continue
		}
		c := v.vis[i].scripts
		s, share := c.dominant()
		if s == scriptNone || share < foreignShare {
			continue
		}
		n := c[s]
		if s == scriptKana {
			n += c[scriptHan]
		}
		if isCJKScript(s) && n < foreignMinCJK || !isCJKScript(s) && n < foreignMinLetters {
			continue
		}
		blocks++
		japanese := s == scriptKana
		for sc, k := range c {
			w := int(k)
			if isCJKScript(script(sc)) {
				w *= cjkLetterWeight
			}
			if japanese && script(sc) == scriptHan {
				sc = int(scriptKana) // Japanese: Han and Kana together
			}
			letters[sc] += w
			total += w
		}
	}
	for s, n := range letters {
		if 2*n > total {
			return script(s), blocks
		}
	}
	return scriptNone, blocks
}

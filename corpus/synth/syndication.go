package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/repack/repack/features/lexis"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Look-alikes of other operators' cues that genuine pages show (issue
// 16's hard negatives): each puts on a genuine page one line or one host
// that an operator's copy shows too.
const (
	LookLicensedSyndication = "licensed_syndication" // a partner's story with its credit: "originally published by X", "Read more at X"
	LookBlogQuote           = "blog_quote"           // a blog quoting a story and linking it: "Read more at X"
	LookOwnReadMore         = "own_read_more"        // the site's own "Read more at <its name>" and "Read more:" teaser
	LookSpecialistHost      = "specialist_host"      // the page moved to a trade's site whose field the story is on
	LookAdLabel             = "ad_label"             // an "Advertisement" label between the story's paragraphs
)

// syndicationCredits by language, %s the partner.
var syndicationCredits = map[string][]string{
	"en": {"This story was originally published by %s and is republished here with permission.", "This article first appeared in %s. It is republished under a content-sharing agreement."},
	"de": {"Dieser Artikel erschien zuerst bei %s."},
	"fr": {"Cet article a d’abord été publié par %s."},
	"es": {"Este artículo fue publicado originalmente por %s."},
}

// partnerNames are the invented partners of licensed syndication and the
// publishers a blog quotes.
var partnerNames = []string{"The Northfield Courier", "Lakeshore Public Media", "Valley Herald", "Rheintal Portal", "Le Messager", "Coastal Report"}

// adLabels by language.
var adLabels = map[string][]string{
	"en": {"Advertisement", "ADVERTISEMENT", "Story continues below advertisement"},
	"de": {"Anzeige", "ANZEIGE", "Werbung"},
	"fr": {"Publicité", "PUBLICITÉ"},
	"es": {"Publicidad", "PUBLICIDAD"},
}

// licensedSyndication adds a partner's credit under the story, and half
// the time a "Read more at" line naming the partner.
func (t *target) licensedSyndication(r *rand.Rand) bool {
	if t.last == nil {
		return false
	}
	partner := pick(r, partnerNames)
	credit := fmt.Sprintf(pick(r, syndicationCredits[t.lang]), partner)
	insertAfter(t.last, element(atom.P, "syndication-credit", credit))
	t.meta["syndication_credit"] = credit
	if chance(r, 0.5) {
		more := fmt.Sprintf(pick(r, readMoreLines[t.lang]), partner)
		insertAfter(t.last, linkTo(element(atom.P, "read-more", ""), more, "https://partner.example/"+slug(t.src.Headline)))
		t.meta["read_more_text"] = more
	}
	return true
}

// blogIntros by language: how a blog names the publisher it quotes, %s
// the publisher.
var blogIntros = map[string][]string{
	"en": {"As %s reported this week, the details below come from its story.", "%s has the full story; here is what stood out to us."},
	"de": {"Wie %s berichtet, stammen die folgenden Einzelheiten aus dem Artikel."},
	"fr": {"Comme l’a rapporté %s, voici les éléments principaux de l’article."},
	"es": {"Según informó %s, estos son los detalles principales de la noticia."},
}

// blogQuote makes the page a blog's quote of another publisher's story:
// a line naming the publisher before the story and, under it, a pointer
// to the rest ("Read more at X"), linked.
func (t *target) blogQuote(r *rand.Rand) bool {
	if t.last == nil || t.first == nil {
		return false
	}
	pub := pick(r, partnerNames)
	intro := fmt.Sprintf(pick(r, blogIntros[t.lang]), pub)
	insertBefore(t.first, element(atom.P, "blog-intro", intro))
	more := fmt.Sprintf(pick(r, readMoreLines[t.lang]), pub)
	insertAfter(t.last, linkTo(element(atom.P, "read-more", ""), more, "https://quoted.example/"+slug(t.src.Headline)))
	t.meta["blog_intro"], t.meta["read_more_text"] = intro, more
	return true
}

// ownReadMore adds the site's own pointer under the story: "Read more
// at <its name>", or a "Read more:" teaser of another of its stories.
func (t *target) ownReadMore(r *rand.Rand) bool {
	if t.last == nil || t.src.SiteName == "" {
		return false
	}
	more := fmt.Sprintf(pick(r, readMoreLines[t.lang]), t.src.SiteName)
	if items, _ := t.pool.related(r, t.src); len(items) > 0 && chance(r, 0.5) {
		more = "Read more: " + items[0].headline
	}
	insertAfter(t.last, linkTo(element(atom.P, "read-more", ""), more, siteLink(t.src, t.src.Headline)))
	t.meta["read_more_text"] = more
	return true
}

// adLabel puts an ad label between two of the story's paragraphs.
func (t *target) adLabel(r *rand.Rand) bool {
	nodes := t.storyNodes()
	if len(nodes) < 3 {
		return false
	}
	label := pick(r, adLabels[t.lang])
	insertAfter(nodes[1+r.IntN(len(nodes)-2)], element(atom.Div, "ad-label", label))
	t.meta["ad_label"] = label
	return true
}

// specialistHost moves the page to a site of the trade whose field the
// story is on (two of its words or more, as site_trade_mismatch counts
// a story on the site's field): a roofer's news page on a
// storm, a dental practice's on oral health.
func (t *target) specialistHost(r *rand.Rand) bool {
	vocab := map[string]int{}
	for _, p := range t.src.Paragraphs {
		for _, f := range strings.Fields(strings.ToLower(p)) {
			vocab[strings.Trim(f, ".,;:!?\"'()«»“”‘’")]++
		}
	}
	best, bestN := lexis.Trade{}, 0
	for _, tr := range lexis.Trades() {
		if n := tr.OnField(vocab); n > bestN {
			best, bestN = tr, n
		}
	}
	if bestN < 2 {
		return false
	}
	host := "www." + pick(r, hostPrefixes) + best.Marks[0] + ".com"
	t.meta["carrier_url"] = "https://" + host + "/news/" + slug(t.src.Headline)
	t.meta["specialist_trade"] = best.Name
	return true
}

// linkTo puts an <a href> with text inside n and returns n.
func linkTo(n *html.Node, text, href string) *html.Node {
	a := element(atom.A, "", text)
	a.Attr = append(a.Attr, html.Attribute{Key: "href", Val: href})
	n.AppendChild(a)
	return n
}

package synth

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/page"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Look-alikes a hard negative may carry: legitimate features of authentic
// pages that resemble the network's, as recorded in Meta.
const (
	LookEditorialLabel = "editorial_label"   // "Analysis: ", "Opinion | ", "EXCLUSIVE-" before the headline
	LookAPDateline     = "ap_dateline"       // "CITY (AP) — ", "By The Associated Press", an AP credit
	LookRelated        = "same_site_related" // a related-articles list of the site's own stories
	LookComments       = "comment_counter"   // "Comments (12)"
	LookCorrectDate    = "correct_date"      // a visible date line with the real date
	LookAPMember       = "ap_member_station" // an AP member station's rendering: dateline, byline, photo credit, copyright, Most Read
	LookTopicPrefix    = "topic_prefix"      // "Topic: Headline", the topic recurring in the story
	LookSiteFirstTitle = "site_first_title"  // a "Site | Headline" <title>
	LookViewCounter    = "view_counter"      // "1,234 views", "Updated 2 hours ago" under the headline
	LookPublishedLine  = "published_line"    // "Published: 2024-03-05 10:12", the real date, a space after the colon
	LookPopular        = "popular_unrelated" // a "Most Read" list of the site's other, unrelated headlines
	LookListBylines    = "list_bylines"      // a list of the site's videos or posts, each under one channel's camel-case name (a video site's page)
)

// LookAlikes lists every look-alike the generator draws.
var LookAlikes = []string{LookEditorialLabel, LookAPDateline, LookRelated, LookComments, LookCorrectDate, LookAPMember, LookTopicPrefix, LookSiteFirstTitle, LookViewCounter, LookPublishedLine, LookPopular, LookListBylines,
	LookTrimmedCarrier, LookLaterVersion, LookCaptionCredit, LookEditedWire,
	LookLicensedSyndication, LookBlogQuote, LookOwnReadMore, LookSpecialistHost, LookAdLabel}

// lookWeights weight the draw of look-alikes: the member station's AP
// story, which the network copies, comes twice as often.
var lookWeights = map[string]float64{LookAPMember: 2}

// lookSlots are the parts of a page each look-alike takes; two that take
// the same part are not combined (one headline prefix, one AP credit, one
// date line, one popular list).
var lookSlots = map[string][]string{
	LookEditorialLabel: {"title"}, LookTopicPrefix: {"title"}, LookSiteFirstTitle: {"title"},
	LookAPDateline: {"credit"}, LookAPMember: {"credit", "date", "popular"},
	LookCorrectDate: {"date"}, LookPublishedLine: {"date"}, LookPopular: {"popular"}, LookListBylines: {"popular"},
	// One carrier a page; a caption credit replaces the page's credits.
	LookTrimmedCarrier: {"carrier"}, LookLaterVersion: {"carrier"}, LookCaptionCredit: {"carrier", "credit"}, LookEditedWire: {"carrier"},
	// One pointer under the story; a specialist's site is a host, as a
	// carrier's is.
	LookLicensedSyndication: {"read_more", "credit"}, LookBlogQuote: {"read_more"}, LookOwnReadMore: {"read_more"},
	LookSpecialistHost: {"carrier"},
}

// editorialLabels by language: labels genuine publishers put before a
// headline.
var editorialLabels = map[string][]string{
	"en": {"Analysis: ", "Opinion | ", "EXCLUSIVE-", "WATCH: ", "Live updates: ", "EXPLAINER: ", "FACTBOX-", "Opinion: ", "Review: ", "UPDATE 2-"},
	"de": {"Analyse: ", "Kommentar: ", "Meinung | ", "EXKLUSIV: ", "Interview: ", "Liveticker: ", "Gastbeitrag: "},
	"fr": {"Analyse : ", "Tribune | ", "EXCLUSIF - ", "Vidéo : ", "En direct : ", "Décryptage : ", "Entretien : "},
	"es": {"Análisis: ", "Opinión | ", "EXCLUSIVA-", "En vivo: ", "Entrevista: ", "Crónica: "},
}

var relatedHeadings = map[string][]string{
	"en": {"Related Articles", "Related", "More on this story", "Read more", "You may also like"},
	"de": {"Mehr zum Thema", "Das könnte Sie auch interessieren", "Weitere Artikel"},
	"fr": {"À lire aussi", "Sur le même sujet", "Articles liés"},
	"es": {"Noticias relacionadas", "Te puede interesar", "Más sobre este tema"},
}

var commentFormats = map[string][]string{
	"en": {"Comments (%d)", "%d Comments", "%d comments", "Like (%d)", "%d Likes"},
	"de": {"Kommentare (%d)", "%d Kommentare", "Gefällt mir (%d)"},
	"fr": {"Commentaires (%d)", "%d commentaires", "J'aime (%d)"},
	"es": {"Comentarios (%d)", "%d comentarios", "Me gusta (%d)"},
}

// langKey returns the key of the per-language tables: "de", "fr", "es",
// else "en".
func langKey(lang string) string {
	for _, k := range []string{"de", "fr", "es"} {
		if strings.HasPrefix(lang, k) {
			return k
		}
	}
	return "en"
}

// HardNegative returns an authentic page given one or two legitimate
// look-alikes of the network's marks, changed in the source's own markup
// (its DOM, rendered back to HTML), or its text rendering (from the top,
// the headline or the lead, as extractors capture pages). It is labelled
// authentic; Meta["synth"] records every look-alike and its text.
func (g *Generator) HardNegative(src Story, pool *Pool, r *rand.Rand) (corpus.Document, error) {
	p, err := page.Parse(src.Body, page.Options{Format: page.FormatHTML, URL: src.URL})
	if err != nil {
		return corpus.Document{}, fmt.Errorf("hard negative %s: %w", src.ID, err)
	}
	meta := map[string]any{"kind": "hard_negative", "rendering": RenderHTML, "language": storyLanguage(src), "source_id": src.ID, "source_url": src.URL, "seed": g.opts.Seed, "variant": 0}
	text := chance(r, g.opts.TextShare)
	n := 1 + r.IntN(2)
	if text && chance(r, 0.4) {
		n = 0 // a plain text rendering of the authentic page
	}
	t := newTarget(p, src, pool, meta)
	applied := []string{}
	taken := map[string]bool{}
	for _, look := range lookOrder(r) {
		if len(applied) == n {
			break
		}
		if slices.ContainsFunc(lookSlots[look], func(s string) bool { return taken[s] }) || !t.apply(r, look) {
			continue
		}
		applied = append(applied, look)
		for _, s := range lookSlots[look] {
			taken[s] = true
		}
	}
	sort.Strings(applied)
	meta["lookalikes"] = applied
	normaliseCharset(p.Root)
	var b bytes.Buffer
	if err := html.Render(&b, p.Root); err != nil {
		return corpus.Document{}, fmt.Errorf("hard negative %s: render: %w", src.ID, err)
	}
	body, format := b.Bytes(), corpus.FormatHTML
	if text {
		o := textOptions{listMarker: chance(r, 0.5), blankLines: chance(r, 0.2), headline: src.Headline, lead: src.Paragraphs[0]}
		o.start = pickWeighted(r, []weighted[string]{{StartTop, 0.45}, {StartHeadline, 0.4}, {StartLead, 0.15}})
		if chance(r, 0.3) {
			o.cutBytes = 1400 + r.IntN(1400)
		}
		var start string
		if body, start, err = renderText(body, o); err != nil {
			return corpus.Document{}, fmt.Errorf("hard negative %s: text rendering: %w", src.ID, err)
		}
		format = corpus.FormatText
		meta["rendering"], meta["text_start"], meta["list_marker"], meta["blank_lines"], meta["text_cut_bytes"] = RenderText, start, o.listMarker, o.blankLines, o.cutBytes
	}
	url := src.URL
	if u, ok := meta["carrier_url"].(string); ok {
		url = u // a carrier's page lives on the carrier's site
	}
	return corpus.Document{
		ID:     docID(src.ID, "#hardneg-", meta),
		URL:    url,
		Source: SourceHardNegative,
		Group:  src.Group,
		Label:  corpus.Authentic,
		Format: format,
		Body:   body,
		Meta:   map[string]any{"synth": meta},
	}, nil
}

// lookOrder returns the look-alikes in the order they are tried: drawn
// one at a time in proportion to their weights (1 unless lookWeights
// says otherwise).
func lookOrder(r *rand.Rand) []string {
	left := make([]weighted[string], len(LookAlikes))
	for i, l := range LookAlikes {
		left[i] = weighted[string]{l, 1}
		if w, ok := lookWeights[l]; ok {
			left[i].weight = w
		}
	}
	out := make([]string, 0, len(left))
	for len(left) > 0 {
		l := pickWeighted(r, left)
		out = append(out, l)
		left = slices.DeleteFunc(left, func(w weighted[string]) bool { return w.val == l })
	}
	return out
}

// target is the authentic page a hard negative edits: its parse, story
// and the nodes look-alikes attach to, and the meta they record into.
type target struct {
	p    *page.Page
	src  Story
	pool *Pool
	meta map[string]any
	lang string
	// first and last are the article's first and last blocks' elements,
	// h1 the visible headline element; any may be nil.
	first, last, h1 *html.Node
	// leadText is the text of the article's first block.
	leadText string
}

func newTarget(p *page.Page, src Story, pool *Pool, meta map[string]any) *target {
	t := &target{p: p, src: src, pool: pool, meta: meta, lang: langKey(src.Language), h1: headlineNode(p, src.Headline)}
	if story := article.Of(p).StoryBlocks(); len(story) > 0 {
		t.first, t.last = p.Blocks[story[0]].Node, p.Blocks[story[len(story)-1]].Node
		t.leadText = p.BlockText(story[0])
	}
	return t
}

// apply adds one look-alike to the page's tree and records it in meta; it
// reports false when the page cannot carry it (no headline element, no
// English text for an AP credit, no date, ...).
func (t *target) apply(r *rand.Rand, look string) bool {
	switch look {
	case LookEditorialLabel:
		label := pick(r, editorialLabels[t.lang])
		if !t.prefixHeadline(label) {
			return false
		}
		t.meta["label_text"] = label
		return true
	case LookAPDateline:
		return t.apDateline(r)
	case LookRelated:
		return t.related(r)
	case LookComments:
		return t.comments(r)
	case LookCorrectDate:
		return t.correctDate(r)
	case LookAPMember:
		return t.apMemberStation(r)
	case LookTopicPrefix:
		return t.topicPrefix()
	case LookSiteFirstTitle:
		return t.siteFirstTitle(r)
	case LookViewCounter:
		return t.viewCounter(r)
	case LookPublishedLine:
		return t.publishedLine(r)
	case LookPopular:
		return t.popular(r)
	case LookListBylines:
		return t.listBylines(r)
	case LookTrimmedCarrier:
		return t.trimmedCarrier(r)
	case LookLaterVersion:
		return t.laterVersion(r)
	case LookCaptionCredit:
		return t.captionCredit(r)
	case LookEditedWire:
		return t.editedWire(r)
	case LookLicensedSyndication:
		return t.licensedSyndication(r)
	case LookBlogQuote:
		return t.blogQuote(r)
	case LookOwnReadMore:
		return t.ownReadMore(r)
	case LookSpecialistHost:
		return t.specialistHost(r)
	case LookAdLabel:
		return t.adLabel(r)
	}
	return false
}

// prefixHeadline puts prefix before the <title>, og:title, twitter:title
// and the h1; it reports whether a title or h1 took it.
func (t *target) prefixHeadline(prefix string) bool {
	title := findElement(t.p.Root, atom.Title)
	if title == nil && t.h1 == nil {
		return false
	}
	prependText(title, prefix)
	prependText(t.h1, prefix)
	for _, m := range findAll(t.p.Root, atom.Meta) {
		if k := attr(m, "property"); k == "og:title" || k == "twitter:title" || attr(m, "name") == "twitter:title" {
			setAttr(m, "content", prefix+attr(m, "content"))
		}
	}
	return true
}

// apDateline dresses an English story as AP copy: "CITY (AP) — " before
// the lead unless it has a dateline, "By The Associated Press" above it,
// an AP credit under the story.
func (t *target) apDateline(r *rand.Rand) bool {
	if t.lang != "en" || t.first == nil || t.last == nil || t.first == t.last {
		return false
	}
	dl, ok := t.wireDateline(r)
	if !ok {
		return false
	}
	by := pick(r, []string{"By The Associated Press", "BY ASSOCIATED PRESS", "By The Associated Press"})
	credit := pick(r, []string{
		fmt.Sprintf("Copyright %d The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.", yearOf(t.src.Date)),
		"The Associated Press contributed to this report.",
		"Associated Press writers in New York and Washington contributed to this report.",
	})
	insertBefore(t.first, element(atom.P, "byline", by))
	insertAfter(t.last, element(atom.P, "credit", credit))
	t.meta["dateline_text"], t.meta["byline_text"], t.meta["credit_text"] = dl, by, credit
	return true
}

// wireDateline puts "CITY (AP) — " before the lead unless it opens with
// a dateline; it returns the text added ("" for none).
func (t *target) wireDateline(r *rand.Rand) (string, bool) {
	if _, has := findDateline(t.leadText); has {
		return "", true
	}
	dl := pick(r, wireCities) + " (AP) — "
	return dl, prependText(t.first, dl)
}

// related adds a "Related Articles" list of links on the page's own host
// after the story.
func (t *target) related(r *rand.Rand) bool {
	if t.last == nil {
		return false
	}
	items, from := t.pool.related(r, t.src)
	if len(items) < 3 {
		return false
	}
	heading := pick(r, relatedHeadings[t.lang])
	insertAfter(t.last, t.linkList(atom.Ul, "related-articles", heading, items))
	t.meta["related_heading"], t.meta["related_from"], t.meta["related_count"] = heading, from, len(items)
	return true
}

// linkList makes <section class><h3>heading</h3><ul|ol><li><a>...
// with each teaser's headline linked on the source's own site.
func (t *target) linkList(list atom.Atom, class, heading string, items []teaser) *html.Node {
	sec := element(atom.Section, class, "")
	sec.AppendChild(element(atom.H3, "", heading))
	l := element(list, "", "")
	for _, it := range items {
		li := element(atom.Li, "", "")
		a := element(atom.A, "", it.headline)
		a.Attr = append(a.Attr, html.Attribute{Key: "href", Val: siteLink(t.src, it.headline)})
		li.AppendChild(a)
		l.AppendChild(li)
	}
	sec.AppendChild(l)
	return sec
}

// comments adds a localised comment or like counter after the headline
// or after the story.
func (t *target) comments(r *rand.Rand) bool {
	if t.h1 == nil && t.last == nil {
		return false
	}
	txt := fmt.Sprintf(pick(r, commentFormats[t.lang]), 1+r.IntN(400))
	div := element(atom.Div, "comment-count", "")
	a := element(atom.A, "", txt)
	a.Attr = append(a.Attr, html.Attribute{Key: "href", Val: "#comments"})
	div.AppendChild(a)
	place := "after_article"
	if t.h1 != nil && (t.last == nil || chance(r, 0.5)) {
		insertAfter(t.h1, div)
		place = "after_headline"
	} else {
		insertAfter(t.last, div)
	}
	t.meta["comment_text"], t.meta["comment_place"] = txt, place
	return true
}

// correctDate adds a visible date line with the story's real date under
// the headline.
func (t *target) correctDate(r *rand.Rand) bool {
	if t.src.Date.IsZero() || t.h1 == nil {
		return false
	}
	d := t.realTime(r)
	txt := pick(r, []string{"Published: " + d.Format("January 2, 2006"), "Date: " + d.Format(time.DateOnly), d.Format("2006-01-02 15:04"), d.Format("Jan. 2, 2006 3:04 PM"), "Updated " + d.Format("January 2, 2006")})
	insertAfter(t.h1, element(atom.Div, "published", txt))
	t.meta["date_text"] = txt
	return true
}

// realTime is the story's real day at a drawn time of day.
func (t *target) realTime(r *rand.Rand) time.Time {
	d := t.src.Date
	return time.Date(d.Year(), d.Month(), d.Day(), 6+r.IntN(14), r.IntN(60), 0, 0, time.UTC)
}

// underHeadline puts n after the h1, else before the article's first
// block; it reports false when the page has neither.
func (t *target) underHeadline(n *html.Node) bool {
	switch {
	case t.h1 != nil:
		insertAfter(t.h1, n)
	case t.first != nil:
		insertBefore(t.first, n)
	default:
		return false
	}
	return true
}

// related returns the same site's other stories when the pool has at
// least three, else the stories of the same language closest in topic
// (content words shared with src), drawn from the best eight.
func (p *Pool) related(r *rand.Rand, src Story) ([]teaser, string) {
	var same, lang []teaser
	srcWords := map[string]bool{}
	for _, t := range p.teasers {
		if t.id == src.ID {
			srcWords = t.words
		}
	}
	for _, t := range p.teasers {
		switch {
		case t.id == src.ID:
		case t.group == src.Group:
			same = append(same, t)
		case langKey(t.lang) == langKey(src.Language):
			lang = append(lang, t)
		}
	}
	n := 3 + r.IntN(4)
	if len(same) >= 3 {
		return firstNTeasers(same, n), "same_group"
	}
	scores := make(map[string]int, len(lang))
	for _, t := range lang {
		for w := range t.words {
			if srcWords[w] {
				scores[t.id]++
			}
		}
	}
	sort.SliceStable(lang, func(i, j int) bool { return scores[lang[i].id] > scores[lang[j].id] })
	best := firstNTeasers(lang, 8)
	r.Shuffle(len(best), func(i, j int) { best[i], best[j] = best[j], best[i] })
	return firstNTeasers(best, n), "similar_topic"
}

func firstNTeasers(ts []teaser, n int) []teaser {
	return append([]teaser(nil), ts[:min(n, len(ts))]...)
}

// siteLink makes a link on the source's own site for a headline.
func siteLink(src Story, headline string) string {
	slug := strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			return r
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		}
		return '-'
	}, headline)
	slug = strings.Trim(cutMidWord(slug, 60), "-")
	if src.Host == "" {
		return "/" + slug
	}
	return "https://" + src.Host + "/" + slug
}

func yearOf(t time.Time) int {
	if t.IsZero() {
		return unknownDateBase.Year()
	}
	return t.Year()
}

// headlineNode returns the page's visible headline element: the h1 (or
// first heading) that holds the story's headline, else the first one, or
// nil.
func headlineNode(p *page.Page, headline string) *html.Node {
	var first *html.Node
	for _, c := range article.Of(p).Headlines {
		if (c.Origin != "h1" && c.Origin != "heading") || c.Node == nil {
			continue
		}
		if strings.Contains(c.Text, cutMidWord(headline, 40)) {
			return c.Node
		}
		if first == nil {
			first = c.Node
		}
	}
	return first
}

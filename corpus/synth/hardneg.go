package synth

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"github.com/repack/repack/corpus"
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
)

// LookAlikes lists every look-alike the generator draws.
var LookAlikes = []string{LookEditorialLabel, LookAPDateline, LookRelated, LookComments, LookCorrectDate}

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
// (its DOM, rendered back to HTML), or its text rendering. It is labelled
// authentic; Meta["synth"] records every look-alike and its text.
func (g *Generator) HardNegative(src Story, pool *Pool, r *rand.Rand) (corpus.Document, error) {
	p, err := page.Parse(src.Body, page.Options{Format: page.FormatHTML, URL: src.URL})
	if err != nil {
		return corpus.Document{}, fmt.Errorf("hard negative %s: %w", src.ID, err)
	}
	meta := map[string]any{"kind": "hard_negative", "rendering": RenderHTML, "source_id": src.ID, "source_url": src.URL, "seed": g.opts.Seed, "variant": 0}
	text := chance(r, g.opts.TextShare)
	n := 1 + r.IntN(2)
	if text && chance(r, 0.4) {
		n = 0 // a plain text rendering of the authentic page
	}
	applied := []string{}
	for _, look := range r.Perm(len(LookAlikes)) {
		if len(applied) == n {
			break
		}
		if applyLookAlike(r, LookAlikes[look], p, src, pool, meta) {
			applied = append(applied, LookAlikes[look])
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
		listMarker, blank := chance(r, 0.5), chance(r, 0.2)
		cut := 0
		if chance(r, 0.3) {
			cut = 1400 + r.IntN(1400)
		}
		if body, err = renderText(body, listMarker, blank, cut); err != nil {
			return corpus.Document{}, fmt.Errorf("hard negative %s: text rendering: %w", src.ID, err)
		}
		format = corpus.FormatText
		meta["rendering"], meta["list_marker"], meta["blank_lines"], meta["text_cut_bytes"] = RenderText, listMarker, blank, cut
	}
	return corpus.Document{
		ID:     docID(src.ID, "#hardneg-", meta),
		URL:    src.URL,
		Source: SourceHardNegative,
		Group:  src.Group,
		Label:  corpus.Authentic,
		Format: format,
		Body:   body,
		Meta:   map[string]any{"synth": meta},
	}, nil
}

// applyLookAlike adds one look-alike to the page's tree and records it in
// meta; it reports false when the page cannot carry it (no headline
// element, no English text for an AP credit, no date, ...).
func applyLookAlike(r *rand.Rand, look string, p *page.Page, src Story, pool *Pool, meta map[string]any) bool {
	lang := langKey(src.Language)
	article := p.ArticleBlocks()
	var first, last *html.Node
	if len(article) > 0 {
		first, last = p.Blocks[article[0]].Node, p.Blocks[article[len(article)-1]].Node
	}
	h1 := headlineNode(p, src.Headline)
	switch look {
	case LookEditorialLabel:
		label := pick(r, editorialLabels[lang])
		n := 0
		if t := findElement(p.Root, atom.Title); t != nil && prependText(t, label) {
			n++
		}
		if h1 != nil && prependText(h1, label) {
			n++
		}
		for _, m := range findAll(p.Root, atom.Meta) {
			if k := attr(m, "property"); k == "og:title" || k == "twitter:title" || attr(m, "name") == "twitter:title" {
				setAttr(m, "content", label+attr(m, "content"))
			}
		}
		meta["label_text"] = label
		return n > 0
	case LookAPDateline:
		if lang != "en" || first == nil || last == nil || first == last {
			return false
		}
		leadText := p.BlockText(article[0])
		dl := ""
		if _, has := findDateline(leadText); !has {
			dl = pick(r, wireCities) + " (AP) — "
			if !prependText(first, dl) {
				return false
			}
		}
		by := pick(r, []string{"By The Associated Press", "BY ASSOCIATED PRESS", "By The Associated Press"})
		credit := pick(r, []string{
			fmt.Sprintf("Copyright %d The Associated Press. All rights reserved. This material may not be published, broadcast, rewritten or redistributed.", yearOf(src.Date)),
			"The Associated Press contributed to this report.",
			"Associated Press writers in New York and Washington contributed to this report.",
		})
		insertBefore(first, element(atom.P, "byline", by))
		insertAfter(last, element(atom.P, "credit", credit))
		meta["dateline_text"], meta["byline_text"], meta["credit_text"] = dl, by, credit
		return true
	case LookRelated:
		if last == nil {
			return false
		}
		items, from := pool.related(r, src)
		if len(items) < 3 {
			return false
		}
		heading := pick(r, relatedHeadings[lang])
		sec := element(atom.Section, "related-articles", "")
		sec.AppendChild(element(atom.H3, "", heading))
		ul := element(atom.Ul, "", "")
		for _, t := range items {
			li := element(atom.Li, "", "")
			a := element(atom.A, "", t.headline)
			a.Attr = append(a.Attr, html.Attribute{Key: "href", Val: siteLink(src, t.headline)})
			li.AppendChild(a)
			ul.AppendChild(li)
		}
		sec.AppendChild(ul)
		insertAfter(last, sec)
		meta["related_heading"], meta["related_from"], meta["related_count"] = heading, from, len(items)
		return true
	case LookComments:
		if h1 == nil && last == nil {
			return false
		}
		txt := fmt.Sprintf(pick(r, commentFormats[lang]), 1+r.IntN(400))
		div := element(atom.Div, "comment-count", "")
		a := element(atom.A, "", txt)
		a.Attr = append(a.Attr, html.Attribute{Key: "href", Val: "#comments"})
		div.AppendChild(a)
		place := "after_article"
		if h1 != nil && (last == nil || chance(r, 0.5)) {
			insertAfter(h1, div)
			place = "after_headline"
		} else {
			insertAfter(last, div)
		}
		meta["comment_text"], meta["comment_place"] = txt, place
		return true
	case LookCorrectDate:
		if src.Date.IsZero() || h1 == nil {
			return false
		}
		d := time.Date(src.Date.Year(), src.Date.Month(), src.Date.Day(), 6+r.IntN(14), r.IntN(60), 0, 0, time.UTC)
		txt := pick(r, []string{"Published: " + d.Format("January 2, 2006"), "Date: " + d.Format(time.DateOnly), d.Format("2006-01-02 15:04"), d.Format("Jan. 2, 2006 3:04 PM"), "Updated " + d.Format("January 2, 2006")})
		insertAfter(h1, element(atom.Div, "published", txt))
		meta["date_text"] = txt
		return true
	}
	return false
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
	for _, c := range p.Headlines {
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

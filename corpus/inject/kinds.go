package inject

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
)

// Each kind of injection is one function from a source and a stream to a
// plan: the edits to make and the choices to record. Every function reads
// in one screen, so that a surprising page can be traced to its template.

// hidingStyles are the ways hacked pages hide their links, as inline
// styles; "attribute" uses the hidden attribute and "class" a class rule
// in an inline style sheet.
var hidingStyles = []struct{ name, style string }{
	{"display:none", "display:none"},
	{"visibility:hidden", "visibility:hidden"},
	{"off-screen", "position:absolute;left:-9999px;top:-9999px"},
	{"zero-font", "font-size:0;line-height:0"},
	{"zero-height", "height:0;overflow:hidden"},
	{"same-colour", "color:#ffffff;background-color:#ffffff"},
	{"attribute", ""},
	{"class", ""},
}

// pickLanguage draws a spam language by weight: id, en, ja, zh.
func pickLanguage(r *rand.Rand, weights [4]float64) string {
	langs := [4]string{"id", "en", "ja", "zh"}
	total := weights[0] + weights[1] + weights[2] + weights[3]
	x := r.Float64() * total
	for i, w := range weights {
		if x < w {
			return langs[i]
		}
		x -= w
	}
	return "en"
}

// pickTrades draws n distinct trades, gambling first when lang is
// Indonesian (slot spam is what Indonesian injections sell).
func pickTrades(r *rand.Rand, lang string, n int) []trade {
	perm := r.Perm(len(trades))
	var out []trade
	if lang == "id" {
		out = append(out, tradeGambling)
	}
	for _, i := range perm {
		if len(out) >= n {
			break
		}
		if trades[i] != tradeGambling || lang != "id" {
			out = append(out, trades[i])
		}
	}
	return out
}

func tradeNames(ts []trade) []string {
	s := make([]string, len(ts))
	for i, t := range ts {
		s[i] = string(t)
	}
	return s
}

// hiddenLinks hides a div of spam links in the footer (or at the start or
// end of the body).
func hiddenLinks(r *rand.Rand, s *source) plan {
	lang := pickLanguage(r, [4]float64{0.35, 0.35, 0.15, 0.15})
	ts := pickTrades(r, lang, 1+r.IntN(3))
	as := anchorsOf(r, ts, lang, 4+r.IntN(9))
	hide := hidingStyles[r.IntN(len(hidingStyles))]
	placement := pick(r, []string{"footer", "footer", "body_end", "body_start"})
	var links []string
	for _, a := range as {
		links = append(links, a.html())
	}
	sep := pick(r, []string{" ", "\n", " | ", "<br>"})
	inner := strings.Join(links, sep)
	var block string
	var edits []edit
	switch hide.name {
	case "attribute":
		block = "<div hidden>" + inner + "</div>"
	case "class":
		class := pick(r, []string{"wp-footer-links", "sitemap-extra", "seo-block", "ftr-lnk"})
		block = `<div class="` + class + `">` + inner + "</div>"
		edits = append(edits, edit{start: s.layout.headEnd(), end: s.layout.headEnd(), text: "<style>." + class + "{display:none}</style>"})
	default:
		block = `<div style="` + hide.style + `">` + inner + "</div>"
	}
	at := insertionPoint(s, placement)
	edits = append(edits, edit{start: at, end: at, text: "\n" + block + "\n"})
	return plan{edits: edits, meta: map[string]any{
		"placement": placement, "language": lang, "n_links": len(as), "hiding": hide.name, "trades": tradeNames(ts),
	}}
}

// insertionPoint returns the offset of a named placement: "footer" (the
// end of the footer, else of the body), "body_end", "body_start", "head".
func insertionPoint(s *source, placement string) int {
	switch placement {
	case "footer":
		return s.layout.footerEnd()
	case "body_start":
		return s.layout.bodyStart()
	case "head":
		return s.layout.headEnd()
	}
	return s.layout.bodyClose
}

// articlePoint draws where a block goes in the story: after one of its
// content paragraphs (never before the first, so that the lead stays), or
// the end of the body when the page has none.
func articlePoint(r *rand.Rand, s *source) (int, string) {
	ps := s.layout.paragraphs
	if len(ps) == 0 {
		return s.layout.bodyClose, "body_end"
	}
	i := r.IntN(len(ps))
	if i == len(ps)-1 {
		return s.layout.afterParagraph(s.doc.Body, i), "article_end"
	}
	return s.layout.afterParagraph(s.doc.Body, i), "article"
}

// japaneseHack adds a block of Japanese fake-brand shop text with links,
// and one time in two rewrites the title to match.
func japaneseHack(r *rand.Rand, s *source) plan {
	k := 1 + r.IntN(3)
	paras := spamParagraphs(r, "ja", tradeReplica, k)
	as := anchorsOf(r, []trade{tradeReplica}, "ja", r.IntN(6))
	var b strings.Builder
	b.WriteString("\n<div>")
	for i, p := range paras {
		b.WriteString("<p>" + html.EscapeString(p))
		if i < len(as) {
			b.WriteString(" " + as[i].html())
		}
		b.WriteString("</p>")
	}
	for _, a := range as[min(len(as), len(paras)):] {
		b.WriteString(a.html() + " ")
	}
	b.WriteString("</div>\n")
	at, placement := articlePoint(r, s)
	if chance(r, 0.3) {
		at, placement = s.layout.bodyStart(), "body_start"
	}
	edits := []edit{{start: at, end: at, text: b.String()}}
	title := false
	if s.layout.title.start >= 0 && chance(r, 0.5) {
		edits = append(edits, edit{start: s.layout.title.start, end: s.layout.title.end, text: html.EscapeString(spamTitle(r))})
		title = true
	}
	return plan{edits: edits, visible: true, meta: map[string]any{
		"placement": placement, "language": "ja", "n_links": len(as), "n_paragraphs": k, "title_changed": title, "trades": []string{string(tradeReplica)},
	}}
}

// splicedParagraph splices spam paragraphs between the story's
// paragraphs: Indonesian slot gambling mostly, English casino, pharma,
// loan or replica spam, Chinese casino spam.
func splicedParagraph(r *rand.Rand, s *source) plan {
	lang := pickLanguage(r, [4]float64{0.6, 0.25, 0, 0.15})
	t := tradeGambling
	if lang == "en" {
		t = pick(r, []trade{tradeGambling, tradePharma, tradeLoans, tradeReplica})
	}
	k := 1 + r.IntN(3)
	paras := spamParagraphs(r, lang, t, k)
	nLinks := r.IntN(3)
	as := anchorsOf(r, []trade{t}, lang, nLinks)
	var b strings.Builder
	for i, p := range paras {
		text := html.EscapeString(p)
		if i < len(as) {
			text = insertAtWordBoundary(r, text, as[i].html())
		}
		b.WriteString("\n<p>" + text + "</p>")
	}
	b.WriteString("\n")
	at, placement := articlePoint(r, s)
	return plan{edits: []edit{{start: at, end: at, text: b.String()}}, visible: true, meta: map[string]any{
		"placement": placement, "language": lang, "n_links": len(as), "n_paragraphs": k, "trades": []string{string(t)},
	}}
}

// insertAtWordBoundary inserts ins before a space of text chosen at
// random, or appends it (after a space) when text has none.
func insertAtWordBoundary(r *rand.Rand, text, ins string) string {
	var spaces []int
	for i := 0; i < len(text); i++ {
		if text[i] == ' ' {
			spaces = append(spaces, i)
		}
	}
	if len(spaces) == 0 {
		return text + " " + ins
	}
	at := spaces[r.IntN(len(spaces))]
	return text[:at] + " " + ins + text[at:]
}

// keywordAnchors inserts one to three keyword anchors to unrelated
// domains at word boundaries inside the story's paragraphs.
func keywordAnchors(r *rand.Rand, s *source) plan {
	lang := pickLanguage(r, [4]float64{0.3, 0.6, 0.1, 0})
	ts := pickTrades(r, lang, 1+r.IntN(2))
	n := 1 + r.IntN(3)
	as := anchorsOf(r, ts, lang, n)
	var edits []edit
	placement := "mid_paragraph"
	ps := s.layout.paragraphs
	used := map[int]bool{}
	for _, a := range as {
		i := -1
		for tries := 0; tries < 8 && len(ps) > 0; tries++ {
			if j := r.IntN(len(ps)); !used[j] && len(ps[j].texts) > 0 {
				i = j
				break
			}
		}
		if i < 0 {
			placement = "body_end"
			at := s.layout.bodyClose
			edits = append(edits, edit{start: at, end: at, text: "\n<p>" + a.html() + "</p>\n"})
			continue
		}
		used[i] = true
		at, ok := wordBoundaryIn(r, s.doc.Body, ps[i].texts)
		if !ok {
			at = ps[i].inner.end
		}
		edits = append(edits, edit{start: at, end: at, text: " " + a.html()})
	}
	return plan{edits: edits, visible: true, meta: map[string]any{
		"placement": placement, "language": lang, "n_links": len(as), "trades": tradeNames(ts),
	}}
}

// wordBoundaryIn draws the offset of a space inside one of the text spans,
// away from entity references.
func wordBoundaryIn(r *rand.Rand, body []byte, texts []span) (int, bool) {
	var spaces []int
	for _, t := range texts {
		for i := t.start; i < t.end; i++ {
			if body[i] == ' ' && i > t.start && !inEntity(body, t.start, i) {
				spaces = append(spaces, i)
			}
		}
	}
	if len(spaces) == 0 {
		return 0, false
	}
	return spaces[r.IntN(len(spaces))], true
}

// inEntity reports whether offset i of body follows an unterminated "&"
// reference within its text span (a space never sits inside one, but be
// safe about "&amp ").
func inEntity(body []byte, from, i int) bool {
	for j := i - 1; j >= from && i-j < 12; j-- {
		switch body[j] {
		case ';', ' ':
			return false
		case '&':
			return true
		}
	}
	return false
}

// farmHeadings are the headings link farms hide behind ("" for none).
var farmHeadings = []string{"", "", "Partners", "Sponsors", "Useful links", "Friends", "Situs Rekomendasi", "Links", "Recommended sites", "相互リンク"}

// linkFarm adds a visible block of links to many unrelated domains.
func linkFarm(r *rand.Rand, s *source) plan {
	lang := pickLanguage(r, [4]float64{0.3, 0.5, 0.1, 0.1})
	ts := pickTrades(r, lang, 2+r.IntN(3))
	as := anchorsOf(r, ts, lang, 6+r.IntN(15))
	heading := pick(r, farmHeadings)
	style := pick(r, []string{"list", "inline", "inline"})
	var b strings.Builder
	b.WriteString("\n<div class=\"" + pick(r, []string{"links", "partners", "widget", "textwidget", "blogroll"}) + "\">")
	if heading != "" {
		b.WriteString("<h4>" + html.EscapeString(heading) + "</h4>")
	}
	if style == "list" {
		b.WriteString("<ul>")
		for _, a := range as {
			b.WriteString("<li>" + a.html() + "</li>")
		}
		b.WriteString("</ul>")
	} else {
		sep := pick(r, []string{" | ", " · ", ", ", " "})
		for i, a := range as {
			if i > 0 {
				b.WriteString(sep)
			}
			b.WriteString(a.html())
		}
	}
	b.WriteString("</div>\n")
	placement := pick(r, []string{"footer", "body_end", "article_end", "body_start"})
	at := insertionPoint(s, placement)
	if placement == "article_end" {
		if len(s.layout.paragraphs) > 0 {
			at = s.layout.afterParagraph(s.doc.Body, len(s.layout.paragraphs)-1)
		} else {
			placement = "body_end"
		}
	}
	return plan{edits: []edit{{start: at, end: at, text: b.String()}}, visible: true, meta: map[string]any{
		"placement": placement, "language": lang, "n_links": len(as), "trades": tradeNames(ts), "heading": heading, "style": style,
	}}
}

// keywordStuffing adds visible text that repeats one keyword phrase, as
// prose or as a comma-separated list.
func keywordStuffing(r *rand.Rand, s *source) plan {
	list := chance(r, 0.4)
	text, phrase := stuffedText(r, list)
	style := "prose"
	if list {
		style = "list"
	}
	block := "\n<p>" + html.EscapeString(text) + "</p>\n"
	at, placement := articlePoint(r, s)
	if chance(r, 0.4) {
		placement = pick(r, []string{"footer", "body_end"})
		at = insertionPoint(s, placement)
	}
	lang := "en"
	if strings.Contains(phrase, "gacor") {
		lang = "id"
	}
	return plan{edits: []edit{{start: at, end: at, text: block}}, visible: true, meta: map[string]any{
		"placement": placement, "language": lang, "style": style, "phrase": phrase,
	}}
}

// cloaking sends visitors elsewhere or shows crawlers other content: a
// meta refresh, a script redirect (at once, or only for visitors from a
// search engine, or only for browsers that are not crawlers, with spam
// written for the crawlers), or spam only in <noscript>.
func cloaking(r *rand.Rand, s *source) plan {
	method := pick(r, []string{"meta_refresh", "js_redirect", "referrer_redirect", "ua_check", "noscript"})
	t := pick(r, []trade{tradeGambling, tradePharma, tradeLoans, tradeReplica, tradeAdult})
	target := spamURL(r, t)
	m := map[string]any{"method": method, "trades": []string{string(t)}, "target_host": hostOf(target)}
	var text, placement string
	switch method {
	case "meta_refresh":
		delay := pick(r, []int{0, 0, 1, 2, 3, 5})
		text = fmt.Sprintf(`<meta http-equiv="refresh" content="%d; url=%s">`, delay, target)
		placement = "head"
		m["delay_seconds"] = delay
	case "js_redirect":
		text = pick(r, []string{
			`<script>window.location.replace("%s");</script>`,
			`<script type="text/javascript">window.location.href = '%s';</script>`,
			`<script>document.location = "%s";</script>`,
		})
		text = fmt.Sprintf(text, target)
		placement = pick(r, []string{"head", "body_end"})
	case "referrer_redirect":
		text = fmt.Sprintf(`<script>
var ref = document.referrer;
if (ref.indexOf("google.") > -1 || ref.indexOf("bing.") > -1 || ref.indexOf("yahoo.") > -1) {
  window.location.href = "%s";
}
</script>`, target)
		placement = pick(r, []string{"head", "body_end"})
	case "ua_check":
		lang := pickLanguage(r, [4]float64{0.4, 0.4, 0.1, 0.1})
		as := anchorsOf(r, []trade{t}, lang, 3+r.IntN(5))
		if len(as) > 0 {
			as[0].href = target
		}
		var links []string
		for _, a := range as {
			links = append(links, strings.ReplaceAll(a.html(), `"`, `\"`))
		}
		text = fmt.Sprintf(`<script>
var ua = navigator.userAgent.toLowerCase();
if (/googlebot|bingbot|baiduspider|yandex/.test(ua)) {
  document.write("<div>%s</div>");
} else if (ua.indexOf("mobile") > -1) {
  window.location.href = "%s";
}
</script>`, strings.Join(links, " "), target)
		placement = "body_end"
		m["n_links"] = len(as)
		m["language"] = lang
	case "noscript":
		lang := pickLanguage(r, [4]float64{0.4, 0.4, 0.1, 0.1})
		as := anchorsOf(r, []trade{t}, lang, 3+r.IntN(6))
		if len(as) > 0 {
			as[0].href = target
		}
		var links []string
		for _, a := range as {
			links = append(links, a.html())
		}
		text = "<noscript><div>" + strings.Join(links, " ") + "</div></noscript>"
		placement = pick(r, []string{"body_start", "body_end"})
		m["n_links"] = len(as)
		m["language"] = lang
	}
	m["placement"] = placement
	at := insertionPoint(s, placement)
	return plan{edits: []edit{{start: at, end: at, text: "\n" + text + "\n"}}, meta: m}
}

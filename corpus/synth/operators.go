package synth

import (
	"bytes"
	"fmt"
	"html/template"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/repack/repack/corpus"
)

// Other operators' families: scraper copies that carry none of the
// network's marks (no brand splice, no "X View" byline, no "veryGood!"
// counter). Each family is built around one kind of cue and draws the
// others at lower rates, as the real pages mix them
// (../shared/examples/other-operators: 009 shows a paywall on a
// plumber's domain, 032 a feed scraper's lines).
const (
	FamilyScraperFeed        = "scraper_feed"        // feed scraper: age and view counter, ad slots, "Read Entire Article"
	FamilyPublisherArtefacts = "publisher_artefacts" // the copied publisher's paywall or "Read more at" line left in
	FamilyTradeSite          = "trade_site"          // news on a tradesman's or shop's domain
)

// OperatorFamilies lists the other operators' families.
var OperatorFamilies = []string{FamilyScraperFeed, FamilyPublisherArtefacts, FamilyTradeSite}

// The cue kinds an operator copy carries, as recorded in Meta
// operator_cues.
const (
	CueBoilerplate = "boilerplate" // scraper lines: counters, ad slots, source links
	CueForeignLine = "foreign_line"
	CueTradeHost   = "trade_host"
	// CueCopyArtefact: what copying the publisher's markup leaves: its
	// byline widget's headshot as text ("Photo of Amy Graff"), a photo
	// caption printed twice, the second with its credit glued on.
	CueCopyArtefact = "copy_artefact"
)

// operatorCueRates are, per family, the chance of each cue kind; the
// family's own cue is certain.
var operatorCueRates = map[string]map[string]float64{
	FamilyScraperFeed:        {CueBoilerplate: 1, CueForeignLine: 0.25, CueTradeHost: 0.3, CueCopyArtefact: 0.15},
	FamilyPublisherArtefacts: {CueBoilerplate: 0.4, CueForeignLine: 1, CueTradeHost: 0.5, CueCopyArtefact: 0.4},
	FamilyTradeSite:          {CueBoilerplate: 0.5, CueForeignLine: 0.4, CueTradeHost: 1, CueCopyArtefact: 0.15},
}

// scraperLines by language: what feed scrapers and autoblog plugins print
// around a copy. Some are worded as no rule of scraper_boilerplate is
// ("Read Full Article"), as unseen operators word them.
var scraperLines = map[string][]string{
	"en": {"Read Entire Article", "Source link", "Read Full Article", "ARTICLE AD", "Advertisement ~ Scroll to continue", "CONTENT AD"},
	"de": {"Ganzen Artikel lesen", "Quelle Link", "Quellenlink", "ANZEIGE"},
	"fr": {"Lien source", "Lire l'article complet", "PUBLICITÉ"},
	"es": {"Enlace fuente", "Leer artículo completo", "PUBLICIDAD"},
}

// appearedFirst by language: WordPress's feed footer, %s the headline
// and the copied site.
var appearedFirst = map[string]string{
	"en": "The post %s appeared first on %s.",
	"de": "Der Beitrag %s erschien zuerst auf %s.",
	"fr": "L’article %s est apparu en premier sur %s.",
	"es": "La entrada %s se publicó primero en %s.",
}

// ageUnits by language: a relative age, %d the count, for "7 months ago 50".
var ageUnits = map[string][]string{
	"en": {"%d months ago", "%d days ago", "%d hours ago", "%d weeks ago"},
	"de": {"vor %d Monaten", "vor %d Tagen", "vor %d Stunden"},
	"fr": {"il y a %d mois", "il y a %d jours", "il y a %d heures"},
	"es": {"hace %d meses", "hace %d días", "hace %d horas"},
}

// paywallLines by language: the copied publisher's paywall, %s its name.
var paywallLines = map[string][][]string{
	"en": {
		{"Continue reading your article with a %s membership", "View Membership Options", "Already a member? Sign In"},
		{"Subscribe to %s to continue reading", "Already a subscriber? Log in"},
		{"Continue reading with a %s subscription"},
	},
	"de": {{"Weiterlesen mit %s", "Sie sind bereits Abonnent? Hier anmelden"}},
	"fr": {{"La suite est réservée aux abonnés de %s", "Déjà abonné ? Se connecter"}},
	"es": {{"Este contenido es exclusivo para suscriptores de %s", "¿Ya eres suscriptor? Inicia sesión"}},
}

// readMoreLines by language: a pointer to the rest of the story on the
// copied publisher's site, %s its name.
var readMoreLines = map[string][]string{
	"en": {"Read more at %s", "Read the full story at %s", "Continue reading at %s"},
	"de": {"Weiterlesen auf %s", "Den ganzen Artikel lesen auf %s"},
	"fr": {"Lire la suite sur %s", "Lire l’article complet sur %s"},
	"es": {"Leer más en %s", "Sigue leyendo en %s"},
}

// tradeHostWords are the trades the generator names hosts after: its
// own list, wider than lexis's, so that a host whose trade the feature
// does not know is a miss the evaluation shows.
var tradeHostWords = []string{"plumbing", "plumber", "roofing", "hvac", "heating", "electrical", "construction", "landscaping",
	"cleaning", "pestcontrol", "locksmith", "movers", "dental", "dentist", "lawfirm", "attorneys", "realty", "realestate", "tshirts",
	"apparel", "jewelry", "autorepair", "towing", "bakery", "pizzeria", "hairsalon", "petshop", "signage", "travelagency", "cricket",
	"flooring", "windows", "fencing", "gutters", "solarpanels", "yoga", "bridal", "tattoo"}

// hostPrefixes are the words a business domain puts before its trade.
var hostPrefixes = []string{"pacificsunshine", "northside", "bluewater", "goldenstate", "riverbend", "allpro", "sunrise", "metro", "eaglecrest",
	"premier", "lakeview", "citywide", "redrock", "greenleaf", "summit", "best", "abc", "first", "royal", "hometown"}

// tradeNav are a business site's menu items.
var tradeNav = map[string][]string{
	"en": {"Home", "Services", "About Us", "Testimonials", "Contact", "Free Estimate", "Blog"},
	"de": {"Startseite", "Leistungen", "Über uns", "Kontakt", "Blog"},
	"fr": {"Accueil", "Services", "À propos", "Contact", "Blog"},
	"es": {"Inicio", "Servicios", "Nosotros", "Contacto", "Blog"},
}

// newsNav are a scraper news site's menu items.
var newsNav = map[string][]string{
	"en": {"Home", "News", "World", "Business", "Entertainment", "Sports", "Tech"},
	"de": {"Startseite", "Nachrichten", "Welt", "Wirtschaft", "Sport"},
	"fr": {"Accueil", "Actualités", "Monde", "Économie", "Sport"},
	"es": {"Inicio", "Noticias", "Mundo", "Economía", "Deportes"},
}

// junkSyllables make the coined names of scraper domains ("newstuck",
// "squirge", "ejazzug").
var junkSyllables = []string{"news", "tuck", "squ", "irge", "ejaz", "zug", "vix", "dai", "ly", "feed", "ora", "pulse", "kin", "tro", "mex", "zen", "buzz", "qua", "lio", "rax"}

// operatorPage is what the operator layout prints.
type operatorPage struct {
	Lang, Title, Headline, SiteName string
	Nav                             []string
	DateLine                        string
	UnderHeadline                   []string
	Body                            []operatorBlock
	After                           []string
	Year                            int
}

type operatorBlock struct {
	Text string
	Slot bool // an ad slot's placeholder, not a paragraph
}

const operatorLayout = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<title>{{.Title}}</title>
<meta property="og:title" content="{{.Headline}}">
<meta property="og:site_name" content="{{.SiteName}}">
</head>
<body>
<header><a class="logo" href="/">{{.SiteName}}</a>
<nav><ul>{{range .Nav}}<li><a href="/{{.}}">{{.}}</a></li>{{end}}</ul></nav></header>
<main><article>
{{if .DateLine}}<div class="post-date">{{.DateLine}}</div>{{end}}
<h1 class="entry-title">{{.Headline}}</h1>
{{range .UnderHeadline}}<div class="post-meta">{{.}}</div>
{{end}}<div class="entry-content">
{{range .Body}}{{if .Slot}}<div class="ad-slot">{{.Text}}</div>{{else}}<p>{{.Text}}</p>{{end}}
{{end}}</div>
{{range .After}}<p class="post-source">{{.}}</p>
{{end}}</article></main>
<footer><p>© {{.Year}} {{.SiteName}}. All rights reserved.</p></footer>
</body>
</html>
`

var parsedOperatorLayout = sync.OnceValues(func() (*template.Template, error) {
	return template.New("operator").Parse(operatorLayout)
})

// OperatorCopy turns a story into another operator's copy: the story
// copied (whole, or cut where a paywall stops it), no credit, on a coined
// scraper domain or a business's domain, with the cues of the family
// drawn from r and recorded in Meta["synth"] (family, operator_cues, the
// lines added). It is labelled repackaged.
func (g *Generator) OperatorCopy(src Story, r *rand.Rand) (corpus.Document, error) {
	if len(src.Paragraphs) == 0 || src.Headline == "" {
		return corpus.Document{}, fmt.Errorf("operator copy %s: story has no headline or no paragraphs", src.ID)
	}
	lang := langKey(src.Language)
	family := pick(r, OperatorFamilies)
	var cues []string
	for _, c := range []string{CueBoilerplate, CueForeignLine, CueTradeHost, CueCopyArtefact} {
		if chance(r, operatorCueRates[family][c]) {
			cues = append(cues, c)
		}
	}
	has := func(c string) bool { return slices.Contains(cues, c) }
	publisher := src.SiteName
	if publisher == "" {
		publisher = src.Host
	}
	if publisher == "" {
		publisher = "The Daily Courier"
	}

	host, nav := junkHost(r), newsNav[lang]
	if has(CueTradeHost) {
		host = pick(r, hostPrefixes) + pick(r, tradeHostWords) + pick(r, []string{".com", ".com", ".net", ".us"})
		nav = tradeNav[lang]
	}
	siteName := strings.Split(host, ".")[0]
	p := &operatorPage{Lang: lang, Headline: src.Headline, SiteName: siteName, Nav: nav, Year: 2024 + r.IntN(2)}
	p.Title = src.Headline + pick(r, []string{" – ", " | ", " - "}) + siteName
	if chance(r, 0.4) {
		p.DateLine = time.Date(2024, time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC).Format("January 2, 2006")
	}
	meta := map[string]any{"kind": "operator_copy", "family": family, "operator_cues": cues, "host": host, "language": storyLanguage(src),
		"source_id": src.ID, "source_url": src.URL, "seed": g.opts.Seed, "variant": 0, "rendering": RenderHTML}

	paras := src.Paragraphs[:min(len(src.Paragraphs), maxParagraphs)]
	var lines []string // the cue lines added, for Meta
	var foreignAfter []string
	if has(CueForeignLine) {
		if chance(r, 0.6) {
			// The paywall stops the copy after a few paragraphs.
			paras = paras[:min(len(paras), 2+r.IntN(3))]
			set := pick(r, paywallLines[lang])
			for i, l := range set {
				if i == 0 {
					l = fmt.Sprintf(l, publisher)
				}
				foreignAfter = append(foreignAfter, l)
			}
		} else {
			foreignAfter = append(foreignAfter, fmt.Sprintf(pick(r, readMoreLines[lang]), publisher))
		}
		lines = append(lines, foreignAfter[0])
	}
	for _, t := range paras {
		p.Body = append(p.Body, operatorBlock{Text: t})
	}
	if has(CueCopyArtefact) {
		lines = append(lines, copyArtefacts(r, p, paras)...)
	}
	if has(CueBoilerplate) {
		n := 2 + r.IntN(2)
		for k := 0; k < n; k++ {
			if l := g.scraperLine(r, lang, src, publisher, p, lines); l != "" {
				lines = append(lines, l)
			}
		}
	}
	p.After = append(p.After, foreignAfter...)
	meta["operator_lines"] = lines
	meta["publisher"] = publisher

	t, err := parsedOperatorLayout()
	if err != nil {
		return corpus.Document{}, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return corpus.Document{}, fmt.Errorf("operator copy %s: %w", src.ID, err)
	}
	body, format := b.Bytes(), corpus.FormatHTML
	if chance(r, g.opts.TextShare) {
		o := textOptions{listMarker: chance(r, 0.5), blankLines: chance(r, 0.5), headline: src.Headline, lead: paras[0]}
		o.start = pickWeighted(r, []weighted[string]{{StartTop, 0.3}, {StartHeadline, 0.7}})
		text, start, err := renderText(body, o)
		if err != nil {
			return corpus.Document{}, fmt.Errorf("operator copy %s: text rendering: %w", src.ID, err)
		}
		body, format = text, corpus.FormatText
		// Captured whole: a cut would drop the lines after the story.
		meta["rendering"], meta["text_start"], meta["list_marker"], meta["blank_lines"], meta["text_cut_bytes"] = RenderText, start, o.listMarker, o.blankLines, 0
	}
	return corpus.Document{
		ID:     docID(src.ID, "#operator-", meta),
		URL:    "https://" + host + "/" + slug(src.Headline) + "/",
		Source: SourceRepackaged,
		Group:  src.Group,
		Label:  corpus.Repackaged,
		Format: format,
		Body:   body,
		Meta:   map[string]any{"synth": meta},
	}, nil
}

// photoCredits are the credits a copied caption carries, %s a person.
var photoCredits = []string{"%s/AP", "%s/Associated Press", "%s/Reuters", "%s/Getty Images", "Foto: %s/dpa"}

// copyArtefacts adds what copying the publisher's markup leaves: its
// byline widget's headshot as text under the headline, and (on half) a
// photo caption before the story printed twice, the second copy with its
// credit glued on. It returns the lines added.
func copyArtefacts(r *rand.Rand, p *operatorPage, paras []string) []string {
	var out []string
	if chance(r, 0.7) || len(paras) < 2 {
		l := "Photo of " + personName(r)
		p.UnderHeadline = append(p.UnderHeadline, l)
		out = append(out, l)
	}
	if len(paras) >= 2 && (len(out) == 0 || chance(r, 0.5)) {
		caption := firstSentence(paras[1])
		if len(strings.Fields(caption)) >= 12 {
			credited := caption + fmt.Sprintf(pick(r, photoCredits), personName(r))
			p.Body = slices.Insert(p.Body, 0, operatorBlock{Text: caption}, operatorBlock{Text: credited})
			out = append(out, credited)
		}
	}
	return out
}

// scraperLine adds one scraper line to p where scrapers put it and
// returns its text: an age and view counter or a keyword hashtag under
// the headline, an ad slot inside the story, a source line or the feed
// footer after it.
func (g *Generator) scraperLine(r *rand.Rand, lang string, src Story, publisher string, p *operatorPage, have []string) string {
	kind := r.IntN(5)
	if kind < 3 && slices.ContainsFunc(have, func(l string) bool { return scraperLineKind(l, src) == kind }) {
		return "" // one counter, one hashtag line, one footer a page
	}
	switch kind {
	case 0:
		l := fmt.Sprintf(pick(r, ageUnits[lang]), 1+r.IntN(11)) + " " + fmt.Sprint(r.IntN(900))
		p.UnderHeadline = append(p.UnderHeadline, l)
		return l
	case 1:
		if w := firstCapitalWord(src.Headline); w != "" {
			l := w + " #" + w
			p.UnderHeadline = append(p.UnderHeadline, l)
			return l
		}
	case 2:
		l := fmt.Sprintf(appearedFirst[lang], src.Headline, publisher)
		p.After = append(p.After, l)
		return l
	}
	l := pick(r, scraperLines[lang])
	if slices.Contains(have, l) {
		return ""
	}
	if isAdSlot(l) && len(p.Body) > 1 {
		at := 1 + r.IntN(len(p.Body)-1)
		p.Body = slices.Insert(p.Body, at, operatorBlock{Text: l, Slot: true})
	} else {
		p.After = append(p.After, l)
	}
	return l
}

// scraperLineKind returns which of scraperLine's first three kinds a
// line is (0 a counter, 1 a hashtag line, 2 the feed footer), else -1.
func scraperLineKind(l string, src Story) int {
	switch {
	case strings.Contains(l, " #"):
		return 1
	case strings.Contains(l, src.Headline):
		return 2
	case strings.IndexAny(l, "0123456789") >= 0:
		return 0
	}
	return -1
}

// isAdSlot reports whether a scraper line is an ad slot's placeholder.
func isAdSlot(l string) bool {
	return strings.ToUpper(l) == l || strings.HasPrefix(l, "Advertisement")
}

// firstCapitalWord returns the headline's first capitalised word of four
// letters or more after its first word (which any sentence capitalises),
// the keyword a scraper tags.
func firstCapitalWord(h string) string {
	fs := strings.Fields(h)
	if len(fs) > 0 {
		fs = fs[1:]
	}
	for _, f := range fs {
		f = strings.Trim(f, ".,:;!?'\"‘’“”")
		if len(f) >= 4 && f[0] >= 'A' && f[0] <= 'Z' && strings.IndexFunc(f, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') }) < 0 {
			return f
		}
	}
	return ""
}

// junkHost coins a scraper's domain from two or three syllables.
func junkHost(r *rand.Rand) string {
	var b strings.Builder
	for k := 2 + r.IntN(2); k > 0; k-- {
		b.WriteString(pick(r, junkSyllables))
	}
	return b.String() + pick(r, []string{".com", ".net", ".news", ".info", ".xyz"})
}

package inject

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/repack/repack/corpus"
)

// HardKind is a kind of hard negative: a legitimate page that looks like
// an injected one in one respect.
type HardKind string

// The kinds of hard negative.
const (
	// SameSiteFooter: a footer with many links, all to the page's own
	// site.
	SameSiteFooter HardKind = "same_site_footer"
	// SponsorBlock: a block clearly labelled as sponsored, linking to the
	// sponsor by its name.
	SponsorBlock HardKind = "sponsor_block"
	// TopicalPage: a page about gambling, medicines or loans on a site of
	// that trade (a gambling-news site, a pharmacy, a bank).
	TopicalPage HardKind = "topical_page"
	// Multilingual: a language switcher and a quoted foreign sentence.
	Multilingual HardKind = "multilingual"
	// AccessibilityText: "Skip to content" and other screen-reader text
	// hidden by CSS, and a hidden submenu of the site's own pages.
	AccessibilityText HardKind = "accessibility_text"
	// HiddenCookieBanner: a cookie banner hidden by display:none until a
	// script shows it.
	HiddenCookieBanner HardKind = "hidden_cookie_banner"
	// PartnerLinks: a block of links to the publishing group's other
	// portals, one of them its games portal named with a gambling word
	// ("Poker online at ..."), as a news portal of
	// ../shared/corpus/authentic-extra's study half shows.
	PartnerLinks HardKind = "partner_links"
)

// HardKinds returns every hard-negative kind, in a fixed order.
func HardKinds() []HardKind {
	return []HardKind{SameSiteFooter, SponsorBlock, TopicalPage, Multilingual, AccessibilityText, HiddenCookieBanner, PartnerLinks}
}

// HardNegative makes variant v of src's hard negatives, labelled
// authentic. A topical page is a page of its own on a site of its trade;
// the other kinds keep src's markup and add to it.
func (in *Injector) HardNegative(src corpus.Document, variant int) (corpus.Document, error) {
	s, err := checkSource(src)
	if err != nil {
		return corpus.Document{}, err
	}
	r := in.Stream(SourceHardNegative, src.ID, variant)
	kind := pick(r, HardKinds())
	prefix := "#inject-hardneg-" + string(kind) + "-"
	var p plan
	switch kind {
	case SameSiteFooter:
		p = sameSiteFooter(r, s)
	case SponsorBlock:
		p = sponsorBlock(r, s)
	case TopicalPage:
		return in.topicalPage(r, s, variant, prefix)
	case Multilingual:
		p = multilingual(r, s)
	case AccessibilityText:
		p = accessibilityText(r, s)
	case HiddenCookieBanner:
		p = hiddenCookieBanner(r, s)
	case PartnerLinks:
		p = partnerLinks(r, s)
	}
	p.meta["hard_negative"] = string(kind)
	return in.finish(s, r, p, corpus.Authentic, SourceHardNegative, prefix, variant)
}

// siteSections are the names of a site's own sections and furniture.
var siteSections = []string{"News", "Local", "World", "Business", "Sports", "Opinion", "Culture", "Science", "Health",
	"Weather", "Obituaries", "Classifieds", "Jobs", "Events", "Photos", "Video", "Podcasts", "Newsletters", "About us",
	"Contact us", "Advertise", "Careers", "Privacy policy", "Terms of use", "Cookie settings", "Accessibility",
	"Corrections", "Subscribe", "E-edition", "Archives", "Sitemap", "RSS feeds", "Help", "Letters to the editor"}

// siteLink is a link to a path of the page's own site, relative or
// absolute.
func siteLink(r *rand.Rand, s *source, name string) string {
	path := "/" + strings.ReplaceAll(strings.ToLower(name), " ", "-") + "/"
	if s.host != "" && chance(r, 0.5) {
		path = "https://" + s.host + path
	}
	return fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(path), html.EscapeString(name))
}

// sameSiteFooter adds a footer of 20 to 34 links to the site's own pages.
func sameSiteFooter(r *rand.Rand, s *source) plan {
	names := append([]string(nil), siteSections...)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	n := 20 + r.IntN(len(names)-19)
	var b strings.Builder
	b.WriteString("\n<footer class=\"site-footer\"><ul>")
	for _, name := range names[:n] {
		b.WriteString("<li>" + siteLink(r, s, name) + "</li>")
	}
	b.WriteString("</ul><p>All rights reserved.</p></footer>\n")
	at := s.layout.bodyClose
	return plan{edits: []edit{{start: at, end: at, text: b.String()}}, meta: map[string]any{
		"placement": "body_end", "n_links": n,
	}}
}

// sponsors are invented local businesses, linked by their own names.
var sponsors = []string{"Riverside Hardware", "Maple Street Bakery", "Harbor Bikes", "Summit Outdoor Supply", "Lakeview Dental", "Oakwood Garden Centre", "Bluebell Books"}

// sponsorBlock adds a block labelled as sponsored, with one or two links
// to the sponsor's site, whose name matches it.
func sponsorBlock(r *rand.Rand, s *source) plan {
	name := pick(r, sponsors)
	host := strings.ReplaceAll(strings.ToLower(name), " ", "") + "." + pick(r, spamTLDs)
	label := pick(r, []string{"Sponsored by", "Advertisement: presented by", "Partner content from", "This section is supported by"})
	links := 1 + r.IntN(2)
	var b strings.Builder
	b.WriteString("\n<aside class=\"sponsor\"><p class=\"sponsor-label\">" + html.EscapeString(label) + " ")
	b.WriteString(fmt.Sprintf(`<a href="https://%s/" rel="sponsored">%s</a></p>`, host, html.EscapeString(name)))
	b.WriteString("<p>" + html.EscapeString(name) + " has served the community for many years.")
	if links == 2 {
		b.WriteString(fmt.Sprintf(` Visit <a href="https://%s/visit" rel="sponsored">%s</a> to find the nearest shop.`, host, html.EscapeString(name)))
	}
	b.WriteString("</p></aside>\n")
	at, placement := articlePoint(r, s)
	if chance(r, 0.4) {
		placement = "footer"
		at = insertionPoint(s, placement)
	}
	return plan{edits: []edit{{start: at, end: at, text: b.String()}}, meta: map[string]any{
		"placement": placement, "n_links": links, "sponsor": name,
	}}
}

// languageNames are a language switcher's entries, each in its own
// language.
var languageNames = []struct{ code, name string }{
	{"en", "English"}, {"de", "Deutsch"}, {"fr", "Français"}, {"es", "Español"}, {"it", "Italiano"},
	{"pt", "Português"}, {"ja", "日本語"}, {"zh", "中文"}, {"ru", "Русский"}, {"ar", "العربية"}, {"ko", "한국어"},
}

// foreignQuotes are short sentences a page may quote in another language.
var foreignQuotes = []struct{ lang, text string }{
	{"fr", "Ici, chacun trouve une place à table."},
	{"de", "Wer nicht wagt, der nicht gewinnt."},
	{"es", "Caminante, no hay camino, se hace camino al andar."},
	{"it", "Chi va piano va sano e va lontano."},
	{"pt", "Devagar se vai ao longe."},
	{"ja", "七転び八起き。"},
	{"zh", "千里之行，始于足下。"},
	{"nl", "Wie niet waagt, die niet wint."},
}

// multilingual adds a language switcher at the top of the body and a
// quoted foreign sentence at the end of one of the story's paragraphs.
func multilingual(r *rand.Rand, s *source) plan {
	langs := append(languageNames[:0:0], languageNames...)
	r.Shuffle(len(langs), func(i, j int) { langs[i], langs[j] = langs[j], langs[i] })
	n := 3 + r.IntN(len(langs)-2)
	var b strings.Builder
	b.WriteString("\n<ul class=\"language-switcher\">")
	for _, l := range langs[:n] {
		b.WriteString(fmt.Sprintf(`<li><a href="/%s/" hreflang="%s">%s</a></li>`, l.code, l.code, html.EscapeString(l.name)))
	}
	b.WriteString("</ul>\n")
	at := s.layout.bodyStart()
	edits := []edit{{start: at, end: at, text: b.String()}}
	q := pick(r, foreignQuotes)
	quoted := ""
	if ps := s.layout.paragraphs; len(ps) > 0 {
		p := ps[r.IntN(len(ps))]
		edits = append(edits, edit{start: p.inner.end, end: p.inner.end, text: " «" + html.EscapeString(q.text) + "»"})
		quoted = q.lang
	}
	return plan{edits: edits, visible: true, meta: map[string]any{
		"placement": "body_start", "n_links": n, "quote_language": quoted,
	}}
}

// accessibilityText adds a "Skip to content" link and screen-reader
// headings hidden by a clip rule, and a submenu of the site's own pages
// hidden until hovered.
func accessibilityText(r *rand.Rand, s *source) plan {
	class := pick(r, []string{"screen-reader-text", "sr-only", "visually-hidden"})
	rule := "." + class + "{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(1px,1px,1px,1px)}"
	var b strings.Builder
	b.WriteString("\n" + fmt.Sprintf(`<a class="%s" href="#content">Skip to content</a>`, class))
	b.WriteString(fmt.Sprintf(`<h2 class="%s">%s</h2>`, class, pick(r, []string{"Main navigation", "Site menu", "Search"})))
	names := append([]string(nil), siteSections[:12]...)
	r.Shuffle(len(names), func(i, j int) { names[i], names[j] = names[j], names[i] })
	n := 3 + r.IntN(6)
	b.WriteString(`<ul class="submenu" style="display:none">`)
	for _, name := range names[:n] {
		b.WriteString("<li>" + siteLink(r, s, name) + "</li>")
	}
	b.WriteString("</ul>\n")
	head := s.layout.headEnd()
	at := s.layout.bodyStart()
	edits := []edit{{start: at, end: at, text: b.String()}}
	if head != at {
		edits = append(edits, edit{start: head, end: head, text: "<style>" + rule + "</style>"})
	}
	return plan{edits: edits, meta: map[string]any{
		"placement": "body_start", "n_links": n + 1, "class": class,
	}}
}

// hiddenCookieBanner adds a cookie banner hidden by display:none, as
// consent scripts ship it before they show it.
func hiddenCookieBanner(r *rand.Rand, s *source) plan {
	text := pick(r, []string{
		"We use cookies to remember your preferences, to measure how our website is used and to show you relevant advertising. You can accept all cookies or choose which ones we may use.",
		"This website stores cookies on your device. They help us understand how visitors use the site and let our partners show advertising. Manage your settings at any time.",
		"Wir verwenden Cookies, um unsere Website für Sie optimal zu gestalten und fortlaufend zu verbessern. Sie können Ihre Einstellungen jederzeit ändern.",
	})
	var b strings.Builder
	b.WriteString("\n<div id=\"cookie-banner\" style=\"display:none\"><p>" + html.EscapeString(text) + "</p>")
	b.WriteString(siteLink(r, s, "Privacy policy") + " ")
	b.WriteString(`<a href="https://www.onetrust.com/products/cookie-consent/">Cookie consent by OneTrust</a>`)
	b.WriteString("<button>Accept all</button><button>Settings</button></div>\n")
	placement := pick(r, []string{"body_start", "body_end"})
	at := insertionPoint(s, placement)
	return plan{edits: []edit{{start: at, end: at, text: b.String()}}, meta: map[string]any{
		"placement": placement, "n_links": 2,
	}}
}

// topicSite is a site whose trade a topical page is about.
type topicSite struct {
	name, host string
}

// topics are the trades of topical pages: the sites, the sections of
// their menus, the headlines and the sentences their pages are made of.
// The sentences are a trade's honest prose: regulation news, a pharmacy's
// service page, a bank's loan terms.
var topics = []struct {
	name      string
	sites     []topicSite
	sections  []string
	headlines []string
	sentences []string
}{
	{
		name:      "gambling",
		sites:     []topicSite{{"CasinoWire News", "casinowire-news.example"}, {"Poker Industry Report", "pokerindustry-report.example"}, {"Betting Regulation Today", "bettingregulation-today.example"}},
		sections:  []string{"Regulation", "Casinos", "Poker", "Sports betting", "Lottery"},
		headlines: []string{"Regulator tightens rules for online casino bonuses", "Sports betting revenue climbs as new licences take effect", "Poker operators face new checks on player funds", "Lottery commission reviews its online games"},
		sentences: []string{
			"The gambling regulator published new rules for online casino operators on Tuesday, requiring stricter age checks before any deposit.",
			"Operators will have to cap welcome bonus offers and stop advertising free spins to customers who have not yet made a deposit.",
			"Industry groups said the rules on sports betting advertising were workable, but warned that unlicensed betting sites would gain customers.",
			"Revenue from poker and casino games rose last year, while lottery sales fell slightly.",
			"Treatment charities welcomed the limits on slot machine stakes and asked for a levy to fund gambling addiction services.",
			"The regulator fined a casino operator for failing to check the source of a high-stakes player's funds.",
			"Sportsbook operators expect the new tax on betting profits to reduce the odds they can offer.",
			"Lawmakers will debate whether to allow online casinos alongside the state lottery later this year.",
			"Affordability checks will apply to players who lose more than a set amount in a month.",
		},
	},
	{
		name:      "pharma",
		sites:     []topicSite{{"Northside Pharmacy", "northside-pharmacy.example"}, {"Green Cross Pharmacy", "greencross-pharmacy.example"}, {"Harbour Chemists", "harbour-chemists.example"}},
		sections:  []string{"Prescriptions", "Travel health", "Vaccinations", "Online consultations", "Contact"},
		headlines: []string{"Erectile dysfunction treatment", "Prescription weight loss service", "How our online consultations work"},
		sentences: []string{
			"Our pharmacists can supply sildenafil, the medicine sold as Viagra, after a private consultation.",
			"Tadalafil, known by the brand name Cialis, lasts longer than sildenafil and can be taken daily at a low dose.",
			"Both are prescription medicines, so we ask about your heart health, blood pressure and other medicines before supplying them.",
			"These treatments must never be combined with nitrates, which are used for chest pain.",
			"Generic versions cost less than the branded medicines and contain the same active ingredient.",
			"If a treatment is not suitable for you, we will refer you to your doctor.",
			"Our online pharmacy delivers prescription medicines in discreet packaging within two working days.",
			"Weight loss treatments are available after a consultation with one of our prescribers.",
		},
	},
	{
		name:      "loans",
		sites:     []topicSite{{"Northfield Bank", "northfield-bank.example"}, {"Riverside Credit Union", "riverside-credit.example"}},
		sections:  []string{"Current accounts", "Savings", "Mortgages", "Personal loans", "Credit cards"},
		headlines: []string{"Personal loans: rates and terms", "Borrowing responsibly", "Consolidating your debts"},
		sentences: []string{
			"Personal loans range from one thousand to twenty-five thousand pounds, repaid over one to seven years.",
			"We check your credit history before we lend, and a missed payment can affect your credit score.",
			"We do not offer payday loans: an arranged overdraft on your current account costs less for short-term borrowing.",
			"Debt consolidation can lower your monthly payments, but you may pay more interest over a longer term.",
			"The rate you are offered depends on the amount, the term and your circumstances.",
			"If you are struggling with repayments, talk to us early: our hardship team can agree a plan with you.",
		},
	},
}

// topicalPage writes a page of its own about a trade on a site of that
// trade: the menu of its sections, a headline and four to seven
// paragraphs of the trade's honest prose.
func (in *Injector) topicalPage(r *rand.Rand, s *source, variant int, prefix string) (corpus.Document, error) {
	t := topics[r.IntN(len(topics))]
	site := pick(r, t.sites)
	headline := pick(r, t.headlines)
	var b strings.Builder
	b.WriteString("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
	b.WriteString("<title>" + html.EscapeString(headline+" | "+site.name) + "</title>\n")
	b.WriteString(`<meta property="og:site_name" content="` + html.EscapeString(site.name) + "\">\n</head>\n<body>\n<header><nav><ul>")
	b.WriteString(`<li><a href="/">Home</a></li>`)
	for _, sec := range t.sections {
		b.WriteString(fmt.Sprintf(`<li><a href="/%s/">%s</a></li>`, strings.ReplaceAll(strings.ToLower(sec), " ", "-"), html.EscapeString(sec)))
	}
	b.WriteString("</ul></nav></header>\n<main><article>\n<h1>" + html.EscapeString(headline) + "</h1>\n")
	k := 4 + r.IntN(4)
	idx := r.Perm(len(t.sentences))
	for p := 0; p < k; p++ {
		n := 1 + r.IntN(2)
		var ss []string
		for j := 0; j < n; j++ {
			ss = append(ss, t.sentences[idx[(p*2+j)%len(idx)]])
		}
		b.WriteString("<p>" + html.EscapeString(strings.Join(ss, " ")) + "</p>\n")
	}
	b.WriteString("</article></main>\n<footer><p>© " + html.EscapeString(site.name) + "</p></footer>\n</body>\n</html>\n")
	url := "https://www." + site.host + "/" + strings.ReplaceAll(strings.ToLower(headline), " ", "-") + "-" + strconv.Itoa(r.IntN(9000)+1000)
	m := map[string]any{
		"hard_negative": string(TopicalPage), "placement": "page", "language": "en", "n_links": len(t.sections) + 1,
		"topic": t.name, "site": site.host, "seed": in.opts.Seed, "variant": variant, "source_id": s.doc.ID,
		"source": s.doc.Source, "rendering": "html",
	}
	return corpus.Document{
		ID:     s.doc.ID + prefix + strconv.Itoa(variant),
		URL:    url,
		Source: SourceHardNegative,
		Group:  site.host,
		Label:  corpus.Authentic,
		Format: corpus.FormatHTML,
		Body:   []byte(b.String()),
		Meta:   map[string]any{MetaKey: m},
	}, nil
}

// partnerPortals are a publishing group's other portals: a name, and the
// words of its host.
var partnerPortals = []struct{ name, host string }{
	{"Weather for your town", "weathernow"}, {"Jobs and careers", "jobsboard"}, {"Cars for sale", "automarkt"},
	{"Recipes every day", "kitchenlab"}, {"Travel deals", "tripplanner"}, {"Property listings", "homefinder"},
	{"TV listings", "tvguide"}, {"Horoscopes", "starsigns"},
}

// partnerGames are the games portal's link, with a gambling word in it.
var partnerGames = []string{"Poker online at GameArena", "Play online poker with GameArena", "Free casino games at GameArena"}

// partnerLinks adds a block of four to seven links to the group's other
// portals, one of them its games portal with a gambling word in the
// anchor: one cue, in one block, that a genuine portal shows.
func partnerLinks(r *rand.Rand, s *source) plan {
	portals := append([]struct{ name, host string }(nil), partnerPortals...)
	r.Shuffle(len(portals), func(i, j int) { portals[i], portals[j] = portals[j], portals[i] })
	n := 3 + r.IntN(4)
	games := 1 + r.IntN(n)
	var b strings.Builder
	b.WriteString("\n<section class=\"partner-links\"><h3>From our network</h3><ul>")
	for i, p := range portals[:n] {
		if i == games-1 {
			b.WriteString(fmt.Sprintf(`<li><a href="https://gamearena.%s/">%s</a></li>`, pick(r, spamTLDs), html.EscapeString(pick(r, partnerGames))))
		}
		b.WriteString(fmt.Sprintf(`<li><a href="https://%s.%s/">%s</a></li>`, p.host, pick(r, spamTLDs), html.EscapeString(p.name)))
	}
	b.WriteString("</ul></section>\n")
	at := insertionPoint(s, "footer")
	return plan{edits: []edit{{start: at, end: at, text: b.String()}}, meta: map[string]any{
		"placement": "footer", "n_links": n + 1,
	}}
}

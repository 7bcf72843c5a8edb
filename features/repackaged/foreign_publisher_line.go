package repackaged

import (
	"math"
	"regexp"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// lineReadMore names the pointers to the rest of the story elsewhere.
const lineReadMore = "read more elsewhere"

// publisherLine is one shape of a line that names the publisher a story
// belongs to: a paywall's offer, a pointer to the rest of the story.
// Pattern's group "pub" is the publisher's name.
type publisherLine struct {
	name string
	// needs is a lower-case word every line of the shape holds.
	needs   need
	pattern *regexp.Regexp
}

func shape(name, needs string, pattern *regexp.Regexp) publisherLine {
	return publisherLine{name: name, needs: newNeed(needs), pattern: pattern}
}

// publisherLines are tried in order on every short line; the first match
// counts. Each is written from a page that taught it or from the
// publishers' own wording in the corpora's languages.
var publisherLines = []publisherLine{
	// "Continue reading your article with a WSJ membership"
	// (other-operators/009-copy.txt: the paywall of the newspaper copied
	// onto a plumbing firm's domain).
	shape("paywall", "continue", regexp.MustCompile(`(?i)^continue reading (?:your article |this article |the (?:full |rest of the )?(?:story|article) )?with (?:a |an )?(?P<pub>.{2,40}?) (?:membership|subscription|account|digital subscription)$`)),
	shape("paywall", "subscribe", regexp.MustCompile(`(?i)^subscribe to (?P<pub>.{2,40}?) to (?:continue|keep) reading$`)),
	shape("paywall", "weiterlesen", regexp.MustCompile(`(?i)^(?:jetzt )?weiterlesen mit (?P<pub>.{2,40}?)$`)),
	shape("paywall", "abonn", regexp.MustCompile(`(?i)^(?:la suite (?:de cet article )?est réservée aux abonnés (?:de |du |d['’]))(?P<pub>.{2,40}?)$`)),
	shape("paywall", "suscriptores", regexp.MustCompile(`(?i)^(?:este contenido es exclusivo para (?:los )?suscriptores de) (?P<pub>.{2,40}?)$`)),
	// "Read more at The Guardian", "Continue reading at nytimes.com":
	// the rest of the story is another publisher's.
	// "Read more on" names a topic as often as a site ("Read more on
	// Canara Bank share price", a genuine page of htmldate's set): only
	// "at", or "on" after the whole story, counts.
	shape(lineReadMore, "read", regexp.MustCompile(`(?i)^(?:(?:read more|click here to read more|continue reading) at|(?:read|continue reading) the (?:full|whole|rest of the) (?:story|article) (?:at|on)) (?P<pub>.{2,40}?)\.?$`)),
	// "Mehr bei Über uns" is a menu: German counts "weiterlesen" only.
	shape(lineReadMore, "lesen", regexp.MustCompile(`(?i)^(?:weiterlesen|den (?:ganzen|vollständigen) artikel lesen) (?:auf|bei) (?P<pub>.{2,40}?)\.?$`)),
	shape(lineReadMore, "lire", regexp.MustCompile(`(?i)^(?:lire la suite|lire l['’]article (?:complet|entier)) sur (?P<pub>.{2,40}?)\.?$`)),
	shape(lineReadMore, "le", regexp.MustCompile(`(?i)^(?:leer|lee|seguir leyendo|sigue leyendo) (?:más |la noticia completa |el artículo completo )?en (?P<pub>.{2,40}?)\.?$`)),
}

// ForeignPublisherLine finds another publisher's paywall or pointer in
// the copy.
var ForeignPublisherLine = signal.Extractor{
	Name:   "foreign_publisher_line",
	Family: signal.Repackaged,
	Doc: `Another publisher's line is left in the copy. ` +
		`Its paywall ("Continue reading your article with a WSJ membership" on a ` +
		`plumbing firm's domain) or a pointer to the rest of the story on its site ("Read more at ...", "Weiterlesen auf ...", ` +
		`"Lire la suite sur ...", "Leer más en ..."), naming a publisher the page's site is not. The name is compared with the site's host ` +
		`and names as title_site_mismatch compares them (letters in common, initials: "WSJ" on wsj.com is the site's own); a page ` +
		`whose site is unknown is not judged. A pointer counts only when the page names the publisher nowhere else: a blog that ` +
		`quotes a story names its source in its own words ("The Ledger reports that ..."), a partner's licensed copy credits it ` +
		`("originally published by ..."), and a scraper's verbatim copy of the publisher's story does neither. Value: 1 per line, capped at 3.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		site := p.Site()
		if site.Host == "" {
			return r
		}
		var line strings.Builder
		var low []byte
		for i := 0; i < len(p.Blocks); i++ {
			b := p.Blocks[i]
			if b.Words == 0 || b.Words > 16 {
				continue
			}
			// A line broken in two ("Continue reading your article with" /
			// "a WSJ membership") is read whole.
			low = lexis.AppendLowerASCII(low[:0], p.Text[b.Start:b.End])
			if !mayBePublisherLine(p.Text[b.Start:b.End], low) {
				continue // the line a break splits starts with its needed word too
			}
			end, text := b.End, collapseSpaces(&line, p.BlockText(i))
			name, pub, ok := publisherLineOf(text)
			if !ok && i+1 < len(p.Blocks) && b.Words <= 8 && b.Words+p.Blocks[i+1].Words <= 16 && !lexis.EndsSentence(text) {
				name, pub, ok = publisherLineOf(text + " " + collapseSpaces(&line, p.BlockText(i+1)))
				if ok {
					end = p.Blocks[i+1].End
					i++
				}
			}
			if ok && name == lineReadMore && namedElsewhere(p, pub, b.Start, end) {
				// A blog that quotes X ("X reports that ...") and a
				// partner's credit ("first published by X") name X in
				// their own words; a scraper's copy of X's story does not.
				continue
			}
			if ok && !isSitesOwn(p, site, pub) {
				r.Value++
				r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, end, name+" of "+quote(pub)+", not "+site.Host))
			}
		}
		r.Value = math.Min(r.Value, 3)
		return r
	},
}

// mayBePublisherLine reports whether a line (low: the line with its ASCII
// letters in lower case) holds the word some shape of publisher line
// needs.
func mayBePublisherLine(line string, low []byte) bool {
	letters := lexis.Letters(line)
	for _, pl := range publisherLines {
		if pl.needs.in(letters, low) {
			return true
		}
	}
	return false
}

// publisherLineOf returns the shape of a publisher's line and the
// publisher it names, if text is one.
func publisherLineOf(text string) (name, pub string, ok bool) {
	for _, pl := range publisherLines {
		if m := pl.pattern.FindStringSubmatch(text); m != nil {
			return pl.name, strings.Trim(m[pl.pattern.SubexpIndex("pub")], " !?.,:;"), true
		}
	}
	return "", "", false
}

// namedElsewhere reports whether the page's visible text names pub
// outside the span [start, end) of the line that points to it: more often
// than that line does, in the page's lower-case text.
func namedElsewhere(p *article.Article, pub string, start, end int) bool {
	if len(pub) < 3 {
		return false
	}
	name := strings.ToLower(pub)
	return strings.Count(p.LowerText(), name) > strings.Count(strings.ToLower(p.Text[start:end]), name)
}

// isSitesOwn reports whether the publisher's name pub is the page's own
// site: its host, or one of its names, agree with it.
func isSitesOwn(p *article.Article, site article.Site, pub string) bool {
	np := normSite(strings.TrimPrefix(strings.ToLower(pub), "the "))
	if len(np) < 2 {
		return true // no name to compare: not judged
	}
	nh := normSite(site.Host)
	if namesAgree(np, nh) && len(np) >= 4 || strings.Contains(nh, np) || initialsAgree(pub, nh) {
		return true
	}
	for _, c := range p.SiteNames {
		if n := normSite(c.Text); len(n) >= 3 && (namesAgree(np, n) && len(np) >= 4 || n == np) {
			return true
		}
	}
	return false
}

package article

import (
	"net/url"
	"strings"

	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
)

// Site is who publishes the page, as far as the page shows it: its host,
// registrable domain and the words of its names. Both families ask it
// whether a link, a name or a redirect is the page's own.
type Site struct {
	// Host is the page's host, lower case without "www."; "" when unknown.
	Host string
	// Domain is Host's registrable domain (eTLD+1), Label the domain
	// without its public suffix ("nytimes").
	Domain, Label string
	// Inferred reports that Host came from the page's og:url, canonical
	// link or links, not from its URL.
	Inferred bool
	// Words are the lower-case words of the host's labels and of the
	// site's names (title suffix, og:site_name, publisher, logo link,
	// copyright line).
	Words []string
}

// Site returns the page's site, decided once by one rule: the URL's
// host; else og:url's; else the canonical link's; else the domain that
// at least three and a third of the page's absolute links point at.
func (a *Article) Site() Site {
	a.siteOnce.Do(func() { a.site = readSite(a) })
	return a.site
}

func readSite(a *Article) Site {
	var s Site
	s.Host = a.Host()
	for _, k := range []string{"og:url", page.MetaCanonical} {
		if s.Host != "" {
			break
		}
		if h, ok := page.HrefHost(a.Meta[k]); ok && h != "" {
			s.Host, s.Inferred = h, true
		}
	}
	if s.Host == "" {
		s.Host = linksDomain(a.Page)
		s.Inferred = s.Host != ""
	}
	if s.Host != "" {
		s.Domain = page.DomainOf(s.Host)
		s.Label = page.LabelOf(s.Domain)
		s.Words = append(s.Words, strings.FieldsFunc(s.Host, func(r rune) bool { return r == '.' || r == '-' })...)
	}
	for _, c := range a.SiteNames {
		if c.Origin == "url:host" {
			continue
		}
		for _, t := range lexis.Tokenize(nil, c.Text, 0, len(c.Text), nil) {
			s.Words = append(s.Words, strings.ToLower(t.Of(c.Text)))
		}
	}
	return s
}

// linksDomain returns the registrable domain most of the page's absolute
// links point at, when at least three and a third of them do.
func linksDomain(p *page.Page) string {
	counts := map[string]int{}
	total := 0
	best, bestN := "", 0
	for _, l := range p.Links {
		h, ok := page.HrefHost(l.Href)
		if !ok || h == "" {
			continue
		}
		d := page.DomainOf(h)
		total++
		counts[d]++
		if counts[d] > bestN || counts[d] == bestN && d < best {
			best, bestN = d, counts[d]
		}
	}
	if bestN >= 3 && bestN*3 >= total {
		return best
	}
	return ""
}

// hostOf returns the lower-case host of a URL without "www.".
func hostOf(u *url.URL) string {
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// SiteName returns the name the page gives its site (its title suffix,
// og:site_name, publisher, logo link or copyright line, the first found),
// lower case with white space collapsed; "" when it gives none. Pages
// without a URL are grouped by it, so that one site's pages stay on one
// side of a cross-validation split.
func (a *Article) SiteName() string {
	for _, c := range a.SiteNames {
		if c.Origin == "url:host" {
			continue
		}
		if n := strings.ToLower(strings.Join(strings.Fields(c.Text), " ")); n != "" {
			return n
		}
	}
	return ""
}

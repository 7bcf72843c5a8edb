package injected

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
)

// Evidence fields of cloaking_hints.
const (
	// fieldScript is an inline script's text (Page.Scripts[i].Text; the
	// path tells which script).
	fieldScript = "script"
	// fieldMetaRefresh is the content of <meta http-equiv=refresh>.
	fieldMetaRefresh = "meta:refresh"
	// fieldNoscript is Page.NoscriptText.
	fieldNoscript = "noscript"
)

// Limits of cloaking_hints.
const (
	cloakingMax = 2
)

// CloakingHints finds pages that show search engines or script-less
// visitors something else than readers.
var CloakingHints = signal.Extractor{
	Name:   "cloaking_hints",
	Family: signal.Injected,
	Doc: `A meta refresh or script redirect to another site, spam in <noscript>, or user-agent and referrer checks. ` +
		`Hacked pages send visitors from a search engine elsewhere and show crawlers the spam: a <meta http-equiv=refresh> to another ` +
		`host counts 1 (0.5 after more than five seconds, nothing after a minute: a news page reloading); a script that tests ` +
		`navigator.userAgent for crawler names or document.referrer for search engines within 400 bytes of a redirect to another ` +
		`site (window.location and its kin assigned a literal URL) or a document.write counts 1; a script that assigns window.location a literal URL on another host as the page loads (not in a function, as a ` +
		`search form's handler does) counts 0.5. Libraries that list bot names far from any redirect stay quiet. Text in <noscript> ` +
		`counts 1 when it holds spam vocabulary or a link spam_links would count; merely holding more words than the visible page ` +
		`does not count (a script-built site's fallback does that). Redirects within the site are not ` +
		`counted. Value: the sum, capped at 2.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := pass.Page
		v := viewOf(p)
		c := cloakOf(p, v)
		var r signal.Result
		if c.refresh.ok {
			r.Value += c.refresh.weight
			r.Evidence = append(r.Evidence, c.refresh.ev)
		}
		for _, sh := range c.scripts {
			r.Value += sh.weight
			r.Evidence = append(r.Evidence, sh.evs...)
		}
		if w, ev, ok := noscriptHint(p, v); ok {
			r.Value += w
			r.Evidence = append(r.Evidence, ev)
		}
		if len(r.Evidence) > maxEvidence {
			r.Evidence = r.Evidence[:maxEvidence]
		}
		r.Value = math.Min(r.Value, cloakingMax)
		return r
	},
}

// cloak is what cloaking_hints reads of a page, once: its meta refresh and
// the hints of its inline scripts (spam_links counts their redirects).
type cloak struct {
	refresh refreshHint
	scripts []scriptHint
}

// refreshHint is a meta refresh to another site.
type refreshHint struct {
	ok     bool
	weight float64
	host   string
	ev     signal.Evidence
}

// scriptHint is what one inline script gives away: its weight and
// evidence, and the host it redirects to as the page loads or behind a
// crawler or referrer test ("" when none counts).
type scriptHint struct {
	weight float64
	evs    []signal.Evidence
	host   string
}

type cloakKey struct{}

func cloakOf(p *page.Page, v *view) *cloak {
	return p.Memo(cloakKey{}, func(p *page.Page) any {
		c := &cloak{}
		if w, ev, ok := metaRefreshHint(p, v); ok {
			host, _ := page.HrefHost(ev.Text)
			c.refresh = refreshHint{ok: true, weight: w, host: host, ev: ev}
		}
		for _, s := range p.Scripts {
			if sh := scriptHints(s, v); sh.weight > 0 {
				c.scripts = append(c.scripts, sh)
			}
		}
		return c
	}).(*cloak)
}

// offSite reports whether an absolute URL leads to another site than the
// page's, and returns its host.
func offSite(v *view, u string) (string, bool) {
	h, ok := page.HrefHost(u)
	if !ok || h == "" {
		return "", false
	}
	if v.site.Domain == "" {
		return h, true
	}
	d := page.DomainOf(h)
	return h, !sameSite(v.site, d, page.LabelOf(d))
}

func metaRefreshHint(p *page.Page, v *view) (float64, signal.Evidence, bool) {
	c := p.MetaRefresh
	if c == "" {
		return 0, signal.Evidence{}, false
	}
	delay := c
	i := strings.IndexAny(c, ";,")
	if i < 0 {
		return 0, signal.Evidence{}, false
	}
	delay = strings.TrimSpace(c[:i])
	rest := c[i+1:]
	j := strings.Index(strings.ToLower(rest), "url")
	if j < 0 {
		return 0, signal.Evidence{}, false
	}
	start := i + 1 + j + 3
	for start < len(c) && (c[start] == ' ' || c[start] == '=') {
		start++
	}
	for start < len(c) && (c[start] == '\'' || c[start] == '"') {
		start++
	}
	end := len(c)
	for end > start && (c[end-1] == '\'' || c[end-1] == '"' || c[end-1] == ' ') {
		end--
	}
	host, off := offSite(v, c[start:end])
	if !off {
		return 0, signal.Evidence{}, false
	}
	w := 1.0
	if d, err := strconv.ParseFloat(delay, 64); err == nil && d > 5 {
		if d > 60 {
			// A news page reloading itself every few minutes.
			return 0, signal.Evidence{}, false
		}
		w = 0.5
	}
	return w, signal.FieldSpan(fieldMetaRefresh, c, start, end, nil, "meta refresh to "+host), true
}

// crawlerNames are the user-agent substrings cloaking scripts test for.
var crawlerNames = []string{"googlebot", "bingbot", "baiduspider", "yandex", "slurp", "duckduckbot", "sogou", "360spider", "bytespider", "spider", "crawler"}

// searchReferrers are the referrers a conditional redirect waits for.
var searchReferrers = []string{"google.", "bing.", "yahoo.", "baidu.", "yandex.", "duckduckgo.", "naver."}

// testWindow is how close (in bytes) a crawler or referrer test must be
// to the redirect or document.write it guards.
const testWindow = 400

// scriptHints reads one inline script. It searches with strings.Index for
// a few fixed needles before looking closer, so that the large analytics
// scripts most pages carry cost one scan each. Libraries that list bot
// names (device detectors, lazy loaders) test the user agent far from any
// redirect; a cloaking snippet tests it right before one.
func scriptHints(s page.Script, v *view) scriptHint {
	text := s.Text
	redirHost, redirStart, redirEnd := "", -1, -1
	var sinks []int
	for off := 0; off < len(text); {
		k := strings.Index(text[off:], "location")
		if k < 0 {
			break
		}
		k += off
		off = k + len("location")
		e, ok := redirectAt(text, k)
		if !ok {
			continue // a read: "window.location.host === w"
		}
		us, ue, ok := literalURLAfter(text, e)
		if !ok {
			continue
		}
		h, o := offSite(v, text[us:ue])
		if !o {
			continue // within the site: an interstitial, a login
		}
		sinks = append(sinks, k)
		if redirStart < 0 {
			redirHost, redirStart, redirEnd = h, us, ue
		}
	}
	// One pass over "document." finds the writes and the referrer reads.
	var referrers []int
	for off := 0; off < len(text); {
		k := strings.Index(text[off:], "document.")
		if k < 0 {
			break
		}
		k += off
		off = k + len("document.")
		switch {
		case strings.HasPrefix(text[off:], "write"):
			sinks = append(sinks, k)
		case strings.HasPrefix(text[off:], "referrer"):
			referrers = append(referrers, k)
		}
	}
	if len(sinks) == 0 {
		return scriptHint{}
	}
	hasUA := strings.Contains(text, "userAgent")
	near := func(at int) bool {
		for _, k := range sinks {
			if k > at-testWindow && k < at+testWindow {
				return true
			}
		}
		return false
	}
	var evs []signal.Evidence
	w := 0.0
	if hasUA {
		lower := strings.ToLower(text)
		for _, name := range crawlerNames {
			if k := strings.Index(lower, name); k >= 0 && near(k) {
				w = 1
				evs = append(evs, signal.FieldSpan(fieldScript, text, k, k+len(name), s.Node, "user-agent test for crawlers before a redirect or document.write"))
				break
			}
		}
	}
	for _, k := range referrers {
		if w > 0 {
			break
		}
		lo, hi := max(0, k-testWindow/2), min(len(text), k+testWindow/2)
		for _, se := range searchReferrers {
			if strings.Contains(text[lo:hi], se) && near(k) {
				w = 1
				evs = append(evs, signal.FieldSpan(fieldScript, text, k, k+len("document.referrer"), s.Node, "referrer test for search engines before a redirect or document.write"))
				break
			}
		}
	}
	if redirStart >= 0 {
		switch {
		case w > 0:
		case !strings.Contains(text, "function"):
			// A redirect that runs as the page loads, not in a handler
			// (a search form's "go to the archive").
			w = 0.5
		default:
			return scriptHint{}
		}
		evs = append([]signal.Evidence{signal.FieldSpan(fieldScript, text, redirStart, redirEnd, s.Node, "script redirect to "+redirHost)}, evs...)
		return scriptHint{weight: w, evs: evs, host: redirHost}
	}
	return scriptHint{weight: w, evs: evs}
}

// redirectAt reports whether the "location" at k is written to or
// called ("location = ...", "window.location.href = ...",
// "location.replace(...)", "location.assign(...)"), not read
// ("location.host === ..."), and returns the offset after the operator.
func redirectAt(text string, k int) (int, bool) {
	if k > 0 {
		c := text[k-1]
		if c == '_' || c == '$' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			return 0, false // part of another name: "geolocation"
		}
	}
	e := k + len("location")
	if strings.HasPrefix(text[e:], ".href") {
		e += len(".href")
	}
	for _, call := range []string{".replace(", ".assign("} {
		if strings.HasPrefix(text[e:], call) {
			return e + len(call), true
		}
	}
	for e < len(text) && (text[e] == ' ' || text[e] == '\t') {
		e++
	}
	if e < len(text) && text[e] == '=' && (e+1 >= len(text) || text[e+1] != '=') {
		return e + 1, true
	}
	return 0, false
}

// literalURLAfter finds a quoted absolute URL right after a redirect's
// operator (` "https://..."`, `"//...")`) and returns its span.
func literalURLAfter(text string, off int) (int, int, bool) {
	start, end, ok := stringLiteralAt(text, skipBytes(text, off, off+12, " \t\n("))
	if !ok || end-start > 2048 {
		return 0, 0, false
	}
	u := text[start:end]
	if h, ok := page.HrefHost(u); !ok || h == "" {
		return 0, 0, false
	}
	return start, end, true
}

// skipBytes returns the first offset from i on, and before limit, whose
// byte is not in set.
func skipBytes(text string, i, limit int, set string) int {
	for i < len(text) && i < limit && strings.IndexByte(set, text[i]) >= 0 {
		i++
	}
	return i
}

// stringLiteralAt reads the JavaScript string literal whose opening
// quote (", ' or `) is at i, and returns the span of its contents,
// backslash escapes skipped over.
func stringLiteralAt(text string, i int) (int, int, bool) {
	if i >= len(text) {
		return 0, 0, false
	}
	q := text[i]
	if q != '"' && q != '\'' && q != '`' {
		return 0, 0, false
	}
	end := i + 1
	for end < len(text) && text[end] != q {
		if text[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(text) {
		return 0, 0, false
	}
	return i + 1, end, true
}

// noscriptHint reads the <noscript> markup: spam vocabulary in it, or
// links to unrelated sites. A script-built site's fallback for readers
// without JavaScript links the site's own pages; a tracking pixel or a
// "please enable JavaScript" line holds neither.
func noscriptHint(p *page.Page, v *view) (float64, signal.Evidence, bool) {
	for _, sh := range shadowsOf(p, v) {
		if sh.field != fieldNoscript {
			continue
		}
		spam := 0.0
		for _, h := range sh.hits {
			spam += h.term.weight
		}
		if spam >= 1 {
			h := sh.hits[0]
			return 1, signal.FieldSpan(fieldNoscript, sh.text, h.start, h.end, nil, h.term.cat.String()+" term in <noscript>"), true
		}
		for i := range sh.links {
			l := &sh.links[i]
			if !l.external || l.benign || l.end <= l.start {
				continue
			}
			if why := v.spamLinkReason(&l.linkInfo, sh.hits, l.start, l.end); why != "" {
				return 1, signal.FieldSpan(fieldNoscript, sh.text, l.start, l.end, nil, why+" to "+l.host+" in <noscript>"), true
			}
		}
	}
	return 0, signal.Evidence{}, false
}

// lettersOutsideTags counts the ASCII letters and non-ASCII bytes of s
// outside "<...>": a cheap test for text in a <noscript> made of markup.
func lettersOutsideTags(s string) int {
	n := 0
	inTag := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
		case !inTag && (c >= utf8.RuneSelf || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'):
			n++
		}
	}
	return n
}

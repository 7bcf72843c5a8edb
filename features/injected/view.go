package injected

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/page"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// view is what the injection extractors derive from a page, once per page
// through page.Memo: the site's identity, every link resolved to its site,
// every block's tokens, spam terms, scripts and language.
type view struct {
	site article.Site
	// links parallels p.Links.
	links []linkInfo
	// vis and hid parallel p.Blocks and p.Hidden.
	vis, hid []blockView
	// titleToks and titleHits are the tokens and spam terms of the
	// <title>.
	titleToks  []token
	titleLower string
	titleHits  []hit
	// scripts counts the letters of the visible text by script.
	scripts scriptCounts
	// declared is the page's declared language, normalised; lang is the
	// language most of its prose is detected in ("" when unknown).
	declared, lang string
	// topic marks the spam categories the page is about: its headline or
	// several article paragraphs use the category's words.
	topic [numCategories]bool
	// siteTrade marks the categories the site itself trades in, by its
	// host and names.
	siteTrade [numCategories]bool
}

// linkInfo is one link resolved against the page.
type linkInfo struct {
	// web reports an http(s) link (not mailto:, tel:, javascript:, #).
	web bool
	// host, domain and label as in article.Site; "" for relative links.
	host, domain, label string
	// external reports a link to another site than the page's; any
	// absolute link when the page's site is unknown.
	external bool
	// benign marks links to social networks, share buttons and web
	// infrastructure, which any page may carry.
	benign bool
	// keyword reports an anchor text that reads as search keywords rather
	// than the target's name or a navigation word.
	keyword bool
}

// blockView is one block's tokens, spam terms, script and language.
type blockView struct {
	// lower is the lower-case copy of the block's buffer, which toks
	// index.
	lower   string
	toks    []token
	hits    []hit
	scripts scriptCounts
	votes   langVotes
	// content counts the block's content tokens (not function words, not
	// numbers).
	content int32
}

type (
	viewKey struct{}
	keysKey struct{}
)

// stemKeys are the stem keys of every block's tokens (0 for a token that
// carries no content), parallel to the blocks' tokens.
type stemKeys struct {
	vis, hid [][]uint64
}

// keysOf returns the page's stem keys, computed once for offtopic_block
// and keyword_stuffing, which both count stems.
func keysOf(p *page.Page, v *view) *stemKeys {
	return p.Memo(keysKey{}, func(*page.Page) any {
		return &stemKeys{vis: blockKeys(v.vis), hid: blockKeys(v.hid)}
	}).(*stemKeys)
}

func blockKeys(views []blockView) [][]uint64 {
	n := 0
	for i := range views {
		n += len(views[i].toks)
	}
	flat := make([]uint64, n)
	out := make([][]uint64, len(views))
	for i := range views {
		bv := &views[i]
		keys := flat[:len(bv.toks):len(bv.toks)]
		flat = flat[len(bv.toks):]
		for j, t := range bv.toks {
			if t.content {
				keys[j] = t.key(bv.lower)
			}
		}
		out[i] = keys
	}
	return out
}

// viewOf returns the page's injection view, computing it once.
func viewOf(p *page.Page) *view {
	return p.Memo(viewKey{}, func(p *page.Page) any { return buildView(p) }).(*view)
}

func buildView(p *page.Page) *view {
	v := &view{}
	v.vis = blockViews(p.TextTokens(), len(p.Blocks))
	v.hid = blockViews(p.HiddenTokens(), len(p.Hidden))
	for _, b := range v.vis {
		v.scripts.add(b.scripts)
	}
	if t := p.Meta["title"]; t != "" {
		v.titleLower = lowerSameLength(t, "")
		v.titleToks = tokensOf(t, v.titleLower, 0, len(t))
		v.titleHits = spamVocabulary.find(nil, v.titleLower, v.titleToks)
	}
	v.site = article.Of(p).Site()
	v.links = resolveLinks(p, v.site)
	v.declared = declaredLang(p)
	v.lang = dominantLang(v.vis)
	v.siteTrade = siteTrades(v.site)
	v.topic = pageTopics(p, v)
	return v
}

// blockViews takes the page's tokens of one buffer (its one
// tokenisation), counts each block's letters by script, votes on its
// language and finds its spam terms.
func blockViews(tz *lexis.Tokenized, nblocks int) []blockView {
	out := make([]blockView, nblocks)
	all := make([]token, len(tz.All))
	for i, t := range tz.All {
		all[i].Token = t
	}
	for i := range out {
		bv := &out[i]
		from, to := tz.BlockRange(i)
		bv.toks = all[from:to:to]
		for _, t := range tz.All[from:to] {
			countScripts(&bv.scripts, tz.Text[t.Start:t.End])
		}
		bv.lower = tz.Lower
		bv.content = int32(spamVocabulary.classify(bv.toks, tz.Lower, &bv.votes))
		bv.hits = spamVocabulary.find(nil, tz.Lower, bv.toks)
	}
	return out
}

// countScripts counts the letters of a token by script.
func countScripts(scripts *scriptCounts, w string) {
	for i := 0; i < len(w); {
		c := w[i]
		if c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' {
				scripts[scriptLatin]++
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(w[i:])
		if sc := scriptOf(r); sc != scriptNone {
			scripts[sc]++
		}
		i += size
	}
}

// isContent reports whether a lower-case word that is no function word
// carries content: a word of three or more letters, not a number; or a
// CJK run.
func isContent(w string, cjk bool) bool {
	if cjk {
		return true
	}
	if len(w) < 3 || w[0] >= '0' && w[0] <= '9' || len(w) < 6 && utf8.RuneCountInString(w) < 3 {
		return false
	}
	return true
}

// resolveLinks resolves every link's host against the page's site.
func resolveLinks(p *page.Page, site article.Site) []linkInfo {
	out := make([]linkInfo, len(p.Links))
	domains := map[string][2]string{}
	for i, l := range p.Links {
		li := &out[i]
		h, ok := page.HrefHost(l.Href)
		if !ok {
			continue
		}
		li.web = true
		if h == "" {
			continue // relative: the page's own site
		}
		dl, seen := domains[h]
		if !seen {
			d := page.DomainOf(h)
			dl = [2]string{d, page.LabelOf(d)}
			domains[h] = dl
		}
		li.resolve(h, dl[0], dl[1], site)
		if li.external && !li.benign {
			li.keyword = keywordAnchor(l.Text, li)
		}
	}
	return out
}

// resolve fills in a web link's host, domain, label and how it relates
// to the page's site.
func (li *linkInfo) resolve(host, domain, label string, site article.Site) {
	li.web = true
	li.host, li.domain, li.label = host, domain, label
	li.benign = benignDomain(domain, host)
	// A page whose site is unknown (no URL, no og:url, no host most of
	// its absolute links share) links its own pages relatively: its
	// absolute links lead elsewhere.
	li.external = site.Domain == "" || !sameSite(site, domain, label)
}

// resolveHost resolves a web link's host ("" for a relative link)
// against the page's site.
func resolveHost(host string, site article.Site) linkInfo {
	li := linkInfo{web: true}
	if host != "" {
		d := page.DomainOf(host)
		li.resolve(host, d, page.LabelOf(d), site)
	}
	return li
}

// sameSite reports whether a domain belongs to the page's site: the same
// registrable domain, or the same name under another suffix or with a
// short affix ("cnn.com" and "cnn.it", "nytimes.com" and "nyt.com" are
// not caught, "example.co.uk" and "example.com" are).
func sameSite(site article.Site, domain, label string) bool {
	if domain == site.Domain || label == site.Label {
		return true
	}
	if len(label) >= 5 && len(site.Label) >= 5 && (strings.Contains(label, site.Label) || strings.Contains(site.Label, label)) {
		return true
	}
	return false
}

// benignDomains are sites any page links to without being paid to: social
// networks and their share endpoints, app stores, standards bodies,
// encyclopedias, comment and feed services.
var benignDomains = map[string]bool{
	"facebook.com": true, "fb.com": true, "fb.me": true, "twitter.com": true, "x.com": true, "t.co": true,
	"instagram.com": true, "linkedin.com": true, "pinterest.com": true, "youtube.com": true, "youtu.be": true,
	"google.com": true, "goo.gl": true, "apple.com": true, "reddit.com": true, "whatsapp.com": true, "wa.me": true,
	"t.me": true, "telegram.me": true, "tiktok.com": true, "wikipedia.org": true, "wikimedia.org": true,
	"addthis.com": true, "sharethis.com": true, "addtoany.com": true, "w3.org": true, "schema.org": true,
	"creativecommons.org": true, "gravatar.com": true, "wordpress.org": true, "wordpress.com": true,
	"flickr.com": true, "vimeo.com": true, "tumblr.com": true, "threads.net": true, "bsky.app": true,
	"mozilla.org": true, "github.com": true, "disqus.com": true, "feedburner.com": true, "vk.com": true,
	"ok.ru": true, "weibo.com": true, "line.me": true, "xing.com": true, "getpocket.com": true,
	"flipboard.com": true, "mastodon.social": true, "snapchat.com": true, "soundcloud.com": true,
	"spotify.com": true, "medium.com": true, "substack.com": true, "bit.ly": true, "amzn.to": true,
	"microsoft.com": true, "adobe.com": true, "doubleclick.net": true, "googleadservices.com": true,
	"feedly.com": true, "telegram.org": true, "discord.gg": true, "discord.com": true, "twitch.tv": true,
	"qq.com": true, "douban.com": true, "naver.com": true, "hatena.ne.jp": true, "mixi.jp": true,
	"archive.org": true, "doi.org": true, "europa.eu": true, "un.org": true, "who.int": true,
	"outbrain.com": true, "taboola.com": true, "privacy-center.org": true, "onetrust.com": true,
}

func benignDomain(domain, host string) bool {
	if benignDomains[domain] {
		return true
	}
	// Government and university sites are cited, not paid for: "cdc.gov",
	// "nasa.gov", "www.gov.uk", "unimelb.edu.au".
	last := host
	rest := ""
	if i := strings.LastIndexByte(host, '.'); i >= 0 {
		last, rest = host[i+1:], host[:i]
	}
	switch last {
	case "gov", "edu", "mil", "int":
		return true
	}
	if len(last) == 2 {
		if i := strings.LastIndexByte(rest, '.'); i >= 0 {
			rest = rest[i+1:]
		}
		switch rest {
		case "gov", "edu", "mil", "ac", "gob", "gouv":
			return true
		}
	}
	return false
}

// navigationAnchors are anchor texts that name a link's function or a
// site's furniture, not keywords: "read more", "privacy policy".
var navigationAnchors = wordSet(`here|click here|read more|more|link|source|website|home|homepage|this|report|study|
download|pdf|video|photo|continue reading|learn more|see more|view|details|privacy|privacy policy|terms|terms of use|
terms of service|cookie policy|cookies|contact|contact us|about|about us|advertise|careers|jobs|help|help centre|
help center|subscribe|newsletter|newsletters|sitemap|archive|archives|login|log in|sign in|register|account|my account|
e-edition|podcasts|shop|store|deals|imprint|impressum|datenschutz|kontakt|hier|mehr|weiterlesen|ici|aquí|leer más`)

// commercialWords make an anchor a keyword anchor whatever its case: the
// words of shop and affiliate spam.
var commercialWords = wordSet(`buy|cheap|cheapest|best|discount|sale|wholesale|outlet|price|prices|bonus|deposit|
free|win|earn|money|online|order|official|trusted|replica|pills|casino|loans|terpercaya|murah|daftar|resmi|
激安|通販|最安|無料|コピー|正規品`)

// wordSet reads a "|"-separated list.
func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Split(list, "|") {
		m[strings.TrimSpace(w)] = true
	}
	return m
}

// keywordAnchor reports whether an anchor text reads as search keywords:
// one to six words that neither name the target's site nor say what the
// link does, written in lower case like a search query or holding a shop
// word. "best online casino" to some-casino.example and "cheap jerseys"
// are; "The Guardian" to theguardian.com, "Privacy Policy" and "read
// more" are not.
func keywordAnchor(text string, li *linkInfo) bool {
	words := splitWords(text)
	if len(words) == 0 || len(words) > 6 || strings.Contains(text, "://") || strings.HasPrefix(strings.ToLower(text), "www.") {
		return false
	}
	lt := strings.ToLower(strings.Join(strings.Fields(text), " "))
	if navigationAnchors[lt] || strings.Contains(lt, li.domain) {
		return false
	}
	squashed := strings.Join(words, "")
	if len(li.label) >= 3 && (strings.Contains(squashed, li.label) || strings.Contains(li.host, squashed)) {
		return false
	}
	parts := strings.FieldsFunc(li.host, func(r rune) bool { return r == '.' || r == '-' })
	for _, w := range words {
		for _, part := range parts {
			if len(w) >= 3 && strings.Contains(part, w) || len(part) >= 4 && strings.Contains(w, part) {
				return false
			}
		}
	}
	commercial := false
	for _, w := range words {
		if commercialWords[w] {
			commercial = true
		}
	}
	if commercial {
		return true
	}
	// A search phrase: lower case and not CJK (which has no case).
	for _, t := range lexis.Tokenize(nil, text, 0, len(text), nil) {
		r, _ := utf8.DecodeRuneInString(t.Of(text))
		if unicode.IsLetter(r) && !unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// container returns the element that groups a link with its neighbours:
// the nearest block-level ancestor, with list items, table cells and rows
// folded into their list or table.
func container(n *html.Node) *html.Node {
	for a := n.Parent; a != nil; a = a.Parent {
		if a.Type != html.ElementNode {
			continue
		}
		switch a.DataAtom {
		case atom.Li, atom.Dt, atom.Dd, atom.Td, atom.Th, atom.Tr, atom.Tbody, atom.Thead, atom.Tfoot,
			atom.A, atom.Span, atom.Strong, atom.B, atom.Em, atom.I, atom.Small, atom.Font, atom.U:
			continue
		}
		return a
	}
	return nil
}

// declaredLang returns the page's declared language: <html lang>,
// content-language, og:locale, JSON-LD inLanguage.
func declaredLang(p *page.Page) string {
	if p.Lang != "" {
		return normLang(p.Lang)
	}
	if l := p.Meta["og:locale"]; l != "" {
		return normLang(l)
	}
	if ls := p.JSONLD["inLanguage"]; len(ls) > 0 {
		return normLang(ls[0])
	}
	return ""
}

// dominantLang returns the language most of the page's prose is detected
// in, by function words summed over the blocks, or "".
func dominantLang(blocks []blockView) string {
	var total langVotes
	for _, b := range blocks {
		for i, n := range b.votes {
			total[i] += n
		}
	}
	return total.detect(8)
}

// siteTrades reads the categories a site trades in from its host and
// names.
func siteTrades(s article.Site) [numCategories]bool {
	var out [numCategories]bool
	for c := range numCategories {
		for _, stem := range siteStems[c] {
			prefix := strings.HasPrefix(stem, "^")
			stem = strings.TrimPrefix(stem, "^")
			for _, w := range s.Words {
				if prefix && strings.HasPrefix(w, stem) || !prefix && strings.Contains(w, stem) {
					out[c] = true
				}
			}
		}
	}
	return out
}

// pageTopics marks the categories the page is about: a term of the
// category in its title or a visible headline, or in at least two article
// paragraphs and a quarter of them.
func pageTopics(p *page.Page, v *view) [numCategories]bool {
	var out [numCategories]bool
	for _, h := range v.titleHits {
		out[h.term.cat] = true
	}
	for _, c := range article.Of(p).Headlines {
		if c.Block >= 0 && c.Block < len(v.vis) {
			for _, h := range v.vis[c.Block].hits {
				out[h.term.cat] = true
			}
		}
	}
	art := article.Of(p).StoryBlocks()
	if len(art) == 0 {
		return out
	}
	var blocks [numCategories]int
	for _, i := range art {
		var seen [numCategories]bool
		for _, h := range v.vis[i].hits {
			seen[h.term.cat] = true
		}
		for c, s := range seen {
			if s {
				blocks[c]++
			}
		}
	}
	for c, n := range blocks {
		if n >= 2 && n*4 >= len(art) {
			out[c] = true
		}
	}
	return out
}

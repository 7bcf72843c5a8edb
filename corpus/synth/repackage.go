package synth

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/page"
)

// Disclaimer footers, written for this package.
var disclaimers = []string{
	"Disclaimer: The articles on this site are for reference only and do not constitute investment advice. Investing carries risk; decide with care.",
	"Disclaimer: Content is collected from the internet for information purposes and does not constitute any investment advice. Contact us for removal.",
	"Risk warning: Markets are risky. Nothing here is a recommendation to buy or sell; readers act at their own risk.",
}

// Repackage turns a story into one repackaged page: the copied story in a
// spam-site template with a brand (or none), a fake date, a byline,
// counters and junk lists of other stories' headlines drawn from pool,
// every choice drawn from r and recorded in Meta["synth"].
func (g *Generator) Repackage(src Story, pool *Pool, r *rand.Rand) (corpus.Document, error) {
	if len(src.Paragraphs) == 0 || src.Headline == "" {
		return corpus.Document{}, fmt.Errorf("repackage %s: story has no headline or no paragraphs", src.ID)
	}
	c, paras := g.drawChoices(r, src)
	if c.Splice != SpliceNone {
		spot := locateSplice(r, paras, c.Splice, c.Brand, c.SpliceGlued)
		c.SpliceAfterThe = spot.afterThe
		paras = applySplice(paras, spot)
	}
	p := buildSpamPage(r, &c, src, paras, pool)
	c.recordSplices(src, paras, p)
	body, err := renderLayout(c.Family, p)
	if err != nil {
		return corpus.Document{}, fmt.Errorf("repackage %s: %w", src.ID, err)
	}
	format := corpus.FormatHTML
	if c.Rendering == RenderText {
		o := textOptions{listMarker: c.ListMarker, blankLines: c.BlankLines, cutBytes: c.TextCutBytes, start: c.TextStart, headline: p.Headline, lead: paras[0]}
		text, start, err := renderText(body, o)
		if err == nil && o.cutBytes > 0 && !keepsMark(text, p, c.Brand) {
			// Cut before every mark the network left, the capture is the
			// bare story: no evidence for its label. It is kept whole.
			c.TextCutBytes, o.cutBytes = 0, 0
			text, start, err = renderText(body, o)
		}
		if err != nil {
			return corpus.Document{}, fmt.Errorf("repackage %s: text rendering: %w", src.ID, err)
		}
		body, c.TextStart, format = text, start, corpus.FormatText
	}
	meta := c.meta(src, g.opts.Seed)
	return corpus.Document{
		ID:     docID(src.ID, "#synth-", meta),
		URL:    "https://" + c.Host + c.Path,
		Source: SourceRepackaged,
		Group:  src.Group,
		Label:  corpus.Repackaged,
		Format: format,
		Body:   body,
		Meta:   map[string]any{"synth": meta},
	}, nil
}

// buildSpamPage turns the choices into the strings a layout prints. It
// draws the remaining small details (counts, list sizes) from r.
func buildSpamPage(r *rand.Rand, c *Choices, src Story, paras []string, pool *Pool) *spamPage {
	headline := c.headlineWithBrand(src.Headline)
	title := c.titleWithBrand(src.Headline) + c.SuffixText
	p := &spamPage{
		Lang:       pick(r, []string{"en", "en-US", src.Language}),
		Title:      title,
		Headline:   headline,
		SiteName:   c.SiteName,
		Byline:     c.BylineName,
		View:       c.BylineView,
		DateLine:   dateLine(c.DateFormat, c.FakeDate),
		SourceLine: c.DateFormat == DateSourceLine,
		ViewDate:   c.DateFormat == DateViewDate,
		Category:   c.Section,
		Paragraphs: paras,
		Copyright:  fmt.Sprintf("Copyright © %d %s All rights reserved", c.FakeDate.Year(), c.SiteName),
	}
	if p.Lang == "" {
		p.Lang = "en"
	}
	for i := 0; i < 4+r.IntN(4); i++ {
		p.Sections = append(p.Sections, pick(r, sections))
	}
	p.Metas = []metaTag{{Name: "description", Content: cutMidWord(paras[0], 150)}, {Name: "keywords", Content: strings.Join(strings.Fields(src.Headline)[:min(4, len(strings.Fields(src.Headline)))], ",")}}
	if c.DateInMeta {
		p.Metas = append(p.Metas, metaTag{Property: "article:published_time", Content: c.FakeDate.Format(time.RFC3339)})
	}
	p.SourceLabel = "source:"
	if c.SourceLabel == "spaced" {
		p.SourceLabel = "Source: "
	}
	switch c.SourceField {
	case "brand":
		p.Source = c.Brand
	case "person":
		p.Source = personName(r)
	case "site":
		p.Source = c.SiteName
	}
	if c.Breadcrumb {
		p.Crumb = &crumb{Label: c.CrumbLabel, Section: c.Section, Glued: c.BreadcrumbGlued}
		switch c.CrumbTail {
		case "title":
			p.Crumb.Tail = title
		case "headline":
			p.Crumb.Tail = headline
		}
	}
	switch c.Counter {
	case CounterVeryGood:
		p.Counter = fmt.Sprintf("veryGood! (%d)", c.CounterValue)
	case CounterGreat:
		p.Counter = fmt.Sprintf("Great!(%d)", c.CounterValue)
	case CounterViews:
		p.ViewsLine = fmt.Sprintf("%s views", thousands(c.CounterValue, chance(r, 0.5)))
	case CounterViewLines:
		p.ViewLines = viewLines(r, c.FakeDate, 4+r.IntN(5))
	}
	if c.MoreLine {
		p.More = "More:" + c.Section
	}
	if c.Disclaimer {
		p.Disclaimer = pick(r, disclaimers)
	}
	var kept []string
	for _, h := range c.JunkBlocks {
		b := junkBlock{Heading: h}
		for _, t := range pool.others(r, src, 3+r.IntN(8)) {
			b.Items = append(b.Items, junkItemOf(r, t, c.JunkItems))
		}
		if len(b.Items) > 0 {
			p.Blocks = append(p.Blocks, b)
			kept = append(kept, h)
		}
	}
	c.JunkBlocks = kept
	return p
}

// recordSplices records what the page inserted into the story's lines:
// into its headline (a brand before it), its paragraphs (a brand, an
// added wire dateline) and a breadcrumb glued to the headline.
func (c *Choices) recordSplices(src Story, paras []string, p *spamPage) {
	if sp, ok := spliceOf("headline", src.Headline, p.Headline); ok {
		c.Splices = append(c.Splices, sp)
	}
	for i, para := range paras {
		if i < len(src.Paragraphs) {
			if sp, ok := spliceOf("paragraph", src.Paragraphs[i], para); ok {
				c.Splices = append(c.Splices, sp)
			}
		}
	}
	if p.Crumb != nil && p.Crumb.Tail != "" {
		// The trail before a copy of the headline or title, and the
		// site's suffix after the title, join the story's headline line.
		trail := p.Crumb.Label + "Home > " + p.Crumb.Section
		if !p.Crumb.Glued {
			trail += " > "
		}
		c.Splices = append(c.Splices, Splice{Where: "breadcrumb", Text: trail, After: cutRunes(p.Crumb.Tail, spliceContext)})
		body := strings.TrimSuffix(p.Crumb.Tail, c.SuffixText)
		if body != p.Headline {
			// The title's brand, where the headline has none.
			if sp, ok := spliceOf("breadcrumb", src.Headline, body); ok {
				c.Splices = append(c.Splices, sp)
			}
		}
		if tail := p.Crumb.Tail; c.SuffixText != "" && strings.HasSuffix(tail, c.SuffixText) {
			from := max(0, len(body)-spliceContext)
			for from < len(body) && !utf8.RuneStart(body[from]) {
				from++
			}
			c.Splices = append(c.Splices, Splice{Where: "breadcrumb", Before: body[from:], Text: c.SuffixText})
		}
	}
}

// cutRunes returns s's first n bytes or fewer, whole runes.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// keepsMark reports whether a text capture of p keeps one of the marks
// the network leaves: the brand or the site's name, a byline or date
// line, a counter, an item of a junk list.
func keepsMark(text []byte, p *spamPage, brand string) bool {
	marks := []string{brand, p.Byline, p.DateLine, p.Counter, p.ViewsLine, p.SiteName}
	for _, v := range p.ViewLines {
		marks = append(marks, v.Stamp)
	}
	for _, b := range p.Blocks {
		for _, it := range b.Items {
			marks = append(marks, it.Headline)
		}
	}
	for _, m := range marks {
		if m != "" && bytes.Contains(text, []byte(m)) {
			return true
		}
	}
	return false
}

// junkItemOf makes one list entry from another story: its headline
// (sometimes cut short), its headline and a teaser, or the teaser alone.
func junkItemOf(r *rand.Rand, t teaser, shape string) junkItem {
	it := junkItem{Href: fmt.Sprintf("/html/%x.html", r.Uint32())}
	snippet := cutMidWord(t.snippet, 90+r.IntN(20))
	switch shape {
	case JunkSnippets:
		it.Headline = snippet
	case JunkTeasers:
		it.Headline, it.Snippet = t.headline, snippet
	default:
		it.Headline = t.headline
		if chance(r, 0.08) {
			it.Headline = cutMidWord(t.headline, 20+r.IntN(20))
		}
	}
	return it
}

// thousands prints n, with comma separators when commas is set.
func thousands(n int, commas bool) string {
	s := fmt.Sprint(n)
	if !commas {
		return s
	}
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// textOptions say how a page is captured as text.
type textOptions struct {
	// listMarker puts "- " before list items; blankLines puts a blank
	// line between blocks.
	listMarker, blankLines bool
	// cutBytes cuts the capture after that many bytes when above zero.
	cutBytes int
	// start is where the capture starts (StartTop, StartHeadline,
	// StartLead; "" is StartTop); headline and lead are the texts of the
	// blocks that start at the headline and the lead.
	start, headline, lead string
}

// renderText turns a rendered HTML page into its text rendering: the
// visible blocks in reading order, one per line (as a reader copying the
// page gets it), from the block o.start names, cut at the end when
// o.cutBytes is set (the way the network's example texts were
// captured). It returns the start it used, which is StartTop when the
// headline or lead is not found, and StartLead when the lead comes
// before the headline.
func renderText(htmlBody []byte, o textOptions) ([]byte, string, error) {
	p, err := page.Parse(htmlBody, page.Options{Format: page.FormatHTML})
	if err != nil {
		return nil, "", err
	}
	first, start := startBlock(p, o)
	var b strings.Builder
	for i := first; i < len(p.Blocks); i++ {
		if i > first {
			b.WriteByte('\n')
			if o.blankLines {
				b.WriteByte('\n')
			}
		}
		if o.listMarker && p.Blocks[i].Kind == page.KindListItem {
			b.WriteString("- ")
		}
		b.WriteString(p.BlockText(i))
		if o.cutBytes > 0 && b.Len() >= o.cutBytes {
			return []byte(cutMidWord(b.String(), o.cutBytes)), start, nil
		}
	}
	b.WriteByte('\n')
	return []byte(b.String()), start, nil
}

// startKeyBytes is how much of the headline or lead finds its block.
const startKeyBytes = 40

// startBlock returns the first block a text capture keeps and the start
// that gives it: the heading holding the headline (else the first h1),
// or the first block holding the lead's opening words.
func startBlock(p *page.Page, o textOptions) (int, string) {
	if o.start != StartHeadline && o.start != StartLead {
		return 0, StartTop
	}
	lead := findBlock(p, func(i int) bool { return strings.Contains(p.BlockText(i), cutMidWord(o.lead, startKeyBytes)) })
	if o.start == StartLead {
		if lead < 0 {
			return 0, StartTop
		}
		return lead, StartLead
	}
	isHeading := func(i int) bool { return p.Blocks[i].Kind == page.KindHeading }
	h := findBlock(p, func(i int) bool {
		return isHeading(i) && strings.Contains(p.BlockText(i), cutMidWord(o.headline, startKeyBytes))
	})
	if h < 0 {
		h = findBlock(p, func(i int) bool { return isHeading(i) && p.Blocks[i].Level == 1 })
	}
	switch {
	case h < 0:
		return 0, StartTop
	case lead >= 0 && lead < h:
		return lead, StartLead
	}
	return h, StartHeadline
}

// findBlock returns the first block index for which ok holds, or -1.
func findBlock(p *page.Page, ok func(i int) bool) int {
	for i := range p.Blocks {
		if ok(i) {
			return i
		}
	}
	return -1
}

// storyLanguage is the story's language code as meta records it,
// "unknown" when the page does not say.
func storyLanguage(src Story) string {
	if src.Language == "" {
		return "unknown"
	}
	return src.Language
}

// splicesMeta is Choices.Splices as Meta values.
func splicesMeta(sp []Splice) []any {
	out := []any{}
	for _, s := range sp {
		out = append(out, map[string]any{"where": s.Where, "before": s.Before, "text": s.Text, "after": s.After})
	}
	return out
}

// meta returns the choices as Meta["synth"]: every key is always present
// (text-only keys only on text renderings), so that an evaluation can
// group and hold out by any of them.
func (c Choices) meta(src Story, seed uint64) map[string]any {
	realDate := "unknown"
	if !src.Date.IsZero() {
		realDate = src.Date.Format(time.DateOnly)
	}
	junk := append([]string{}, c.JunkBlocks...)
	m := map[string]any{
		"kind":             "repackaged",
		"family":           c.Family,
		"rendering":        c.Rendering,
		"brand_kind":       c.BrandKind,
		"brand":            c.Brand,
		"brand_place":      c.BrandPlace,
		"separator":        c.Separator,
		"splice":           c.Splice,
		"splice_glued":     c.SpliceGlued,
		"splice_after_the": c.SpliceAfterThe,
		"dateline":         c.Dateline,
		"date_format":      c.DateFormat,
		"date_in_meta":     c.DateInMeta,
		"fake_date":        c.FakeDate.Format(time.DateTime),
		"real_date":        realDate,
		"gap_months":       c.GapMonths,
		"byline":           c.Byline,
		"byline_name":      c.BylineName,
		"byline_view":      c.BylineView,
		"source_field":     c.SourceField,
		"source_label":     c.SourceLabel,
		"counter":          c.Counter,
		"counter_value":    c.CounterValue,
		"junk_blocks":      junk,
		"junk_items":       c.JunkItems,
		"site_name":        c.SiteName,
		"site_kind":        c.SiteKind,
		"site_suffix":      c.SiteSuffix,
		"breadcrumb":       c.Breadcrumb,
		"breadcrumb_glued": c.BreadcrumbGlued,
		"breadcrumb_tail":  c.CrumbTail,
		"breadcrumb_label": c.CrumbLabel,
		"section":          c.Section,
		"more_line":        c.MoreLine,
		"disclaimer":       c.Disclaimer,
		"host":             c.Host,
		"language":         storyLanguage(src),
		"source_id":        src.ID,
		"source_url":       src.URL,
		"seed":             seed,
		"variant":          0,
		"splices":          splicesMeta(c.Splices),
	}
	if c.Rendering == RenderText {
		m["text_start"] = c.TextStart
		m["list_marker"] = c.ListMarker
		m["blank_lines"] = c.BlankLines
		m["text_cut_bytes"] = c.TextCutBytes
	}
	return m
}

package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

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
	body, err := renderLayout(c.Family, p)
	if err != nil {
		return corpus.Document{}, fmt.Errorf("repackage %s: %w", src.ID, err)
	}
	format := corpus.FormatHTML
	if c.Rendering == RenderText {
		body, err = renderText(body, c.ListMarker, c.BlankLines, c.TextCutBytes)
		if err != nil {
			return corpus.Document{}, fmt.Errorf("repackage %s: text rendering: %w", src.ID, err)
		}
		format = corpus.FormatText
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
	title := headline + c.SuffixText
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
	switch c.SourceField {
	case "brand":
		p.Source = c.Brand
	case "person":
		p.Source = personName(r)
	case "site":
		p.Source = c.SiteName
	}
	if c.Breadcrumb {
		p.Crumb = &crumb{Label: pick(r, []string{"Current:", "Current:", "Current: ", ""}), Section: c.Section, Glued: c.BreadcrumbGlued}
		switch {
		case c.BreadcrumbGlued && chance(r, 0.6):
			p.Crumb.Tail = title
		case c.BreadcrumbGlued || chance(r, 0.5):
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

// renderText turns a rendered HTML page into its text rendering: the
// visible blocks in reading order, one per line (as a reader copying the
// page gets it), list items marked "- " when listMarker is set, a blank
// line between blocks when blank is set, cut after cutBytes when it is
// above zero (the way the network's example texts were captured).
func renderText(htmlBody []byte, listMarker, blank bool, cutBytes int) ([]byte, error) {
	p, err := page.Parse(htmlBody, page.Options{Format: page.FormatHTML})
	if err != nil {
		return nil, err
	}
	var b strings.Builder
	for i, blk := range p.Blocks {
		if i > 0 {
			b.WriteByte('\n')
			if blank {
				b.WriteByte('\n')
			}
		}
		if listMarker && blk.Kind == page.KindListItem {
			b.WriteString("- ")
		}
		b.WriteString(p.BlockText(i))
		if cutBytes > 0 && b.Len() >= cutBytes {
			return []byte(cutMidWord(b.String(), cutBytes)), nil
		}
	}
	b.WriteByte('\n')
	return []byte(b.String()), nil
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
		"counter":          c.Counter,
		"counter_value":    c.CounterValue,
		"junk_blocks":      junk,
		"junk_items":       c.JunkItems,
		"site_name":        c.SiteName,
		"site_kind":        c.SiteKind,
		"site_suffix":      c.SiteSuffix,
		"breadcrumb":       c.Breadcrumb,
		"breadcrumb_glued": c.BreadcrumbGlued,
		"section":          c.Section,
		"more_line":        c.MoreLine,
		"disclaimer":       c.Disclaimer,
		"host":             c.Host,
		"source_id":        src.ID,
		"source_url":       src.URL,
		"seed":             seed,
		"variant":          0,
	}
	if c.Rendering == RenderText {
		m["list_marker"] = c.ListMarker
		m["blank_lines"] = c.BlankLines
		m["text_cut_bytes"] = c.TextCutBytes
	}
	return m
}

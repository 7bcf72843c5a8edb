package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Template families: the sister HTML skeletons of the network.
const (
	FamilyCrumbTitle = "crumb_title"    // breadcrumb glued to the title, "Name View", "Date:" line, veryGood counter
	FamilySourceLine = "source_line"    // "date+source:+category:" line, "More:" line, teaser cards
	FamilyViewFeed   = "view_feed"      // bare article, a feed of "time+count view" lines, snippet teasers
	FamilyPortal     = "portal_sidebar" // two columns, ranked sidebar lists, disclaimer footer
)

// Families lists the template families, in the order of familyWeights.
var Families = []string{FamilyCrumbTitle, FamilySourceLine, FamilyViewFeed, FamilyPortal}

var familyWeights = []weighted[string]{{FamilyCrumbTitle, 0.35}, {FamilySourceLine, 0.25}, {FamilyViewFeed, 0.2}, {FamilyPortal, 0.2}}

// Renderings of a generated page.
const (
	RenderHTML = "html"
	RenderText = "text"
)

// Byline slots, source fields and counters, as recorded in Meta.
const (
	BylineBrand  = "brand"  // the brand itself ("Kelix Exchange View")
	BylinePerson = "person" // an invented person, not the brand
	BylineOther  = "other_brand"
	BylineSite   = "site"  // the spam site's name
	BylineEmpty  = "empty" // an empty slot: "View" alone
	BylineNone   = "none"  // no byline element at all, no "View"

	CounterVeryGood  = "very_good"  // "veryGood! (5896)"
	CounterGreat     = "great"      // "Great!(212)"
	CounterViewLines = "view_lines" // "2025-05-04 03:171702 view" lines
	CounterViews     = "n_views"    // "3,214 views"
	CounterNone      = "none"

	// Suffix styles of the site name in the title.
	SuffixGlued  = "glued_dash"  // " -Name"
	SuffixDash   = "spaced_dash" // " - Name"
	SuffixPipe   = "pipe"        // " | Name"
	SuffixScript = "other_script"
	SuffixNone   = "none"

	// Brand places.
	PlaceBoth     = "headline_and_lead"
	PlaceHeadline = "headline_only" // the title and the h1
	PlaceLead     = "lead_only"
	PlaceTitle    = "title_only"  // the <title> (and a breadcrumb that repeats it), not the h1
	PlaceByline   = "byline_only" // the byline slot (and maybe the source: field) only
	PlaceNone     = "none"

	// Where a text rendering starts.
	StartTop      = "top"      // the whole page, logo and navigation first
	StartHeadline = "headline" // at the headline: breadcrumb and navigation dropped
	StartLead     = "lead"     // headless: at the lead paragraph, as some captures are

	// Junk item shapes.
	JunkHeadlines = "headlines"
	JunkTeasers   = "headlines_snippets"
	JunkSnippets  = "snippets"
)

// Value lists, for tests and reports.
var (
	BylineKinds   = []string{BylineBrand, BylinePerson, BylineOther, BylineSite, BylineEmpty, BylineNone}
	Counters      = []string{CounterVeryGood, CounterGreat, CounterViewLines, CounterViews, CounterNone}
	SuffixStyles  = []string{SuffixGlued, SuffixDash, SuffixPipe, SuffixScript, SuffixNone}
	BrandPlaces   = []string{PlaceBoth, PlaceHeadline, PlaceLead, PlaceTitle, PlaceByline, PlaceNone}
	TextStarts    = []string{StartTop, StartHeadline, StartLead}
	JunkHeadings  = []string{"Related", "Ranking", "Recommendation", "Recommend", "Hot", "More", ""}
	JunkShapes    = []string{JunkHeadlines, JunkTeasers, JunkSnippets}
	Separators    = []string{":", "|", "-", ": ", " | ", " - "}
	DatelineKinds = []string{"source", "added", "none"}
)

// Choices are every random decision behind one repackaged page. Meta
// records them all (see meta).
type Choices struct {
	Family, Rendering            string
	BrandKind, Brand, BrandPlace string
	Separator                    string
	Splice                       string
	SpliceGlued, SpliceAfterThe  bool
	Dateline                     string // "source", "added", "none"
	DateFormat                   string
	DateInMeta                   bool
	FakeDate                     time.Time
	GapMonths                    int
	Byline, BylineName           string
	BylineView                   bool
	SourceField                  string // what the "source:" field names: brand, person, site, none
	SourceLabel                  string // "glued" ("source:X"), "spaced" ("Source: X"), "" without a field
	Counter                      string
	CounterValue                 int
	JunkBlocks                   []string
	JunkItems                    string
	SiteName, SiteKind           string
	SiteSuffix, SuffixText       string
	Breadcrumb, BreadcrumbGlued  bool
	CrumbLabel                   string // before the trail: "Current:", "Current: ", "You are here: ", ""
	CrumbTail                    string // what follows the trail: "title", "headline", "none"
	Section                      string
	MoreLine, Disclaimer         bool
	Host, Path                   string
	TextStart                    string // text: where the rendering starts (StartTop, ...)
	ListMarker                   bool   // text: "- " before list items
	BlankLines                   bool   // text: a blank line between blocks
	TextCutBytes                 int    // text: cut at this many bytes, 0 for the whole page
	// Splices are the texts inserted into the story's own lines (its
	// headline and paragraphs): the truth an evaluation of inserted
	// spans is measured against.
	Splices []Splice
}

// Splice is text the generator inserted into a line of the story, with
// the story's text around it: Before + Text + After is what the page
// shows, Before + After what the original had (contexts of up to
// spliceContext bytes).
type Splice struct {
	Where  string `json:"where"` // "headline", "paragraph", "breadcrumb"
	Before string `json:"before"`
	Text   string `json:"text"`
	After  string `json:"after"`
}

// spliceContext is how many bytes of context a Splice keeps each side.
const spliceContext = 24

// isWordByte reports whether b is part of a word: a letter, a digit or a
// byte of a multi-byte rune.
func isWordByte(b byte) bool {
	return b >= 0x80 || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// spliceOf returns what turning old into new inserted, as a Splice: the
// part of new between the two strings' common prefix and suffix. ok is
// false when new inserted nothing.
func spliceOf(where, old, new string) (Splice, bool) {
	pre := 0
	for pre < len(old) && pre < len(new) && old[pre] == new[pre] {
		pre++
	}
	// An insertion starts at a word's start: "Tevex|The" against "The"
	// inserted "Tevex|", not "evex|T".
	for pre > 0 && pre < len(new) && isWordByte(new[pre-1]) && isWordByte(new[pre]) {
		pre--
	}
	for pre > 0 && pre < len(new) && !utf8.RuneStart(new[pre]) {
		pre--
	}
	suf := 0
	for suf < len(old)-pre && suf < len(new)-pre && old[len(old)-1-suf] == new[len(new)-1-suf] {
		suf++
	}
	end := len(new) - suf
	for end < len(new) && !utf8.RuneStart(new[end]) {
		end++
	}
	if end <= pre {
		return Splice{}, false
	}
	from := pre - spliceContext
	for from > 0 && !utf8.RuneStart(new[from]) {
		from--
	}
	to := min(len(new), end+spliceContext)
	for to < len(new) && !utf8.RuneStart(new[to]) {
		to++
	}
	return Splice{Where: where, Before: new[max(0, from):pre], Text: new[pre:end], After: new[end:to]}, true
}

// wireCities are datelines for stories the generator dresses as wire
// copy (English stories without a dateline of their own).
var wireCities = []string{"WASHINGTON", "NEW YORK", "CHICAGO", "DENVER", "ATLANTA", "PHOENIX", "SEATTLE", "BOSTON", "DALLAS", "BOISE, Idaho", "TULSA, Okla.", "SPOKANE, Wash.", "DULUTH, Minn.", "ALBANY, N.Y.", "FRESNO, Calif.", "MACON, Ga.", "TOPEKA, Kan.", "OMAHA, Neb.", "RENO, Nev.", "PROVIDENCE, R.I.", "LANSING, Mich.", "HELENA, Mont.", "SANTA ROSA, Calif.", "LAS CRUCES, N.M."}

// drawChoices makes every decision for one page of src. paras are the
// story's paragraphs after any added dateline.
func (g *Generator) drawChoices(r *rand.Rand, src Story) (Choices, []string) {
	c := Choices{Family: pickWeighted(r, familyWeights), Rendering: RenderHTML}
	if chance(r, g.opts.TextShare) {
		c.Rendering = RenderText
		// About a quarter of the captures are headless, like the network
		// page that starts at its dateline.
		c.TextStart = pickWeighted(r, []weighted[string]{{StartTop, 0.45}, {StartHeadline, 0.3}, {StartLead, 0.25}})
	}
	paras := src.Paragraphs
	switch _, has := findDateline(paras[0]); {
	case has:
		c.Dateline = "source"
	case isEnglish(src.Language) && chance(r, 0.35):
		c.Dateline = "added"
		paras = append([]string{pick(r, wireCities) + " (AP) — " + paras[0]}, paras[1:]...)
	default:
		c.Dateline = "none"
	}
	c.drawBrand(r, g.opts.NoBrandShare, paras)
	c.FakeDate, c.GapMonths = fakeDate(r, src.Date)
	c.SiteName, c.SiteKind = spamSiteName(r)
	c.drawHeader(r)

	c.Counter = pickWeighted(r, []weighted[string]{{CounterVeryGood, 3}, {CounterGreat, 1}, {CounterViewLines, 1.5}, {CounterViews, 1}, {CounterNone, 1}})
	c.CounterValue = int(math.Exp(r.Float64() * math.Log(70000)))
	for n := r.IntN(4); len(c.JunkBlocks) < n; {
		h := pick(r, JunkHeadings)
		if h == "" || !slices.Contains(c.JunkBlocks, h) {
			c.JunkBlocks = append(c.JunkBlocks, h)
		}
	}
	if len(c.JunkBlocks) == 0 && c.Counter != CounterViewLines {
		c.JunkBlocks = []string{pick(r, JunkHeadings)} // the network always lists other stories
	}
	c.JunkItems = pickWeighted(r, []weighted[string]{{JunkHeadlines, 3}, {JunkTeasers, 1.5}, {JunkSnippets, 1}})
	c.SiteSuffix = pickWeighted(r, []weighted[string]{{SuffixGlued, 3}, {SuffixDash, 2}, {SuffixPipe, 2}, {SuffixScript, 0.6}, {SuffixNone, 1}})
	c.SuffixText = suffixText(r, c.SiteSuffix, c.SiteName)
	c.MoreLine = chance(r, 0.25) // a variant (../shared/examples/README.md), not the main template
	c.Disclaimer = chance(r, 0.3)
	c.Host = spamHost(r)
	c.Path = pick(r, []string{"/html/%x.html", "/news/%x.html", "/a/%x", "/post/%x.html", "/%x.shtml"})
	c.Path = fmt.Sprintf(c.Path, r.Uint64()>>(16+4*r.IntN(4)))
	c.ListMarker = chance(r, 0.5)
	c.BlankLines = chance(r, 0.2)
	if chance(r, 0.3) {
		c.TextCutBytes = 1400 + r.IntN(1400)
	}
	return c, paras
}

// brandPlaceWeights are the brand places and their weights.
var brandPlaceWeights = []weighted[string]{{PlaceBoth, 0.55}, {PlaceHeadline, 0.12}, {PlaceLead, 0.15}, {PlaceTitle, 0.08}, {PlaceByline, 0.1}}

// spliceWeights are the splice positions in the lead and their weights,
// among those a story allows.
var spliceWeights = []weighted[string]{{SpliceAfterDateline, 3}, {SpliceAfterThe, 6}, {SpliceInsideDateline, 2}, {SpliceAfterPlace, 1}, {SpliceLeadStart, 1.5}, {SpliceMidSentence, 1.5}, {SpliceBeforeAttributon, 5}}

// drawBrand draws the brand, where it goes and how it is spliced into
// the lead (glued to the next word or not, about half each).
func (c *Choices) drawBrand(r *rand.Rand, noBrandShare float64, paras []string) {
	c.BrandKind = BrandNone
	if !chance(r, noBrandShare) {
		c.BrandKind = pick(r, BrandKinds[:len(BrandKinds)-1])
	}
	c.Brand = brandName(r, c.BrandKind)
	c.BrandPlace, c.Splice = PlaceNone, SpliceNone
	if c.Brand == "" {
		return
	}
	var places []weighted[string]
	for _, w := range brandPlaceWeights {
		if c.showsPlace(w.val) {
			places = append(places, w)
		}
	}
	c.BrandPlace = pickWeighted(r, places)
	if c.BrandPlace == PlaceBoth || c.BrandPlace == PlaceHeadline || c.BrandPlace == PlaceTitle {
		c.Separator = pick(r, Separators)
	}
	if c.BrandPlace != PlaceBoth && c.BrandPlace != PlaceLead {
		return
	}
	ok := feasibleSplices(paras)
	var opts []weighted[string]
	for _, w := range spliceWeights {
		if ok[w.val] {
			opts = append(opts, w)
		}
	}
	c.Splice = pickWeighted(r, opts)
	c.SpliceGlued = c.Splice != SpliceAfterPlace && chance(r, 0.55)
}

// showsPlace reports whether the rendering shows a brand put in place: a
// headless text rendering shows only the lead, one that starts at the
// headline does not show the <title>.
func (c Choices) showsPlace(place string) bool {
	switch c.TextStart {
	case StartLead:
		return place == PlaceBoth || place == PlaceLead
	case StartHeadline:
		return place != PlaceTitle
	}
	return true
}

// dateFormatWeights are the date-line formats and their weights; "none"
// leaves the date to a meta tag, or out.
var dateFormatWeights = []weighted[string]{{DateLabel, 1}, {DateLabelSpaced, 0.8}, {DateSourceLine, 0.7}, {DateViewDate, 0.6}, {DatePlain, 1}, {DateStamp, 1}, {DatePublished, 1}, {DateNone, 1.3}}

// crumbLabels are what stands before the breadcrumb trail, with weights:
// the network's glued "Current:" most, its sister templates' others.
var crumbLabels = []weighted[string]{{"Current:", 0.45}, {"Current: ", 0.2}, {"You are here: ", 0.1}, {"", 0.25}}

// drawHeader draws the furniture between the site's logo and the story:
// the breadcrumb, the byline slot and the date line, each of which a
// share of pages lack.
func (c *Choices) drawHeader(r *rand.Rand) {
	c.Section = pick(r, sections)
	c.Breadcrumb = chance(r, 0.65)
	c.BreadcrumbGlued = c.Breadcrumb && chance(r, 0.7)
	c.CrumbTail = "none"
	switch {
	case c.BreadcrumbGlued:
		c.CrumbTail = pickWeighted(r, []weighted[string]{{"title", 0.6}, {"headline", 0.4}})
	case c.Breadcrumb:
		c.CrumbTail = pickWeighted(r, []weighted[string]{{"title", 0.15}, {"headline", 0.4}, {"none", 0.45}})
	}
	if c.BrandPlace == PlaceTitle && c.Rendering == RenderText {
		// Text shows the <title> only where the breadcrumb repeats it.
		c.Breadcrumb, c.CrumbTail = true, "title"
	}
	if c.Breadcrumb {
		c.CrumbLabel = pickWeighted(r, crumbLabels)
	}

	c.Byline = pickWeighted(r, []weighted[string]{{BylineBrand, 2}, {BylinePerson, 2}, {BylineOther, 1.5}, {BylineSite, 0.5}, {BylineEmpty, 1}, {BylineNone, 2.5}})
	if c.BrandPlace == PlaceByline {
		c.Byline = BylineBrand
	}
	if c.Byline == BylineBrand && c.Brand == "" {
		c.Byline = BylineOther
	}
	switch c.Byline {
	case BylineBrand:
		c.BylineName = c.Brand
	case BylinePerson:
		c.BylineName = personName(r)
	case BylineOther:
		c.BylineName = brandName(r, pick(r, []string{BrandExchange, BrandCoinage, BrandThinkTank, BrandGuild}))
	case BylineSite:
		c.BylineName = c.SiteName
	}
	// An empty slot is the "View" marker alone; no slot has none.
	c.BylineView = c.Byline == BylineEmpty || c.Byline != BylineNone && chance(r, 0.7)

	c.DateFormat = pickWeighted(r, dateFormatWeights)
	c.DateInMeta = chance(r, 0.3)
	if c.DateFormat == DateNone {
		c.DateInMeta = chance(r, 0.5)
	}
	c.SourceField = pickWeighted(r, []weighted[string]{{"brand", 1}, {"person", 0.5}, {"site", 0.5}, {"none", 2}})
	switch {
	case c.DateFormat == DateNone:
		c.SourceField = "none" // the source: field sits on the date line
	case c.DateFormat == DateSourceLine && c.SourceField == "none", c.SourceField == "brand" && c.Brand == "":
		c.SourceField = "site"
	}
	switch {
	case c.DateFormat == DateSourceLine:
		c.SourceLabel = "glued" // the format is the glued line
	case c.SourceField != "none":
		c.SourceLabel = pick(r, []string{"glued", "spaced"})
	}
}

// suffixText renders the title's site suffix in a style.
func suffixText(r *rand.Rand, style, site string) string {
	switch style {
	case SuffixGlued:
		return " -" + site
	case SuffixDash:
		return " - " + site
	case SuffixPipe:
		return " | " + site
	case SuffixScript:
		return pick(r, []string{"-", " - ", "｜", " | "}) + pick(r, siteScripts)
	}
	return ""
}

// headlineWithBrand prefixes the headline with the brand and separator
// when the brand goes in the headline.
func (c Choices) headlineWithBrand(h string) string {
	if c.BrandPlace != PlaceBoth && c.BrandPlace != PlaceHeadline {
		return h
	}
	return c.Brand + c.Separator + h
}

// titleWithBrand is the <title>'s headline: the h1's, or the brand and
// separator before it when the brand goes in the title only.
func (c Choices) titleWithBrand(h string) string {
	if c.BrandPlace == PlaceTitle {
		return c.Brand + c.Separator + h
	}
	return c.headlineWithBrand(h)
}

func isEnglish(lang string) bool { return lang == "" || strings.HasPrefix(lang, "en") }

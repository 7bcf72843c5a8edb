package synth

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
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
	BylineEmpty  = "empty" // an empty slot ("View" alone, or nothing)

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
	PlaceHeadline = "headline_only"
	PlaceLead     = "lead_only"
	PlaceNone     = "none"

	// Junk item shapes.
	JunkHeadlines = "headlines"
	JunkTeasers   = "headlines_snippets"
	JunkSnippets  = "snippets"
)

// Value lists, for tests and reports.
var (
	BylineKinds   = []string{BylineBrand, BylinePerson, BylineOther, BylineSite, BylineEmpty}
	Counters      = []string{CounterVeryGood, CounterGreat, CounterViewLines, CounterViews, CounterNone}
	SuffixStyles  = []string{SuffixGlued, SuffixDash, SuffixPipe, SuffixScript, SuffixNone}
	BrandPlaces   = []string{PlaceBoth, PlaceHeadline, PlaceLead, PlaceNone}
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
	Counter                      string
	CounterValue                 int
	JunkBlocks                   []string
	JunkItems                    string
	SiteName, SiteKind           string
	SiteSuffix, SuffixText       string
	Breadcrumb, BreadcrumbGlued  bool
	Section                      string
	MoreLine, Disclaimer         bool
	Host, Path                   string
	ListMarker                   bool // text: "- " before list items
	BlankLines                   bool // text: a blank line between blocks
	TextCutBytes                 int  // text: cut at this many bytes, 0 for the whole page
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

	c.BrandKind = BrandNone
	if !chance(r, g.opts.NoBrandShare) {
		c.BrandKind = pick(r, BrandKinds[:len(BrandKinds)-1])
	}
	c.Brand = brandName(r, c.BrandKind)
	c.BrandPlace, c.Splice = PlaceNone, SpliceNone
	if c.Brand != "" {
		c.BrandPlace = pickWeighted(r, []weighted[string]{{PlaceBoth, 0.7}, {PlaceHeadline, 0.15}, {PlaceLead, 0.15}})
		if c.BrandPlace != PlaceLead {
			c.Separator = pick(r, Separators)
		}
		if c.BrandPlace != PlaceHeadline {
			ok := feasibleSplices(paras)
			var opts []weighted[string]
			for _, w := range []weighted[string]{{SpliceAfterDateline, 3}, {SpliceAfterThe, 6}, {SpliceInsideDateline, 2}, {SpliceLeadStart, 1.5}, {SpliceMidSentence, 1.5}, {SpliceBeforeAttributon, 5}} {
				if ok[w.val] {
					opts = append(opts, w)
				}
			}
			c.Splice = pickWeighted(r, opts)
			c.SpliceGlued = chance(r, 0.7)
		}
	}

	c.FakeDate, c.GapMonths = fakeDate(r, src.Date)
	c.DateFormat = pick(r, DateFormats)
	c.DateInMeta = chance(r, 0.3)
	c.SiteName, c.SiteKind = spamSiteName(r)
	c.Byline = pickWeighted(r, []weighted[string]{{BylineBrand, 2}, {BylinePerson, 2}, {BylineOther, 1.5}, {BylineSite, 0.5}, {BylineEmpty, 1.5}})
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
	c.BylineView = chance(r, 0.75)
	c.SourceField = pick(r, []string{"brand", "person", "site", "none"})
	if c.DateFormat == DateSourceLine && c.SourceField == "none" {
		c.SourceField = "site"
	}
	if c.SourceField == "brand" && c.Brand == "" {
		c.SourceField = "site"
	}

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
	c.Breadcrumb = chance(r, 0.7)
	c.BreadcrumbGlued = c.Breadcrumb && chance(r, 0.7)
	c.Section = pick(r, sections)
	c.MoreLine = chance(r, 0.3)
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
	if c.Brand == "" || c.BrandPlace == PlaceLead || c.BrandPlace == PlaceNone {
		return h
	}
	return c.Brand + c.Separator + h
}

func isEnglish(lang string) bool { return lang == "" || strings.HasPrefix(lang, "en") }

package article

import (
	"testing"

	"github.com/repack/repack/features/page"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkOffsets asserts that every visible candidate and dated string
// points at its text.
func checkOffsets(t *testing.T, a *Article) {
	t.Helper()
	for _, cs := range [][]Candidate{a.Headlines, a.Bylines, a.Breadcrumbs, a.SiteNames} {
		for _, c := range cs {
			if c.Visible() {
				require.Equal(t, c.Text, a.Text[c.Offset:c.Offset+len(c.Text)], "%s candidate offset", c.Origin)
			}
		}
	}
	for _, d := range a.Dates {
		if d.Block >= 0 && d.Origin != "time" && d.Origin != "time:other" {
			require.Equal(t, d.Text, a.Text[d.Offset:d.Offset+len(d.Text)], "%s date offset", d.Origin)
		}
	}
}

func readArticle(t *testing.T, body string, opts page.Options) *Article {
	t.Helper()
	p, err := page.Parse([]byte(body), opts)
	require.NoError(t, err)
	a := Of(p)
	checkOffsets(t, a)
	assert.Same(t, a, Of(p), "the reading is computed once per page")
	return a
}

// viewsPage is a small news page with every part the article reading
// looks for.
const viewsPage = `<!DOCTYPE html><html lang="en-US"><head>
<title>Storm floods the valley - The Valley Courier</title>
<meta property="og:site_name" content="The Valley Courier">
<meta property="article:published_time" content="2024-03-05T10:00:00Z">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Storm floods the valley","datePublished":"2024-03-05","author":{"@type":"Person","name":"Ana Ruiz"}}</script>
<style>.sr{display:none}</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/news">News</a></div>
<h1>Storm floods the valley</h1>
<p class="byline">By Ana Ruiz</p>
<p>RIVERTON, Ore. (AP) — A storm flooded the valley on Tuesday, closing roads and schools across three counties as rivers rose.</p>
<p>Officials said the water would recede by the weekend.<br>More rain is expected.</p>
<div class="sr">hidden words <a href="https://elsewhere.example/casino">casino</a></div>
<div style="position:absolute;left:-9999px">off-screen words</div>
<h3>Related</h3>
<ul><li><a href="/a">Valley schools reopen after the flood waters recede</a></li>
<li><a href="/b">Farmers count losses as the valley storm passes east</a></li>
<li><a href="/c">How the county plans to rebuild roads after flooding</a></li></ul>
</body></html>`

func TestTextBylineLine(t *testing.T) {
	t.Parallel()
	a := readArticle(t, "Headline of the story here\r\n\r\n  By Jane Roe \n- first item of a list\nA paragraph that ends like a sentence and is long enough to be prose, with more than ten words.\n", page.Options{Format: page.FormatText})
	require.NotEmpty(t, a.Bylines)
	assert.Equal(t, "text:by", a.Bylines[0].Origin)
	assert.Equal(t, "By Jane Roe", a.Bylines[0].Text)
}

func TestHTMLViews(t *testing.T) {
	t.Parallel()
	a := readArticle(t, viewsPage, page.Options{URL: "https://www.valleycourier.example/2024/03/05/storm"})
	origins := func(cs []Candidate) []string {
		var out []string
		for _, c := range cs {
			out = append(out, c.Origin+"="+c.Text)
		}
		return out
	}
	assert.Contains(t, origins(a.Headlines), "h1=Storm floods the valley")
	assert.Contains(t, origins(a.Headlines), "title=Storm floods the valley - The Valley Courier")
	assert.Contains(t, origins(a.Headlines), "jsonld:headline=Storm floods the valley")
	assert.Contains(t, origins(a.SiteNames), "title-suffix=The Valley Courier")
	assert.Contains(t, origins(a.SiteNames), "meta:og:site_name=The Valley Courier")
	assert.Contains(t, origins(a.Bylines), "byline=By Ana Ruiz")
	assert.Contains(t, origins(a.Bylines), "jsonld:author=Ana Ruiz")
	assert.Contains(t, origins(a.Breadcrumbs), "breadcrumb=Home > News")
	require.NotNil(t, a.Dateline)
	assert.Equal(t, "RIVERTON", a.Text[a.Dateline.Place.Start:a.Dateline.Place.End])
	assert.Equal(t, "Ore.", a.Text[a.Dateline.Region.Start:a.Dateline.Region.End])
	assert.False(t, a.Dateline.RegionGlued)
	assert.Equal(t, "AP", a.Dateline.Agency)
	assert.Equal(t, a.Dateline.Block, a.Lead)
	// Dates with their origins.
	var got []string
	for _, d := range a.Dates {
		got = append(got, d.Origin+"="+d.Day.Format("2006-01-02"))
	}
	assert.Contains(t, got, "meta:article:published_time=2024-03-05")
	assert.Contains(t, got, "jsonld:datePublished=2024-03-05")
	assert.Contains(t, got, "url=2024-03-05")
	assert.Contains(t, got, "text:weekday=0001-01-01")
	claimed, ok := a.ClaimedDate()
	require.True(t, ok)
	assert.Equal(t, "2024-03-05", claimed.Day.Format("2006-01-02"))
	// The related list is a link block under its heading.
	require.Len(t, a.LinkBlocks, 1)
	assert.Equal(t, "Related", a.BlockText(a.LinkBlocks[0].Heading))
	assert.Len(t, a.LinkBlocks[0].Items, 3)
}

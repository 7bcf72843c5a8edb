package synth

import (
	"bytes"
	"fmt"
	"html/template"
	"sync"
)

// spamPage is everything a layout prints: the choices already turned into
// strings. A layout decides the markup and the order only.
type spamPage struct {
	Lang, Title, Headline string
	Metas                 []metaTag
	SiteName              string
	Sections              []string
	Crumb                 *crumb
	// Byline is the byline slot ("Name", "" for empty) and View the marker.
	Byline string
	View   bool
	// DateLine is the date as the format writes it ("" for none); Source
	// and Category fill the source-line format ("...source:Xcategory:News")
	// and Source alone the "source:X" or "Source: X" field of the others,
	// after SourceLabel.
	DateLine, Source, Category, SourceLabel string
	SourceLine                              bool
	ViewDate                                bool // the date line carries the View marker
	Paragraphs                              []string
	Counter                                 string // "veryGood! (5896)", "Great!(12)", "" for none
	ViewsLine                               string // "3,214 views" near the date
	ViewLines                               []viewLine
	More                                    string // "More:Section" line text, "" for none
	Blocks                                  []junkBlock
	Disclaimer, Copyright                   string
}

type metaTag struct{ Name, Property, Content string }

// crumb is the breadcrumb: "Current:Home > Section" and, glued or after
// another ">", the page's title.
type crumb struct {
	Label, Section, Tail string
	Glued                bool
}

type junkBlock struct {
	Heading string
	Items   []junkItem
}

type junkItem struct{ Href, Headline, Snippet string }

// head is the shared <head> of every layout.
const head = `<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
{{range .Metas}}{{if .Property}}<meta property="{{.Property}}" content="{{.Content}}">{{else}}<meta name="{{.Name}}" content="{{.Content}}">{{end}}
{{end}}`

// crumbTitle: the seed page's skeleton. Breadcrumb glued to the title,
// headline, "Name View", "Date:" line, story, counter, lists.
const crumbTitle = head + `<style>.wrap{width:1000px;margin:auto}.crumb a{color:#333}</style>
</head>
<body><div class="wrap">
<div class="top"><a href="/" class="logo">{{.SiteName}}</a></div>
{{with .Crumb}}<div class="crumb">{{.Label}}<a href="/">Home</a> &gt; <a href="/list/">{{.Section}}</a>{{if .Tail}}{{if .Glued}}<span>{{.Tail}}</span>{{else}} &gt; <span>{{.Tail}}</span>{{end}}{{end}}</div>{{end}}
<h1 class="title">{{.Headline}}</h1>
{{if or .Byline .View}}<div class="info"><span class="author">{{.Byline}}</span>{{if and .View (not .ViewDate)}} View{{end}}</div>{{end}}
{{if .DateLine}}<div class="time">{{if .SourceLine}}<span>{{.DateLine}}</span>source:<a href="/">{{.Source}}</a>category:<a href="/list/">{{.Category}}</a>{{else}}{{.DateLine}}{{if .Source}} {{.SourceLabel}}{{.Source}}{{end}}{{end}}</div>{{end}}
{{if .ViewsLine}}<div class="hits">{{.ViewsLine}}</div>{{end}}
<div class="content">{{range .Paragraphs}}
<p>{{.}}</p>{{end}}
</div>
{{if .Counter}}<div class="rate"><a href="javascript:;">{{.Counter}}</a></div>{{end}}
{{range .ViewLines}}<div class="vl"><span>{{.Stamp}}</span><span>{{.Count}}</span> view</div>
{{end}}{{if .More}}<div class="more">{{.More}}</div>{{end}}
{{range .Blocks}}<div class="list">{{if .Heading}}<h3>{{.Heading}}</h3>{{end}}<ul>{{range .Items}}
<li><a href="{{.Href}}">{{.Headline}}</a>{{if .Snippet}}<p>{{.Snippet}}</p>{{end}}</li>{{end}}
</ul></div>
{{end}}<div class="foot">{{if .Disclaimer}}<p>{{.Disclaimer}}</p>{{end}}<p>{{.Copyright}}</p></div>
</div></body></html>
`

// sourceLine: the sister template with a "date source:X category:Y" line
// under the headline, a "More:" line and teaser cards.
const sourceLine = head + `<link rel="stylesheet" href="/static/css/main.css">
</head>
<body>
<header class="hd"><div class="logo"><a href="/">{{.SiteName}}</a></div>
<ul class="nav">{{range .Sections}}<li><a href="/category/{{.}}/">{{.}}</a></li>{{end}}</ul></header>
<div class="main">
{{with .Crumb}}<div class="bread">{{.Label}}<a href="/">Home</a> &gt; <a href="/category/">{{.Section}}</a>{{if .Tail}}{{if .Glued}}{{.Tail}}{{else}} &gt; {{.Tail}}{{end}}{{end}}</div>{{end}}
<div class="article">
<h1>{{.Headline}}</h1>
{{if .DateLine}}<div class="meta">{{if .SourceLine}}<span class="date">{{.DateLine}}</span>source:<a href="/">{{.Source}}</a>category:<a href="/category/">{{.Category}}</a>{{else}}<span class="date">{{.DateLine}}</span>{{if .Source}}<span> {{.SourceLabel}}{{.Source}}</span>{{end}}{{end}}</div>{{end}}
{{if or .Byline .View}}<div class="writer">{{.Byline}}{{if and .View (not .ViewDate)}} View{{end}}</div>{{end}}
{{if .ViewsLine}}<div class="pv">{{.ViewsLine}}</div>{{end}}
<div class="art-body">{{range .Paragraphs}}
<p>{{.}}</p>{{end}}
</div>
{{if .More}}<p class="tags">{{.More}}</p>{{end}}
{{if .Counter}}<div class="zan">{{.Counter}}</div>{{end}}
{{range .ViewLines}}<p class="vl"><span>{{.Stamp}}</span>{{.Count}} view</p>
{{end}}</div>
{{range .Blocks}}<div class="recommend">{{if .Heading}}<h2>{{.Heading}}</h2>{{end}}{{range .Items}}
<div class="item"><h4><a href="{{.Href}}">{{.Headline}}</a></h4>{{if .Snippet}}<p>{{.Snippet}}</p>{{end}}</div>{{end}}
</div>
{{end}}</div>
<footer>{{if .Disclaimer}}<p>{{.Disclaimer}}</p>{{end}}<p>{{.Copyright}}</p></footer>
</body></html>
`

// viewFeed: a bare article block, then a feed of "time+count view" lines
// and teasers cut mid-word, with little furniture.
const viewFeed = head + `</head>
<body>
<div id="page">
<div class="bar"><a href="/">{{.SiteName}}</a>{{range .Sections}} <a href="/{{.}}/">{{.}}</a>{{end}}</div>
{{with .Crumb}}<p class="loc">{{.Label}}<a href="/">Home</a> &gt; {{.Section}}{{if .Tail}}{{if .Glued}}{{.Tail}}{{else}} &gt; {{.Tail}}{{end}}{{end}}</p>{{end}}
<article>
<h2 class="tt">{{.Headline}}</h2>
{{if or .Byline .View}}<div class="sub"><span>{{.Byline}}{{if and .View (not .ViewDate)}} View{{end}}</span></div>{{end}}
{{if .DateLine}}<div class="sub">{{.DateLine}}{{if .SourceLine}}source:{{.Source}}category:{{.Category}}{{else if .Source}} {{.SourceLabel}}{{.Source}}{{end}}</div>{{end}}
{{if .ViewsLine}}<div class="sub">{{.ViewsLine}}</div>{{end}}
<section class="txt">{{range .Paragraphs}}
<p>{{.}}</p>{{end}}
</section>
{{if .Counter}}<div class="good">{{.Counter}}</div>{{end}}
</article>
{{if .More}}<div class="cat">{{.More}}</div>{{end}}
<div class="feed">{{range .ViewLines}}
<div><span class="t">{{.Stamp}}</span><span class="n">{{.Count}}</span> view</div>{{end}}
</div>
{{range .Blocks}}{{if .Heading}}<h3 class="bt">{{.Heading}}</h3>{{end}}<div class="teasers">{{range .Items}}
<p><a href="{{.Href}}">{{.Headline}}</a></p>{{if .Snippet}}<p class="s">{{.Snippet}}</p>{{end}}{{end}}
</div>
{{end}}<div class="ft">{{if .Disclaimer}}{{.Disclaimer}} {{end}}{{.Copyright}}</div>
</div>
</body></html>
`

// portalSidebar: two columns, the article in <main> and ranked lists in
// an <aside> after it, a "Current: Home > Section" trail, a disclaimer
// footer.
const portalSidebar = head + `<style>main{float:left;width:70%}aside{float:right;width:28%}</style>
</head>
<body>
<header><a class="brand" href="/">{{.SiteName}}</a><nav>{{range .Sections}}<a href="/{{.}}.html">{{.}}</a> {{end}}</nav></header>
<main>
{{with .Crumb}}<div class="position">{{.Label}}<a href="/">Home</a> &gt; <a href="/{{.Section}}.html">{{.Section}}</a>{{if .Tail}}{{if .Glued}}<em>{{.Tail}}</em>{{else}} &gt; <em>{{.Tail}}</em>{{end}}{{end}}</div>{{end}}
<div class="post">
<h1>{{.Headline}}</h1>
{{if or .Byline .View}}<p class="attr"><span class="by">{{.Byline}}</span>{{if and .View (not .ViewDate)}}<span class="v"> View</span>{{end}}</p>{{end}}
{{if .DateLine}}<p class="attr">{{if .SourceLine}}{{.DateLine}}source:{{.Source}}category:{{.Category}}{{else}}{{.DateLine}}{{if .Source}} {{.SourceLabel}}{{.Source}}{{end}}{{end}}</p>{{end}}
{{if .ViewsLine}}<p class="attr">{{.ViewsLine}}</p>{{end}}
<div class="entry">{{range .Paragraphs}}
<p>{{.}}</p>{{end}}
</div>
{{if .Counter}}<div class="like"><button>{{.Counter}}</button></div>{{end}}
{{if .More}}<p class="more">{{.More}}</p>{{end}}
{{range .ViewLines}}<p class="vl">{{.Stamp}}{{.Count}} view</p>
{{end}}</div>
</main>
<aside>{{range .Blocks}}
<div class="box">{{if .Heading}}<div class="hd">{{.Heading}}</div>{{end}}<ol>{{range .Items}}
<li><a href="{{.Href}}">{{.Headline}}</a>{{if .Snippet}}<span class="s">{{.Snippet}}</span>{{end}}</li>{{end}}
</ol></div>{{end}}
</aside>
<footer>{{if .Disclaimer}}<div class="disclaimer">{{.Disclaimer}}</div>{{end}}<div class="copy">{{.Copyright}}</div></footer>
</body></html>
`

// layouts maps each family to its template's source.
var layouts = map[string]string{
	FamilyCrumbTitle: crumbTitle,
	FamilySourceLine: sourceLine,
	FamilyViewFeed:   viewFeed,
	FamilyPortal:     portalSidebar,
}

// parsedLayouts parses every layout once, on first use.
var parsedLayouts = sync.OnceValues(func() (map[string]*template.Template, error) {
	out := map[string]*template.Template{}
	for family, src := range layouts {
		t, err := template.New(family).Parse(src)
		if err != nil {
			return nil, fmt.Errorf("template family %s: %w", family, err)
		}
		out[family] = t
	}
	return out, nil
})

// renderLayout prints p in the family's skeleton.
func renderLayout(family string, p *spamPage) ([]byte, error) {
	parsed, err := parsedLayouts()
	if err != nil {
		return nil, err
	}
	t, ok := parsed[family]
	if !ok {
		return nil, fmt.Errorf("unknown template family %q", family)
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return nil, fmt.Errorf("render %s: %w", family, err)
	}
	return b.Bytes(), nil
}

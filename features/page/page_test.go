package page

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkInvariants asserts what every page must satisfy: blocks in order,
// inside their buffer, never empty; marked elements' offsets pointing at
// their text.
func checkInvariants(t *testing.T, p *Page) {
	t.Helper()
	prev := 0
	for i, b := range p.Blocks {
		require.LessOrEqual(t, prev, b.Start, "block %d starts before the previous ends", i)
		require.Less(t, b.Start, b.End, "block %d is empty", i)
		require.LessOrEqual(t, b.End, len(p.Text), "block %d ends past the text", i)
		prev = b.End
	}
	for i, b := range p.Hidden {
		require.LessOrEqual(t, b.End, len(p.HiddenText), "hidden block %d", i)
		require.NotEmpty(t, b.Hidden, "hidden block %d has no reason", i)
	}
	for _, m := range p.Marked {
		if m.Block >= 0 {
			require.Equal(t, m.Text, p.Text[m.Offset:m.Offset+len(m.Text)], "marked element %d offset", m.Role)
		}
	}
}

func TestParseBadInput(t *testing.T) {
	t.Parallel()
	deep := "<html><body>" + strings.Repeat("<div>", 100_000) + "deep text" + strings.Repeat("</div>", 100_000) + "</body></html>"
	huge := "<html><body>" + strings.Repeat("<p>Fifty megabytes of the same paragraph, to test the size cap.</p>\n", 50<<20/66) + "</body></html>"
	rng := rand.New(rand.NewPCG(1, 1))
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rng.UintN(256))
	}
	tests := []struct {
		name      string
		input     []byte
		opts      Options
		wantErr   error
		truncated bool
		contains  string
	}{
		{name: "empty", input: nil, wantErr: ErrEmpty},
		{name: "white space only", input: []byte(" \n\t "), wantErr: ErrEmpty},
		{name: "binary garbage", input: garbage, wantErr: ErrBinary},
		{name: "binary forced as HTML", input: garbage, opts: Options{Format: FormatHTML}, wantErr: ErrBinary},
		{name: "50 MB page is cut and marked", input: []byte(huge), truncated: true, contains: "Fifty megabytes"},
		{name: "100,000 nested divs", input: []byte(deep), truncated: true, contains: "deep text"},
		{name: "invalid UTF-8 in HTML", input: []byte("<html><body><p>caf\xe9 cr\xe8me \xff\xfe broken</p></body></html>"), contains: "caf"},
		{name: "invalid UTF-8 in text", input: []byte("line one \xff\nline two"), contains: "line two"},
		{name: "wrong declared charset, valid UTF-8", input: []byte(`<html><head><meta charset="shift_jis"></head><body><p>Grüße aus Köln — “quoted”</p></body></html>`), contains: "Grüße aus Köln — “quoted”"},
		{name: "UTF-8 with one stray byte early, undeclared", input: []byte("<html><body><p>\xff Zürich, Grüße aus Köln, naïve café</p></body></html>"), contains: "Zürich, Grüße aus Köln, naïve café"},
		{name: "UTF-8 cut inside a character, text", input: []byte("Zürich und Köln, Grüße\nline two \xc3"), contains: "Zürich und Köln, Grüße"},
		{name: "windows-1252 undeclared stays windows-1252", input: []byte("<p>caf\xe9 cr\xe8me br\xfbl\xe9e \x93quoted\x94</p>"), contains: "café crème brûlée “quoted”"},
		{name: "windows-1252 declared and used", input: []byte("<html><head><meta charset=\"windows-1252\"></head><body><p>caf\xe9 \x93quoted\x94</p></body></html>"), contains: "café “quoted”"},
		{name: "UTF-16 with BOM", input: append([]byte{0xff, 0xfe}, []byte("<\x00p\x00>\x00h\x00i\x00<\x00/\x00p\x00>\x00")...), opts: Options{Format: FormatHTML}, contains: "hi"},
		{name: "Content-Type charset wins", input: []byte("<p>caf\xe9 au lait</p>"), opts: Options{ContentType: "text/html; charset=iso-8859-1"}, contains: "café au lait"},
		{name: "bad URL", input: []byte("<p>x</p>"), opts: Options{URL: "http://[::1"}, wantErr: errAny},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			done := make(chan struct{})
			var p *Page
			var err error
			go func() {
				defer close(done)
				p, err = Parse(tc.input, tc.opts)
			}()
			select {
			case <-done:
			case <-time.After(60 * time.Second):
				t.Fatal("Parse hung")
			}
			if tc.wantErr != nil {
				require.Error(t, err)
				if tc.wantErr != errAny {
					assert.ErrorIs(t, err, tc.wantErr)
				}
				return
			}
			require.NoError(t, err)
			checkInvariants(t, p)
			assert.Equal(t, tc.truncated, p.Truncated, "truncated: %s", p.TruncatedBy)
			if tc.truncated {
				assert.NotEmpty(t, p.TruncatedBy)
			}
			assert.Contains(t, p.Text, tc.contains)
		})
	}
}

// errAny marks a test case that wants some error, whichever.
var errAny = errors.New("any error")

func TestSniff(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want Format
	}{
		{"<!DOCTYPE html><html><body>x</body></html>", FormatHTML},
		{"\ufeff  <html>", FormatHTML},
		{"<div>a</div><p>b</p><span>c</span>", FormatHTML},
		{"Plain text with a < sign and a > sign.", FormatText},
		{"Current:Home > Invest\nHeadline", FormatText},
		{"<p>one tag at the start</p>", FormatHTML},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, Sniff([]byte(tc.in)), tc.in)
	}
}

func TestTextModeLinesAreBlocks(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte("Headline of the story here\r\n\r\n  By Jane Roe \n- first item of a list\nA paragraph that ends like a sentence and is long enough to be prose, with more than ten words.\n"), Options{Format: FormatText})
	require.NoError(t, err)
	checkInvariants(t, p)
	require.Len(t, p.Blocks, 4)
	assert.Equal(t, "Headline of the story here", p.BlockText(0))
	assert.Equal(t, "By Jane Roe", p.BlockText(1))
	assert.Equal(t, KindListItem, p.Blocks[2].Kind)
	assert.Equal(t, "first item of a list", p.BlockText(2))
	assert.Equal(t, KindParagraph, p.Blocks[3].Kind)
}

// walkPage is a small page with what the walk keeps apart: a <br>, hidden
// text and its link, and elements marked by their role.
const walkPage = `<!DOCTYPE html><html lang="en-US"><head><title>Storm</title><style>.sr{display:none}</style></head><body>
<div class="breadcrumb"><a href="/">Home</a> &gt; <a href="/news">News</a></div>
<h1>Storm floods the valley</h1>
<p class="byline">By Ana Ruiz</p>
<p>Officials said the water would recede by the weekend.<br>More rain is expected.</p>
<div class="sr">hidden words <a href="https://elsewhere.example/casino">casino</a></div>
<div style="position:absolute;left:-9999px">off-screen words</div>
</body></html>`

// TestHTMLWalk checks what the one walk reads from markup: blocks split at
// <br>, hidden text kept apart with its reason and its links, and the
// elements marked by their role.
func TestHTMLWalk(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(walkPage), Options{URL: "https://www.valleycourier.example/2024/03/05/storm"})
	require.NoError(t, err)
	checkInvariants(t, p)
	assert.Equal(t, FormatHTML, p.Format)
	assert.Equal(t, "en", p.Lang)
	assert.Equal(t, "valleycourier.example", p.Host())
	var marked []string
	for _, m := range p.Marked {
		marked = append(marked, fmt.Sprintf("%d=%s", m.Role, m.Text))
	}
	assert.Equal(t, []string{fmt.Sprintf("%d=Home > News", RoleBreadcrumb), fmt.Sprintf("%d=Storm floods the valley", RoleH1), fmt.Sprintf("%d=By Ana Ruiz", RoleByline)}, marked)

	// <br> splits a paragraph into two blocks.
	assert.Contains(t, blockTexts(p), "Officials said the water would recede by the weekend.")
	assert.Contains(t, blockTexts(p), "More rain is expected.")
	// Hidden text is kept apart with its reason, and so are its links.
	require.Len(t, p.Hidden, 2)
	assert.Equal(t, HiddenDisplay, p.Hidden[0].Hidden)
	assert.Equal(t, HiddenOffscreen, p.Hidden[1].Hidden)
	assert.NotContains(t, p.Text, "hidden words")
	var hiddenLink *Link
	for i := range p.Links {
		if p.Links[i].Hidden {
			hiddenLink = &p.Links[i]
		}
	}
	require.NotNil(t, hiddenLink)
	assert.Equal(t, "casino", hiddenLink.Text)
	assert.Equal(t, "casino", p.HiddenText[hiddenLink.Offset:hiddenLink.Offset+len(hiddenLink.Text)])
}

func blockTexts(p *Page) []string {
	var out []string
	for i := range p.Blocks {
		out = append(out, p.BlockText(i))
	}
	return out
}

func TestPath(t *testing.T) {
	t.Parallel()
	p, err := Parse([]byte(`<html><body><div id="main"><p>one</p><p class="x y z">two</p></div><section><p>three</p></section></body></html>`), Options{})
	require.NoError(t, err)
	var paths []string
	for _, b := range p.Blocks {
		paths = append(paths, Path(b.Node))
	}
	assert.Equal(t, []string{"div#main > p:nth-of-type(1)", "div#main > p.x.y:nth-of-type(2)", "html > body > section > p"}, paths)
	assert.Equal(t, "", Path(nil))
}

func TestStyleHidden(t *testing.T) {
	t.Parallel()
	tests := []struct {
		style string
		want  HiddenReason
	}{
		{"display: none", HiddenDisplay},
		{"DISPLAY:NONE !important", HiddenDisplay},
		{"visibility:hidden", HiddenVisibility},
		{"font-size:0px", HiddenZeroSize},
		{"font-size:0.9em", ""},
		{"height:0;overflow:hidden", HiddenZeroSize},
		{"position:absolute; left:-9999px", HiddenOffscreen},
		{"margin-left:-20px", ""},
		{"color:#fff;background-color:#ffffff", HiddenSameColour},
		{"color:#333;background:#fff", ""},
		{"background-color:red", ""},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, styleHidden(tc.style), tc.style)
	}
}

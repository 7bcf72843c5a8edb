package page

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Reasons a block is hidden from a reader.
const (
	HiddenAttr       HiddenReason = "hidden-attribute"
	HiddenDisplay    HiddenReason = "display:none"
	HiddenVisibility HiddenReason = "visibility:hidden"
	HiddenZeroSize   HiddenReason = "zero-size"
	HiddenOffscreen  HiddenReason = "off-screen"
	HiddenClipped    HiddenReason = "clipped"
	HiddenSameColour HiddenReason = "same-colour"
)

// hiddenReason says why an element is hidden by its own attributes or by a
// simple class or id rule of the page's inline style sheets, or "".
func (w *walker) hiddenReason(n *html.Node) HiddenReason {
	var style, class, id string
	for _, a := range n.Attr {
		switch a.Key {
		case "hidden":
			return HiddenAttr
		case "style":
			style = a.Val
		case "class":
			class = a.Val
		case "id":
			id = a.Val
		}
	}
	if style != "" {
		if r := styleHidden(style); r != "" {
			return r
		}
	}
	if len(w.classes) > 0 {
		if id != "" {
			if r, ok := w.classes["#"+id]; ok {
				return r
			}
		}
		if class != "" {
			for _, c := range strings.Fields(class) {
				if r, ok := w.classes["."+c]; ok {
					return r
				}
			}
		}
	}
	return ""
}

// styleHidden reads a CSS declaration list and says whether it hides the
// element.
func styleHidden(style string) HiddenReason {
	decl := compactCSS(style)
	switch {
	case strings.Contains(decl, "display:none"):
		return HiddenDisplay
	case strings.Contains(decl, "visibility:hidden"):
		return HiddenVisibility
	case zeroValue(decl, "font-size:"):
		return HiddenZeroSize
	case (zeroValue(decl, "height:") || zeroValue(decl, "width:") || zeroValue(decl, "max-height:")) && strings.Contains(decl, "overflow:hidden"):
		return HiddenZeroSize
	case farNegative(decl, "left:") || farNegative(decl, "top:") || farNegative(decl, "text-indent:") || farNegative(decl, "margin-left:"):
		return HiddenOffscreen
	case strings.Contains(decl, "clip:rect(0") || strings.Contains(decl, "clip:rect(1px,1px,1px,1px)") || strings.Contains(decl, "clip-path:inset(50%)"):
		return HiddenClipped
	}
	if c := cssValue(decl, "color:"); c != "" {
		bg := cssValue(decl, "background-color:")
		if bg == "" {
			bg = cssValue(decl, "background:")
		}
		if bg != "" && sameColour(c, bg) {
			return HiddenSameColour
		}
	}
	return ""
}

// compactCSS lower-cases a declaration list and drops its white space and
// "!important".
func compactCSS(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			continue
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return strings.ReplaceAll(b.String(), "!important", "")
}

// cssValue returns the value of the first declaration of prop (given with
// its colon) in a compacted declaration list, checking that prop starts a
// declaration ("color:" must not match "background-color:").
func cssValue(decl, prop string) string {
	for off := 0; off < len(decl); {
		i := strings.Index(decl[off:], prop)
		if i < 0 {
			return ""
		}
		i += off
		if i == 0 || decl[i-1] == ';' || decl[i-1] == '{' {
			v := decl[i+len(prop):]
			if j := strings.IndexAny(v, ";}"); j >= 0 {
				v = v[:j]
			}
			return v
		}
		off = i + len(prop)
	}
	return ""
}

func zeroValue(decl, prop string) bool {
	v := cssValue(decl, prop)
	if v == "" {
		return false
	}
	v = strings.TrimRight(v, "pxemtr%")
	f, err := strconv.ParseFloat(v, 64)
	return err == nil && f == 0
}

func farNegative(decl, prop string) bool {
	v := cssValue(decl, prop)
	if !strings.HasPrefix(v, "-") {
		return false
	}
	num := strings.TrimRight(v[1:], "pxemtr%vhw")
	f, err := strconv.ParseFloat(num, 64)
	if err != nil {
		return false
	}
	switch {
	case strings.HasSuffix(v, "px") || strings.HasSuffix(v, "pt"):
		return f >= 999
	case strings.HasSuffix(v, "em") || strings.HasSuffix(v, "rem"):
		return f >= 60
	case strings.HasSuffix(v, "%") || strings.HasSuffix(v, "vw") || strings.HasSuffix(v, "vh"):
		return f >= 100
	}
	return f >= 999
}

func sameColour(a, b string) bool {
	a, b = canonColour(a), canonColour(b)
	return a != "" && a == b
}

func canonColour(c string) string {
	switch c {
	case "#fff", "#ffffff", "white", "rgb(255,255,255)":
		return "white"
	case "#000", "#000000", "black", "rgb(0,0,0)":
		return "black"
	}
	if strings.HasPrefix(c, "#") || strings.HasPrefix(c, "rgb") {
		return c
	}
	return ""
}

// hiddenClasses maps ".class" and "#id" selectors of simple inline style
// rules to the reason they hide their elements.
type hiddenClasses map[string]HiddenReason

// addRules reads a style sheet and records the rules whose selector list is
// made of single classes or ids and whose declarations hide the element.
// Compound selectors, media queries and the rest are ignored: the page's
// real visibility depends on them, and guessing would hide real content.
func (h *hiddenClasses) addRules(css string) {
	if len(css) > 256<<10 {
		css = css[:256<<10]
	}
	depth := 0
	for len(css) > 0 {
		open := strings.IndexByte(css, '{')
		if open < 0 {
			return
		}
		sel := strings.TrimSpace(css[:open])
		if strings.HasPrefix(sel, "@") {
			// Skip the whole at-rule block.
			depth = 1
			i := open + 1
			for ; i < len(css) && depth > 0; i++ {
				switch css[i] {
				case '{':
					depth++
				case '}':
					depth--
				}
			}
			css = css[i:]
			continue
		}
		end := strings.IndexByte(css[open:], '}')
		if end < 0 {
			return
		}
		body := css[open+1 : open+end]
		css = css[open+end+1:]
		if i := strings.LastIndex(sel, "}"); i >= 0 {
			sel = strings.TrimSpace(sel[i+1:])
		}
		// Selectors first: they are cheap to check and most rules of a
		// large style sheet are compound ones this reader ignores.
		var simple []string
		for _, s := range strings.Split(sel, ",") {
			s = strings.TrimSpace(s)
			if len(s) >= 2 && (s[0] == '.' || s[0] == '#') && !strings.ContainsAny(s[1:], ".#:[ >+~*") {
				simple = append(simple, s)
			}
		}
		if len(simple) == 0 {
			continue
		}
		reason := styleHidden(body)
		if reason == "" {
			continue
		}
		for _, s := range simple {
			if *h == nil {
				*h = hiddenClasses{}
			}
			(*h)[s] = reason
		}
	}
}

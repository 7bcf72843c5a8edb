package page

import (
	"strconv"
	"strings"

	"golang.org/x/net/html"
)

// Path returns a CSS-like path to an element, from <html> down:
// "html > body > div.article > p:nth-of-type(3)". Classes are limited to
// the first two, and ids end the walk up ("#main > p:nth-of-type(2)") since
// they are unique. Path returns "" for nil.
func Path(n *html.Node) string {
	if n == nil {
		return ""
	}
	var parts []string
	for e := n; e != nil && e.Type == html.ElementNode; e = e.Parent {
		if id := Attr(e, "id"); id != "" && isSimpleIdent(id) {
			parts = append(parts, e.Data+"#"+id)
			break
		}
		part := e.Data
		if class := strings.Fields(Attr(e, "class")); len(class) > 0 {
			for i, c := range class {
				if i == 2 {
					break
				}
				if isSimpleIdent(c) {
					part += "." + c
				}
			}
		}
		if k, total := typeIndex(e); total > 1 {
			part += ":nth-of-type(" + strconv.Itoa(k) + ")"
		}
		parts = append(parts, part)
	}
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	return strings.Join(parts, " > ")
}

// typeIndex returns the 1-based position of e among its element siblings
// of the same tag, and how many there are.
func typeIndex(e *html.Node) (int, int) {
	if e.Parent == nil {
		return 1, 1
	}
	k, total := 0, 0
	for s := e.Parent.FirstChild; s != nil; s = s.NextSibling {
		if s.Type == html.ElementNode && s.Data == e.Data {
			total++
			if s == e {
				k = total
			}
		}
	}
	return k, total
}

func isSimpleIdent(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '-' || c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return !('0' <= s[0] && s[0] <= '9')
}

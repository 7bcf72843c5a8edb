package page

import (
	"encoding/json"
	"sort"
	"strings"
)

// jsonldKeys are the JSON-LD properties the views read. Author, publisher
// and creator are reduced to their names; breadcrumb lists to item names.
var jsonldKeys = map[string]bool{
	"headline": true, "alternativeHeadline": true, "datePublished": true, "dateModified": true,
	"dateCreated": true, "uploadDate": true, "author": true, "creator": true, "publisher": true,
	"inLanguage": true, "articleSection": true, "@type": true,
}

// maxJSONLD caps the bytes of one JSON-LD block that are decoded.
const maxJSONLD = 256 << 10

// readJSONLD decodes one ld+json script and adds the properties of interest
// to out. Malformed JSON is ignored: it is common and says nothing.
func readJSONLD(out map[string][]string, text string) {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > maxJSONLD {
		return
	}
	var v any
	if err := json.Unmarshal([]byte(text), &v); err != nil {
		return
	}
	walkJSONLD(out, v, 0)
}

func walkJSONLD(out map[string][]string, v any, depth int) {
	if depth > 8 {
		return
	}
	switch t := v.(type) {
	case []any:
		for _, e := range t {
			walkJSONLD(out, e, depth+1)
		}
	case map[string]any:
		if typ, _ := t["@type"].(string); typ == "BreadcrumbList" {
			if items, ok := t["itemListElement"].([]any); ok {
				var names []string
				for _, it := range items {
					if m, ok := it.(map[string]any); ok {
						if n := jsonldName(m); n != "" {
							names = append(names, n)
						} else if item, ok := m["item"].(map[string]any); ok {
							if n := jsonldName(item); n != "" {
								names = append(names, n)
							}
						}
					}
				}
				if len(names) > 0 {
					out["breadcrumb"] = append(out["breadcrumb"], strings.Join(names, " > "))
				}
			}
			return
		}
		typ := jsonldType(t)
		keys := make([]string, 0, len(t))
		for k := range t {
			keys = append(keys, k)
		}
		sort.Strings(keys) // map order is random; the views must not be
		for _, k := range keys {
			val := t[k]
			if jsonldKeys[k] && (!jsonldDateKeys[k] || articleType(typ)) {
				switch k {
				case "author", "creator", "publisher":
					for _, n := range jsonldNames(val) {
						out[k] = append(out[k], n)
					}
					continue
				}
				if s, ok := val.(string); ok && s != "" {
					out[k] = append(out[k], collapseSpace(s))
				}
			}
			switch val.(type) {
			case map[string]any, []any:
				if k != "author" && k != "creator" && k != "publisher" {
					walkJSONLD(out, val, depth+1)
				}
			}
		}
	}
}

// jsonldDateKeys are read only from article-like objects: a page's
// JSON-LD also dates its videos, images and related items.
var jsonldDateKeys = map[string]bool{"datePublished": true, "dateModified": true, "dateCreated": true, "uploadDate": true, "headline": true}

func jsonldType(m map[string]any) string {
	switch t := m["@type"].(type) {
	case string:
		return t
	case []any:
		var parts []string
		for _, e := range t {
			if s, ok := e.(string); ok {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, " ")
	}
	return ""
}

// articleType reports whether a JSON-LD @type describes the page's own
// story (or is absent, as in hand-written blocks).
func articleType(typ string) bool {
	if typ == "" {
		return true
	}
	for _, k := range []string{"Article", "Posting", "Report", "WebPage", "Blog"} {
		if strings.Contains(typ, k) {
			return true
		}
	}
	return false
}

func jsonldName(m map[string]any) string {
	if n, ok := m["name"].(string); ok {
		return collapseSpace(n)
	}
	return ""
}

func jsonldNames(v any) []string {
	switch t := v.(type) {
	case string:
		return []string{collapseSpace(t)}
	case map[string]any:
		if n := jsonldName(t); n != "" {
			return []string{n}
		}
	case []any:
		var out []string
		for _, e := range t {
			out = append(out, jsonldNames(e)...)
		}
		return out
	}
	return nil
}

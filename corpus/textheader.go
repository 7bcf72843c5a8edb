package corpus

import (
	"bytes"
	"net/url"
	"regexp"
)

// MetaHeader is the Document.Meta key of a text page's header fields
// other than its URL (TextHeader): {"kind": "copy", "note": "..."}.
const MetaHeader = "header"

// maxHeaderLines bounds a text page's header.
const maxHeaderLines = 16

// headerLine is one "key: value" line of a text page's header.
var headerLine = regexp.MustCompile(`^([a-z][a-z_-]{0,31}): (.*)$`)

// TextHeader reads the header a saved text page may open with, as the
// shared examples' captures do: a "url: " line with an absolute http(s)
// URL, then other "key: value" lines, then an empty line before the page.
// It returns the URL, the other fields and the page after the header; ok
// is false (and body is returned whole) when body opens with no such
// header, so that a page whose first line merely starts with "url: " is
// left as it is.
func TextHeader(body []byte) (pageURL string, fields map[string]string, rest []byte, ok bool) {
	if !bytes.HasPrefix(body, []byte("url: ")) {
		return "", nil, body, false
	}
	fields = map[string]string{}
	off := 0
	for n := 0; n <= maxHeaderLines; n++ {
		end := bytes.IndexByte(body[off:], '\n')
		if end < 0 {
			return "", nil, body, false
		}
		line := bytes.TrimSuffix(body[off:off+end], []byte("\r"))
		off += end + 1
		if len(line) == 0 {
			u, err := url.Parse(fields["url"])
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
				return "", nil, body, false
			}
			delete(fields, "url")
			return u.String(), fields, body[off:], true
		}
		m := headerLine.FindSubmatch(line)
		if m == nil {
			return "", nil, body, false
		}
		fields[string(m[1])] = string(m[2])
	}
	return "", nil, body, false
}

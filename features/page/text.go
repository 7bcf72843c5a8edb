package page

import (
	"strings"
)

// buildText reads plain text: every non-empty line is a block, white space
// inside it collapsed. Lines opening with a list marker ("- ", "• ", "* ")
// are list items, with the marker left out of the block's span.
func buildText(p *Page, text string) {
	p.Meta = map[string]string{}
	p.JSONLD = map[string][]string{}
	var s sink
	for line := range strings.Lines(text) {
		if s.full {
			break
		}
		line = strings.TrimRight(line, "\r\n")
		trimmed := strings.TrimSpace(line)
		if trimmed == "" {
			continue
		}
		kind := KindLine
		for _, marker := range []string{"- ", "• ", "* ", "· ", "– "} {
			if strings.HasPrefix(trimmed, marker) && len(trimmed) > len(marker) {
				trimmed = strings.TrimSpace(trimmed[len(marker):])
				kind = KindListItem
				break
			}
		}
		s.writeText(trimmed, false)
		s.flush(kind, 0, false, "", nil)
	}
	if s.full {
		p.Truncated = true
		p.TruncatedBy = joinReason(p.TruncatedBy, "text cut at the text cap")
	}
	p.Text = string(s.buf)
	p.Blocks = s.blocks
}

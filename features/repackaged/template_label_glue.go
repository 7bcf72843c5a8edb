package repackaged

import (
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// templateLabels are the label words the network's header lines glue to
// their values.
var templateLabels = map[string]bool{
	"date": true, "time": true, "source": true, "category": true, "author": true, "view": true, "views": true,
	"posted": true, "published": true, "updated": true, "tag": true, "tags": true, "current": true, "more": true,
}

// gluedLabel reports whether text holds a template label glued to its value
// or to the value before it: "Date:2025-04-07", "11:52:30source:EchoSense",
// "EchoSensecategory:News", "Current:Home". It scans each colon once.
func gluedLabel(text string) bool {
	for i := 1; i+1 < len(text); i++ {
		if text[i] != ':' || !isAlnum(text[i+1]) {
			continue
		}
		// The letters before the colon, and whether something is glued
		// before them.
		j := i
		for j > 0 && isLetter(text[j-1]) {
			j--
		}
		for k := j; k < i; k++ {
			// Any suffix of the run may be the label ("EchoSensecategory").
			if templateLabels[strings.ToLower(text[k:i])] && (k == 0 || k > j || !isLetter(text[k-1])) {
				return true
			}
		}
	}
	return false
}

// TemplateLabelGlue counts short lines holding labels glued to values.
var TemplateLabelGlue = signal.Extractor{
	Name:   "template_label_glue",
	Family: signal.Repackaged,
	Doc: `Template labels are glued to their values. ` +
		`The network's header lines run label and value together: "Date:2025-04-07 14:28:25", "2025-05-07 11:52:30source:EchoSense` +
		`category:News", "Current:Home > Invest", "More:News". A label set apart from its value ("Published: May 7, 2025") is ordinary. Value: the number of short lines (up to 16 words) holding such a label.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		for i, b := range p.Blocks {
			if b.Words > 16 || b.Words == 0 || b.Boilerplate {
				continue
			}
			text := p.BlockText(i)
			if strings.IndexByte(text, ':') < 0 {
				continue
			}
			if gluedLabel(text) {
				r.Value++
				r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, b.End, "label glued to its value"))
			}
		}
		return r
	},
}

package repackaged

import (
	"math"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// GluedTokens counts words glued together in the page's text.
var GluedTokens = signal.Extractor{
	Name:   "glued_tokens",
	Family: signal.Repackaged,
	Doc: `Words are glued together where a splice or a template joined them. ` +
		`A lower-case letter directly followed by a capital ("CenterWhite", "InvestNovaQuant") where the second word also stands alone ` +
		`on the page, a clock time glued to a count ("03:171702 view") and a number glued to a word ("30source"). Camel-case names ` +
		`(iPhone, YouTube, McDonald's, PayPal, PepsiCo) and navigation text do not count. Value: the count divided by the square root ` +
		`of the story's length in units of 500 words.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		a := analyse(p)
		var r signal.Result
		for _, g := range a.glue {
			r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, g.Token.Start, g.Token.End, glueNote(g.Kind)))
		}
		if n := len(a.glue); n > 0 {
			r.Value = float64(n) / math.Sqrt(math.Max(1, float64(a.proseWords)/500))
		}
		return r
	},
}

func glueNote(k lexis.GlueKind) string {
	switch k {
	case lexis.GlueDigits:
		return "clock time glued to a count"
	case lexis.GlueDigitWord:
		return "number glued to a word"
	}
	return "words glued at a case boundary"
}

package repackaged

import (
	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// BodyBrandSplice fires on brands inserted into the story below the lead.
var BodyBrandSplice = signal.Extractor{
	Name:   "body_brand_splice",
	Family: signal.Repackaged,
	Doc: `A name-like phrase is glued into the story below the lead. ` +
		`A capitalised phrase glued after a comma and followed by the rest of the sentence ("charges,Burley Garcia authorities said"), ` +
		`or an organisation name glued to the next word. Commas in numbers ("1,000") and after abbreviations ("the U.S.,Canada and ` +
		`Britain") are not commas of this kind, nor are the commas of a paragraph whose writer glues two or more of them ("metal,Eric ` +
		`Wagner was metal,Paul Dianno", a reader's comment). Value: the sum of the splices' strengths, capped at 1: the feature ` +
		`fires on few pages, so its spread is small and each unit weighs several points, and a second glued comma elsewhere on ` +
		`the page is as likely a writer's habit as a second splice.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		ss := analyse(p).body
		r := splicesResult(p, ss)
		r.Value = 0
		for _, s := range ss {
			r.Value += s.value
		}
		r.Value = min(r.Value, 1)
		return r
	},
}

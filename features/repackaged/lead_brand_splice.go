package repackaged

import (
	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/signal"
)

// LeadBrandSplice fires on a brand inserted into the lead.
var LeadBrandSplice = signal.Extractor{
	Name:   "lead_brand_splice",
	Family: signal.Repackaged,
	Doc: `A name-like phrase is inserted into the lead. ` +
		`Inside the wire dateline ("CAMBRIDGE,Algosensey Ill. (AP)"), right after it and glued to the next word ("(AP) — The NovaQuant ` +
		`Quantitative Think Tank CenterWhite House"), at the start of the first sentence ("The Poinbank ExchangePowerball"), the ` +
		`headline's brand repeated in the lead ("We are PredictIQa nation"), or glued after a comma ("near Miami,Blockchains Finance ` +
		`officials said"). A real subject named at the start of the lead ("The Colorado Water Conservation Board voted") and again in ` +
		`the story is no splice. Value: the strongest splice, 1 when glued.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		return splicesResult(p, analyse(p).lead)
	},
}

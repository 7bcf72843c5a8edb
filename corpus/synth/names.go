package synth

import (
	"math/rand/v2"
	"strings"
)

// Name generators. Every brand, person, site and host the repackager
// prints is made here from syllables and word lists written for this
// package; none is taken from a real page.

// pick returns a random element of list.
func pick[T any](r *rand.Rand, list []T) T { return list[r.IntN(len(list))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// weighted is one value of a choice with its weight.
type weighted[T any] struct {
	val    T
	weight float64
}

// pickWeighted draws one value in proportion to the weights.
func pickWeighted[T any](r *rand.Rand, list []weighted[T]) T {
	total := 0.0
	for _, w := range list {
		total += w.weight
	}
	x := r.Float64() * total
	for _, w := range list {
		if x < w.weight {
			return w.val
		}
		x -= w.weight
	}
	return list[len(list)-1].val
}

// Syllables for coined words: an onset, an optional middle and an ending.
var (
	coinOnsets  = []string{"Zen", "Vel", "Quor", "Tal", "Myr", "Brix", "Cald", "Dorn", "Fen", "Grav", "Hal", "Jast", "Kel", "Lum", "Mer", "Orv", "Pra", "Ryl", "Sol", "Tor", "Ulm", "Vant", "Wex", "Xan", "Yor", "Zel", "Cor", "Bel", "Ast", "Fir", "Gal", "Kor", "Lex", "Mav", "Nor", "Ost", "Pel", "Rav", "Sar", "Tev", "Vir", "Zor"}
	coinMiddles = []string{"", "", "o", "a", "i", "e", "ara", "ento", "ix", "ora", "iva", "u", "en"}
	coinEnds    = []string{"IQ", "Bit", "Fi", "Mint", "Ledger", "Vault", "Flow", "Nest", "Grid", "Coin", "Quant", "Metrics", "Yield", "Chain", "Wise", "Lytics", "Core", "Scope", "Peak", "X", "Trade", "Fund", "Capital", "Signal", "Hub"}
)

// coinage returns a camel-case coinage ("ZentoraIQ", "KelixVault") or,
// without an ending, a plain coined word ("Myrento").
func coinage(r *rand.Rand, withEnd bool) string {
	w := pick(r, coinOnsets) + pick(r, coinMiddles)
	if withEnd {
		return w + pick(r, coinEnds)
	}
	if len(w) < 5 {
		w += pick(r, []string{"ar", "en", "is", "on", "ex", "um"})
	}
	return w
}

// Organisation phrases that follow a coined word in a brand.
var (
	thinkTankAdjectives = []string{"Quantitative", "Strategic", "Algorithmic", "Digital", "Macro", "Systematic", "Applied"}
	thinkTankNouns      = []string{"Think Tank", "Research", "Analytics", "Forecasting", "Think Tank"}
	thinkTankEnds       = []string{"Center", "Institute", "Lab", "Hub", "Centre", "Office"}
	guildFirsts         = []string{"Investment", "Trading", "Wealth", "Capital", "Asset", "Crypto", "Equity", "Portfolio"}
	guildEnds           = []string{"Guild", "Society", "Club", "Circle", "Alliance", "Association", "Union", "Fellowship"}
	orgWordsA           = []string{"Global", "Prime", "Digital", "First", "United", "Pacific", "Atlantic", "Summit", "Apex", "Northern", "Royal", "Silver", "Golden", "Meridian"}
	orgWordsB           = []string{"Capital", "Finance", "Markets", "Securities", "Holdings", "Partners", "Ventures", "Advisors", "Asset Management", "Wealth", "Funds", "Analytics", "Trust", "Group", "Blockchain", "Tokens"}
	foreignBrands       = []func(r *rand.Rand) string{
		func(r *rand.Rand) string {
			return "Académie D'" + pick(r, []string{"Épargne", "Analyse Financière", "Études Boursières", "Économie Appliquée"}) + " " + pick(r, []string{"Lumineux", "Souverain", "Éclatant", "Prospère", "Vaillant"})
		},
		func(r *rand.Rand) string {
			return "Instituto " + pick(r, []string{"de Inversión", "Financiero", "de Finanzas", "Bursátil"}) + " " + coinage(r, false)
		},
		func(r *rand.Rand) string {
			return pick(r, []string{"Cercle", "Fondation", "Maison"}) + " " + coinage(r, false) + " " + pick(r, []string{"Patrimoine", "Capital", "Finance"})
		},
		func(r *rand.Rand) string {
			return coinage(r, false) + " " + pick(r, []string{"Anlagegesellschaft", "Finanzakademie", "Kapitalforum", "Vermögensinstitut"})
		},
		func(r *rand.Rand) string {
			return "Accademia " + pick(r, []string{"degli Investimenti", "della Finanza", "del Risparmio"}) + " " + coinage(r, false)
		},
	}
)

// Person names: given names, surnames and middle initials.
var (
	givenNames = []string{"Harriet", "Marcus", "Eleanor", "Desmond", "Priya", "Tobias", "Ingrid", "Rafael", "Yolanda", "Cedric", "Miriam", "Anselm", "Delphine", "Nikolai", "Rosalind", "Gideon", "Thandiwe", "Lucian", "Beatrix", "Emeric", "Odette", "Silas", "Wilhelmina", "Casimir", "Imogen", "Bartholomew", "Leocadia", "Fitzgerald", "Marisol", "Augustin", "Henrietta", "Jasper", "Constance", "Everett", "Philippa"}
	surnames   = []string{"Dunmore", "Whitcombe", "Okonkwo", "Halvorsen", "Brightwater", "Castellano", "Pemberton", "Achterberg", "Fairweather", "Lindqvist", "Marchetti", "Oyelaran", "Thistlewood", "Vasquez-Hale", "Ashdown", "Kowalczyk", "Redgrave", "Abernathy", "Quill", "Stanhope", "Ravensworth", "Delacroix", "Nakashima", "Wetherby", "Calloway", "Ingleby", "Moriarty", "Penhallow", "Tressider", "Yardley", "Blackwood", "Holloway", "Carrington", "Featherstone"}
	initials   = strings.Split("ABCDEFGHJKLMNPRSTW", "")
)

// personName returns an invented person's name: "Harriet K. Dunmore",
// "Marcus Whitcombe", "Eleanor Jasper Pemberton".
func personName(r *rand.Rand) string {
	switch r.IntN(3) {
	case 0:
		return pick(r, givenNames) + " " + pick(r, initials) + ". " + pick(r, surnames)
	case 1:
		return pick(r, givenNames) + " " + pick(r, surnames)
	default:
		return pick(r, givenNames) + " " + pick(r, givenNames) + " " + pick(r, surnames)
	}
}

// Brand kinds, as recorded in Meta.
const (
	BrandThinkTank = "think_tank" // "Zentora Quantitative Think Tank Center"
	BrandExchange  = "exchange"   // "Kelix Exchange"
	BrandGuild     = "guild"      // "Myrento Investment Guild"
	BrandOrgCombo  = "org_combo"  // "Torix Global Securities"
	BrandCoinage   = "coinage"    // "ZentraIQ"
	BrandPerson    = "person"     // "Harriet K. Dunmore"
	BrandDoubled   = "doubled"    // two surnames: "Ashdown Calloway"
	BrandForeign   = "foreign"    // "Académie D'Épargne Souverain"
	BrandNone      = "none"       // the bare template: no brand at all
)

// BrandKinds lists every brand kind the generator draws.
var BrandKinds = []string{BrandThinkTank, BrandExchange, BrandGuild, BrandOrgCombo, BrandCoinage, BrandPerson, BrandDoubled, BrandForeign, BrandNone}

// brandName makes a brand of the given kind.
func brandName(r *rand.Rand, kind string) string {
	switch kind {
	case BrandThinkTank:
		return coinage(r, chance(r, 0.5)) + " " + pick(r, thinkTankAdjectives) + " " + pick(r, thinkTankNouns) + " " + pick(r, thinkTankEnds)
	case BrandExchange:
		return coinage(r, chance(r, 0.4)) + " Exchange"
	case BrandGuild:
		return coinage(r, false) + " " + pick(r, guildFirsts) + " " + pick(r, guildEnds)
	case BrandOrgCombo:
		return coinage(r, chance(r, 0.3)) + " " + pick(r, orgWordsA) + " " + pick(r, orgWordsB)
	case BrandCoinage:
		return coinage(r, true)
	case BrandPerson:
		return personName(r)
	case BrandDoubled:
		a, b := pick(r, surnames), pick(r, surnames)
		for a == b {
			b = pick(r, surnames)
		}
		return a + " " + b
	case BrandForeign:
		return pick(r, foreignBrands)(r)
	}
	return ""
}

// Site names: finance- and crypto-sounding, one to four words.
var (
	siteWordsA = []string{"Harbor", "Crest", "Blue", "Iron", "Silver", "Cedar", "Granite", "Aurora", "Falcon", "Lantern", "Beacon", "Copper", "Willow", "Summit", "Delta", "Orbit", "Vertex", "Keystone", "Polar", "Amber"}
	siteWordsB = []string{"line", "wave", "ridge", "gate", "field", "point", "stone", "bridge", "crest", "path", "view", "side", "mark", "way"}
	siteNouns  = []string{"Finance", "Capital", "Wealth", "Markets", "Invest", "Money", "Crypto", "Coin", "Trading", "Profit", "Fortune", "Equity", "Ledger"}
	siteTails  = []string{"Insights", "Hub", "Daily", "Review", "Journal", "Watch", "Times", "Report", "Digest", "Strategies", "Navigator", "Wire", "Now"}
	// siteScripts are site-name suffixes in other scripts.
	siteScripts = []string{"财经资讯", "投资日报", "新闻网", "マネー速報", "投資ニュース", "투자뉴스", "Финансы Сегодня", "أخبار المال"}
)

// siteName returns a spam site's name and whether it is crypto-flavoured.
func spamSiteName(r *rand.Rand) (name, kind string) {
	stem := pick(r, siteWordsA) + pick(r, siteWordsB)
	switch r.IntN(5) {
	case 0:
		return stem + " " + pick(r, siteNouns), "finance"
	case 1:
		return pick(r, siteNouns) + stem, "finance" // glued: "InvestHarborline"
	case 2:
		return stem + " " + pick(r, siteNouns) + " " + pick(r, siteTails), "finance"
	case 3:
		return pick(r, []string{"Coin", "Crypto", "Token", "Chain", "Block"}) + " " + pick(r, siteTails), "crypto"
	default:
		return coinage(r, false) + " " + pick(r, []string{"Crypto", "Coin", "Bit"}) + " " + pick(r, siteTails), "crypto"
	}
}

// Host parts: the network runs on random subdomains of a few domains.
var (
	hostSubs    = []string{"byte", "fern", "quill", "moss", "tide", "gale", "pike", "cove", "vale", "rook", "lark", "brisk", "dune", "flint", "hush", "knot"}
	hostSubEnds = []string{"path", "way", "leaf", "hold", "mark", "haven", "port", "field", "lane", "spark"}
	hostDomains = []string{"fast", "swift", "info", "news", "daily", "top", "hot", "best", "key", "zen"}
	hostTLDs    = []string{".com", ".net", ".org", ".info", ".top", ".xyz"}
)

// spamHost returns a host such as "mossleaf.swiftdune.com".
func spamHost(r *rand.Rand) string {
	sub := pick(r, hostSubs) + pick(r, hostSubEnds)
	dom := pick(r, hostDomains) + pick(r, hostSubs) + pick(r, hostSubEnds)
	return sub + "." + dom + pick(r, hostTLDs)
}

// Sections for breadcrumbs, category fields and "More:" lines.
var sections = []string{"News", "Markets", "Finance", "Invest", "Stocks", "Crypto", "Economy", "World", "Business", "Trends", "Insights", "Scams", "reviews", "Contact-us", "Funds", "Policy", "Tech", "Sports", "Lifestyle"}

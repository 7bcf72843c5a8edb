package inject

import (
	"fmt"
	"html"
	"math/rand/v2"
	"strings"
)

// The spam the injector plants: anchor texts, target domains and
// paragraphs, by trade and language. Some anchors are terms any spam
// filter knows ("slot gacor", "buy viagra online"), others are not
// ("promo member baru", "designer bags sale"), so that a detector trained
// on this data learns more than a word list.

// trade is the business a piece of spam advertises.
type trade string

const (
	tradeGambling trade = "gambling"
	tradePharma   trade = "pharma"
	tradeLoans    trade = "loans"
	tradeReplica  trade = "replica"
	tradeAdult    trade = "adult"
	tradeScam     trade = "scam"
)

var trades = []trade{tradeGambling, tradePharma, tradeLoans, tradeReplica, tradeAdult, tradeScam}

// anchorBank holds anchor texts by trade and language.
var anchorBank = map[trade]map[string][]string{
	tradeGambling: {
		"id": {"slot gacor", "situs slot gacor", "slot online", "togel online", "judi bola", "agen slot terpercaya", "link slot gacor hari ini", "bandar togel", "rtp live", "slot88", "daftar slot", "slot demo gratis", "situs judi online", "promo member baru", "bonus harian", "gampang jp", "mahjong scatter", "situs terbaik 2024"},
		"en": {"best online casino", "online casino", "free spins", "no deposit bonus", "casino bonus", "online slots", "real money casino", "sports betting tips", "live casino", "top rated slots", "jackpot games", "win big tonight"},
		"zh": {"澳门娱乐城", "百家乐", "真人娱乐", "体育投注", "时时彩", "线上赌场", "博彩平台"},
		"ja": {"オンラインカジノ", "カジノボーナス", "入金不要ボーナス", "オンカジ 比較", "スロット 攻略"},
	},
	tradePharma: {
		"en": {"buy viagra online", "cheap cialis", "generic viagra", "viagra without prescription", "buy tramadol online", "canadian pharmacy", "kamagra", "phentermine", "male enhancement pills", "discount pills", "ed meds", "order pills overnight"},
		"id": {"obat kuat", "obat pembesar", "obat kuat tahan lama"},
		"ja": {"バイアグラ 通販", "シアリス 激安", "ED治療薬 個人輸入"},
		"zh": {"伟哥", "壮阳药", "春药 购买"},
	},
	tradeLoans: {
		"en": {"payday loans online", "bad credit loans", "no credit check loans", "instant approval loans", "fast cash loans", "title loans", "cash today", "same day money"},
		"id": {"pinjaman online cepat", "pinjol tanpa ktp", "dana cepat cair"},
		"ja": {"ブラックでも借りれる", "即日融資"},
		"zh": {"无抵押贷款", "快速放款"},
	},
	tradeReplica: {
		"en": {"replica watches", "rolex replica", "replica handbags", "cheap jerseys", "cheap nfl jerseys", "michael kors outlet", "louis vuitton outlet", "cheap jordans", "designer bags sale", "luxury watches cheap"},
		"ja": {"スーパーコピー 時計", "ブランドコピー 財布", "ロレックス コピー", "ヴィトン 激安", "シャネル 偽物"},
		"zh": {"高仿手表", "精仿包包", "复刻表"},
		"id": {"jam tangan replika", "tas branded murah"},
	},
	tradeAdult: {
		"en": {"free porn", "live sex cams", "escort service", "adult dating", "hot singles", "webcam chat"},
		"id": {"bokep indo", "video viral terbaru"},
		"ja": {"出会い系", "エロ動画", "無修正"},
		"zh": {"成人视频", "约炮", "裸聊"},
	},
	tradeScam: {
		"en": {"bitcoin giveaway", "crypto recovery", "binary options signals", "buy instagram followers", "essay writing service", "double your bitcoin", "guaranteed returns"},
		"id": {"investasi bodong", "trading robot profit"},
		"zh": {"代开发票", "办证", "刷单兼职"},
		"ja": {"副業 稼げる", "投資 必ず儲かる"},
	},
}

// anchorsFor returns the anchor bank of a trade in a language, falling
// back to English and then to any language the trade has.
func anchorsFor(t trade, lang string) []string {
	if a := anchorBank[t][lang]; len(a) > 0 {
		return a
	}
	if a := anchorBank[t]["en"]; len(a) > 0 {
		return a
	}
	for _, l := range []string{"id", "ja", "zh"} {
		if a := anchorBank[t][l]; len(a) > 0 {
			return a
		}
	}
	return []string{"click here"}
}

// domainParts build invented spam domains under reserved top-level
// domains, so that no generated link names a real site.
var domainParts = map[trade][2][]string{
	tradeGambling: {{"gacor", "hoki", "slot", "togel", "maxwin", "jackpot", "spin", "lucky", "royal", "casino", "bet", "jp", "cuan", "naga"}, {"88", "77", "4d", "vip", "win", "zone", "club", "palace", "king", "asia", "pro", "online"}},
	tradePharma:   {{"pills", "meds", "rx", "pharma", "health", "cure", "vital", "tabs"}, {"direct", "store", "shop", "online", "express", "world", "deal", "24"}},
	tradeLoans:    {{"cash", "loan", "lend", "credit", "money", "fund", "dana"}, {"now", "fast", "today", "direct", "easy", "hub", "go"}},
	tradeReplica:  {{"replica", "watch", "luxe", "brand", "jersey", "outlet", "copy", "kopi"}, {"store", "shop", "mall", "aaa", "deal", "world", "jp"}},
	tradeAdult:    {{"hot", "cam", "date", "flirt", "xo", "night", "bokep"}, {"chat", "live", "club", "zone", "tube", "hub"}},
	tradeScam:     {{"crypto", "coin", "profit", "follow", "essay", "trade", "wealth"}, {"boost", "pro", "hub", "max", "plus", "now"}},
}

var spamTLDs = []string{"example", "test", "invalid"}

// spamDomain invents a domain of the trade: "gacor88.example".
func spamDomain(r *rand.Rand, t trade) string {
	p := domainParts[t]
	sep := ""
	if chance(r, 0.35) {
		sep = "-"
	}
	return pick(r, p[0]) + sep + pick(r, p[1]) + "." + pick(r, spamTLDs)
}

// spamURL invents a URL on a spam domain, with a path now and then.
func spamURL(r *rand.Rand, t trade) string {
	u := "https://" + spamDomain(r, t) + "/"
	if chance(r, 0.4) {
		u += pick(r, []string{"daftar", "promo", "shop", "go", "link", "id", "bonus", "product", "item"}) + "/"
	}
	return u
}

// anchor is one link to plant.
type anchor struct {
	text, href string
	trade      trade
}

// anchorsOf draws n anchors of the given trades in lang, each to its own
// domain.
func anchorsOf(r *rand.Rand, ts []trade, lang string, n int) []anchor {
	out := make([]anchor, 0, n)
	seen := map[string]bool{}
	for tries := 0; len(out) < n && tries < 20*n; tries++ {
		t := pick(r, ts)
		href := spamURL(r, t)
		host := hostOf(href)
		if seen[host] {
			continue
		}
		seen[host] = true
		out = append(out, anchor{text: pick(r, anchorsFor(t, lang)), href: href, trade: t})
	}
	return out
}

func hostOf(u string) string {
	u = strings.TrimPrefix(u, "https://")
	if i := strings.IndexByte(u, '/'); i >= 0 {
		u = u[:i]
	}
	return u
}

func (a anchor) html() string {
	return fmt.Sprintf(`<a href="%s">%s</a>`, html.EscapeString(a.href), html.EscapeString(a.text))
}

// Paragraph templates. Each slot {x} is filled from fills[x].

// indonesianSlot are sentences of Indonesian slot-gambling SEO text.
var indonesianSlot = []string{
	"Bermain di {site} kini semakin mudah karena {game} tersedia setiap hari tanpa gangguan.",
	"Daftar akun baru dan nikmati {bonus} untuk semua member yang melakukan deposit pertama.",
	"{site} dikenal sebagai situs slot gacor dengan rtp live yang selalu diperbarui setiap jam.",
	"Banyak pemain memilih {game} karena peluang maxwin yang besar dan proses penarikan yang cepat.",
	"Link alternatif kami selalu aktif sehingga member bisa login kapan saja tanpa takut diblokir.",
	"Deposit bisa dilakukan lewat pulsa, e-wallet maupun transfer bank dengan minimal yang sangat ringan.",
	"Layanan pelanggan siap membantu selama 24 jam untuk setiap kendala yang dialami oleh member.",
	"Jangan lewatkan {bonus} yang hanya berlaku untuk pendaftaran melalui link resmi {site}.",
	"Sebagai agen judi online terpercaya, {site} menyediakan ratusan permainan dari provider ternama.",
	"Pola main {game} yang tepat membuat kemenangan terasa lebih mudah didapatkan oleh pemula.",
	"Setiap putaran memberikan kesempatan jackpot yang menarik bagi member baru maupun member lama.",
	"Togel online dan judi bola juga bisa dimainkan dengan satu akun saja di {site}.",
}

var indonesianFills = map[string][]string{
	"site":  {"Gacor88", "HokiSlot", "NagaMaxwin", "CuanJP", "RajaTogel", "SlotKing Asia"},
	"game":  {"mahjong ways", "gates of olympus", "starlight princess", "sweet bonanza", "slot pragmatic", "slot online"},
	"bonus": {"bonus new member 100%", "cashback mingguan", "bonus harian", "free spin setiap hari", "promo rollingan"},
}

// englishSpam are sentences of English casino, pharma and loan spam.
var englishSpam = map[trade][]string{
	tradeGambling: {
		"Looking for the best online casino? {site} offers free spins and a generous welcome bonus to every new player.",
		"Play slots, roulette and live blackjack for real money and withdraw your winnings within minutes.",
		"Claim your no deposit bonus today and spin the reels of more than two thousand games.",
		"Our trusted casino sites are ranked by payout speed, bonus value and the size of their jackpots.",
		"Sign up now, make your first deposit and double it with the biggest casino bonus of the year.",
	},
	tradePharma: {
		"Buy viagra online without prescription and get discreet overnight delivery to your door.",
		"Our canadian pharmacy sells generic cialis and kamagra at the lowest prices on the web.",
		"Order male enhancement pills today and save on every bottle with free shipping worldwide.",
		"Cheap tramadol and phentermine are in stock, no doctor visit needed.",
	},
	tradeLoans: {
		"Get payday loans online with instant approval, even with bad credit and no credit check.",
		"Fast cash loans are deposited into your account the same day you apply.",
		"Borrow up to five thousand dollars today: title loans and installment loans for every need.",
	},
	tradeReplica: {
		"Shop replica watches and designer handbags of the highest quality at outlet prices.",
		"Cheap jerseys from every team, wholesale prices and free shipping on orders over fifty dollars.",
		"Rolex replica and louis vuitton outlet bags that nobody can tell from the originals.",
	},
}

var englishFills = map[string][]string{
	"site": {"SpinPalace", "LuckyRoyal", "JackpotCity Online", "Casino Star", "GoldenReels"},
}

// japaneseHack are the pieces of "Japanese keyword hack" text: fake-brand
// shop copy.
var (
	japaneseBrands = []string{"ルイヴィトン", "シャネル", "エルメス", "ロレックス", "グッチ", "プラダ", "オメガ", "カルティエ"}
	japaneseItems  = []string{"財布", "バッグ", "時計", "腕時計", "長財布", "ネックレス", "スニーカー"}
	japaneseTags   = []string{"スーパーコピー", "コピー", "激安", "通販", "偽物", "n級品", "最高品質", "代引き", "送料無料", "新作", "人気", "専門店"}
	japaneseLines  = []string{
		"{brand}{item} {tag} {tag} 専門店、{tag}で{tag}。",
		"{brand} コピー {item} 人気 新作 が 大量 入荷 しました。",
		"{brand}{item}{tag} を 最安値 で 販売 して います。{tag}、{tag} 対応。",
		"当店 の {brand} {item} は {tag} の {tag} です。",
		"{brand}スーパーコピー {item} {tag} 安全 後払い 国内 発送。",
	}
)

// chineseCasino are sentences of Chinese casino spam.
var chineseCasino = []string{
	"{site}是亚洲最大的线上娱乐平台，注册即送{n}元彩金。",
	"百家乐、真人娱乐、体育投注和时时彩，一个账号全部畅玩。",
	"{site}官方网站提供最高返水，提款五分钟到账，安全可靠。",
	"新会员首存即送百分之百彩金，每日签到还有免费红包。",
}

var chineseFills = map[string][]string{
	"site": {"澳门威尼斯人", "金沙娱乐城", "太阳城集团", "葡京娱乐"},
	"n":    {"88", "188", "388", "888"},
}

// fill replaces every {slot} of tmpl with a draw from fills.
func fill(r *rand.Rand, tmpl string, fills map[string][]string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(tmpl, '{')
		if i < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		j := strings.IndexByte(tmpl[i:], '}')
		if j < 0 {
			b.WriteString(tmpl)
			return b.String()
		}
		b.WriteString(tmpl[:i])
		key := tmpl[i+1 : i+j]
		if vals := fills[key]; len(vals) > 0 {
			b.WriteString(pick(r, vals))
		} else {
			b.WriteString(tmpl[i : i+j+1])
		}
		tmpl = tmpl[i+j+1:]
	}
}

// sentences draws n distinct templates from ts and fills them.
func sentences(r *rand.Rand, ts []string, fills map[string][]string, n int) []string {
	idx := r.Perm(len(ts))
	out := make([]string, 0, n)
	for _, i := range idx[:min(n, len(ts))] {
		out = append(out, fill(r, ts[i], fills))
	}
	return out
}

// spamParagraphs writes k paragraphs of spam text in lang ("id", "en",
// "zh", "ja") for trade t (gambling outside English), as plain text.
func spamParagraphs(r *rand.Rand, lang string, t trade, k int) []string {
	out := make([]string, 0, k)
	for i := 0; i < k; i++ {
		n := 2 + r.IntN(3)
		var ss []string
		switch lang {
		case "id":
			ss = sentences(r, indonesianSlot, indonesianFills, n)
		case "zh":
			ss = sentences(r, chineseCasino, chineseFills, n)
		case "ja":
			ss = japaneseSentences(r, n)
		default:
			ss = sentences(r, englishSpam[t], englishFills, n)
		}
		sep := " "
		if lang == "zh" || lang == "ja" {
			sep = ""
		}
		out = append(out, strings.Join(ss, sep))
	}
	return out
}

func japaneseSentences(r *rand.Rand, n int) []string {
	fills := map[string][]string{"brand": japaneseBrands, "item": japaneseItems, "tag": japaneseTags}
	out := make([]string, 0, n)
	for i := 0; i < n; i++ {
		out = append(out, fill(r, pick(r, japaneseLines), fills))
	}
	return out
}

// spamTitle is a keyword-hack title: brand, item and tags.
func spamTitle(r *rand.Rand) string {
	return fmt.Sprintf("%s%s %s %s", pick(r, japaneseBrands), pick(r, japaneseItems), pick(r, japaneseTags), pick(r, japaneseTags))
}

// stuffedKeywords are the phrases keyword-stuffed text repeats, with the
// words stuffers put around them.
var stuffedKeywords = []struct {
	phrase    string
	modifiers []string
}{
	{"cheap jerseys", []string{"wholesale", "china", "free shipping", "nfl", "authentic", "discount", "online", "youth"}},
	{"slot gacor", []string{"hari ini", "maxwin", "terpercaya", "gampang menang", "terbaru", "resmi", "online", "malam ini"}},
	{"replica watches", []string{"swiss", "cheap", "aaa", "luxury", "best", "uk", "online", "for men"}},
	{"payday loans", []string{"online", "no credit check", "fast", "same day", "bad credit", "direct lender", "instant", "cheap"}},
	{"online casino", []string{"best", "real money", "bonus", "no deposit", "free spins", "new", "top", "mobile"}},
	{"buy viagra", []string{"online", "cheap", "generic", "without prescription", "uk", "overnight", "discount", "usa"}},
	{"essay writing service", []string{"cheap", "best", "online", "uk", "fast", "reliable", "custom", "legit"}},
}

// stuffedText writes keyword-stuffed prose around one phrase, or a
// comma-separated keyword list of its variants.
func stuffedText(r *rand.Rand, list bool) (string, string) {
	kw := stuffedKeywords[r.IntN(len(stuffedKeywords))]
	n := 8 + r.IntN(8)
	var parts []string
	for i := 0; i < n; i++ {
		m := pick(r, kw.modifiers)
		switch r.IntN(3) {
		case 0:
			parts = append(parts, kw.phrase+" "+m)
		case 1:
			parts = append(parts, m+" "+kw.phrase)
		default:
			parts = append(parts, kw.phrase)
		}
	}
	if list {
		return strings.Join(parts, ", "), kw.phrase
	}
	var b strings.Builder
	for i, p := range parts {
		if i > 0 {
			b.WriteString(pick(r, []string{". ", ", ", " ", " and ", ". Buy "}))
		}
		b.WriteString(p)
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:] + ".", kw.phrase
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

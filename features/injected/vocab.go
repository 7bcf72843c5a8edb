package injected

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/repack/repack/features/lexis"
)

// category is a kind of SEO spam vocabulary.
type category uint8

const (
	gambling category = iota
	pharma
	loans
	replica
	adult
	scam
	numCategories
)

var categoryNames = [numCategories]string{"gambling", "pharma", "loans", "replica goods", "adult", "scam"}

func (c category) String() string { return categoryNames[c] }

// Term weights. A strong term is promotional or spam-specific ("slot
// gacor", "buy viagra", "replica watches"): it is rare in honest pages
// whatever their topic. A medium term names the trade ("online casino",
// "cialis"): news about the trade uses it too. A weak term is the topic's
// plain word ("casino", "loan", "pharmacy"): it only counts where spam puts
// it, in hidden text and in anchors to other sites.
const (
	strong = 1.0
	medium = 0.5
	weak   = 0.2
)

// vocabList is one category's terms of one weight, "|"-separated. Latin
// terms are matched as whole lower-case words (phrases word by word, a
// hyphen or any punctuation between the words is fine); terms in Chinese
// or Japanese are matched as substrings, since those scripts write no
// spaces.
type vocabList struct {
	cat    category
	weight float64
	terms  string
}

// vocabulary is the domain's spam vocabulary: English, plus the common
// Indonesian, Japanese and Chinese terms of the gambling, pharma, replica
// and adult spam planted on hacked sites (the Indonesian slot-gambling text
// on a dentist's domain of ../shared/examples/real, the "Japanese keyword
// hack" of fake-brand shops, Chinese casino doorway pages).
var vocabulary = []vocabList{
	// Gambling. Indonesian slot spam: "gacor" (slang for a slot that pays),
	// "maxwin", "togel" (lottery), "situs"/"agen"/"bandar" + judi (gambling
	// site, agent, bookmaker), "rtp live", "link alternatif", game names of
	// the slot providers; English casino affiliate spam; 1xbet-style names.
	{gambling, strong, `gacor|slot gacor|situs slot|situs judi|situs togel|situs gacor|judi online|judi slot|judi bola|slot online|online slot|online slots|togel|togel online|toto togel|toto macau|togel hongkong|togel singapore|togel sgp|togel hk|maxwin|bandar togel|bandar judi|bandar bola|bandar slot|agen slot|agen judi|agen togel|agen bola|rtp slot|rtp live|link alternatif|bonus new member|deposit pulsa|slot deposit|slot dana|slot demo|daftar slot|login slot|slot terpercaya|slot resmi|akun pro|akun demo|scatter hitam|mahjong ways|gates of olympus|starlight princess|sweet bonanza|pragmatic play|sbobet|dominoqq|bandarqq|pkv games|idn poker|idn slot|sabung ayam|poker online|casino online|live casino|free spins|no deposit bonus|deposit bonus|casino bonus|bitcoin casino|crypto casino|best online casino|real money casino|casino sites|slot sites|betting sites|1xbet|mostbet|melbet|gampang menang|gampang maxwin|jackpot terbesar|娱乐城|娛樂城|百家乐|百家樂|时时彩|時時彩|六合彩|真人娱乐|真人娛樂|网上赌场|網上賭場|博彩网|博彩網|体育投注|體育投注|老虎机|老虎機|北京赛车|北京賽車|幸运飞艇|幸運飛艇|注册送|註冊送|开户送|開戶送|网投|網投|赌博网站|賭博網站|入金不要ボーナス|入金不要|カジノボーナス|オンカジ`},
	{gambling, medium, `online casino|online casinos|online gambling|online betting|sportsbook|judi|perjudian|kasino|taruhan|bet365|betway|bwin|roulette|baccarat|pokies|online-casino|online-casinos|オンラインカジノ|彩金|棋牌`},
	{gambling, weak, `casino|casinos|gambling|gamble|betting|bets|poker|lottery|lotto|slots|slot machine|slot machines|blackjack|jackpot|jackpots|glücksspiel|sportwetten|wetten|赌场|賭場|博彩|赌博|賭博|彩票|カジノ|パチンコ|スロット`},

	// Pharma: the erectile-dysfunction brands with "buy", "cheap",
	// "generic", "online" and "without prescription", controlled drugs sold
	// online, diet and enhancement pills.
	{pharma, strong, `buy viagra|cheap viagra|generic viagra|viagra online|order viagra|viagra without prescription|buy cialis|cheap cialis|generic cialis|cialis online|buy levitra|kamagra|vardenafil|canadian pharmacy|without prescription|buy tramadol|tramadol online|buy xanax|xanax online|buy ambien|buy valium|buy oxycodone|phentermine|male enhancement|penis enlargement|diet pills|weight loss pills|obat kuat|obat pembesar|バイアグラ|シアリス|レビトラ|処方箋なし|精力剤|伟哥|威而鋼|犀利士|壮阳|壯陽|春药|春藥|催情`},
	{pharma, medium, `viagra|cialis|levitra|sildenafil|tadalafil|tramadol|xanax|online pharmacy|online drugstore|no prescription|erectile dysfunction|cbd gummies|keto pills`},
	{pharma, weak, `pharmacy|pharmacies|drugstore|pills|apotheke`},

	// Loans: payday and no-credit-check lending, German "Kredit ohne
	// Schufa", Indonesian "pinjol" (online loans), Japanese "blacklisted
	// can borrow" lenders.
	{loans, strong, `online payday loans|best payday loans|payday loans online|bad credit loans|no credit check|instant approval|guaranteed approval|quick loans|fast cash|title loans|installment loans|loans online|online loans|same day loans|kredit ohne schufa|pinjol|pinjaman online|ブラックでも借りれる|即日融資|无抵押贷款|無抵押貸款`},
	{loans, medium, `payday loan|payday loans|personal loans|cash advance|debt consolidation|credit repair|payday|闇金|网贷|網貸`},
	{loans, weak, `loan|loans|lender|lenders|贷款|貸款`},

	// Replica goods: fake watches and bags, cheap jerseys and trainers,
	// "outlet" shops of luxury brands, the Japanese "super copy" shops.
	{replica, strong, `replica watches|replica watch|replica handbags|replica bags|replica rolex|rolex replica|fake rolex|fake watches|cheap jerseys|cheap nfl jerseys|wholesale jerseys|cheap jordans|cheap oakley|cheap ray ban|ray ban outlet|michael kors outlet|louis vuitton outlet|coach outlet|ugg outlet|cheap uggs|moncler outlet|canada goose outlet|designer replica|aaa replica|knockoff handbags|cheap louis vuitton|jam tangan replika|tas replika|スーパーコピー|ブランドコピー|コピー品|コピー時計|時計コピー|高仿|复刻表|復刻錶|精仿`},
	{replica, medium, `replicas|knockoff|knockoffs|outlet online|replika|激安通販|偽物|コピー`},
	{replica, weak, `replica|outlet|激安`},

	// Adult: porn sites and cams, escorts, Indonesian "bokep", Japanese
	// and Chinese dating and porn spam.
	{adult, strong, `pornhub|xvideos|xnxx|free porn|porn videos|sex cams|live sex|sex chat|webcam sex|cam girls|escort service|call girls|hot girls|hot singles|milf|onlyfans leaks|adult dating|sex dating|bokep|video bokep|出会い系|セフレ|無修正|エロ動画|アダルト動画|约炮|約炮|裸聊|援交|一夜情|成人网站|成人網站|黄色网站|黃色網站|成人视频|成人視頻`},
	{adult, medium, `porn|porno|hentai|escorts|nude|nudes|hookup|hookups|色情`},
	{adult, weak, `sexy|erotic|xxx|成人`},

	// Scams: crypto giveaways and doublers, recovery scams, binary options
	// and signals, guaranteed returns; Chinese fake invoices, fake
	// certificates and surrogacy.
	{scam, strong, `bitcoin doubler|double your bitcoin|crypto giveaway|bitcoin giveaway|guaranteed returns|guaranteed profit|binary options|forex signals|crypto signals|recover lost crypto|recover stolen crypto|crypto recovery|wallet validation|claim airdrop|airdrop claim|hyip|buy followers|buy instagram followers|buy youtube views|essay writing service|write my essay|必ず儲かる|代开发票|代開發票|办证|辦證|代孕|刷单|刷單|套现|套現`},
	{scam, medium, `passive income|binary option|trading bot|forex trading|稼げる`},
	{scam, weak, `bitcoin|crypto|cryptocurrency|副業`},
}

// termInfo is what the matcher knows of one term.
type termInfo struct {
	text   string
	cat    category
	weight float64
}

// phrase is a Latin-script term as a sequence of lower-case words.
type phrase struct {
	words []string
	term  *termInfo
}

// wordEntry is what the package knows of one lower-case word: the
// vocabulary phrases it starts, and whether it is a function word (of
// which language, when only one of langOrder has it).
type wordEntry struct {
	phrases  []phrase
	function bool
	lang     int8
}

// matcher finds vocabulary terms in one pass over a text: Latin terms word
// by word (phrases are indexed by their first word, in one map with the
// function words, so that a token costs one lookup), CJK terms by their
// first rune.
type matcher struct {
	// words maps a word to its index in entries plus one, while the
	// matcher is built; table holds the same for lookups.
	words       map[string]int32
	table       wordTable
	entries     []*wordEntry
	byFirstRune map[rune][]*termInfo
	// firstRunes is a bitmap of byFirstRune's keys.
	firstRunes [1 << 10]uint64
	// stems are words that may carry a number glued to them in gambling
	// brand names ("slot88", "gacor77", "togel4d").
	digitStems map[string]*termInfo
}

// hit is one term found in a text.
type hit struct {
	start, end int
	term       *termInfo
}

// newMatcher builds the matcher of the vocabulary lists. The lists are
// code: a term listed twice, or more words than the packed table holds,
// is a programming error that Lexicon reports and the tests catch.
func newMatcher(lists []vocabList) (*matcher, error) {
	m := &matcher{words: map[string]int32{}, byFirstRune: map[rune][]*termInfo{}, digitStems: map[string]*termInfo{}}
	seen := map[string]bool{}
	for _, l := range lists {
		for _, t := range strings.Split(l.terms, "|") {
			t = strings.TrimSpace(t)
			if t == "" {
				continue
			}
			if seen[t] {
				return nil, fmt.Errorf("injected: vocabulary term listed twice: %q", t)
			}
			seen[t] = true
			ti := &termInfo{text: t, cat: l.cat, weight: l.weight}
			r, _ := utf8.DecodeRuneInString(t)
			if lexis.IsCJK(r) {
				m.byFirstRune[r] = append(m.byFirstRune[r], ti)
				m.firstRunes[r>>6] |= 1 << (r & 63)
				continue
			}
			words := splitWords(t)
			e := m.entry(words[0])
			e.phrases = append(e.phrases, phrase{words: words, term: ti})
		}
	}
	// Longest phrase first, so that "slot gacor" wins over "slot".
	for _, e := range m.entries {
		sortPhrases(e.phrases)
	}
	for w, lang := range functionWords() {
		e := m.entry(w)
		e.function, e.lang = true, lang
	}
	if len(m.entries) > entryMask {
		return nil, fmt.Errorf("injected: lexicon of %d words too large for its packed values (%d)", len(m.entries), entryMask)
	}
	m.table = newWordTable(m.words, m.entries)
	for k, ts := range m.byFirstRune {
		sortByLen(ts)
		m.byFirstRune[k] = ts
	}
	for _, s := range []string{"slot", "gacor", "togel", "judi", "maxwin", "sbobet", "poker", "casino", "toto", "mpo", "bet", "hoki", "jackpot", "sbo", "zeus"} {
		m.digitStems[s] = &termInfo{text: s + "NN", cat: gambling, weight: strong}
	}
	return m, nil
}

func (m *matcher) entry(w string) *wordEntry {
	if i := m.words[w]; i > 0 {
		return m.entries[i-1]
	}
	e := &wordEntry{lang: -1}
	m.entries = append(m.entries, e)
	m.words[w] = int32(len(m.entries))
	return e
}

// Packed lexicon values: the entry's index plus one in the low bits, then
// a bit for "starts a phrase" and the function word's language code (0:
// not a function word, 1: a function word of several languages, 2+i:
// of langOrder[i] only). Tokens carry the packed value, so that the
// common questions need no pointer into the entries.
const (
	entryBits   = 20
	entryMask   = 1<<entryBits - 1
	phraseBit   = 1 << entryBits
	langShift   = entryBits + 1
	langCodeAny = 1
)

func packEntry(index int32, e *wordEntry) int32 {
	v := index
	if len(e.phrases) > 0 {
		v |= phraseBit
	}
	if e.function {
		code := int32(langCodeAny)
		if e.lang >= 0 {
			code = int32(e.lang) + 2
		}
		v |= code << langShift
	}
	return v
}

// phrasesOf returns the phrases a token's word starts.
func (m *matcher) phrasesOf(t token) []phrase {
	if t.entry&phraseBit == 0 {
		return nil
	}
	return m.entries[t.entry&entryMask-1].phrases
}

func sortPhrases(ps []phrase) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && len(ps[j].words) > len(ps[j-1].words); j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

func sortByLen(ts []*termInfo) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && len(ts[j].text) > len(ts[j-1].text); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// splitWords splits a term into its lower-case words.
func splitWords(s string) []string {
	var out []string
	for _, t := range lexis.Tokenize(nil, s, 0, len(s), nil) {
		out = append(out, strings.ToLower(t.Of(s)))
	}
	return out
}

// spamVocabulary is the matcher over the whole vocabulary, built once;
// errVocabulary says why it could not be (see Lexicon).
var spamVocabulary, errVocabulary = newMatcher(vocabulary)

// Lexicon reports whether the family's spam lexicon could be built. The
// catalogue refuses the family when it could not; the family's tests
// report why.
func Lexicon() error { return errVocabulary }

// find appends to dst the terms found among the tokens toks of a text
// whose lower-case copy is lower, once classify has looked them up. CJK
// tokens are scanned rune by rune for the CJK terms.
func (m *matcher) find(dst []hit, lower string, toks []token) []hit {
	for i := 0; i < len(toks); i++ {
		w := toks[i].of(lower)
		matched := false
		for _, ph := range m.phrasesOf(toks[i]) {
			if i+len(ph.words) > len(toks) {
				continue
			}
			ok := true
			for k := 1; k < len(ph.words); k++ {
				if toks[i+k].of(lower) != ph.words[k] || !adjacent(lower, toks[i+k-1], toks[i+k]) {
					ok = false
					break
				}
			}
			if ok {
				last := toks[i+len(ph.words)-1]
				dst = append(dst, hit{start: int(toks[i].Start), end: int(last.End), term: ph.term})
				i += len(ph.words) - 1
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if toks[i].CJK {
			dst = m.findCJK(dst, lower, int(toks[i].Start), int(toks[i].End))
			continue
		}
		if last := w[len(w)-1]; (last >= '0' && last <= '9' || last == 'd') && toks[i].entry == 0 {
			if t := m.digitStem(w); t != nil {
				dst = append(dst, hit{start: int(toks[i].Start), end: int(toks[i].End), term: t})
			}
		}
	}
	return dst
}

// classify looks every token up once: its entry, whether it carries
// content and its stem key. It returns the number of content tokens and
// counts the function words by language in votes.
func (m *matcher) classify(toks []token, lower string, votes *langVotes) int {
	content := 0
	for i := range toks {
		t := &toks[i]
		w := t.of(lower)
		if !t.CJK {
			t.entry = m.table.get(w)
		}
		if code := t.entry >> langShift; code > 0 {
			if code > langCodeAny {
				votes[code-2]++
			}
			continue
		}
		if isContent(w, t.CJK) {
			t.content = true
			content++
		}
	}
	return content
}

// wordTable is an open-addressing hash table from words to entry
// indexes. Every token of a page is looked up in it, and its hash (the
// length and four bytes of the word) costs less than a map's; the table is
// small enough to stay in cache.
type wordTable struct {
	keys []string
	vals []int32
	mask uint32
}

func newWordTable(words map[string]int32, entries []*wordEntry) wordTable {
	size := 1
	for size < 4*len(words) {
		size <<= 1
	}
	t := wordTable{keys: make([]string, size), vals: make([]int32, size), mask: uint32(size - 1)}
	// Insert in a fixed order, so that the layout is deterministic.
	sorted := make([]string, 0, len(words))
	for w := range words {
		sorted = append(sorted, w)
	}
	slices.Sort(sorted)
	for _, w := range sorted {
		i := wordHash(w) & t.mask
		for t.keys[i] != "" {
			i = (i + 1) & t.mask
		}
		t.keys[i], t.vals[i] = w, packEntry(words[w], entries[words[w]-1])
	}
	return t
}

func wordHash(w string) uint32 {
	n := len(w)
	h := uint32(n) * 0x9E3779B1
	if n > 0 {
		h ^= uint32(w[0])*0x85EBCA77 ^ uint32(w[n-1])*0xC2B2AE3D
	}
	if n > 2 {
		h ^= uint32(w[1])*0x27D4EB2F ^ uint32(w[n-2])*0x165667B1
	}
	return h ^ h>>15
}

// get returns the packed value of w, or 0.
func (t *wordTable) get(w string) int32 {
	if len(w) == 0 {
		return 0
	}
	for i := wordHash(w) & t.mask; ; i = (i + 1) & t.mask {
		k := t.keys[i]
		if k == "" {
			return 0
		}
		if k == w {
			return t.vals[i]
		}
	}
}

// adjacent reports whether two tokens are separated by nothing but spaces
// and punctuation that may join a phrase's words ("slot-gacor",
// "slot gacor", "slot  gacor"); a sentence break or a comma is not.
func adjacent(text string, a, b token) bool {
	if b.Start-a.End > 3 || b.Start < a.End {
		return false
	}
	for _, c := range []byte(text[a.End:b.Start]) {
		switch c {
		case ' ', '-', '_', '\n', '\t':
		default:
			return false
		}
	}
	return true
}

// digitStem recognises gambling brand words with a number glued to them:
// "slot88", "gacor77", "togel4d", "mpo500".
func (m *matcher) digitStem(w string) *termInfo {
	n := len(w)
	i := n
	for i > 0 && w[i-1] >= '0' && w[i-1] <= '9' {
		i--
	}
	if i == n || i == 0 {
		// Also "4d" and "88" suffixes after a letter: "togel4d".
		if n > 2 && w[n-1] == 'd' && w[n-2] >= '0' && w[n-2] <= '9' {
			return m.digitStem(w[:n-1])
		}
		return nil
	}
	return m.digitStems[w[:i]]
}

// findCJK scans text[start:end], a run of CJK characters, rune by rune
// for Chinese and Japanese terms. A bitmap of the terms' first runes
// spares most runes the map lookup.
func (m *matcher) findCJK(dst []hit, text string, start, end int) []hit {
	for i := start; i < end; {
		r, size := utf8.DecodeRuneInString(text[i:end])
		if r < 0x10000 && m.firstRunes[r>>6]&(1<<(r&63)) != 0 {
			found := false
			for _, t := range m.byFirstRune[r] {
				if strings.HasPrefix(text[i:end], t.text) {
					dst = append(dst, hit{start: i, end: i + len(t.text), term: t})
					i += len(t.text)
					found = true
					break
				}
			}
			if found {
				continue
			}
		}
		i += size
	}
	return dst
}

// siteStems are the words that, in a site's host or name, say the site
// itself is in a category's trade: a casino or betting site, a pharmacy, a
// lender, a watch or outlet shop, an adult site, a crypto outfit. A page on
// such a site may use the trade's vocabulary. A stem matches anywhere in a
// host label or name word ("onlinecasinoreviews"), except a stem marked
// "^", which must start one ("betway" but not "alphabet" or "diabetes";
// "sexshop" but not "sussex").
var siteStems = [numCategories][]string{
	gambling: {"casino", "poker", "^bet", "slot", "lotto", "lottery", "gambl", "wager", "^odds", "sportsbook", "^bingo", "judi", "togel", "gaming", "jackpot", "カジノ", "赌", "賭", "博彩"},
	pharma:   {"pharm", "farma", "apothe", "apteka", "chemist", "drug", "^rx", "^meds", "medic", "clinic", "health", "^doctor", "viagra", "^sante", "^salud", "薬", "药", "藥"},
	loans:    {"loan", "^lend", "credit", "kredit", "financ", "^bank", "money", "^cash", "pinjam"},
	replica:  {"replica", "watch", "outlet", "jersey", "luxury"},
	adult:    {"porn", "xxx", "^sex", "adult", "escort", "^nude", "erotic", "^dating"},
	scam:     {"crypto", "^coin", "bitcoin", "^btc", "blockchain", "^token", "defi", "^forex", "^trading", "^invest"},
}

package injected

import (
	"strings"
	"unicode"
)

// script is a writing system, as far as telling injected blocks apart
// needs: Latin, the other alphabets, and the CJK scripts.
type script uint8

const (
	scriptNone script = iota
	scriptLatin
	scriptCyrillic
	scriptGreek
	scriptArabic
	scriptHebrew
	scriptDevanagari
	scriptThai
	scriptHan
	scriptKana
	scriptHangul
	scriptOther
	numScripts
)

var scriptNames = [numScripts]string{"none", "Latin", "Cyrillic", "Greek", "Arabic", "Hebrew", "Devanagari", "Thai", "Han", "Kana", "Hangul", "other"}

func (s script) String() string { return scriptNames[s] }

// scriptOf returns the script of a letter, scriptNone for anything else.
// Ranges, not unicode.Is, keep it cheap on the hot path.
func scriptOf(r rune) script {
	switch {
	case r < 0x80:
		if 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' {
			return scriptLatin
		}
		return scriptNone
	case r < 0x250:
		if unicode.IsLetter(r) {
			return scriptLatin
		}
		return scriptNone
	case r >= 0x370 && r < 0x400:
		return scriptGreek
	case r >= 0x400 && r < 0x530:
		return scriptCyrillic
	case r >= 0x590 && r < 0x600:
		return scriptHebrew
	case r >= 0x600 && r < 0x700, r >= 0x750 && r < 0x780, r >= 0xFB50 && r < 0xFE00, r >= 0xFE70 && r < 0xFF00:
		return scriptArabic
	case r >= 0x900 && r < 0x980:
		return scriptDevanagari
	case r >= 0xE00 && r < 0xE80:
		return scriptThai
	case r >= 0x1E00 && r < 0x1F00:
		return scriptLatin
	case r >= 0x3040 && r < 0x3100, r >= 0x31F0 && r < 0x3200, r >= 0xFF66 && r < 0xFFA0:
		return scriptKana
	case r >= 0x3400 && r < 0x4DC0, r >= 0x4E00 && r < 0xA000, r >= 0xF900 && r < 0xFB00, r >= 0x20000 && r < 0x2FA20:
		return scriptHan
	case r >= 0xAC00 && r < 0xD7B0, r >= 0x1100 && r < 0x1200, r >= 0x3130 && r < 0x3190:
		return scriptHangul
	case r >= 0xFF21 && r < 0xFF5B:
		return scriptLatin // full-width Latin
	}
	if unicode.IsLetter(r) {
		return scriptOther
	}
	return scriptNone
}

// scriptCounts counts letters by script.
type scriptCounts [numScripts]int32

func (c *scriptCounts) add(o scriptCounts) {
	for i := range c {
		c[i] += o[i]
	}
}

func (c scriptCounts) total() int {
	n := 0
	for _, v := range c[1:] {
		n += int(v)
	}
	return n
}

// dominant returns the script with the most letters and its share of all
// letters. Han and Kana count together as Japanese (Kana) when Kana makes
// a tenth of them: Japanese is mostly written in Han, and Chinese uses a
// stray "の" now and then.
func (c scriptCounts) dominant() (script, float64) {
	total := c.total()
	if total == 0 {
		return scriptNone, 0
	}
	japanese := c[scriptKana] > 0 && c[scriptKana]*10 >= c[scriptKana]+c[scriptHan]
	best, bestN := scriptNone, 0
	for s := scriptLatin; s < numScripts; s++ {
		n := int(c[s])
		switch {
		case s == scriptKana && japanese:
			n += int(c[scriptHan])
		case s == scriptHan && !japanese:
			n += int(c[scriptKana])
		}
		if n > bestN {
			best, bestN = s, n
		}
	}
	return best, float64(bestN) / float64(total)
}

// langScripts are the scripts a declared language is written in, beyond
// Latin, which every page may use (brand names, URLs, English asides).
var langScripts = map[string][]script{
	"ja": {scriptHan, scriptKana}, "zh": {scriptHan}, "ko": {scriptHangul, scriptHan},
	"ru": {scriptCyrillic}, "uk": {scriptCyrillic}, "bg": {scriptCyrillic}, "sr": {scriptCyrillic},
	"mk": {scriptCyrillic}, "be": {scriptCyrillic}, "kk": {scriptCyrillic}, "mn": {scriptCyrillic},
	"el": {scriptGreek}, "ar": {scriptArabic}, "fa": {scriptArabic}, "ur": {scriptArabic}, "ps": {scriptArabic},
	"he": {scriptHebrew}, "yi": {scriptHebrew}, "iw": {scriptHebrew}, "hi": {scriptDevanagari}, "mr": {scriptDevanagari},
	"ne": {scriptDevanagari}, "th": {scriptThai},
}

// langStopwords are the most frequent function words of the Latin-script
// languages whose blocks we tell apart; words shared by two of them are
// left out, so that a hit votes for one language.
var langStopwords = map[string]string{
	"en": `the and of to is that for with was are this have from they which been were has would their there what about when will can into who more also its than them these only other such`,
	"de": `der die das und ist nicht mit sich auf für dem den des ein eine einer eines auch als noch wie bei nach wird werden sind aus oder aber wurde zum zur vom über dass`,
	"fr": `le les et est dans pour pas sur au avec une sont qui ne ce cette aux été être plus mais ou nous vous leur leurs fait comme tout elle ils`,
	"es": `el los las y es en por con una para al lo del como más pero sus fue ha este esta son entre cuando muy sin sobre también hasta desde todo`,
	"it": `il di che della delle degli nel nella sono per una gli dei anche come più alla alle questo questa sua suo hanno essere stato tra molto`,
	"pt": `os das dos em não uma com para mais pelo pela como foi seu sua são ao também já ainda quando muito isso está sobre entre até`,
	"nl": `het een van ik niet zijn op te dat met voor hij zij maar ook als bij nog naar wordt worden heeft deze dit werd door kan`,
	"id": `yang dan di ini itu dengan untuk dari dalam tidak akan pada juga ke karena atau ada bisa mereka lebih para sebagai oleh adalah bahwa secara telah sudah kami anda saat seperti hanya banyak tersebut dapat menjadi agar kita`,
}

// tldScripts are the scripts a country's sites are written in: a .jp
// site writes Japanese whatever its pages declare.
var tldScripts = map[string][]script{
	"jp": {scriptHan, scriptKana}, "cn": {scriptHan}, "tw": {scriptHan}, "hk": {scriptHan}, "mo": {scriptHan},
	"kr": {scriptHangul, scriptHan}, "ru": {scriptCyrillic}, "ua": {scriptCyrillic}, "by": {scriptCyrillic},
	"bg": {scriptCyrillic}, "rs": {scriptCyrillic}, "kz": {scriptCyrillic}, "mk": {scriptCyrillic}, "gr": {scriptGreek},
	"cy": {scriptGreek}, "il": {scriptHebrew}, "sa": {scriptArabic}, "ae": {scriptArabic}, "eg": {scriptArabic},
	"ir": {scriptArabic}, "qa": {scriptArabic}, "ma": {scriptArabic}, "dz": {scriptArabic}, "th": {scriptThai},
	"in": {scriptDevanagari, scriptOther}, "np": {scriptDevanagari}, "bd": {scriptOther}, "lk": {scriptOther},
}

// langOrder is the order languages are scored in, for determinism.
var langOrder = []string{"en", "de", "fr", "es", "it", "pt", "nl", "id"}

// otherFunctionWords are further function words and reporting verbs of
// the same languages; those not in langStopwords vote for no language,
// but are no content either.
const otherFunctionWords = `a an i me my we us our you your he him his she her it they them our
be am being do does did done doing will shall should could might must may can not no nor
so if or but then here where why how all any both each few most some very just now
said says say told new one two three four five first last year years like also via vs per
ein einem einen kein keine ich du er sie es wir ihr man so wie wenn dann hier nur schon sehr
un des du de la je tu il on ne pas si où
un una unos unas yo tú él ella ellos ellas nos se no sí más muy
di da in con su per tra fra ma se non
um uma de da do na no em eu ele ela
de en een die`

// functionWords maps the function words of langOrder's languages to the
// index of the only language that has the word, or -1 for a word several
// share ("de", "la").
func functionWords() map[string]int8 {
	count := map[string]int{}
	for _, l := range langOrder {
		for _, w := range strings.Fields(langStopwords[l]) {
			count[w]++
		}
	}
	m := map[string]int8{}
	for i, l := range langOrder {
		for _, w := range strings.Fields(langStopwords[l]) {
			if count[w] == 1 {
				m[w] = int8(i)
			} else {
				m[w] = -1
			}
		}
	}
	for _, w := range strings.Fields(otherFunctionWords) {
		if _, ok := m[w]; !ok {
			m[w] = -1
		}
	}
	return m
}

// langVotes counts, per language of langOrder, the function words of a
// text.
type langVotes [8]int32

// detect returns the language the votes point at, or "" when they are too
// few or too split: at least minHits votes and twice the runner-up's.
func (v langVotes) detect(minHits int) string {
	best, second := -1, int32(0)
	for i, n := range v {
		if best < 0 || n > v[best] {
			if best >= 0 {
				second = max(second, v[best])
			}
			best = i
		} else if n > second {
			second = n
		}
	}
	if best < 0 || int(v[best]) < minHits || v[best] < 2*second {
		return ""
	}
	return langOrder[best]
}

// normLang maps a declared language to the codes above: "in" and "ms" are
// read as Indonesian (Malay shares its function words).
func normLang(l string) string {
	if i := strings.IndexAny(l, "-_"); i > 0 {
		l = l[:i]
	}
	l = strings.ToLower(strings.TrimSpace(l))
	switch l {
	case "in", "ms":
		return "id"
	}
	return l
}

func isDetectable(l string) bool {
	for _, o := range langOrder {
		if o == l {
			return true
		}
	}
	return false
}

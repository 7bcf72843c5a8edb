package lexis

import (
	"strings"
	"unicode"
)

// editorialLabels are the section or format labels that legitimately open a
// headline before a separator ("Analysis: ...", "Opinion | ...",
// "EXCLUSIVE-...", "Live updates: ..."), in English and the other
// languages of the corpus. Compared in lower case with digits and
// punctuation stripped ("UPDATE 2-" → "update").
var editorialLabels = phraseSet(`
analysis opinion exclusive watch live live_updates live_update breaking breaking_news update updated
explainer factbox fact_check fact-check happening_today video videos photos photo gallery podcast
review reviews interview commentary column editorial letters letter obituary perspective sponsored
quiz q&a poll watch_live listen just_in developing urgent alert report special_report correction
first_look in_pictures insight focus feature wrapup wrap-up timeline recap preview recipe essay
guest_essay op-ed the_latest latest news news_analysis first_person graphic graphics chart
the_big_picture big_picture what_to_know fast_facts key_facts explained live_blog liveblog
analyse kommentar meinung exklusiv ticker eilmeldung fotos bildergalerie reportage gastbeitrag
hintergrund kolumne rezension umfrage leitartikel porträt portrait glosse interview liveticker live-ticker newsticker
tribune éditorial editorial exclusif entretien vidéo direct en_direct chronique décryptage enquête
análisis opinión exclusiva en_vivo directo entrevista crónica vídeo última_hora
analisi opinione esclusiva diretta intervista commento
análise opinião exclusivo ao_vivo entrevista
podcast newsletter briefing morning_briefing evening_briefing deep_dive
`)

// phraseSet reads a white-space separated list in which "_" joins the
// words of a phrase.
func phraseSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[strings.ReplaceAll(w, "_", " ")] = true
	}
	return m
}

// IsEditorialLabel reports whether s (the part of a headline before a
// separator) is an editorial label rather than a brand. An all-capitals
// label of up to three words ("HAPPENING TODAY", "WATCH") counts as
// editorial: the network's brands are written in mixed case.
func IsEditorialLabel(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	norm := strings.TrimFunc(Lower(s), func(r rune) bool {
		return !unicode.IsLetter(r)
	})
	norm = strings.TrimRightFunc(norm, func(r rune) bool { return unicode.IsDigit(r) || unicode.IsSpace(r) })
	if editorialLabels[norm] {
		return true
	}
	if IsAllCaps(s) && WordCount(s) <= 3 {
		return true
	}
	return false
}

// WireAgency names a news agency whose credit appears in datelines and
// bylines.
type WireAgency struct {
	// Code is how the dateline writes it: "AP", "Reuters", "AFP".
	Code string
	// Credits are the lower-case strings that credit the agency in a
	// byline, copyright line or metadata.
	Credits []string
	// Hosts are the agency's own domains.
	Hosts []string
}

// WireAgencies lists the agencies recognised in datelines.
var WireAgencies = []WireAgency{
	{Code: "AP", Credits: []string{"associated press", "(ap)", "ap photo", "ap news", "by ap", "the ap"}, Hosts: []string{"apnews.com", "ap.org"}},
	{Code: "Reuters", Credits: []string{"reuters"}, Hosts: []string{"reuters.com"}},
	{Code: "AFP", Credits: []string{"afp", "agence france-presse", "agence france presse"}, Hosts: []string{"afp.com"}},
	{Code: "UPI", Credits: []string{"upi", "united press international"}, Hosts: []string{"upi.com"}},
	{Code: "dpa", Credits: []string{"dpa"}, Hosts: []string{"dpa.com"}},
	{Code: "CNN", Credits: []string{"cnn"}, Hosts: []string{"cnn.com"}},
}

// Agency returns the agency with the given dateline code (any case).
func Agency(code string) (WireAgency, bool) {
	for _, a := range WireAgencies {
		if strings.EqualFold(a.Code, code) {
			return a, true
		}
	}
	return WireAgency{}, false
}

// stopwords are function words of the corpus' main languages, left out of
// content-word comparisons.
var stopwords = wordSet(`a an the and or but if then than so of in on at to for from by with without about
into onto over under after before between through during against among as is are was were be been
being am has have had having do does did doing will would shall should can could may might must
not no nor this that these those there here it its it's they them their theirs we us our ours you
your yours he him his she her hers i me my mine who whom whose which what when where why how all any
both each few more most other some such only own same too very just also now says said say new one
two three up down out off again further once per via than get got like
der die das den dem des ein eine einer eines einem einen und oder aber wenn dann als auch nicht kein
keine ist sind war waren wird werden wurde wurden hat haben hatte hatten mit von vom zu zum zur für
auf aus bei nach über unter vor durch gegen ohne um im in an am es sie er wir ihr ich du sich noch
nur schon mehr sehr so wie was wer wo dass daß doch diese dieser dieses diesem diesen man hier
le la les un une des du de et ou mais si que qui quoi dont où est sont était être avoir a ont pour
par sur dans avec sans pas ne plus ce cette ces il elle ils elles nous vous on se sa son ses leur
el los las una unos unas y o pero que quien como es son era ser para por con sin en del al lo su sus
se no más este esta estos estas`)

// IsStopword reports whether w (lower case) is a function word.
func IsStopword(w string) bool { return stopwords[w] }

// ContentWords appends to dst the lower-cased words of s that carry content:
// three or more letters, not a stop word, not a number.
func ContentWords(dst []string, s string) []string {
	var buf [64]Token
	return ContentWordsOf(dst, s, Tokenize(buf[:0], s, 0, len(s), nil))
}

// ContentWordsOf is ContentWords over tokens already taken from s (their
// offsets index s).
func ContentWordsOf(dst []string, s string, toks []Token) []string {
	var buf [64]Span
	for _, w := range WordsOf(buf[:0], s, toks) {
		word := w.Of(s)
		if len(word) < 3 {
			continue
		}
		if !unicode.IsLetter(FirstRune(word)) {
			continue
		}
		lw := stripPossessive(Lower(word))
		if stopwords[lw] {
			continue
		}
		dst = append(dst, lw)
	}
	return dst
}

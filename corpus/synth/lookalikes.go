package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The harder look-alikes: what genuine wire carriers and news sites show
// that the network's pages show too (see ../shared/examples/README.md,
// "What genuine pages do that looks similar").

// photoCaptions open an AP photo caption; the date and credit follow.
var photoCaptions = []string{"FILE - People gather near the site", "Officials speak to reporters", "A sign stands near the entrance", "The area is seen from above", "Crews work at the scene", "Visitors walk past the building"}

// apMemberStation renders an English story as an AP member station
// carries it: a visible date line with the real date, a photo with an
// "(AP Photo/Name)" credit, "By The Associated Press", a real "CITY (AP)
// — " dateline, the AP copyright under the story, and a "Most Read" list
// of the station's other, unrelated stories.
func (t *target) apMemberStation(r *rand.Rand) bool {
	if t.lang != "en" || t.first == nil || t.last == nil || t.first == t.last {
		return false
	}
	dl, ok := t.wireDateline(r)
	if !ok {
		return false
	}
	t.meta["date_text"] = ""
	if !t.src.Date.IsZero() {
		date := t.realTime(r).Format("Jan 2, 2006, 3:04 PM")
		t.underHeadline(element(atom.Div, "timestamp", date))
		t.meta["date_text"] = date
	}
	credit := "(AP Photo/" + personName(r) + ")"
	caption := pick(r, photoCaptions)
	if !t.src.Date.IsZero() {
		caption += ", " + t.src.Date.Format("Monday, Jan. 2, 2006")
	}
	fig := element(atom.Figure, "photo", "")
	fig.AppendChild(element(atom.Figcaption, "", caption+". "+credit))
	insertBefore(t.first, fig)
	if chance(r, 0.5) {
		insertBefore(t.first, element(atom.P, "photo-credit", credit)) // the credit again, as the member-station example prints it
	}
	by := pick(r, []string{"By The Associated Press", "BY ASSOCIATED PRESS", "By ASSOCIATED PRESS"})
	insertBefore(t.first, element(atom.P, "byline", by))
	copyright := fmt.Sprintf("Copyright %d The Associated Press. All rights reserved.", yearOf(t.src.Date))
	insertAfter(t.last, element(atom.P, "copyright", copyright))
	t.meta["dateline_text"], t.meta["byline_text"], t.meta["credit_text"], t.meta["photo_credit"] = dl, by, copyright, credit
	if !t.popular(r) {
		t.meta["popular_heading"], t.meta["popular_count"], t.meta["popular_place"] = "", 0, "none"
	}
	return true
}

// popularHeadings by language: the headings of genuine popular-story
// lists, which hold the site's unrelated stories.
var popularHeadings = map[string][]string{
	"en": {"Most Read", "Trending", "Most Popular", "Trending Now", "Popular Now"},
	"de": {"Meistgelesen", "Am meisten gelesen", "Beliebt"},
	"fr": {"Les plus lus", "Tendances"},
	"es": {"Lo más leído", "Tendencias"},
}

// popular adds a "Most Read" list of other stories' headlines, linked on
// the page's own host, after the story or before the headline (a sidebar
// first in the markup).
func (t *target) popular(r *rand.Rand) bool {
	if t.last == nil {
		return false
	}
	items := t.pool.others(r, t.src, 5+r.IntN(4))
	if len(items) < 3 {
		return false
	}
	heading := pick(r, popularHeadings[t.lang])
	list := t.linkList(atom.Ol, "most-read", heading, items)
	place := "after_article"
	switch {
	case chance(r, 0.7):
		insertAfter(t.last, list)
	case t.h1 != nil:
		insertBefore(t.h1, list) // a sidebar first in the markup
		place = "before_headline"
	default:
		insertBefore(t.first, list)
		place = "before_article"
	}
	t.meta["popular_heading"], t.meta["popular_count"], t.meta["popular_place"] = heading, len(items), place
	return true
}

// topicPrefix puts the story's recurring topic before the headline
// ("Topic: Headline"), as genuine sites label running stories.
func (t *target) topicPrefix() bool {
	topic, n := recurringTopic(t.src)
	if topic == "" || strings.HasPrefix(t.src.Headline, topic+":") || !t.prefixHeadline(topic+": ") {
		return false
	}
	t.meta["topic_text"], t.meta["topic_count"] = topic, n
	return true
}

// siteFirstTitle writes the <title> as "Site | Headline".
func (t *target) siteFirstTitle(r *rand.Rand) bool {
	site := t.src.SiteName
	if site == "" {
		site = t.src.Host
	}
	title := findElement(t.p.Root, atom.Title)
	if site == "" || title == nil {
		return false
	}
	text := site + pick(r, []string{" | ", " | ", " - "}) + t.src.Headline
	for title.FirstChild != nil {
		title.RemoveChild(title.FirstChild)
	}
	title.AppendChild(&html.Node{Type: html.TextNode, Data: text})
	t.meta["title_text"] = text
	return true
}

// viewCounterFormats by language: {views} is a count with the language's
// thousands separator, {hours} and {minutes} small numbers.
var viewCounterFormats = map[string][]string{
	"en": {"{views} views", "Updated {hours} hours ago", "Updated {minutes} minutes ago", "{views} views · Updated {hours} hours ago", "{minutes} min read · {views} views"},
	"de": {"{views} Aufrufe", "Aktualisiert vor {hours} Stunden", "{views} mal gelesen"},
	"fr": {"{views} vues", "Mis à jour il y a {hours} heures"},
	"es": {"{views} visitas", "Actualizado hace {hours} horas"},
}

var thousandsSeparators = map[string]string{"en": ",", "de": ".", "fr": " ", "es": "."}

// viewCounter adds a genuine header counter under the headline.
func (t *target) viewCounter(r *rand.Rand) bool {
	views := thousands(100+r.IntN(90000), true)
	views = strings.ReplaceAll(views, ",", thousandsSeparators[t.lang])
	txt := strings.NewReplacer("{views}", views, "{hours}", fmt.Sprint(2+r.IntN(20)), "{minutes}", fmt.Sprint(2+r.IntN(50))).Replace(pick(r, viewCounterFormats[t.lang]))
	if !t.underHeadline(element(atom.Div, "article-stats", txt)) {
		return false
	}
	t.meta["counter_text"] = txt
	return true
}

var publishedLabels = map[string]string{"en": "Published: ", "de": "Veröffentlicht: ", "fr": "Publié : ", "es": "Publicado: "}

// publishedLine adds "Published: 2024-03-05 10:12" with the story's real
// date under the headline: a label with a space after its colon.
func (t *target) publishedLine(r *rand.Rand) bool {
	if t.src.Date.IsZero() {
		return false
	}
	txt := publishedLabels[t.lang] + t.realTime(r).Format(isoMinute)
	if !t.underHeadline(element(atom.Div, "published", txt)) {
		return false
	}
	t.meta["date_text"] = txt
	return true
}

// topicStopwords are capitalised words that open sentences or name
// nothing: never a topic, and dropped from the front of a name.
var topicStopwords = map[string]bool{
	"The": true, "A": true, "An": true, "In": true, "On": true, "At": true, "But": true, "And": true, "He": true, "She": true, "It": true,
	"They": true, "We": true, "I": true, "This": true, "That": true, "These": true, "Those": true, "His": true, "Her": true, "Their": true,
	"Its": true, "Our": true, "For": true, "With": true, "As": true, "If": true, "When": true, "After": true, "Before": true, "Mr": true,
	"Mrs": true, "Ms": true, "Dr": true, "There": true, "What": true, "Who": true, "How": true, "Why": true, "Some": true, "One": true,
	"Der": true, "Die": true, "Das": true, "Ein": true, "Eine": true, "Im": true, "Am": true, "Es": true, "Er": true, "Sie": true, "Wir": true,
	"Auch": true, "Doch": true, "Und": true, "Aber": true, "Le": true, "La": true, "Les": true, "Un": true, "Une": true, "Il": true,
	"Elle": true, "El": true, "Los": true, "Las": true, "En": true, "Por": true, "Para": true, "Con": true, "Del": true, "Des": true,
}

// maxTopicWords bounds the words of a topic ("White House", "Gaza Strip").
const maxTopicWords = 3

// recurringTopic returns the name the story's paragraphs mention most
// often (a run of one to three capitalised words, stopwords dropped from
// its front, at least two occurrences) with its count, preferring the
// longer name on a tie and then the first in alphabetical order; "" when
// no name recurs (or the script has no capitals).
func recurringTopic(src Story) (string, int) {
	counts := map[string]int{}
	for _, para := range src.Paragraphs {
		for _, name := range capitalisedRuns(para) {
			counts[name]++
		}
	}
	best, bestN := "", 0
	for name, n := range counts {
		if n < 2 {
			continue
		}
		words, bestWords := len(strings.Fields(name)), len(strings.Fields(best))
		if n > bestN || n == bestN && (words > bestWords || words == bestWords && name < best) {
			best, bestN = name, n
		}
	}
	return best, bestN
}

// capitalisedRuns returns the runs of capitalised words in s: a run ends
// at a word that ends a clause ("," ".", ":", ...) or before one that
// opens a bracket or quote. A single word that opens a sentence is not a
// run ("Officials said ...").
func capitalisedRuns(s string) []string {
	var out, run []string
	runAtStart, sentenceStart := false, true
	flush := func() {
		stripped := false
		for len(run) > 0 && topicStopwords[run[0]] {
			run, stripped = run[1:], true
		}
		if len(run) > 0 && len(run) <= maxTopicWords && !(len(run) == 1 && runAtStart && !stripped) {
			out = append(out, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for _, field := range strings.Fields(s) {
		word := strings.TrimLeft(field, "\"'“‘(«„")
		if word != field {
			flush()
		}
		trimmed := strings.TrimRight(word, ".,;:!?\"'”’)»")
		trail := word[len(trimmed):]
		core := strings.TrimSuffix(strings.TrimSuffix(trimmed, "’s"), "'s")
		if capitalisedWord(core) {
			if len(run) == 0 {
				runAtStart = sentenceStart
			}
			run = append(run, core)
		} else {
			flush()
		}
		if trail != "" {
			flush()
		}
		sentenceStart = strings.ContainsAny(trail, ".!?")
	}
	flush()
	return out
}

// capitalisedWord reports whether w is a word of two or more letters
// (hyphens and apostrophes allowed inside) that starts with a capital.
func capitalisedWord(w string) bool {
	letters := 0
	for i, c := range w {
		switch {
		case i == 0 && !unicode.IsUpper(c):
			return false
		case unicode.IsLetter(c):
			letters++
		case c != '-' && c != '\'' && c != '’':
			return false
		}
	}
	return letters >= 2
}

// channelNames are camel-case channel and blog names, the kind a video
// or blogging platform prints under each item of its lists.
var channelNames = []string{"CodeSummit", "StreamForge", "TechTalkHub", "GardenLoop", "CityDesk", "RiverPodcast", "NewsReelTV"}

// listBylines adds a list of other stories, each with the same channel's
// name under it in a byline element, twice over as video sites print it
// ("CodeSummit" then "CodeSummit • 214 views"): a genuine page's list
// furniture that a byline reader must not take for the page's byline
// (seen on a video page of ../shared/corpus/authentic).
func (t *target) listBylines(r *rand.Rand) bool {
	if t.last == nil {
		return false
	}
	items := t.pool.others(r, t.src, 4+r.IntN(4))
	if len(items) < 3 {
		return false
	}
	name := pick(r, channelNames)
	list := t.linkList(atom.Ul, "channel-list", pick(r, popularHeadings[t.lang]), items)
	for _, li := range findAll(list, atom.Li) {
		by := element(atom.Div, "byline", "")
		by.AppendChild(element(atom.Div, "", name))
		by.AppendChild(element(atom.Div, "", fmt.Sprintf("%s • %d views", name, 10+r.IntN(5000))))
		li.AppendChild(by)
	}
	insertAfter(t.last, list)
	t.meta["channel_name"], t.meta["channel_items"] = name, len(items)
	return true
}

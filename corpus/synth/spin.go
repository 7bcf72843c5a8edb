package synth

import (
	"bufio"
	"bytes"
	_ "embed"
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/repack/repack/corpus"
	"github.com/repack/repack/features/lexis"
)

// FamilySpunCopy is the family of spun copies: the story reworded by a
// spinner (SpunCopy), as content farms reword what they copy.
const FamilySpunCopy = "spun_copy"

// The spinner's choices, recorded in Meta["synth"] so that evaluation
// holds each value out in turn.
const (
	// spin_synonyms: the share of content words replaced.
	SpinLight  = "light"  // 0.20 to 0.27
	SpinMedium = "medium" // 0.27 to 0.34
	SpinHeavy  = "heavy"  // 0.34 to 0.40
	// spin_structure: what happens to the sentences.
	SpinKeep    = "none"
	SpinSplit   = "split"   // long sentences cut at a comma
	SpinMerge   = "merge"   // short neighbours joined with "and"
	SpinReorder = "reorder" // neighbours swapped, an attribution put first
	SpinMixed   = "mixed"   // all three
)

// spinRates are the share of content words each synonyms choice
// replaces: [low, high).
var spinRates = map[string][2]float64{SpinLight: {0.20, 0.27}, SpinMedium: {0.27, 0.34}, SpinHeavy: {0.34, 0.40}}

//go:embed thesaurus.tsv
var thesaurusTSV []byte

// thesaurus maps a language and a lower-case word to the other words of
// its synonym sets.
type thesaurus map[string]map[string][]string

var (
	thesaurusOnce sync.Once
	thesaurusData thesaurus
	thesaurusErr  error
)

// loadThesaurus parses the embedded thesaurus once.
func loadThesaurus() (thesaurus, error) {
	thesaurusOnce.Do(func() {
		th := thesaurus{}
		sc := bufio.NewScanner(bytes.NewReader(thesaurusTSV))
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			lang, set, ok := strings.Cut(line, "\t")
			var words []string
			for _, w := range strings.Split(set, ",") {
				if w = strings.TrimSpace(w); w != "" {
					words = append(words, w)
				}
			}
			if !ok || len(words) < 2 {
				thesaurusErr = fmt.Errorf("thesaurus.tsv line %d: want a language, a tab and two words or more separated by commas", n)
				return
			}
			if th[lang] == nil {
				th[lang] = map[string][]string{}
			}
			for _, w := range words {
				lw := strings.ToLower(w)
				for _, o := range words {
					if o != w && !slices.Contains(th[lang][lw], o) {
						th[lang][lw] = append(th[lang][lw], o)
					}
				}
			}
		}
		thesaurusData = th
	})
	return thesaurusData, thesaurusErr
}

// spinner rewords text in one language with its choices drawn.
type spinner struct {
	r        *rand.Rand
	lang     string
	th       map[string][]string
	pool     []string // every word of the language's thesaurus, for words it lacks
	rate     float64
	reported bool // quotes turned into reported speech
	voice    bool // active clauses turned passive (English)
	// counts of what was done, for Meta
	content, replaced, loose, splits, merges, swaps, quotes, passives int
}

// newSpinner returns a spinner of a language replacing rate of the
// content words.
func newSpinner(r *rand.Rand, lang string, th thesaurus, rate float64) *spinner {
	s := &spinner{r: r, lang: lang, th: th[lang], rate: rate}
	for w := range s.th {
		if !strings.Contains(w, " ") {
			s.pool = append(s.pool, w)
		}
	}
	slices.Sort(s.pool)
	return s
}

// SpunCopy turns a story (of a Spinnable language) into a content farm's spun copy: every
// paragraph reworded (synonyms for a fifth to two fifths of the content
// words, names, numbers and quoted words left alone; sentences split,
// merged or reordered; quotes turned into reported speech; active
// clauses into passive ones), a generic paragraph added on half, on a
// coined domain, without credit or (on a third, when the lead has one)
// under the wire's dateline kept. Its choices and what they did are in
// Meta["synth"]. It is labelled repackaged.
func (g *Generator) SpunCopy(src Story, r *rand.Rand) (corpus.Document, error) {
	if len(src.Paragraphs) == 0 || src.Headline == "" {
		return corpus.Document{}, fmt.Errorf("spun copy %s: story has no headline or no paragraphs", src.ID)
	}
	if !Spinnable(src) {
		return corpus.Document{}, fmt.Errorf("spun copy %s: no thesaurus for language %q", src.ID, src.Language)
	}
	th, err := loadThesaurus()
	if err != nil {
		return corpus.Document{}, err
	}
	lang := langKey(src.Language)
	synonyms := pick(r, []string{SpinLight, SpinMedium, SpinHeavy})
	structure := pick(r, []string{SpinKeep, SpinSplit, SpinMerge, SpinReorder, SpinMixed})
	quotes := pick(r, []string{"kept", "reported"})
	added := pick(r, []string{"none", "paragraph"})
	credit := "dropped"
	lo, hi := spinRates[synonyms][0], spinRates[synonyms][1]
	s := newSpinner(r, lang, th, lo+(hi-lo)*r.Float64())
	s.reported, s.voice = quotes == "reported", lang == "en" && chance(r, 0.5)

	paras := slices.Clone(src.Paragraphs[:min(len(src.Paragraphs), maxParagraphs)])
	// The lead's wire dateline ("WASHINGTON (AP) — "): kept over the
	// reworded text on a third of the copies that have one, else cut.
	dateline := ""
	if loc := leadDateline.FindStringIndex(paras[0]); loc != nil {
		dateline, paras[0] = paras[0][:loc[1]], paras[0][loc[1]:]
		if chance(r, 1.0/3) {
			credit = "kept"
		} else {
			dateline = wireCredit.ReplaceAllString(dateline, "")
		}
	}
	var out []string
	for i, p := range paras {
		ss := splitSentences(p)
		ss = s.restructure(ss, structure, i == 0)
		for k := range ss {
			ss[k] = s.sentence(ss[k])
		}
		out = append(out, strings.Join(ss, " "))
	}
	if dateline != "" {
		out[0] = dateline + out[0]
	}
	if added == "paragraph" {
		at := 1 + r.IntN(len(out))
		out = slices.Insert(out, min(at, len(out)), pick(r, genericParagraphs[lang]))
	}
	headline := s.sentence(src.Headline)

	host := junkHost(r)
	siteName := strings.Split(host, ".")[0]
	p := &operatorPage{Lang: lang, Headline: headline, SiteName: siteName, Nav: newsNav[lang], Year: 2024 + r.IntN(2)}
	p.Title = headline + pick(r, []string{" – ", " | ", " - "}) + siteName
	if chance(r, 0.4) {
		p.DateLine = fmt.Sprintf("%s %d, %d", pick(r, []string{"January", "March", "May", "July", "September", "November"}), 1+r.IntN(28), p.Year)
	}
	for _, t := range out {
		p.Body = append(p.Body, operatorBlock{Text: t})
	}
	var lines []string
	if chance(r, 0.3) {
		// Some farms leave a scraper's line too (011-spun.txt: an ad slot).
		if l := g.scraperLine(r, lang, src, src.SiteName, p, nil); l != "" {
			lines = append(lines, l)
		}
	}
	share := 0.0
	if s.content > 0 {
		share = float64(s.replaced) / float64(s.content)
	}
	meta := map[string]any{"kind": "spun_copy", "family": FamilySpunCopy, "host": host, "language": storyLanguage(src),
		"source_id": src.ID, "source_url": src.URL, "seed": g.opts.Seed, "variant": 0, "rendering": RenderHTML,
		"spin_synonyms": synonyms, "spin_structure": structure, "spin_quotes": quotes, "spin_added": added, "spin_credit": credit,
		"spin_voice": s.voice, "spin_replaced_share": share, "spin_loose_words": s.loose, "spin_splits": s.splits, "spin_merges": s.merges,
		"spin_swaps": s.swaps, "spin_reported_quotes": s.quotes, "spin_passives": s.passives, "operator_lines": lines,
		// Only the story index witnesses a rewording: training leaves a
		// spun copy whose original is not looked up out of the fit.
		"needs_index": true}

	t, err := parsedOperatorLayout()
	if err != nil {
		return corpus.Document{}, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, p); err != nil {
		return corpus.Document{}, fmt.Errorf("spun copy %s: %w", src.ID, err)
	}
	body, format := b.Bytes(), corpus.FormatHTML
	if chance(r, g.opts.TextShare) {
		o := textOptions{listMarker: chance(r, 0.5), blankLines: chance(r, 0.5), headline: headline, lead: out[0]}
		o.start = pickWeighted(r, []weighted[string]{{StartTop, 0.3}, {StartHeadline, 0.7}})
		text, start, err := renderText(body, o)
		if err != nil {
			return corpus.Document{}, fmt.Errorf("spun copy %s: text rendering: %w", src.ID, err)
		}
		body, format = text, corpus.FormatText
		meta["rendering"], meta["text_start"], meta["list_marker"], meta["blank_lines"], meta["text_cut_bytes"] = RenderText, start, o.listMarker, o.blankLines, 0
	}
	return corpus.Document{
		ID:     docID(src.ID, "#spun-", meta),
		URL:    "https://" + host + "/" + slug(headline) + "/",
		Source: SourceRepackaged,
		Group:  src.Group,
		Label:  corpus.Repackaged,
		Format: format,
		Body:   body,
		Meta:   map[string]any{"synth": meta},
	}, nil
}

// Spinnable reports whether the spinner has a thesaurus for the story's
// language (English, German, French, Spanish: the corpora's four
// largest); an unknown language is not spun.
func Spinnable(src Story) bool {
	for _, k := range []string{"en", "de", "fr", "es"} {
		if strings.HasPrefix(src.Language, k) {
			return true
		}
	}
	return false
}

// leadDateline is a wire dateline opening a lead: "WASHINGTON (AP) — ",
// "BERLIN (dpa) - ".
var leadDateline = regexp.MustCompile(`^[\p{Lu}][\p{Lu}\p{L} .,'-]{1,60}\s*\((AP|dpa|AFP|Reuters|EFE|APA|SDA)\)\s*[—–-]\s*`)

// genericParagraphs by language: what a spinner's text generator adds,
// saying nothing of the story.
var genericParagraphs = map[string][]string{
	"en": {"This development has drawn considerable attention from observers, who note that the situation remains fluid and could change in the coming days.",
		"Experts say it is important to follow the latest updates closely, as more details are expected to emerge in the near future.",
		"The matter continues to generate discussion among residents and stakeholders, many of whom are waiting to see what happens next."},
	"de": {"Die Entwicklung sorgt bei Beobachtern für große Aufmerksamkeit, die darauf hinweisen, dass sich die Lage in den kommenden Tagen noch ändern könnte.",
		"Fachleute raten dazu, die weiteren Entwicklungen aufmerksam zu verfolgen, da in naher Zukunft weitere Einzelheiten erwartet werden."},
	"fr": {"Cette évolution suscite une attention considérable de la part des observateurs, qui soulignent que la situation reste incertaine.",
		"Les experts recommandent de suivre de près les dernières informations, car d’autres détails devraient être connus prochainement."},
	"es": {"Este acontecimiento ha despertado una atención considerable entre los observadores, que señalan que la situación sigue siendo incierta.",
		"Los expertos recomiendan seguir de cerca las últimas novedades, ya que se esperan más detalles en el futuro próximo."},
}

// splitSentences splits a paragraph at sentence ends (., !, ? and a
// closing quote, then a space and a capital or an opening quote).
func splitSentences(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		i += n
		if r != '.' && r != '!' && r != '?' {
			continue
		}
		j := i
		for j < len(p) {
			q, m := utf8.DecodeRuneInString(p[j:])
			if !strings.ContainsRune("\"'”’»", q) {
				break
			}
			j += m
		}
		if j < len(p) && p[j] == ' ' {
			next, _ := utf8.DecodeRuneInString(p[j+1:])
			if unicode.IsUpper(next) || strings.ContainsRune("“„\"«", next) {
				if s := strings.TrimSpace(p[start:j]); s != "" {
					out = append(out, s)
				}
				start, i = j+1, j+1
			}
		}
	}
	if s := strings.TrimSpace(p[start:]); s != "" {
		out = append(out, s)
	}
	return out
}

// conjunctions by language: the word a merge joins two sentences with.
var conjunctions = map[string]string{"en": "and", "de": "und", "fr": "et", "es": "y"}

// restructure splits, merges or reorders a paragraph's sentences as the
// structure choice says. The lead's first sentence stays first.
func (s *spinner) restructure(ss []string, structure string, lead bool) []string {
	doSplit := structure == SpinSplit || structure == SpinMixed
	doMerge := structure == SpinMerge || structure == SpinMixed
	doReorder := structure == SpinReorder || structure == SpinMixed
	if doSplit {
		var out []string
		for _, x := range ss {
			if a, b, ok := splitAtComma(x); ok && chance(s.r, 0.7) {
				out = append(out, a, b)
				s.splits++
				continue
			}
			out = append(out, x)
		}
		ss = out
	}
	if doMerge {
		var out []string
		for i := 0; i < len(ss); i++ {
			if i+1 < len(ss) && wordsIn(ss[i]) < 16 && wordsIn(ss[i+1]) < 16 && strings.HasSuffix(ss[i], ".") && chance(s.r, 0.7) {
				out = append(out, strings.TrimSuffix(ss[i], ".")+", "+conjunctions[s.lang]+" "+lowerFirstFunctionWord(ss[i+1]))
				s.merges++
				i++
				continue
			}
			out = append(out, ss[i])
		}
		ss = out
	}
	if doReorder {
		from := 0
		if lead {
			from = 1
		}
		for i := from; i+1 < len(ss); i += 2 {
			if chance(s.r, 0.5) {
				ss[i], ss[i+1] = ss[i+1], ss[i]
				s.swaps++
			}
		}
		for i := range ss {
			if x, ok := attributionFirst(ss[i], s.lang); ok {
				ss[i] = x
				s.swaps++
			}
		}
	}
	return ss
}

// splitAtComma cuts a sentence of 18 words or more at a comma with six
// words or more on each side: "A, B." becomes "A." and "B." (a leading
// "and", "but", "which" of B dropped, its first letter capitalised).
func splitAtComma(x string) (string, string, bool) {
	if wordsIn(x) < 18 || strings.ContainsAny(x, "“”„\"«»") {
		return "", "", false
	}
	for i := 0; i < len(x); i++ {
		if x[i] != ',' || i+2 >= len(x) {
			continue
		}
		a, b := strings.TrimSpace(x[:i]), strings.TrimSpace(x[i+1:])
		if wordsIn(a) < 6 || wordsIn(b) < 6 {
			continue
		}
		first, rest, _ := strings.Cut(b, " ")
		if lexis.IsStopword(strings.ToLower(first)) && wordsIn(rest) >= 6 {
			b = rest
		}
		return a + ".", upperFirst(b), true
	}
	return "", "", false
}

// attribution is a trailing "…, officials said." in English.
var attribution = regexp.MustCompile(`^(.{20,}?), ((?:the |a )?[\p{L} .'-]{2,40}?) (said|says|told reporters|reported)\.$`)

// attributionFirst puts a trailing attribution first: "X, officials
// said." becomes "Officials said X." (English only).
func attributionFirst(x, lang string) (string, bool) {
	if lang != "en" || strings.ContainsAny(x, "“”\"") {
		return "", false
	}
	m := attribution.FindStringSubmatch(x)
	if m == nil {
		return "", false
	}
	return upperFirst(m[2]) + " " + m[3] + " that " + lowerFirstFunctionWord(m[1]) + ".", true
}

// quoteSaid is a quotation and who said it: "“Q,” Kirby said." or
// "„Q“, sagte Kirby."
var quoteSaid = regexp.MustCompile(`^[“"„«]\s*(.+?)[,.]?\s*[”"“»],?\s+(.{2,60}?)\s+(said|says|told reporters|sagte|sagt|a déclaré|a dit|dijo|afirmó)\.$`)

// quoteSaidAfter is a quotation with its verb before the speaker:
// "„Q“, sagte Kirby.", "« Q », a déclaré Kirby."
var quoteSaidAfter = regexp.MustCompile(`^[“"„«]\s*(.+?)[,.]?\s*[”"“»],?\s+(sagte|sagt|erklärte|a déclaré|a dit|dijo|afirmó|said)\s+(.{2,60}?)\.$`)

// saidThat by language: the words reported speech begins with, %s the
// speaker.
var saidThat = map[string]string{"en": "%s said that", "de": "%s sagte, dass", "fr": "%s a déclaré que", "es": "%s dijo que"}

// sentence rewords one sentence: quotes to reported speech (when
// chosen), passive voice (when chosen), then synonyms.
func (s *spinner) sentence(x string) string {
	if s.reported {
		quote, speaker := "", ""
		if m := quoteSaid.FindStringSubmatch(x); m != nil {
			quote, speaker = m[1], m[2]
		} else if m := quoteSaidAfter.FindStringSubmatch(x); m != nil {
			quote, speaker = m[1], m[3]
		}
		if f, ok := saidThat[s.lang]; ok && quote != "" {
			x = fmt.Sprintf(f, upperFirst(speaker)) + " " + lowerFirstFunctionWord(quote) + "."
			s.quotes++
		}
	}
	if s.voice {
		if y := passive.ReplaceAllString(x, "$1${5} $6 was $4 by ${2}$3"); y != x {
			x = upperFirst(y)
			s.passives++
		}
	}
	return s.synonyms(x)
}

// passive turns "The council approved the plan" into "The plan was
// approved by the council".
var passive = regexp.MustCompile(`(^|[.;] )((?:[Tt]he|[Aa]n?) )(\p{Ll}+) (approved|rejected|announced|confirmed|arrested|released|signed|passed|won|launched|opened|closed) ((?:the|a|an) )(\p{Ll}+)`)

// synonyms replaces about rate of the sentence's content words: words of
// the thesaurus first, then, until the rate is met, others with a word
// drawn from the thesaurus (a spinner's loose substitution). Names
// (capitalised inside a sentence), numbers, short and function words
// and quoted words are left alone.
func (s *spinner) synonyms(x string) string {
	type pos struct {
		start, end int
		known      bool
	}
	var cands []pos
	quoted := false
	content := 0
	first := true
	for i := 0; i < len(x); {
		r, n := utf8.DecodeRuneInString(x[i:])
		if strings.ContainsRune("“„«\"", r) && !quoted {
			quoted = true
		} else if strings.ContainsRune("”»\"", r) && quoted {
			quoted = false
		}
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		j := i
		for j < len(x) {
			r2, m := utf8.DecodeRuneInString(x[j:])
			if !unicode.IsLetter(r2) && !unicode.IsDigit(r2) && r2 != '-' {
				break
			}
			j += m
		}
		w := x[i:j]
		lw := strings.ToLower(w)
		isContent := utf8.RuneCountInString(w) >= 3 && !lexis.IsStopword(lw) && !unicode.IsDigit(r)
		capital := unicode.IsUpper(r) && !first
		if isContent {
			content++
			_, known := s.th[lw]
			if !quoted && (!capital || known && s.lang == "de") {
				cands = append(cands, pos{i, j, known})
			}
		}
		first = false
		i = j
	}
	s.content += content
	want := int(s.rate*float64(content) + s.r.Float64())
	if want == 0 || len(cands) == 0 {
		return x
	}
	// known words first, in a random order, then the others
	s.r.Shuffle(len(cands), func(a, b int) { cands[a], cands[b] = cands[b], cands[a] })
	slices.SortStableFunc(cands, func(a, b pos) int {
		switch {
		case a.known == b.known:
			return 0
		case a.known:
			return -1
		}
		return 1
	})
	cands = cands[:min(want, len(cands))]
	slices.SortFunc(cands, func(a, b pos) int { return b.start - a.start })
	for _, c := range cands {
		w := x[c.start:c.end]
		var rep string
		if c.known {
			rep = pick(s.r, s.th[strings.ToLower(w)])
		} else {
			if len(s.pool) == 0 {
				continue
			}
			rep = pick(s.r, s.pool)
			s.loose++
		}
		if r, _ := utf8.DecodeRuneInString(w); unicode.IsUpper(r) {
			rep = upperFirst(rep)
		}
		x = x[:c.start] + rep + x[c.end:]
		s.replaced++
	}
	return x
}

func wordsIn(s string) int { return len(strings.Fields(s)) }

// upperFirst capitalises a text's first letter.
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// lowerFirstFunctionWord lower-cases a text's first word when it is a
// function word ("The", "He", "Der"): a name stays capitalised.
func lowerFirstFunctionWord(s string) string {
	first, _, _ := strings.Cut(s, " ")
	if !lexis.IsStopword(strings.ToLower(first)) {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}

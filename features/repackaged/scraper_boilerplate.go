package repackaged

import (
	_ "embed"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/repack/repack/features/article"
	"github.com/repack/repack/features/lexis"
	"github.com/repack/repack/features/signal"
)

// boilerplateRule is one line of scraper_boilerplate.rules.
type boilerplateRule struct {
	Name, Lang string
	Weight     float64
	// Words is the most words a line the rule matches has.
	Words int
	// Needs is the lower-case text every line the rule matches holds.
	Needs   need
	Pattern *regexp.Regexp
	// Taught names the page that taught the rule, and why the line is a
	// scraper's.
	Taught string
}

//go:embed scraper_boilerplate.rules
var boilerplateRulesText string

// boilerplateRules are the rules of scraper_boilerplate.rules, in order;
// errBoilerplateRules says why they could not be read (see Rules).
var boilerplateRules, errBoilerplateRules = parseBoilerplateRules(boilerplateRulesText)

// Rules reports whether the family's data file (scraper_boilerplate.rules)
// could be read. The catalogue refuses the family when it could not; the
// family's tests report why.
func Rules() error { return errBoilerplateRules }

// maxBoilerplateWords is the longest line a rule is tried on: the lines
// are short, save WordPress's feed footer, which holds a headline.
const maxBoilerplateWords = 40

// matches reports whether the rule matches a line: its pattern does, and
// when it names groups "word" and "tag", they hold the same word.
func (r *boilerplateRule) matches(line string) bool {
	w, t := r.Pattern.SubexpIndex("word"), r.Pattern.SubexpIndex("tag")
	if w < 0 || t < 0 {
		return r.Pattern.MatchString(line)
	}
	m := r.Pattern.FindStringSubmatch(line)
	return m != nil && strings.EqualFold(m[w], m[t])
}

// parseBoilerplateRules reads the rules file: comment lines start with
// "#", every other non-empty line is seven tab-separated fields.
func parseBoilerplateRules(text string) ([]boilerplateRule, error) {
	var out []boilerplateRule
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 7 {
			return nil, fmt.Errorf("scraper_boilerplate.rules:%d: %d tab-separated fields, want 7 (name, lang, weight, words, needs, pattern, taught)", n+1, len(f))
		}
		name, lang, weight, words, needs, pattern, taught := f[0], f[1], f[2], f[3], f[4], f[5], f[6]
		w, err := strconv.ParseFloat(weight, 64)
		if err != nil || w <= 0 {
			return nil, fmt.Errorf("scraper_boilerplate.rules:%d: weight %q is not a positive number", n+1, weight)
		}
		maxWords, err := strconv.Atoi(words)
		if err != nil || maxWords < 1 || maxWords > maxBoilerplateWords {
			return nil, fmt.Errorf("scraper_boilerplate.rules:%d: words %q is not a number from 1 to %d", n+1, words, maxBoilerplateWords)
		}
		if needs == "" || needs != strings.ToLower(needs) {
			return nil, fmt.Errorf("scraper_boilerplate.rules:%d: needs %q is not lower-case text", n+1, needs)
		}
		re, err := regexp.Compile("(?i)" + pattern)
		if err != nil {
			return nil, fmt.Errorf("scraper_boilerplate.rules:%d: %w", n+1, err)
		}
		if name == "" || len(lang) != 2 || strings.TrimSpace(taught) == "" {
			return nil, fmt.Errorf("scraper_boilerplate.rules:%d: a rule needs a name, a two-letter language and the page that taught it", n+1)
		}
		out = append(out, boilerplateRule{Name: name, Lang: lang, Weight: w, Words: maxWords, Needs: newNeed(needs), Pattern: re, Taught: taught})
	}
	return out, nil
}

// ScraperBoilerplate counts the lines scrapers print around a copy.
var ScraperBoilerplate = signal.Extractor{
	Name:   "scraper_boilerplate",
	Family: signal.Repackaged,
	Doc: `Lines a scraper prints around the story it copied, which the story's publisher never prints. ` +
		`Feed scrapers' "Read Entire Article" and autoblog plugins' "Source link" under the copy, WordPress's feed footer "The post ` +
		`... appeared first on ...", ad-slot placeholders inside the story ("ARTICLE AD", ` +
		`"Advertisement ~ Scroll to continue"), a relative age glued to a view count ("7 months ago 50"), a keyword and its hashtag ` +
		`under the headline ("Chiefs #Chiefs"), in English, German, French and Spanish. The rules are data ` +
		`(scraper_boilerplate.rules), in order, each with the page that taught it. Lines a publisher prints about its own page ` +
		`("Read more", "Advertisement", "3 hours ago", "Originally published at") are not rules. ` +
		`Value: the lines' weights added, capped at 5.`,
	Run: func(pass *signal.Pass) signal.Result {
		p := article.Of(pass.Page)
		var r signal.Result
		var line strings.Builder
		var low []byte
		for i, b := range p.Blocks {
			if b.Words == 0 || b.Words > maxBoilerplateWords {
				continue
			}
			raw, text := p.Text[b.Start:b.End], ""
			letters := lexis.Letters(raw)
			low = lexis.AppendLowerASCII(low[:0], raw)
			for _, rule := range boilerplateRules {
				if b.Words > rule.Words || !rule.Needs.in(letters, low) {
					continue
				}
				if text == "" {
					text = collapseSpaces(&line, p.BlockText(i))
				}
				if rule.matches(text) {
					r.Value += rule.Weight
					r.Evidence = append(r.Evidence, signal.TextSpan(p.Page, b.Start, b.End, rule.Name+" ("+rule.Lang+")"))
					break
				}
			}
		}
		r.Value = math.Min(r.Value, 5)
		return r
	},
}

// collapseSpaces returns s trimmed, its runs of white space one space;
// s itself when it has none to collapse (most lines).
func collapseSpaces(b *strings.Builder, s string) string {
	clean := len(s) > 0 && s[0] != ' ' && s[len(s)-1] != ' '
	for i := 0; clean && i < len(s); i++ {
		switch c := s[i]; {
		case c == '\n' || c == '\t' || c == '\r' || c == '\v' || c == '\f':
			clean = false
		case c == ' ' && i+1 < len(s) && s[i+1] == ' ':
			clean = false
		case c >= 0x80:
			// Unicode spaces (U+00A0, U+2000...) are rare: let Fields
			// judge any line that holds non-ASCII bytes.
			clean = false
		}
	}
	if clean {
		return s
	}
	b.Reset()
	for _, f := range strings.Fields(s) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(f)
	}
	return b.String()
}

package repackaged

import (
	"strings"
	"testing"

	"github.com/repack/repack/features/lexis"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBoilerplateRules checks the rules file's lines against the lines
// they are for and the publishers' own lines they must leave alone.
func TestBoilerplateRules(t *testing.T) {
	t.Parallel()
	ruleOf := func(line string) string {
		for _, r := range boilerplateRules {
			if lexis.WordCount(line) <= r.Words && strings.Contains(strings.ToLower(line), r.Needs.text) && r.matches(line) {
				return r.Name + "/" + r.Lang
			}
		}
		return ""
	}
	tests := []struct{ line, want string }{
		{"Read Entire Article", "read_entire_article/en"},
		{"Ganzen Artikel lesen", "read_entire_article/de"},
		{"Source link", "source_link/en"},
		{"Quellenlink", "source_link/de"},
		{"The post Storm closes schools appeared first on Valley News.", "appeared_first_on/en"},
		{"Der Beitrag Sturm schließt Schulen erschien zuerst auf Talbote.", "appeared_first_on/de"},
		{"L’article Tempête : écoles fermées est apparu en premier sur Le Messager.", "appeared_first_on/fr"},
		{"La entrada Tormenta cierra escuelas se publicó primero en El Valle.", "appeared_first_on/es"},
		{"ARTICLE AD", "article_ad_slot/en"},
		{"Advertisement ~ Scroll to continue", "article_ad_slot/en"},
		{"7 months ago 50", "age_view_counter/en"},
		{"vor 3 Tagen 1.204", "age_view_counter/de"},
		{"il y a 2 mois 88", "age_view_counter/fr"},
		{"hace 5 horas 17", "age_view_counter/es"},
		{"Chiefs #Chiefs", "keyword_hashtag_line/en"},
		// A publisher's own lines.
		{"Read more", ""},
		{"Advertisement", ""},
		{"3 hours ago", ""},
		{"Originally published at 6:10 p.m.", ""},
		{"Ausgabe #033", ""},
		{"NMLS #1136", ""},
		{"Loading... 3 bloggers like this.", ""},
		{"Comments (12)", ""},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, ruleOf(tt.line), "%q", tt.line)
	}
}

// TestBoilerplateRulesFileErrors checks that a malformed rules file is
// refused with its line number.
func TestBoilerplateRulesFileErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, text, want string }{
		{"fields", "# c\nname\ten\t1\t8\tx\t^x$\n", "scraper_boilerplate.rules:2: 6 tab-separated fields"},
		{"weight", "name\ten\tzero\t8\tx\t^x$\ttaught\n", "weight \"zero\""},
		{"words", "name\ten\t1\t99\tx\t^x$\ttaught\n", "words \"99\""},
		{"needs", "name\ten\t1\t8\tX\t^x$\ttaught\n", "needs \"X\" is not lower-case"},
		{"pattern", "name\ten\t1\t8\tx\t^(x$\ttaught\n", "scraper_boilerplate.rules:1:"},
		{"taught", "name\ten\t1\t8\tx\t^x$\t \n", "the page that taught it"},
		{"language", "name\tenglish\t1\t8\tx\t^x$\tpage\n", "two-letter language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := parseBoilerplateRules(tt.text)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	require.NoError(t, Rules(), "the embedded scraper_boilerplate.rules")
	assert.NotEmpty(t, boilerplateRules)
}

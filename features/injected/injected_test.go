package injected

import (
	"strings"
	"testing"

	"github.com/repack/repack/features/page"
	"github.com/repack/repack/features/signal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestExtractorsAreValid(t *testing.T) {
	t.Parallel()
	list := Extractors()
	require.NoError(t, signal.Validate(list))
	names := []string{}
	for _, e := range list {
		assert.Equal(t, signal.Injected, e.Family, e.Name)
		assert.NotEmpty(t, e.Description(), e.Name)
		names = append(names, e.Name)
	}
	assert.Equal(t, []string{"hidden_links", "spam_vocabulary", "offtopic_block", "foreign_script_block", "keyword_stuffing", "link_farm", "cloaking_hints", "spam_links", "injection_evidence"}, names)
}

func TestKeyOfKeepsPackedAndHashedApart(t *testing.T) {
	t.Parallel()
	seen := map[uint64]string{}
	for _, w := range []string{"slot", "slots", "gacor", "gambling", "gamble", "jersey", "jerseys", "über", "überall", "スーパーコピー", "時計", "данные", "a", "ab"} {
		for _, cjk := range []bool{false, true} {
			k := keyOf(w, cjk)
			key := w
			if !cjk {
				key = stem(w)
			}
			if prev, ok := seen[k]; ok {
				assert.Equal(t, prev, key, "key collision for %q", w)
			}
			seen[k] = key
		}
	}
	assert.Equal(t, keyOf("gambling", false), keyOf("gamble", false), "stems meet")
	assert.NotEqual(t, keyOf("dentist", false), keyOf("casino", false))
}

func TestLowerSameLength(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"Slot GACOR", "İstanbul Kelvin \u212a", "ÄÖÜ straße", "スーパーコピー", "bad \xff byte"} {
		l := lowerSameLength(s, "")
		assert.Len(t, l, len(s), s)
	}
	assert.Equal(t, "slot gacor", lowerSameLength("Slot GACOR", ""))
}

func TestMatcherFindsTerms(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text  string
		terms []string
	}{
		{"Main SLOT-GACOR hari ini", []string{"SLOT-GACOR"}},
		{"main di slot88 dan togel4d", []string{"slot88", "togel4d"}},
		{"Buy Viagra without prescription", []string{"Buy Viagra", "without prescription"}},
		{"a slot, gacor", []string{"gacor"}},
		{"ブランドコピー 時計 スーパーコピー", []string{"ブランドコピー", "スーパーコピー"}},
		{"澳门娱乐城 开户送彩金", []string{"娱乐城", "开户送", "彩金"}},
		{"a time slot in the casino's schedule", []string{"casino"}},
		{"the dentist fixed my tooth", nil},
	} {
		lower := lowerSameLength(tc.text, "")
		toks := tokensOf(tc.text, lower, 0, len(tc.text))
		var got []string
		for _, h := range spamVocabulary.find(nil, lower, toks) {
			got = append(got, tc.text[h.start:h.end])
		}
		assert.Equal(t, tc.terms, got, tc.text)
	}
}

func TestBenignDomain(t *testing.T) {
	t.Parallel()
	for host, want := range map[string]bool{
		"www.facebook.com": true, "cdc.gov": true, "www.gov.uk": true, "unimelb.edu.au": true,
		"nasa.gov": true, "spin-royale.example": false, "gov-casino.example": false, "int.nytimes.com": false,
	} {
		h := strings.TrimPrefix(host, "www.")
		assert.Equal(t, want, benignDomain(page.DomainOf(h), h), host)
	}
}

func TestKeywordAnchor(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		text, href string
		want       bool
	}{
		{"best online casino", "https://lucky-spin.example/", true},
		{"cheap jerseys", "https://jerseys-outlet.example/", false},
		{"payday loans", "https://fastlend.example/", true},
		{"The Guardian", "https://www.theguardian.com/", false},
		{"Privacy Policy", "https://corp.example/privacy", false},
		{"read more", "https://other.example/", false},
		{"Marsh Watch", "https://marshwatch.example/", false},
		{"Buy Cheap Watches", "https://wristshop.example/", true},
		{"Art in America", "https://artnews.example/", false},
	} {
		host, _ := page.HrefHost(tc.href)
		d := page.DomainOf(host)
		li := &linkInfo{web: true, host: host, domain: d, label: page.LabelOf(d)}
		assert.Equal(t, tc.want, keywordAnchor(tc.text, li), tc.text)
	}
}

func TestTextInputHasNoLinksOrScripts(t *testing.T) {
	t.Parallel()
	p, err := page.Parse([]byte("A page of plain text.\nBuy viagra online and play slot gacor.\n"), page.Options{Format: page.FormatText})
	require.NoError(t, err)
	for _, e := range Extractors() {
		r := runOne(t, e, p)
		for _, ev := range r.Evidence {
			assert.Equal(t, signal.FieldText, ev.Field, e.Name)
		}
	}
	assert.Zero(t, runOne(t, &HiddenLinks, p).Value)
	assert.Zero(t, runOne(t, &LinkFarm, p).Value)
	assert.Zero(t, runOne(t, &CloakingHints, p).Value)
	assert.Positive(t, runOne(t, &SpamVocabulary, p).Value)
}

func TestSpamHost(t *testing.T) {
	tests := []struct {
		host string
		want bool
	}{
		{"gacorslot88.example", true},
		{"bestcasinoonline.example", true},
		{"slot88.example", true},
		{"bet-365.example", true},
		{"cheap-cialis.example", true},
		{"rolex-replica.example", true},
		{"porn.example", true},
		// Trade words inside common words, and hosts without any.
		{"specialist-clinic.example", false},
		{"socialist.example", false},
		{"replicate.com", false},
		{"fordescort.example", false},
		{"slothbear.example", false},
		{"alphabet.example", false},
		{"", false},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			assert.Equal(t, tt.want, spamHost(tt.host))
		})
	}
}

func TestUnescapeCloseTags(t *testing.T) {
	tests := []struct{ in, want string }{
		{`<a href="x">slot<\/a> text`, `<a href="x">slot</a>  text`},
		{`<\/div><\/a>`, `</div> </a> `},
		{`no tags`, `no tags`},
		{`<\/a`, `<\/a`}, // unterminated: left alone
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := unescapeCloseTags(tt.in)
			assert.Equal(t, tt.want, got)
			assert.Len(t, got, len(tt.in), "offsets kept")
		})
	}
}

func TestLexiconBuilds(t *testing.T) {
	t.Parallel()
	require.NoError(t, Lexicon())
	_, err := newMatcher([]vocabList{{cat: gambling, weight: strong, terms: "slot gacor|situs judi|slot gacor"}})
	assert.ErrorContains(t, err, `term listed twice: "slot gacor"`)
}

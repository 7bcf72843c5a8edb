package lexis

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFindDates(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		in      string
		text    []string
		days    []time.Time
		hasTime []bool
	}{
		{"Date:2025-04-07 14:28:25", []string{"2025-04-07 14:28:25"}, []time.Time{day(2025, 4, 7)}, []bool{true}},
		{"2025-05-07 11:52:30source:X", []string{"2025-05-07 11:52:30"}, []time.Time{day(2025, 5, 7)}, []bool{true}},
		// The glued count stays outside the date.
		{"2025-05-04 03:171702 view", []string{"2025-05-04 03:17"}, []time.Time{day(2025, 5, 4)}, []bool{true}},
		{"Nov 21, 2023, 5:00 PM", []string{"Nov 21, 2023"}, []time.Time{day(2023, 11, 21)}, []bool{false}},
		{"on Nov. 20, 2023 in", []string{"Nov. 20, 2023"}, []time.Time{day(2023, 11, 20)}, []bool{false}},
		{"September 30th, 2016", []string{"September 30th, 2016"}, []time.Time{day(2016, 9, 30)}, []bool{false}},
		{"am 21. November 2023", []string{"21. November 2023"}, []time.Time{day(2023, 11, 21)}, []bool{false}},
		{"le 13 mars 2017", []string{"13 mars 2017"}, []time.Time{day(2017, 3, 13)}, []bool{false}},
		{"28.04.2024", []string{"28.04.2024"}, []time.Time{day(2024, 4, 28)}, []bool{false}},
		{"21/11/2023 and 11/21/2023", []string{"21/11/2023", "11/21/2023"}, []time.Time{day(2023, 11, 21), day(2023, 11, 21)}, []bool{false, false}},
		{"2019/04/04", []string{"2019/04/04"}, []time.Time{day(2019, 4, 4)}, []bool{false}},
		{"no dates: 2023, version 1.2.3, Su-35, 2024-13-45", nil, nil, nil},
		{"February 30, 2023", nil, nil, nil},
	}
	for _, tc := range tests {
		ms := FindDates(nil, tc.in)
		var texts []string
		var days []time.Time
		var times []bool
		for _, m := range ms {
			texts = append(texts, m.Span.Of(tc.in))
			days = append(days, m.Day)
			times = append(times, m.HasTime)
		}
		assert.Equal(t, tc.text, texts, tc.in)
		assert.Equal(t, tc.days, days, tc.in)
		assert.Equal(t, tc.hasTime, times, tc.in)
	}
}

func TestFindYearsAndWeekdays(t *testing.T) {
	t.Parallel()
	ys := FindYears(nil, "won in 2018, 2021 and 2022; Su-2035, 1,2000 people, 2023-05-01, A2024", 1990, 2100)
	var got []int
	for _, y := range ys {
		got = append(got, y.Year)
	}
	assert.Equal(t, []int{2018, 2021, 2022}, got)

	ws := FindWeekdays(nil, "voiced concern Tuesday that; on Monday's vote; tuesday lower; Dienstag")
	var days []time.Weekday
	for _, w := range ws {
		days = append(days, w.Weekday)
	}
	assert.Equal(t, []time.Weekday{time.Tuesday, time.Monday, time.Tuesday}, days)
}

func TestParseISODay(t *testing.T) {
	t.Parallel()
	tests := map[string]string{
		"2023-11-21T17:00:00-07:00":     "2023-11-21",
		"2023-11-21":                    "2023-11-21",
		"20231121":                      "2023-11-21",
		"Tue, 21 Nov 2023 17:00:00 GMT": "2023-11-21",
		"November 21, 2023":             "2023-11-21",
	}
	for in, want := range tests {
		d, ok := ParseISODay(in)
		assert.True(t, ok, in)
		assert.Equal(t, want, d.Format("2006-01-02"), in)
	}
	_, ok := ParseISODay("yesterday")
	assert.False(t, ok)
}

func TestFindGlue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want []string // the glued tokens
		kind []GlueKind
	}{
		// Candidates only: "NovaQuant" is a camel-case name the brand
		// extractors reject, since "Quant" never stands alone on the page.
		{"The NovaQuant Think Tank CenterWhite House", []string{"NovaQuant", "CenterWhite"}, []GlueKind{GlueCase, GlueCase}},
		// Two boundaries in one token; the brand extractors keep the one
		// whose second word stands alone on the page ("NovaQuant").
		{"Home > InvestNovaQuant Center", []string{"InvestNovaQuant", "InvestNovaQuant"}, []GlueKind{GlueCase, GlueCase}},
		{"2025-05-04 03:171702 view", []string{"03:171702"}, []GlueKind{GlueDigits}},
		// The label glue, and a case glue inside the brand that the brand
		// extractors later reject ("Sense" never stands alone on the page).
		{"11:52:30source:EchoSense", []string{"11:52:30source:EchoSense", "11:52:30source:EchoSense"}, []GlueKind{GlueDigitWord, GlueCase}},
		// Camel-case names and particles are not glue.
		{"iPhone YouTube McDonald's PayPal DeSantis LeBron MacArthur eBay", nil, nil},
		// Acronym tails, URLs, handles, hashtags, files, units.
		{"openSUSE GmbH pic.twitter.com/f2ersnzQxd @RepAdamSchiff #BitcoinETFs AndroidManifest.xml 10am 3rd 2020timer5", nil, nil},
		// A normal clock time with seconds.
		{"14:28:25", nil, nil},
		// Across scripts.
		{"のiPhoneが", nil, nil},
	}
	for _, tc := range tests {
		gs := FindGlue(nil, tc.in)
		var toks []string
		var kinds []GlueKind
		for _, g := range gs {
			toks = append(toks, g.Token.Of(tc.in))
			kinds = append(kinds, g.Kind)
		}
		assert.Equal(t, tc.want, toks, tc.in)
		assert.Equal(t, tc.kind, kinds, tc.in)
	}
}

func TestNamePhrases(t *testing.T) {
	t.Parallel()
	s := "voiced by The NovaQuant Quantitative Think Tank Center"
	sp := NamePhraseBefore(s, len(s), 8)
	assert.Equal(t, "The NovaQuant Quantitative Think Tank Center", sp.Of(s))
	s2 := "SANTA FE,Charles H. Sloan N.M. (AP)"
	sp2 := NamePhraseAfter(s2, len("SANTA FE,"), 6)
	assert.Equal(t, "Charles H. Sloan N.M.", sp2.Of(s2))
	s3 := "Bank of America said"
	assert.Equal(t, "Bank of America", NamePhraseAfter(s3, 0, 6).Of(s3))
	s4 := "Académie D'Investissement Triomphal a dit"
	assert.Equal(t, "Académie D'Investissement Triomphal", NamePhraseAfter(s4, 0, 6).Of(s4))
	assert.Equal(t, 2, CountOrgWords("Writingstar Investment Guild")) // Investment, Guild
	assert.Equal(t, 1, CountFinanceWords("InvestPioneer"))
}

func TestEditorialLabels(t *testing.T) {
	t.Parallel()
	for _, l := range []string{"Analysis", "Opinion", "EXCLUSIVE", "WATCH", "Live updates", "UPDATE 2", "FACTBOX", "HAPPENING TODAY", "Kommentar", "Análisis", "En direct"} {
		assert.True(t, IsEditorialLabel(l), l)
	}
	for _, l := range []string{"NovaQuant Quantitative Think Tank Center", "Poinbank Exchange", "PredictIQ", "Charles H. Sloan"} {
		assert.False(t, IsEditorialLabel(l), l)
	}
}

func TestFirstCaseBoundary(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"InvestCedarline Capital", 6},
		{"MarketsPinegate", 7},
		{"Markets", 0},
		{"Home Markets", 0}, // only the first field is read
		{"iPhone", 1},
		{"", 0},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, FirstCaseBoundary(tt.in), tt.in)
	}
}

func TestAppendLowerASCII(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "read entire article", string(AppendLowerASCII(nil, "Read ENTIRE Article")))
	assert.Equal(t, "zÜrich #chiefs 7", string(AppendLowerASCII([]byte("z"), "Ürich #Chiefs 7")))
	m := Letters("Chiefs #Chiefs 7")
	assert.True(t, m.Holds(Letters("chief#")))
	assert.True(t, m.Holds(Letters("9")))
	assert.False(t, m.Holds(Letters("ago")))
}

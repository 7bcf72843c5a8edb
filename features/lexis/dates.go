package lexis

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DateMatch is a calendar date found in text.
type DateMatch struct {
	// Span covers the date as written, with a time of day if one follows.
	Span Span
	// Day is the date at midnight UTC.
	Day time.Time
	// HasTime reports whether a clock time was written with the date.
	HasTime bool
}

// months maps lower-case month names and abbreviations (English, German,
// French, Spanish, Italian, Portuguese, Dutch) to their number.
var months = func() map[string]time.Month {
	m := map[string]time.Month{}
	add := func(n time.Month, names string) {
		for _, s := range strings.Fields(names) {
			m[s] = n
		}
	}
	add(time.January, "january jan januar janvier enero gennaio janeiro januari jänner")
	add(time.February, "february feb februar février fevrier febrero febbraio fevereiro februari")
	add(time.March, "march mar märz maerz mars marzo março maart")
	add(time.April, "april apr avril abril aprile")
	add(time.May, "may mai mayo maggio maio mei")
	add(time.June, "june jun juni juin junio giugno junho")
	add(time.July, "july jul juli juillet julio luglio julho")
	add(time.August, "august aug août aout agosto augustus")
	add(time.September, "september sep sept septembre septiembre settembre setembro")
	add(time.October, "october oct oktober octobre octubre ottobre outubro")
	add(time.November, "november nov novembre noviembre novembro")
	add(time.December, "december dec dezember décembre decembre diciembre dicembre dezembro")
	return m
}()

// weekdays maps lower-case weekday names (English and German) to their day.
var weekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday,
	"sonntag":  time.Sunday, "montag": time.Monday, "dienstag": time.Tuesday,
	"mittwoch": time.Wednesday, "donnerstag": time.Thursday, "freitag": time.Friday,
	"samstag": time.Saturday,
}

// monthLookup finds a month name without allocating for ASCII words.
func monthLookup(word string) (time.Month, bool) {
	var buf [16]byte
	if len(word) > len(buf) {
		return 0, false
	}
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= utf8.RuneSelf {
			m, ok := months[strings.ToLower(word)]
			return m, ok
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	m, ok := months[string(buf[:len(word)])]
	return m, ok
}

// MonthByName returns the month a (possibly abbreviated, possibly dotted)
// month name stands for.
func MonthByName(word string) (time.Month, bool) {
	m, ok := months[strings.TrimSuffix(Lower(word), ".")]
	return m, ok
}

// WeekdayByName returns the weekday a full weekday name stands for.
func WeekdayByName(word string) (time.Weekday, bool) {
	d, ok := weekdays[Lower(word)]
	return d, ok
}

// WeekdayMatch is a weekday named in text.
type WeekdayMatch struct {
	Span    Span
	Weekday time.Weekday
}

// FindWeekdays appends every full weekday name in s to dst.
func FindWeekdays(dst []WeekdayMatch, s string) []WeekdayMatch {
	var ws []Span
	for _, w := range Words(ws, s) {
		word := stripPossessive(w.Of(s))
		if len(word) < 6 || len(word) > 10 || !IsCapitalized(word) {
			continue
		}
		if d, ok := WeekdayByName(word); ok {
			dst = append(dst, WeekdayMatch{Span: Span{w.Start, w.Start + len(word)}, Weekday: d})
		}
	}
	return dst
}

// YearMatch is a four-digit year named in text.
type YearMatch struct {
	Span Span
	Year int
}

// FindYears appends every stand-alone year between minYear and maxYear to
// dst. Years inside longer numbers, dates or with a digit or letter glued
// on are left out.
func FindYears(dst []YearMatch, s string, minYear, maxYear int) []YearMatch {
	for i := 0; i+4 <= len(s); i++ {
		if !isDigit(s[i]) {
			continue
		}
		j := i
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j-i == 4 && !alnumBefore(s, i) && !alnumAfter(s, j) && !dateSepAround(s, i, j) {
			y := atoi(s[i:j])
			if y >= minYear && y <= maxYear {
				dst = append(dst, YearMatch{Span: Span{i, j}, Year: y})
			}
		}
		i = j
	}
	return dst
}

func dateSepAround(s string, i, j int) bool {
	if i > 1 && (s[i-1] == '-' || s[i-1] == '/' || s[i-1] == '.' || s[i-1] == ',') && (isDigit(s[i-2]) || s[i-1] == '-' && alnumBefore(s, i-1)) {
		// "2023-05-01", "1,2000", "Su-2035": part of a longer token.
		return true
	}
	if j+1 < len(s) && (s[j] == '-' || s[j] == '/' || s[j] == '.' || s[j] == ',') && isDigit(s[j+1]) {
		return true
	}
	return false
}

func alnumBefore(s string, i int) bool {
	if i == 0 {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func alnumAfter(s string, j int) bool {
	if j >= len(s) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// digitsAt returns the run of ASCII digits starting at i and its end.
func digitsAt(s string, i int) (int, int) {
	j := i
	for j < len(s) && isDigit(s[j]) {
		j++
	}
	if j == i || j-i > 4 {
		return -1, i
	}
	return atoi(s[i:j]), j
}

func mkDay(y, m, d int) (time.Time, bool) {
	if y < 1900 || y > 2100 || m < 1 || m > 12 || d < 1 || d > 31 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// FindDates appends every full calendar date in s to dst. It reads the
// numeric forms 2025-04-07 (with an optional time: "2025-04-07 14:28:25",
// "2025-04-07T14:28:25Z"), 2025/04/07, 21.11.2023, 11/21/2023 and
// 21/11/2023 (month and day told apart by value; an ambiguous one is read
// month first), and the named forms "Nov 21, 2023", "November 21st 2023",
// "21 November 2023" and "21. November 2023". It scans s once.
func FindDates(dst []DateMatch, s string) []DateMatch {
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isDigit(c) && !alnumBefore(s, i):
			if m, ok := numericDate(s, i); ok {
				dst = append(dst, m)
				i = m.Span.End
				continue
			}
			if m, ok := dayMonthName(s, i); ok {
				dst = append(dst, m)
				i = m.Span.End
				continue
			}
			for i < len(s) && isDigit(s[i]) {
				i++
			}
			continue
		case c < utf8.RuneSelf && unicode.IsLetter(rune(c)) && !alnumBefore(s, i):
			j := i
			for j < len(s) {
				r, size := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsLetter(r) {
					break
				}
				j += size
			}
			if j-i >= 3 && j-i <= 9 {
				if mon, ok := monthLookup(s[i:j]); ok {
					if m, ok := monthNameDate(s, i, j, mon); ok {
						dst = append(dst, m)
						i = m.Span.End
						continue
					}
				}
			}
			i = j
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return dst
}

func numericDate(s string, i int) (DateMatch, bool) {
	a, j := digitsAt(s, i)
	if a < 0 || j >= len(s) {
		return DateMatch{}, false
	}
	sep := s[j]
	if sep != '-' && sep != '/' && sep != '.' {
		return DateMatch{}, false
	}
	b, k := digitsAt(s, j+1)
	if b < 0 || k >= len(s) || s[k] != sep || k-j-1 > 2 {
		return DateMatch{}, false
	}
	c, end := digitsAt(s, k+1)
	if c < 0 || alnumAfter(s, end) {
		return DateMatch{}, false
	}
	var day time.Time
	var ok bool
	switch {
	case j-i == 4 && end-k-1 <= 2: // y-m-d
		day, ok = mkDay(a, b, c)
	case j-i <= 2 && end-k-1 == 4 && sep == '.': // d.m.y
		day, ok = mkDay(c, b, a)
	case j-i <= 2 && end-k-1 == 4 && a > 12: // d/m/y
		day, ok = mkDay(c, b, a)
	case j-i <= 2 && end-k-1 == 4: // m/d/y
		day, ok = mkDay(c, a, b)
	}
	if !ok {
		return DateMatch{}, false
	}
	m := DateMatch{Span: Span{i, end}, Day: day}
	if t := clockAfter(s, end); t > end {
		m.Span.End = t
		m.HasTime = true
	}
	return m, true
}

// clockAfter returns the end of a clock time "[ T]hh:mm[:ss][Z|±hh:mm]"
// starting at i, or i when none follows.
func clockAfter(s string, i int) int {
	if i >= len(s) || (s[i] != ' ' && s[i] != 'T') {
		return i
	}
	j := i + 1
	h, k := digitsAt(s, j)
	if h < 0 || k-j > 2 || k >= len(s) || s[k] != ':' {
		return i
	}
	k2 := k + 1
	for k2 < len(s) && isDigit(s[k2]) {
		k2++
	}
	switch {
	case k2-k-1 < 2:
		return i
	case k2-k-1 > 2:
		// "03:171702": the minutes run on into a glued count. Take the two
		// minute digits only so that the count stays outside the date.
		return k + 3
	}
	end := k2
	if end+2 < len(s) && s[end] == ':' && isDigit(s[end+1]) && isDigit(s[end+2]) {
		end += 3
	}
	return end
}

func monthNameDate(s string, i, j int, mon time.Month) (DateMatch, bool) {
	k := j
	if k < len(s) && s[k] == '.' {
		k++
	}
	if k >= len(s) || s[k] != ' ' {
		return DateMatch{}, false
	}
	k++
	d, k2 := digitsAt(s, k)
	if d < 0 || k2-k > 2 {
		return DateMatch{}, false
	}
	k = k2
	for _, suf := range []string{"st", "nd", "rd", "th"} {
		if strings.HasPrefix(s[k:], suf) {
			k += 2
			break
		}
	}
	if k < len(s) && s[k] == ',' {
		k++
	}
	if k >= len(s) || s[k] != ' ' {
		return DateMatch{}, false
	}
	k++
	y, end := digitsAt(s, k)
	if y < 0 || end-k != 4 || alnumAfter(s, end) {
		return DateMatch{}, false
	}
	day, ok := mkDay(y, int(mon), d)
	if !ok {
		return DateMatch{}, false
	}
	return DateMatch{Span: Span{i, end}, Day: day}, true
}

func dayMonthName(s string, i int) (DateMatch, bool) {
	d, k := digitsAt(s, i)
	if d < 0 || k-i > 2 {
		return DateMatch{}, false
	}
	if k < len(s) && s[k] == '.' {
		k++
	}
	if k >= len(s) || s[k] != ' ' {
		return DateMatch{}, false
	}
	k++
	j := k
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) {
			break
		}
		j += size
	}
	mon, ok := monthLookup(s[k:j])
	if !ok {
		return DateMatch{}, false
	}
	if j < len(s) && s[j] == '.' {
		j++
	}
	if j >= len(s) || s[j] != ' ' {
		return DateMatch{}, false
	}
	y, end := digitsAt(s, j+1)
	if y < 0 || end-j-1 != 4 || alnumAfter(s, end) {
		return DateMatch{}, false
	}
	day, ok := mkDay(y, int(mon), d)
	if !ok {
		return DateMatch{}, false
	}
	return DateMatch{Span: Span{i, end}, Day: day}, true
}

// ParseISODay reads the calendar day at the start of a machine-readable date
// string ("2023-11-21T17:00:00-07:00", "2023-11-21", "20231121"). It keeps
// the date as written, without converting time zones.
func ParseISODay(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if len(s) >= 10 && isDigit(s[0]) && (s[4] == '-' || s[4] == '/') {
		y, e1 := digitsAt(s, 0)
		m, e2 := digitsAt(s, 5)
		d, _ := digitsAt(s, 8)
		if e1 == 4 && e2 == 7 {
			return mkDay(y, m, d)
		}
	}
	if len(s) >= 8 && allDigits(s[:8]) && (len(s) == 8 || !isDigit(s[8])) {
		return mkDay(atoi(s[:4]), atoi(s[4:6]), atoi(s[6:8]))
	}
	if ms := FindDates(nil, s); len(ms) > 0 {
		return ms[0].Day, true
	}
	for _, layout := range []string{time.RFC1123, time.RFC1123Z, time.RFC850, time.ANSIC} {
		if t, err := time.Parse(layout, s); err == nil {
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), true
		}
	}
	return time.Time{}, false
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}

package schedule

import (
	"strings"
	"time"
)

// cronField describes one cron field: its range and its names.
type cronField struct {
	name     string // with its article, for messages
	min, max int
	names    map[string]int
	question bool // ? is allowed (day of month and weekday)
}

var (
	monthNames = map[string]int{
		"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
		"jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
	}
	weekdayNames = map[string]int{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}

	fieldSecond = cronField{"a second", 0, 59, nil, false}
	fieldMinute = cronField{"a minute", 0, 59, nil, false}
	fieldHour   = cronField{"an hour", 0, 23, nil, false}
	fieldDom    = cronField{"a day of month", 1, 31, nil, true}
	fieldMonth  = cronField{"a month", 1, 12, monthNames, false}
	fieldDow    = cronField{"a weekday", 0, 7, weekdayNames, true}
)

// cronLayouts are the field orders of 5-field and 6-field (seconds first)
// expressions.
var cronLayouts = map[int][]cronField{
	5: {fieldMinute, fieldHour, fieldDom, fieldMonth, fieldDow},
	6: {fieldSecond, fieldMinute, fieldHour, fieldDom, fieldMonth, fieldDow},
}

// parseCron reads `<5 or 6 fields> [zone]` after "cron".
func (l *lexer) parseCron() (Spec, error) {
	words := l.cronWords()
	n := len(words)
	if n == 6 {
		if _, _, err := parseField(words[5].text, fieldDow); err != nil {
			n = 5
		}
	}
	if n == 7 {
		n = 6
	}
	if n != 5 && n != 6 {
		return Spec{}, l.errNext("5 or 6 cron fields and an optional zone")
	}
	l.i -= len(words) - n
	s := Spec{kind: kindCron}
	if err := l.fillCron(&s, words[:n]); err != nil {
		return Spec{}, err
	}
	return s, l.readZone(&s)
}

// cronWords consumes the words up to a modifier or the end (at most 7).
func (l *lexer) cronWords() []token {
	var words []token
	for len(words) < 7 {
		t, ok := l.peek()
		if !ok || modifierWords[asciiLower(t.text)] {
			break
		}
		words = append(words, t)
		l.next()
	}
	return words
}

// fillCron parses the fields into s.cal and keeps their text in s.cron.
func (l *lexer) fillCron(s *Spec, words []token) error {
	masks := make([]uint64, len(words))
	texts := make([]string, len(words))
	stars := make([]bool, len(words))
	for i, f := range cronLayouts[len(words)] {
		texts[i] = asciiLower(words[i].text)
		mask, star, err := parseField(texts[i], f)
		if err != nil {
			return l.errAt(token{err.part, words[i].pos + err.off}, err.expected)
		}
		masks[i], stars[i] = mask, star
	}
	if len(words) == 5 {
		masks, stars = append([]uint64{1}, masks...), append([]bool{false}, stars...)
	}
	s.cron = strings.Join(texts, " ")
	s.cal = calendar{
		sec: masks[0], min: masks[1], hour: uint32(masks[2]), dom: uint32(masks[3]),
		month: uint16(masks[4]), dow: uint8(masks[5]&0x7f | masks[5]>>7&1),
		domStar: stars[3], dowStar: stars[5],
	}
	if !s.cal.possible() {
		dom := words[len(words)-3]
		return l.errAt(dom, "a day of month that exists in the chosen months")
	}
	return nil
}

// possible reports whether some date matches: a day of month must exist in
// a chosen month unless the day-of-month field is ignored (both fields
// restricted means either may match, and every month has every weekday).
func (c *calendar) possible() bool {
	if c.domStar || !c.dowStar {
		return true
	}
	for m := time.January; m <= time.December; m++ {
		longest := daysIn(2000, m) // 2000 is a leap year: Feb has 29 days
		if c.monthOK(m) && c.dom&allBits(1, longest) != 0 {
			return true
		}
	}
	return false
}

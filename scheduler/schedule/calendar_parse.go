package schedule

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// dayNames maps full and three-letter weekday names to time.Weekday.
var dayNames = map[string]time.Weekday{
	"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday,
	"saturday": time.Saturday, "sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday,
	"wed": time.Wednesday, "thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// modifierWords start modifiers; a word after a calendar that is none of
// these is taken as a zone name.
var modifierWords = map[string]bool{"jitter": true, "until": true, "times": true}

const (
	expectDays   = `"day" or weekday names (e.g. monday,friday)`
	expectClock  = "a time of day HH:MM or HH:MM:SS"
	expectOffset = "an offset :MM or :MM:SS shorter than the period"
)

// peekCalendar reports whether the word after "every" starts a calendar
// spec ("day", or a weekday name list).
func (l *lexer) peekCalendar() bool {
	t, ok := l.peek()
	if !ok {
		return false
	}
	first, _, _ := strings.Cut(asciiLower(t.text), ",")
	_, isDay := dayNames[first]
	return isDay || first == "day"
}

// parseCalendar reads `day|<weekdays> [at HH:MM[,HH:MM...]] [zone]`.
func (l *lexer) parseCalendar() (Spec, error) {
	s := Spec{kind: kindCalendar}
	s.cal = calendar{dom: allBits(1, 31), month: uint16(allBits(1, 12)), domStar: true}
	t, _ := l.next()
	dow, err := l.parseDays(t)
	if err != nil {
		return Spec{}, err
	}
	s.cal.dow = dow
	s.cal.tods[0], s.cal.ntod = 0, 1
	if l.peekWord("at") {
		l.next()
		if err := l.parseClocks(&s.cal); err != nil {
			return Spec{}, err
		}
	}
	return s, l.readZone(&s)
}

// parseDays reads "day" or a comma list of weekday names into a bit set.
func (l *lexer) parseDays(t token) (uint8, error) {
	if strings.EqualFold(t.text, "day") {
		return 0x7f, nil
	}
	var set uint8
	for off, part := range splitList(t.text) {
		wd, ok := dayNames[asciiLower(part)]
		if !ok {
			return 0, l.errAt(token{part, t.pos + off}, expectDays)
		}
		set |= 1 << wd
	}
	return set, nil
}

// parseClocks reads a comma list of times of day into c.tods, sorted.
func (l *lexer) parseClocks(c *calendar) error {
	t, _ := l.next()
	c.ntod = 0
	for off, part := range splitList(t.text) {
		tod, ok := parseClock(part)
		if !ok || int(c.ntod) == maxTimes {
			return l.errAt(token{part, t.pos + off}, fmt.Sprintf("%s (at most %d)", expectClock, maxTimes))
		}
		c.tods[c.ntod] = int32(tod)
		c.ntod++
	}
	list := c.tods[:c.ntod]
	sort.Slice(list, func(i, j int) bool { return list[i] < list[j] })
	c.ntod = uint8(dedup(list))
	clear(c.tods[c.ntod:]) // keep specs comparable with ==
	return nil
}

// dedup removes repeats from a sorted list in place and returns its length.
func dedup(list []int32) int {
	n := 0
	for i, v := range list {
		if i == 0 || v != list[n-1] {
			list[n] = v
			n++
		}
	}
	return n
}

// splitList yields the comma-separated parts of s with their byte offsets;
// an empty part is yielded too, so that it can be reported.
func splitList(s string) func(func(int, string) bool) {
	return func(yield func(int, string) bool) {
		off := 0
		for {
			part, _, more := strings.Cut(s[off:], ",")
			if !yield(off, part) || !more {
				return
			}
			off += len(part) + 1
		}
	}
}

// parseClock reads H:MM, HH:MM or HH:MM:SS into seconds after midnight.
func parseClock(s string) (int, bool) {
	parts := strings.Split(s, ":")
	if len(parts) < 2 || len(parts) > 3 || len(parts[0]) < 1 || len(parts[0]) > 2 {
		return 0, false
	}
	limits := []int{23, 59, 59}
	tod := 0
	for i, p := range parts {
		n, err := strconv.Atoi(p)
		if err != nil || n < 0 || n > limits[i] || (i > 0 && len(p) != 2) || p[0] == '+' {
			return 0, false
		}
		tod = tod*60 + n
	}
	if len(parts) == 2 {
		tod *= 60
	}
	return tod, true
}

// readOffset reads the `:MM[:SS]` offset of an aligned interval.
func (l *lexer) readOffset(s *Spec) error {
	t, _ := l.next()
	tod, ok := parseClock("0" + t.text)
	if !ok || !strings.HasPrefix(t.text, ":") || time.Duration(tod)*time.Second >= s.period {
		return l.errAt(t, expectOffset)
	}
	s.offset, s.hasOffset = time.Duration(tod)*time.Second, true
	return nil
}

// readZone reads an optional IANA zone name.
func (l *lexer) readZone(s *Spec) error {
	t, ok := l.peek()
	if !ok || modifierWords[asciiLower(t.text)] {
		return nil
	}
	l.next()
	loc, err := loadZone(t.text)
	if err != nil {
		return l.errAt(t, "a known IANA time zone (e.g. Europe/Berlin)")
	}
	s.loc, s.zone = loc, t.text
	if loc == nil {
		s.zone = ""
	}
	return nil
}

// allBits returns a set with bits lo..hi.
func allBits(lo, hi int) uint32 { return (1<<(hi+1) - 1) &^ (1<<lo - 1) }

package schedule

import (
	"math/bits"
	"sort"
	"time"
)

// maxTimes is how many times of day one calendar spec may list.
const maxTimes = 12

// secondsPerDay is the length of a wall-clock day.
const secondsPerDay = 24 * 3600

// searchYears bounds the search for a matching day; a valid spec always
// matches well within it (Feb 29 on a given weekday recurs within 40 years).
const searchYears = 100

// calendar is the set of wall-clock instants of a calendar or cron spec:
// days (month, day-of-month, weekday bit sets, with cron's rule that a day
// matches either set when both are restricted) and times of day (either
// second/minute/hour bit sets, or a short list).
type calendar struct {
	sec, min uint64 // bits 0..59
	hour     uint32 // bits 0..23
	dom      uint32 // bits 1..31
	month    uint16 // bits 1..12
	dow      uint8  // bits 0..6, Sunday = 0
	domStar  bool   // the day-of-month field was * or ?
	dowStar  bool   // the weekday field was * or ?
	ntod     uint8  // when > 0, tods[:ntod] replaces sec/min/hour
	tods     [maxTimes]int32
}

// next returns the first instant of the calendar strictly after now in loc,
// or the zero time if none exists within searchYears.
func (c *calendar) next(now time.Time, loc *time.Location) time.Time {
	local := now.In(loc)
	y, m, d := local.Date()
	if c.monthOK(m) && c.dayOK(d, local.Weekday()) {
		if t, ok := c.laterToday(y, m, d, local, now, loc); ok {
			return t
		}
	}
	y, m, d, ok := c.nextDay(y, m, d)
	if !ok {
		return time.Time{}
	}
	tod, _ := c.nextTod(0)
	return resolve(y, m, d, tod, loc)
}

// laterToday finds the first time of day on now's local date whose instant
// is after now. Instants grow with the time of day, and every time of day up
// to now's wall clock resolves to at most now, so the first listed time
// after the wall clock is the answer unless the clock fell back; then a
// binary search over the seconds of the day finds it.
func (c *calendar) laterToday(y int, m time.Month, d int, local, now time.Time, loc *time.Location) (time.Time, bool) {
	h, mi, s := local.Clock()
	tod, ok := c.nextTod(h*3600 + mi*60 + s + 1)
	if !ok {
		return time.Time{}, false
	}
	if t := resolve(y, m, d, tod, loc); t.After(now) {
		return t, true
	}
	first := tod + 1 + sort.Search(secondsPerDay-tod-1, func(i int) bool {
		return resolve(y, m, d, tod+1+i, loc).After(now)
	})
	if tod, ok = c.nextTod(first); !ok {
		return time.Time{}, false
	}
	return resolve(y, m, d, tod, loc), true
}

// nextDay returns the first matching date after y-m-d.
func (c *calendar) nextDay(y int, m time.Month, d int) (int, time.Month, int, bool) {
	d++
	for limit := y + searchYears; y <= limit; y, m, d = nextMonth(y, m) {
		if !c.monthOK(m) {
			continue
		}
		n := daysIn(y, m)
		wd := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Weekday()
		for ; d <= n; d, wd = d+1, (wd+1)%7 {
			if c.dayOK(d, wd) {
				return y, m, d, true
			}
		}
	}
	return 0, 0, 0, false
}

// nextMonth returns the first day of the month after y-m.
func nextMonth(y int, m time.Month) (int, time.Month, int) {
	if m == time.December {
		return y + 1, time.January, 1
	}
	return y, m + 1, 1
}

// daysIn returns the number of days of month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// monthOK reports whether month m is in the set.
func (c *calendar) monthOK(m time.Month) bool { return c.month&(1<<m) != 0 }

// dayOK applies cron's day rule: both the day of month and the weekday must
// match when either field is *, otherwise either may.
func (c *calendar) dayOK(d int, wd time.Weekday) bool {
	domOK, dowOK := c.dom&(1<<d) != 0, c.dow&(1<<wd) != 0
	if c.domStar || c.dowStar {
		return domOK && dowOK
	}
	return domOK || dowOK
}

// nextTod returns the first time of day (seconds) in the set at or after x.
func (c *calendar) nextTod(x int) (int, bool) {
	if c.ntod > 0 {
		for _, t := range c.tods[:c.ntod] {
			if int(t) >= x {
				return int(t), true
			}
		}
		return 0, false
	}
	h, m, s := x/3600, x/60%60, x%60
	for ; h < 24; h, m, s = h+1, 0, 0 {
		if c.hour&(1<<h) == 0 {
			continue
		}
		for ; m < 60; m, s = m+1, 0 {
			if sec, ok := nextBit(c.sec, s); ok && c.min&(1<<m) != 0 {
				return h*3600 + m*60 + sec, true
			}
		}
	}
	return 0, false
}

// nextBit returns the lowest set bit of mask at or above i.
func nextBit(mask uint64, i int) (int, bool) {
	if i >= 64 {
		return 0, false
	}
	rest := mask >> uint(i) << uint(i)
	if rest == 0 {
		return 0, false
	}
	return bits.TrailingZeros64(rest), true
}

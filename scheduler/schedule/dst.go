package schedule

import (
	"sync"
	"time"
)

// resolve returns the instant at which the wall-clock time tod (seconds
// after midnight) of the local date y-m-d happens in loc, with the DST rules
// of this package: a wall time that does not exist (the clock springs
// forward over it) happens at the next valid instant, the transition
// itself; a wall time that happens twice (the clock falls back) happens at
// its first occurrence.
func resolve(y int, m time.Month, d, tod int, loc *time.Location) time.Time {
	h, mi, s := tod/3600, tod/60%60, tod%60
	t := time.Date(y, m, d, h, mi, s, 0, loc)
	ty, tm, td := t.Date()
	th, tmi, ts := t.Clock()
	if ty == y && tm == m && td == d && th == h && tmi == mi && ts == s {
		return firstOccurrence(t)
	}
	return gapEnd(t, time.Date(y, m, d, h, mi, s, 0, time.UTC))
}

// firstOccurrence returns the earlier instant with t's wall-clock time when
// t lies in the repeated stretch after the clock fell back, else t.
func firstOccurrence(t time.Time) time.Time {
	start, _ := t.ZoneBounds()
	if start.IsZero() {
		return t
	}
	_, off := t.Zone()
	_, before := start.Add(-time.Nanosecond).Zone()
	if before <= off {
		return t
	}
	if early := t.Add(-time.Duration(before-off) * time.Second); early.Before(start) {
		return early
	}
	return t
}

// gapEnd returns the zone transition that skipped the wall time want (given
// as a UTC time with the wanted wall clock); t is what time.Date made of it,
// an instant just before or after the gap.
func gapEnd(t, want time.Time) time.Time {
	_, off := t.Zone()
	wall := t.Add(time.Duration(off) * time.Second)
	start, end := t.ZoneBounds()
	if wall.Unix() > want.Unix() || end.IsZero() {
		return start
	}
	return end
}

// localMidnight returns the start of now's local day in loc.
func localMidnight(now time.Time, loc *time.Location) time.Time {
	y, m, d := now.In(loc).Date()
	return resolve(y, m, d, 0, loc)
}

// zones caches loaded locations by name so that equal specs share one
// *time.Location and stay comparable with ==.
var zones sync.Map // string -> *time.Location

// loadZone returns the location named name ("" and "Local" are time.Local,
// reported as nil).
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, nil
	}
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	actual, _ := zones.LoadOrStore(name, loc)
	return actual.(*time.Location), nil
}

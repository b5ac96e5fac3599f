package schedule

import (
	"math"
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// Duration units accepted inside a duration word ("1h30m", "2d", "1w",
// "250ms"): Go's units plus d (24h) and w (7d).
var durationUnits = map[string]uint64{
	"ns": 1, "us": 1e3, "µs": 1e3, "μs": 1e3, "ms": 1e6,
	"s": 1e9, "m": 60e9, "h": 3600e9, "d": 86400e9, "w": 7 * 86400e9,
}

// unitWords are the spelled-out units accepted as a separate word after a
// bare number ("every 10 seconds", "every 2 weeks").
var unitWords = map[string]string{
	"ms": "ms", "millisecond": "ms", "milliseconds": "ms",
	"s": "s", "sec": "s", "secs": "s", "second": "s", "seconds": "s",
	"m": "m", "min": "m", "mins": "m", "minute": "m", "minutes": "m",
	"h": "h", "hr": "h", "hrs": "h", "hour": "h", "hours": "h",
	"d": "d", "day": "d", "days": "d", "w": "w", "week": "w", "weeks": "w",
}

const (
	expectUnit     = "a unit (s, m, h, d, w)"
	expectDuration = "a positive duration (e.g. 10s, 1h30m, 2d)"
)

// readDuration consumes a positive duration: either one word ("90s",
// "1h30m") or a bare number followed by a unit word ("10 seconds").
func (l *lexer) readDuration() (time.Duration, error) {
	t, ok := l.next()
	if !ok {
		return 0, l.errAt(t, expectDuration)
	}
	if isNumber(t.text) {
		u, ok := l.next()
		unit, known := unitWords[asciiLower(u.text)]
		if !ok || !known {
			return 0, l.errAt(u, expectUnit)
		}
		t = token{text: t.text + unit, pos: t.pos}
	}
	d, off, expected := parseDuration(asciiLower(t.text))
	if expected != "" {
		bad := token{text: t.text[off:], pos: t.pos + off}
		if expected == expectDuration {
			bad = t
		}
		return 0, l.errAt(bad, expected)
	}
	return d, nil
}

// isNumber reports whether s is digits with an optional decimal fraction.
func isNumber(s string) bool {
	n, _, digits := scanNumber(s)
	return digits > 0 && n == len(s)
}

// scanNumber returns the length of the number at the start of s, the
// position of its '.' (-1 if none) and how many digits it has.
func scanNumber(s string) (n, dot, digits int) {
	dot = -1
	for n < len(s) {
		switch c := s[n]; {
		case c >= '0' && c <= '9':
			digits++
		case c == '.' && dot < 0:
			dot = n
		default:
			return n, dot, digits
		}
		n++
	}
	return n, dot, digits
}

// parseDuration parses a duration word exactly (no floating point). On
// failure it returns the offset of the bad part and what was expected.
func parseDuration(s string) (d time.Duration, off int, expected string) {
	var total uint64
	for off < len(s) {
		n, dot, digits := scanNumber(s[off:])
		if digits == 0 {
			return 0, 0, expectDuration
		}
		num := s[off : off+n]
		u := off + n
		for u < len(s) && !(s[u] >= '0' && s[u] <= '9') && s[u] != '.' {
			u++
		}
		unit, ok := durationUnits[s[off+n:u]]
		if !ok {
			return 0, off + n, expectUnit
		}
		v, ok := scaleDecimal(num, dot, unit)
		if !ok || total+v < total || total+v > math.MaxInt64 {
			return 0, 0, expectDuration
		}
		total += v
		off = u
	}
	if total == 0 {
		return 0, 0, expectDuration
	}
	return time.Duration(total), 0, ""
}

// scaleDecimal returns the decimal num (with its '.' at dot, or -1) times
// unit, truncated to an integer; ok is false on overflow.
func scaleDecimal(num string, dot int, unit uint64) (uint64, bool) {
	intPart, frac := num, ""
	if dot >= 0 {
		intPart, frac = num[:dot], num[dot+1:]
	}
	var whole uint64
	for _, c := range intPart {
		hi, lo := bits.Mul64(whole, 10)
		if hi != 0 || lo+uint64(c-'0') < lo {
			return 0, false
		}
		whole = lo + uint64(c-'0')
	}
	hi, v := bits.Mul64(whole, unit)
	if hi != 0 {
		return 0, false
	}
	if len(frac) > 18 {
		frac = frac[:18]
	}
	var f, scale uint64 = 0, 1
	for _, c := range frac {
		f, scale = f*10+uint64(c-'0'), scale*10
	}
	fhi, flo := bits.Mul64(f, unit)
	q, _ := bits.Div64(fhi, flo, scale)
	return v + q, v+q >= v
}

// durationParts are the units formatDuration prints, largest first.
var durationParts = []struct {
	unit string
	size time.Duration
}{
	{"w", 7 * 24 * time.Hour}, {"d", 24 * time.Hour}, {"h", time.Hour}, {"m", time.Minute},
	{"s", time.Second}, {"ms", time.Millisecond}, {"us", time.Microsecond}, {"ns", 1},
}

// formatDuration prints d with integer components ("1w2d", "1h30m",
// "1s500ms"), the canonical form that parseDuration reads back exactly.
func formatDuration(d time.Duration) string {
	if d <= 0 {
		return time.Duration(d).String()
	}
	var b strings.Builder
	for _, p := range durationParts {
		if n := d / p.size; n > 0 {
			b.WriteString(strconv.FormatInt(int64(n), 10))
			b.WriteString(p.unit)
			d -= n * p.size
		}
	}
	return b.String()
}

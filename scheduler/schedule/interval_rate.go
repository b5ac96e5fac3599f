package schedule

import (
	"math/bits"
	"strconv"
	"strings"
	"time"
)

// Rate limits: a period of at least 1µs (1 MHz) and at most 10⁹ runs per
// given duration, which keeps every product below in 128 bits and every
// quotient in 64.
const (
	minRatePeriod = uint64(time.Microsecond)
	maxRateCount  = 1_000_000_000
	expectRate    = "a rate such as 10hz, 0.5hz or 3/1s (at most 1000000hz)"
)

// ratio is a rate's period in nanoseconds as the exact fraction num/den,
// in lowest terms. Slot k of the rate grid is at ⌈k·num/den⌉ ns after the
// Unix epoch, so no rounding ever accumulates.
type ratio struct{ num, den uint64 }

// newRatio returns num/den in lowest terms.
func newRatio(num, den uint64) ratio {
	g := gcd(num, den)
	return ratio{num / g, den / g}
}

// gcd is Euclid's greatest common divisor.
func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// next returns the first slot of the grid strictly after now: slot k is
// after now iff k·num/den > now, so k = ⌊now·den/num⌋ + 1.
func (q ratio) next(now time.Time) time.Time {
	t := now.UnixNano()
	if t < 0 {
		return time.Unix(0, 0).In(now.Location())
	}
	hi, lo := bits.Mul64(uint64(t), q.den)
	k, _ := bits.Div64(hi, lo, q.num)
	hi, lo = bits.Mul64(k+1, q.num)
	lo, carry := bits.Add64(lo, q.den-1, 0)
	slot, _ := bits.Div64(hi+carry, lo, q.den)
	return time.Unix(0, int64(slot)).In(now.Location())
}

// duration returns the period rounded to the nearest nanosecond.
func (q ratio) duration() time.Duration {
	return time.Duration((q.num + q.den/2) / q.den)
}

// String prints the rate as decimal hertz when that is exact ("10hz",
// "0.5hz"), else as runs per duration ("1/300ms").
func (q ratio) String() string {
	hi, lo := bits.Mul64(q.den, 1e18)
	nanoHz, rem := bits.Div64(hi, lo, q.num)
	if rem != 0 {
		return strconv.FormatUint(q.den, 10) + "/" + formatDuration(time.Duration(q.num))
	}
	whole, frac := nanoHz/1e9, nanoHz%1e9
	s := strconv.FormatUint(whole, 10)
	if frac != 0 {
		s += "." + strings.TrimRight(strconv.FormatUint(frac+1e9, 10)[1:], "0")
	}
	return s + "hz"
}

// parseRate reads what follows "rate": `<decimal>hz`, `<decimal> hz`, or
// `<n>/<duration>` (`3/1s`, `1/300ms`, `2/s`).
func (l *lexer) parseRate() (Spec, error) {
	t, _ := l.next()
	text := asciiLower(t.text)
	if isNumber(text) && l.peekWord("hz") {
		l.next()
		text += "hz"
	}
	q, ok := parseRatio(text)
	if !ok || q.num < minRatePeriod*q.den {
		return Spec{}, l.errAt(t, expectRate)
	}
	return Spec{kind: kindRate, rate: q}, nil
}

// parseRatio converts rate text to a period fraction.
func parseRatio(text string) (ratio, bool) {
	if n, per, ok := strings.Cut(text, "/"); ok {
		count, err := strconv.ParseUint(n, 10, 64)
		if per != "" && !(per[0] >= '0' && per[0] <= '9') {
			per = "1" + per
		}
		d, _, bad := parseDuration(per)
		if err != nil || bad != "" || count == 0 || count > maxRateCount {
			return ratio{}, false
		}
		return newRatio(uint64(d), count), true
	}
	num, ok := strings.CutSuffix(text, "hz")
	n, dot, digits := scanNumber(num)
	if !ok || digits == 0 || n != len(num) || (dot >= 0 && len(num)-dot-1 > 9) {
		return ratio{}, false
	}
	nanoHz, ok := scaleDecimal(num, dot, 1e9)
	if !ok || nanoHz == 0 || nanoHz > 1e6*1e9 {
		return ratio{}, false
	}
	return newRatio(1e18, nanoHz), true
}

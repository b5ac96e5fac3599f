// Package natural orders names the way people read them: digit runs
// compare as numbers, so t2 comes before t10.
package natural

import (
	"slices"
	"strings"
)

// Less orders names with their digit runs compared as numbers, so that t2
// comes before t10. Equal numbers with different zero padding ("t01",
// "t1") fall back to plain string order.
func Less(a, b string) bool { return Compare(a, b) < 0 }

// Compare is the three-way form of Less: negative, zero or positive; zero
// only for equal strings.
func Compare(a, b string) int {
	if c := compare(a, b); c != 0 {
		return c
	}
	return strings.Compare(a, b)
}

func compare(a, b string) int {
	for a != "" && b != "" {
		if isDigit(a[0]) && isDigit(b[0]) {
			na, ra := cutDigits(a)
			nb, rb := cutDigits(b)
			if c := compareNumbers(na, nb); c != 0 {
				return c
			}
			a, b = ra, rb
			continue
		}
		if a[0] != b[0] {
			return int(a[0]) - int(b[0])
		}
		a, b = a[1:], b[1:]
	}
	return len(a) - len(b)
}

// compareNumbers compares two runs of decimal digits of any length.
func compareNumbers(a, b string) int {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) - len(b)
	}
	return strings.Compare(a, b)
}

func cutDigits(s string) (digits, rest string) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return s[:i], s[i:]
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// Sort sorts items by the natural order of their names.
func Sort[T any](items []T, name func(T) string) {
	slices.SortStableFunc(items, func(x, y T) int { return Compare(name(x), name(y)) })
}

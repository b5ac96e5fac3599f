package schedule

import (
	"fmt"
	"strconv"
	"strings"
)

// fieldError locates a problem inside one cron field.
type fieldError struct {
	off      int    // byte offset of part in the field
	part     string // the offending text
	expected string
}

// parseField parses one cron field (a comma list of *, ?, values, ranges
// and steps) into a bit set. star reports whether a part is a plain * or ?
// (a step above 1 does not count), which is robfig/cron's rule for
// combining the day-of-month and weekday fields.
func parseField(text string, f cronField) (mask uint64, star bool, err *fieldError) {
	for off, part := range splitList(text) {
		bitsOf, partStar, ferr := parseRange(part, f)
		if ferr != nil {
			ferr.off += off
			return 0, false, ferr
		}
		mask |= bitsOf
		star = star || partStar
	}
	return mask, star, nil
}

// parseRange parses `*`, `?`, `v`, `a-b`, each optionally `/step`.
func parseRange(part string, f cronField) (mask uint64, star bool, err *fieldError) {
	span, stepText, hasStep := strings.Cut(part, "/")
	lo, hi, err := parseSpan(span, f)
	if err != nil {
		return 0, false, err
	}
	step := 1
	if hasStep {
		n, convErr := strconv.Atoi(stepText)
		if convErr != nil || n < 1 || n > f.max {
			return 0, false, &fieldError{len(span) + 1, stepText, fmt.Sprintf("a step from 1 to %d", f.max)}
		}
		step = n
		if !strings.Contains(span, "-") {
			hi = f.max
		}
	}
	for v := lo; v <= hi; v += step {
		mask |= 1 << v
	}
	return mask, (span == "*" || span == "?") && step == 1, nil
}

// parseSpan parses `*`, `?`, `v` or `a-b` into an inclusive range.
func parseSpan(span string, f cronField) (lo, hi int, err *fieldError) {
	if span == "*" || (span == "?" && f.question) {
		return f.min, f.max, nil
	}
	a, b, isRange := strings.Cut(span, "-")
	if lo, err = parseValue(a, 0, f); err != nil {
		return 0, 0, err
	}
	if !isRange {
		return lo, lo, nil
	}
	if hi, err = parseValue(b, len(a)+1, f); err != nil {
		return 0, 0, err
	}
	if hi < lo {
		return 0, 0, &fieldError{0, span, "a range low-high with low <= high"}
	}
	return lo, hi, nil
}

// parseValue parses a number or a name of field f found at offset off.
func parseValue(s string, off int, f cronField) (int, *fieldError) {
	if v, ok := f.names[s]; ok {
		return v, nil
	}
	v, convErr := strconv.Atoi(s)
	if convErr != nil || v < f.min || v > f.max || s[0] == '+' || s[0] == '-' {
		expected := fmt.Sprintf("%s from %d to %d", f.name, f.min, f.max)
		if f.names != nil {
			expected += " or a name"
		}
		return 0, &fieldError{off, s, expected}
	}
	return v, nil
}

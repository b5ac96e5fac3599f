// Package termtext makes text that devices sent safe to show on a
// terminal: control characters other than newline and tab, DEL and the C1
// controls become visible escapes such as \x1b, so hostile or broken text
// cannot drive the operator's terminal.
package termtext

import (
	"fmt"
	"unicode/utf8"
)

// HasControl reports whether p holds a character that Escape changes.
func HasControl(p []byte) bool {
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		if isControl(r, size) {
			return true
		}
		i += size
	}
	return false
}

// Escape returns p with control characters written as visible escapes
// (\x1b, \u009b). Newline, tab and invalid bytes are kept as they are.
func Escape(p []byte) []byte {
	out := make([]byte, 0, len(p)+16)
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		switch {
		case isControl(r, size) && r < 0x80:
			out = fmt.Appendf(out, `\x%02x`, r)
		case isControl(r, size):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, p[i:i+size]...)
		}
		i += size
	}
	return out
}

// String is Escape for a string; it returns s itself when nothing needs escaping.
func String(s string) string {
	if !HasControl([]byte(s)) {
		return s
	}
	return string(Escape([]byte(s)))
}

// isControl reports a rune to escape; an invalid byte (size 1, RuneError)
// is passed through.
func isControl(r rune, size int) bool {
	switch {
	case r == '\n' || r == '\t':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	}
	return r >= 0x80 && r < 0xa0 && size == 2
}

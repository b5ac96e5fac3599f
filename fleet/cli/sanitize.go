package cli

import (
	"fmt"
	"io"
	"unicode/utf8"
)

// terminalWriter keeps text that devices sent (messages, errors, stacks,
// states) from driving the operator's terminal: control characters other
// than newline and tab, DEL and the C1 controls are written as visible
// escapes such as \x1b. JSON and YAML output never holds them raw, so
// only hostile or broken text is changed.
type terminalWriter struct{ w io.Writer }

// newTerminalWriter wraps w, unless it is already wrapped.
func newTerminalWriter(w io.Writer) io.Writer {
	if _, ok := w.(terminalWriter); ok {
		return w
	}
	return terminalWriter{w}
}

// Write writes p with control characters escaped. It reports len(p) on
// success, as the caller's bytes were all consumed.
func (t terminalWriter) Write(p []byte) (int, error) {
	clean := p
	for i := 0; i < len(p); {
		r, size := utf8.DecodeRune(p[i:])
		if isControl(r, size) {
			clean = escapeControls(p)
			break
		}
		i += size
	}
	if _, err := t.w.Write(clean); err != nil {
		return 0, err
	}
	return len(p), nil
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

func escapeControls(p []byte) []byte {
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

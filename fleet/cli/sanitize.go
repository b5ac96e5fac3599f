package cli

import (
	"io"

	"github.com/drover-iot/drover/internal/termtext"
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
	if termtext.HasControl(p) {
		clean = termtext.Escape(p)
	}
	if _, err := t.w.Write(clean); err != nil {
		return 0, err
	}
	return len(p), nil
}

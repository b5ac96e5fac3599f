package cli

import (
	"bytes"
	"testing"
)

// TestTerminalWriter checks the writer's own part: the escaping itself is
// termtext's and tested there.
func TestTerminalWriter(t *testing.T) {
	for in, want := range map[string]string{
		"pi  online  v1.2.3\n":          "pi  online  v1.2.3\n",
		"msg \x1b[2J\x1b]0;pwned\x07\n": `msg \x1b[2J\x1b]0;pwned\x07` + "\n",
	} {
		var buf bytes.Buffer
		n, err := newTerminalWriter(&buf).Write([]byte(in))
		if err != nil || n != len(in) {
			t.Fatalf("Write(%q) = %d, %v; want %d, nil", in, n, err, len(in))
		}
		if got := buf.String(); got != want {
			t.Errorf("wrote %q, want %q", got, want)
		}
	}
	var buf bytes.Buffer
	w := newTerminalWriter(&buf)
	if newTerminalWriter(w) != w {
		t.Error("a terminal writer was wrapped twice")
	}
}

package cli

import (
	"bytes"
	"testing"
)

func TestTerminalWriter(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "pi  online  v1.2.3\n", "pi  online  v1.2.3\n"},
		{"tab and newline kept", "a\tb\n", "a\tb\n"},
		{"utf-8 kept", "temp 21.5 °C ●\n", "temp 21.5 °C ●\n"},
		{"ESC sequence", "msg \x1b[2J\x1b]0;pwned\x07\n", `msg \x1b[2J\x1b]0;pwned\x07` + "\n"},
		{"carriage return", "ok\rFAKE\n", `ok\x0dFAKE` + "\n"},
		{"DEL", "a\x7fb", `a\x7fb`},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`},
		{"invalid byte passed through", "a\xffb", "a\xffb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			n, err := newTerminalWriter(&buf).Write([]byte(tt.in))
			if err != nil || n != len(tt.in) {
				t.Fatalf("Write = %d, %v; want %d, nil", n, err, len(tt.in))
			}
			if got := buf.String(); got != tt.want {
				t.Errorf("wrote %q, want %q", got, tt.want)
			}
		})
	}
}

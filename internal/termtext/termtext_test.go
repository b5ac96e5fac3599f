package termtext

import "testing"

func TestString(t *testing.T) {
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
			if got := String(tt.in); got != tt.want {
				t.Errorf("String(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if HasControl([]byte(tt.in)) != (tt.in != tt.want) {
				t.Errorf("HasControl(%q) = %v", tt.in, !(tt.in != tt.want))
			}
		})
	}
}

package execproc

import (
	"bytes"
	"strings"
	"testing"
)

func TestReadLines(t *testing.T) {
	tests := []struct {
		name string
		in   string
		max  int
		want []string
	}{
		{"plain", "a\nb\n", 16, []string{"a", "b"}},
		{"no final newline", "a\nb", 16, []string{"a", "b"}},
		{"crlf", "a\r\nb\r\n", 16, []string{"a", "b"}},
		{"empty lines kept", "\n\nx\n", 16, []string{"", "", "x"}},
		{"split long", strings.Repeat("x", 40) + "\n", 16,
			[]string{strings.Repeat("x", 16), strings.Repeat("x", 16), strings.Repeat("x", 8)}},
		{"empty input", "", 16, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			sink := &lineSink{fn: func(stream, line string) { got = append(got, line) }}
			readLines(strings.NewReader(tt.in), Stdout, tt.max, sink)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzReadLines checks that any output is delivered whole, in pieces no
// longer than the limit, and without newlines inside a piece.
func FuzzReadLines(f *testing.F) {
	f.Add([]byte("hello\nworld\r\n"), 16)
	f.Add(bytes.Repeat([]byte("z"), 100), 16)
	f.Fuzz(func(t *testing.T, in []byte, max int) {
		max = 16 + (max&0xff+256)%256
		var total int
		sink := &lineSink{fn: func(_, line string) {
			if len(line) > max || strings.Contains(line, "\n") {
				t.Fatalf("bad piece %q (max %d)", line, max)
			}
			total += len(line)
		}}
		readLines(bytes.NewReader(in), Stdout, max, sink)
		if total > len(in) || total < len(in)-2*bytes.Count(in, []byte("\n"))-len(in)/max-1 {
			t.Fatalf("delivered %d bytes of %d", total, len(in))
		}
	})
}

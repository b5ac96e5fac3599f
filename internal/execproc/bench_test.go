package execproc

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkReadLines measures the line splitter on 80-byte lines.
func BenchmarkReadLines(b *testing.B) {
	data := bytes.Repeat(append(bytes.Repeat([]byte("x"), 79), '\n'), 10000)
	sink := &lineSink{fn: func(string, string) {}}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		readLines(bytes.NewReader(data), Stdout, DefaultMaxLine, sink)
	}
}

// BenchmarkRunTrue measures starting, supervising and reaping /bin/true.
func BenchmarkRunTrue(b *testing.B) {
	cmd := Cmd{Path: "/bin/true"}
	for b.Loop() {
		if _, err := cmd.Run(context.Background(), func(string, string) {}, nil); err != nil {
			b.Fatal(err)
		}
	}
}

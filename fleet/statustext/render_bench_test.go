package statustext

import (
	"io"
	"testing"
	"time"
)

// BenchmarkRenderText measures the debug text rendering of the sample snapshot.
func BenchmarkRenderText(b *testing.B) {
	s := sample()
	opt := TextOptions{Debug: true, Location: time.UTC}
	b.ReportAllocs()
	for b.Loop() {
		if err := RenderText(io.Discard, s, opt); err != nil {
			b.Fatal(err)
		}
	}
}

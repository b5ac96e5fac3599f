package config

import (
	"os"
	"testing"
)

// BenchmarkParseExample measures parsing, defaulting and validating the example file.
func BenchmarkParseExample(b *testing.B) {
	data, err := os.ReadFile("../../examples/agent.yaml")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data, "agent.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}

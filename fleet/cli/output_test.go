package cli

import (
	"bytes"
	"testing"
	"time"
)

func TestWriteYAMLKeepsTypes(t *testing.T) {
	var b bytes.Buffer
	doc := map[string]any{"n": 1, "s": "123", "b": "yes", "list": []string{"a"}}
	if err := writeYAML(&b, doc); err != nil {
		t.Fatal(err)
	}
	want := "b: yes\nlist:\n  - a\nn: 1\ns: \"123\"\n"
	if b.String() != want {
		t.Fatalf("yaml =\n%s\nwant\n%s", b.String(), want)
	}
}

func TestDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-time.Second, "0s"}, {45 * time.Second, "45s"}, {12 * time.Minute, "12m"},
		{5*time.Hour + 3*time.Minute, "5h3m"}, {76 * time.Hour, "3d4h"},
	}
	for _, tt := range tests {
		if got := duration(tt.d); got != tt.want {
			t.Errorf("duration(%s) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

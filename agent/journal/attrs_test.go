package journal

import (
	"log/slog"
	"maps"
	"testing"
)

func TestSplitAttrs(t *testing.T) {
	tests := []struct {
		text string
		want map[string]string
	}{
		{"", nil},
		{"k=1", map[string]string{"k": "1"}},
		{"a=1 b=two", map[string]string{"a": "1", "b": "two"}},
		{`msg="two words" n=3`, map[string]string{"msg": "two words", "n": "3"}},
		{`"odd key"="x=y"`, map[string]string{"odd key": "x=y"}},
		{`g.k=v empty=`, map[string]string{"g.k": "v", "empty": ""}},
		{`stray a=1`, map[string]string{"text": "stray", "a": "1"}},
		{`bad="unterminated`, map[string]string{"bad": `"unterminated`}},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			if got := SplitAttrs(tt.text); !maps.Equal(got, tt.want) {
				t.Errorf("SplitAttrs(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

// TestSplitAttrsRoundTrip checks that what the handler writes parses back.
func TestSplitAttrsRoundTrip(t *testing.T) {
	j, _ := newTest(t, Options{})
	slog.New(j.Handler(nil)).Info("m", "path", "/a b/c", "n", 42, "q", `say "hi"`, "g", slog.GroupValue(slog.Int("x", 1)))
	recs := j.Cat(Query{})
	if len(recs) != 1 {
		t.Fatalf("got %d records", len(recs))
	}
	want := map[string]string{"path": "/a b/c", "n": "42", "q": `say "hi"`, "g.x": "1"}
	if got := SplitAttrs(recs[0].Attrs); !maps.Equal(got, want) {
		t.Errorf("SplitAttrs(%q) = %q, want %q", recs[0].Attrs, got, want)
	}
}

func FuzzSplitAttrs(f *testing.F) {
	f.Add(`a=1 b="two words" stray`)
	f.Fuzz(func(t *testing.T, s string) {
		// Never panics on text from a peer; empty text has no attributes.
		m := SplitAttrs(s)
		if s == "" && m != nil {
			t.Fatal("empty input gave attributes")
		}
	})
}

package names

import (
	"regexp"
	"strings"
	"testing"
)

func TestValid(t *testing.T) {
	job := Charset{Upper: true, Extra: "._:@-"}
	key := Charset{Upper: true, FirstExtra: "_", Extra: "_.-"}
	tests := []struct {
		cs   Charset
		max  int
		s    string
		want bool
	}{
		{Lower, 63, "pi-01.kitchen_2", true},
		{Lower, 63, "", false},
		{Lower, 63, "Pi", false},
		{Lower, 63, "-pi", false},
		{Lower, 63, "pi/1", false},
		{Lower, 63, "pi+", false},
		{Lower, 63, strings.Repeat("a", 63), true},
		{Lower, 63, strings.Repeat("a", 64), false},
		{job, 128, "Backup:nightly@2", true},
		{job, 128, ":x", false},
		{key, 64, "_temp.c", true},
		{key, 64, ".x", false},
	}
	for _, tt := range tests {
		if got := tt.cs.Valid(tt.s, tt.max); got != tt.want {
			t.Errorf("%+v.Valid(%q, %d) = %v, want %v", tt.cs, tt.s, tt.max, got, tt.want)
		}
	}
}

// FuzzLowerMatchesRegexp checks Valid against the regular expression it replaces.
func FuzzLowerMatchesRegexp(f *testing.F) {
	re := regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{0,62}$`)
	for _, s := range []string{"pi", "", "a.b-c_d", "Pi", "-x", strings.Repeat("z", 64)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Lower.Valid(s, 63), re.MatchString(s); got != want {
			t.Fatalf("Lower.Valid(%q) = %v, regexp says %v", s, got, want)
		}
	})
}

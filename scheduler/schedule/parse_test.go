package schedule

import (
	"errors"
	"strings"
	"testing"
)

// errCase is one row of a parse error table.
type errCase struct {
	spec     string
	pos      int
	expected string // a substring of ParseError.Expected
	got      string
}

// runErrorTable checks that each spec fails with the wanted ParseError.
func runErrorTable(t *testing.T, cases []errCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.spec, func(t *testing.T) {
			_, err := Parse(tc.spec)
			if !errors.Is(err, ErrBadSpec) {
				t.Fatalf("err = %v, want ErrBadSpec", err)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %T, want *ParseError", err)
			}
			if pe.Pos != tc.pos || pe.Got != tc.got || !strings.Contains(pe.Expected, tc.expected) || pe.Text != tc.spec {
				t.Fatalf("got %+v, want pos %d got %q expected %q", *pe, tc.pos, tc.got, tc.expected)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	runErrorTable(t, []errCase{
		{"", 0, `"every", "cron"`, endOfInput},
		{"sometimes", 0, `"every", "cron"`, "sometimes"},
		{"every 10 parsecs", 9, "a unit (s, m, h, d, w)", "parsecs"},
		{"every 10", 8, "a unit", endOfInput},
		{"every 10 parsecs", 9, "a unit", "parsecs"},
		{"every 10y", 8, "a unit", "y"},
		{"every -5s", 6, "a positive duration", "-5s"},
		{"every 0s", 6, "a positive duration", "0s"},
		{"every", 5, "a positive duration", endOfInput},
		{"every 99999999999h", 6, "a positive duration", "99999999999h"},
		{"every 10s jitter", 16, "a positive duration", endOfInput},
		{"every 10s jitter 20s", 17, "a jitter shorter than the period 10s", "20s"},
		{"every 10s times 0", 16, "a positive run count", "0"},
		{"every 10s times 2 times 3", 18, "each modifier at most once", "times"},
		{"every 10s banana", 10, `a modifier ("jitter", "until", "times") or the end`, "banana"},
		{"every 10s until tomorrow", 16, "an RFC 3339 time", "tomorrow"},
		{"every day at 25:00", 13, "a time of day", "25:00"},
		{"every day at 03:00,3:7", 19, "a time of day", "3:7"},
		{"every day at 03:00 Mars/Olympus", 19, "a known IANA time zone", "Mars/Olympus"},
		{"every monday,funday at 04:10", 13, `"day" or weekday names`, "funday"},
		{"every 1h at :60", 12, "an offset :MM", ":60"},
		{"every 30m at :45", 13, "an offset :MM or :MM:SS shorter than the period", ":45"},
		{"every 2h at 03:00", 12, "an offset :MM", "03:00"},
		{"rate 0hz", 5, "a rate such as", "0hz"},
		{"rate fast", 5, "a rate such as", "fast"},
		{"rate 2000000hz", 5, "at most 1000000hz", "2000000hz"},
		{"in 30s times 3", 13, "no run count on a one-shot spec", "3"},
		{"between 10m and 5m", 16, "an upper bound not below 10m", "5m"},
		{"between 5m or 10m", 11, `"and"`, "or"},
		{"at tomorrow", 3, "an RFC 3339 time", "tomorrow"},
		{"at 3026-01-01T00:00:00Z", 3, "between 1900 and 2200", "3026-01-01T00:00:00Z"},
	})
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("every 10 parsecs")
	want := `schedule: bad spec "every 10 parsecs" at 9: expected a unit (s, m, h, d, w), got "parsecs"`
	if err == nil || err.Error() != want {
		t.Fatalf("error = %v\nwant    %s", err, want)
	}
}

// TestParseLenient checks case-insensitive keywords, extra white space and
// the alternative spellings, each against its canonical form.
func TestParseLenient(t *testing.T) {
	cases := []struct{ in, canonical string }{
		{"  EVERY   Monday , FRIDAY   AT 04:10   Europe/Berlin  Jitter 1M ", "every monday,friday at 04:10 Europe/Berlin jitter 1m"},
		{"every mon,fri at 4:10 Europe/Berlin", "every monday,friday at 04:10 Europe/Berlin"},
		{"every sunday,saturday,monday at 15:00,03:00,03:00", "every monday,saturday,sunday at 03:00,15:00"},
		{"every mon,tue,wed,thu,fri,sat,sun at 01:00", "every day at 01:00"},
		{"every 10 seconds", "every 10s"},
		{"every 5 Minutes", "every 5m"},
		{"every 90s", "every 1m30s"},
		{"every 1.5h", "every 1h30m"},
		{"every 14d", "every 2w"},
		{"every 1500ms", "every 1s500ms"},
		{"every 2h at :30:00 UTC", "every 2h at :30 UTC"},
		{"every day at 03:00 Local", "every day at 03:00"},
		{"rate 10 Hz", "rate 10hz"},
		{"rate 0.50hz", "rate 0.5hz"},
		{"rate 2/s", "rate 2hz"},
		{"rate 5/1m", "rate 1/12s"},
		{"rate 10/3s", "rate 1/300ms"},
		{"in 1 hour", "in 1h"},
		{"at 2026-12-01T11:00:00+01:00", "at 2026-12-01T10:00:00Z"},
		{"between 5m AND 10m", "between 5m and 10m"},
		{"every 1h times 3 until 2026-12-31T00:00:00Z jitter 5s", "every 1h jitter 5s until 2026-12-31T00:00:00Z times 3"},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			s, err := Parse(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if s.String() != tc.canonical {
				t.Fatalf("String = %q, want %q", s, tc.canonical)
			}
			if c := MustParse(tc.canonical); c != s {
				t.Fatalf("Parse(%q) != Parse(%q)", tc.in, tc.canonical)
			}
		})
	}
}

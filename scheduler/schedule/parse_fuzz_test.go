package schedule

import (
	"errors"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary text to Parse: it never panics, errors are
// *ParseError with a position inside the text, whatever parses round-trips
// through String, and Next is always after now or zero.
func FuzzParse(f *testing.F) {
	for _, s := range canonicalSpecs {
		f.Add(s)
	}
	for _, s := range []string{"every 10 parsecs", "cron 0 0 30 2 *", "every mon, fri at 4:10", "rate 10/3s", "EVERY 1.5H"} {
		f.Add(s)
	}
	now := time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		s, err := Parse(text)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) || !errors.Is(err, ErrBadSpec) || pe.Pos < 0 || pe.Pos > len(text) {
				t.Fatalf("Parse(%q) error %v is not a well-formed *ParseError", text, err)
			}
			return
		}
		back, err := Parse(s.String())
		if err != nil || back != s {
			t.Fatalf("Parse(%q).String() = %q does not parse back to the same spec: %v", text, s, err)
		}
		next := s.Next(time.Time{}, now, nil)
		if !next.IsZero() && !next.After(now) {
			t.Fatalf("%q: Next(now=%v) = %v, not after now", s, now, next)
		}
		if !next.IsZero() {
			if again := s.Next(next, next, nil); !again.IsZero() && !again.After(next) {
				t.Fatalf("%q: Next(%v) = %v, not after now", s, next, again)
			}
		}
	})
}

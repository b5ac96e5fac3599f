package journal

import (
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// FuzzParseLevel checks that a parsed level prints back to a name that
// parses to the same level.
func FuzzParseLevel(f *testing.F) {
	for _, s := range []string{"debug", "WARN+2", "err", "-8", "info-100"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		l, err := fleet.ParseLevel(s)
		if err != nil {
			return
		}
		back, err := fleet.ParseLevel(levelText(l))
		if err != nil || back != l {
			t.Fatalf("fleet.ParseLevel(%q) = %d, printed %q, parsed back %d, %v", s, l, levelText(l), back, err)
		}
	})
}

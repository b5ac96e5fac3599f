package journal

import (
	"log/slog"
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

func TestStatsByLevel(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16})
	for _, l := range []slog.Level{slog.LevelDebug - 4, slog.LevelDebug, slog.LevelInfo, slog.LevelInfo + 2,
		slog.LevelWarn, slog.LevelError, slog.LevelError + 4} {
		j.Append(l, "test", "m", "")
	}
	want := [numBuckets]uint64{BucketDebug: 2, BucketInfo: 2, BucketWarn: 1, BucketError: 2}
	if got := j.Stats().ByLevel; got != want {
		t.Errorf("ByLevel = %v, want %v", got, want)
	}
}

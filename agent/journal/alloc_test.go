package journal

import (
	"context"
	"log/slog"
	"testing"
	"time"
)

// TestAllocs asserts the hot paths allocate nothing, with a follower and
// the disk copy attached so waking them is included. (AllocsPerRun counts
// every goroutine's allocations; the follower's buffer is full after the
// first record, and a full follower drops without building a Record, so
// its goroutine allocates nothing either.)
func TestAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop items")
	}
	j, _ := newTest(t, Options{Records: 64, RecordBytes: 256, Disk: &DiskOptions{Path: t.TempDir() + "/j.log"}})
	f := j.Follow(Query{}, 1)
	defer f.Close()
	h := j.Handler(nil)
	logger := slog.New(h).With("component", "task:blink")
	rec := slog.NewRecord(t0, slog.LevelInfo, "reading", 0)
	rec.AddAttrs(slog.Int("k", 1), slog.String("unit", "C"), slog.Float64("v", 21.5), slog.Duration("took", time.Millisecond))
	tests := []struct {
		name string
		fn   func()
	}{
		{"Append", func() { j.Append(slog.LevelInfo, "svc:modbus", "line from stdout", "") }},
		{"Append with attrs", func() { j.Append(slog.LevelWarn, "agent", "slow", "ms=900") }},
		{"Handler.Handle", func() { _ = h.Handle(context.Background(), rec) }},
		{"Logger.Info typical", func() { logger.Info("msg", "k", 1) }},
		{"Logger.Info disabled", func() { logger.Debug("msg", "k", 1) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := testing.AllocsPerRun(1000, tt.fn); n != 0 {
				t.Errorf("%s allocates %.1f times per call, want 0", tt.name, n)
			}
		})
	}
}

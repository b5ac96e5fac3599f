package journal

import (
	"log/slog"
	"math"
)

// LevelAll is a Query.MinLevel that lets records of every level through.
// The zero Query has MinLevel slog.LevelInfo and so hides DEBUG records.
const LevelAll = slog.Level(math.MinInt32)

// levelText returns slog's stable name of l ("DEBUG", "INFO", "WARN",
// "ERROR", or an offset such as "INFO+2"), without allocating for the
// four standard levels.
func levelText(l slog.Level) string {
	switch l {
	case slog.LevelDebug:
		return "DEBUG"
	case slog.LevelInfo:
		return "INFO"
	case slog.LevelWarn:
		return "WARN"
	case slog.LevelError:
		return "ERROR"
	}
	return l.String()
}

// Level buckets of Stats.ByLevel: each record counts in the bucket of the
// highest standard level at or below its own (DEBUG-4 counts as debug).
const (
	BucketDebug = iota
	BucketInfo
	BucketWarn
	BucketError
	numBuckets
)

// BucketNames names the buckets of Stats.ByLevel, lower case, as metrics
// labels have them.
var BucketNames = [numBuckets]string{"debug", "info", "warn", "error"}

// bucket returns the Stats.ByLevel bucket of l.
func bucket(l slog.Level) int {
	switch {
	case l >= slog.LevelError:
		return BucketError
	case l >= slog.LevelWarn:
		return BucketWarn
	case l >= slog.LevelInfo:
		return BucketInfo
	}
	return BucketDebug
}

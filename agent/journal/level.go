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

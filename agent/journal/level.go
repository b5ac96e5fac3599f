package journal

import (
	"fmt"
	"log/slog"
	"math"
	"strconv"
	"strings"
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

// ParseLevel reads a level name as given to `fleetctl logs --level` or the
// logs command: debug, info, warn (or warning), error (or err), in any
// case, with slog's offset form ("info+2", "ERROR-1") and plain integers
// also accepted. Errors wrap ErrBadLevel.
func ParseLevel(s string) (slog.Level, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "warning":
		return slog.LevelWarn, nil
	case "err":
		return slog.LevelError, nil
	}
	var l slog.Level
	if err := l.UnmarshalText([]byte(t)); err == nil {
		return l, nil
	}
	if n, err := strconv.ParseInt(t, 10, 32); err == nil {
		return slog.Level(n), nil
	}
	return 0, fmt.Errorf("%w: %q", ErrBadLevel, s)
}

package fleet

import (
	"fmt"
	"log/slog"
	"strconv"
	"strings"
)

// ParseLevel reads a level name as the protocol carries it (LogsArgs.Level,
// FollowArgs.Level, LogRecord.Level) and as given to `fleetctl logs --level`: debug, info, warn (or warning), error (or err), in any
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

package sdnotify

import "errors"

// ErrBadWatchdogEnv is returned by Watchdog when $WATCHDOG_USEC or
// $WATCHDOG_PID cannot be parsed.
var ErrBadWatchdogEnv = errors.New("sdnotify: bad watchdog environment")

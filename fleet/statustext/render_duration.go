package statustext

import (
	"fmt"
	"time"
)

// Humanize writes d the way people read it: "0 s", "250 ms", "4 s", "3 min 2 s",
// "2 h 5 min", "1 day 3 h", "3 days". A negative d is shown as its size.
func Humanize(d time.Duration) string {
	if d < 0 {
		d = -d
	}
	const day = 24 * time.Hour
	switch {
	case d == 0:
		return "0 s"
	case d < time.Second:
		return fmt.Sprintf("%d ms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	case d < time.Hour:
		return pair(int(d/time.Minute), "min", int(d%time.Minute/time.Second), "s")
	case d < day:
		return pair(int(d/time.Hour), "h", int(d%time.Hour/time.Minute), "min")
	case d < 2*day:
		return pair(1, "day", int(d%day/time.Hour), "h")
	default:
		return fmt.Sprintf("%d days", int(d/day))
	}
}

// pair writes "3 min 2 s", or "3 min" when the smaller part is zero.
func pair(big int, bigUnit string, small int, smallUnit string) string {
	if small == 0 {
		return fmt.Sprintf("%d %s", big, bigUnit)
	}
	return fmt.Sprintf("%d %s %d %s", big, bigUnit, small, smallUnit)
}

// relative says how far t is from now: "4 s ago" or "in 3 min".
func relative(t, now time.Time) string {
	if t.After(now) {
		return "in " + Humanize(t.Sub(now))
	}
	return Humanize(now.Sub(t)) + " ago"
}

// Compact writes d in at most six characters, for tables: "45s", "12m",
// "5h3m", "3d4h". A negative d is "0s".
func Compact(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh%dm", int(d.Hours()), int(d.Minutes())%60)
	default:
		return fmt.Sprintf("%dd%dh", int(d.Hours())/24, int(d.Hours())%24)
	}
}

package apply

import (
	"slices"
	"testing"
)

// TestChildEnv: the child on trial never speaks to systemd (the unit's
// main PID, the supervisor, does) and gets exactly one health pipe variable.
func TestChildEnv(t *testing.T) {
	env := childEnv([]string{"PATH=/bin", "NOTIFY_SOCKET=/run/systemd/notify", "WATCHDOG_USEC=30000000",
		"WATCHDOG_PID=1", TrialFDEnv + "=7", "DROVER_ID=pi"})
	want := []string{"PATH=/bin", "DROVER_ID=pi", TrialFDEnv + "=3"}
	if !slices.Equal(env, want) {
		t.Fatalf("child env %q, want %q", env, want)
	}
}

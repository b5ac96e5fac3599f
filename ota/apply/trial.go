package apply

import (
	"context"
	"fmt"
	"time"

	"github.com/drover-iot/drover/ota/state"
)

// Trial is the probation of a newly installed version.
type Trial struct {
	m *Machine
}

// Run checks health every HealthInterval. Healthy without a break for
// TrialWindow commits the update and returns nil. Still not committed at
// TrialMax (counted from the start of this boot) rolls back: the old
// binary is restored and executed, with the last health error as reason.
// health returns nil when the agent is healthy (broker connected, services
// booted) and otherwise why not.
func (t *Trial) Run(ctx context.Context, health func() error) error {
	clock, o := t.m.opts.Clock, t.m.opts
	start := clock.Now()
	ticker := clock.NewTicker(o.HealthInterval)
	defer ticker.Stop()
	var healthySince time.Time
	lastErr := fmt.Errorf("never checked")
	for {
		now := clock.Now()
		if lastErr = health(); lastErr == nil {
			if healthySince.IsZero() {
				healthySince = now
			}
			if now.Sub(healthySince) >= o.TrialWindow {
				return t.m.Transition(state.Committed, "", nil)
			}
		} else {
			healthySince = time.Time{}
		}
		if now.Sub(start) >= o.TrialMax {
			return t.m.Rollback(fmt.Sprintf("unhealthy in trial: %v", lastErr))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-ticker.Chan():
		}
	}
}

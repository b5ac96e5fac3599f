package apply

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/drover-iot/drover/ota/state"
)

// Trial is the probation of a candidate, supervised by the old version.
type Trial struct {
	m *Machine
}

// Supervise runs the trial: it records it (one more start counted, its end
// time), runs the candidate as a child with args and env (see childEnv),
// and decides. The child must report healthy (see Report) within the trial
// window and still be healthy at its end: then it is stopped, the candidate
// is renamed over the binary (fsync of file and directory: the commit) and
// Supervise returns nil; the caller executes the binary, now the new
// version, in place. A child that exits, or is not healthy at the end, is
// stopped, the update is recorded rolled_back with the reason and
// ErrRolledBack is returned; the caller executes the binary, still the old
// version. When ctx ends the child is stopped and ctx's error returned: the
// trial stays recorded and the next Boot counts it.
func (t *Trial) Supervise(ctx context.Context, args, env []string) error {
	m := t.m
	until := m.opts.Clock.Now().Add(m.opts.TrialWindow).UTC()
	boots := m.rec.Boots + 1
	err := m.Transition(state.Trial, "", func(r *state.Record) { r.Boots, r.TrialUntil = boots, until })
	if err != nil {
		return err
	}
	c, err := startChild(m.rec.Candidate, args, env)
	if err != nil {
		return errors.Join(ErrRolledBack, m.rollback("the new version did not start: "+err.Error()))
	}
	healthy, reason := t.watch(ctx, c, until)
	if ctx.Err() != nil {
		c.stop(m.opts.Clock.After(m.opts.StopTimeout))
		return ctx.Err()
	}
	c.stop(m.opts.Clock.After(m.opts.StopTimeout))
	if !healthy {
		return errors.Join(ErrRolledBack, m.rollback(reason))
	}
	return t.commit()
}

// watch follows the child until it exits, the trial ends or ctx ends, and
// returns whether it was healthy at the end and, if not, why.
func (t *Trial) watch(ctx context.Context, c *child, until time.Time) (bool, string) {
	clock := t.m.opts.Clock
	end := clock.After(until.Sub(clock.Now()))
	last := "no health report"
	for {
		select {
		case <-ctx.Done():
			return false, "interrupted"
		case <-c.exited:
			return false, fmt.Sprintf("the new version exited during the trial (%v; last report: %s)", c.err, last)
		case r := <-c.reports:
			last = r
		case <-end:
			if last == reportHealthy {
				return true, ""
			}
			return false, fmt.Sprintf("not healthy at the end of the %s trial (last report: %s)", t.m.opts.TrialWindow, last)
		}
	}
}

// commit renames the candidate over the binary, durably, and records it.
func (t *Trial) commit() error {
	m := t.m
	if err := syncFile(m.rec.Candidate); err != nil {
		return errors.Join(ErrRolledBack, m.rollback("commit: "+err.Error()))
	}
	if err := replace(m.rec.Candidate, m.opts.Binary); err != nil {
		return errors.Join(ErrRolledBack, m.rollback("commit: "+err.Error()))
	}
	return m.Transition(state.Committed, "", clearTrial)
}

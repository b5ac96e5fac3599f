package desired

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/groups"
)

// change applies next in place of what is in effect, waits for the
// services it enabled to boot, and keeps it; or rolls it back, rejects
// the generations that caused the failure, and returns false.
func (c *Converger) change(ctx context.Context, next map[string]groups.Group) bool {
	prev := c.st.Groups
	enabled, err := c.applyAll(prev, next)
	culprits := changed(prev, next)
	if err == nil && len(enabled) > 0 {
		c.markApplying(culprits)
		if bad := c.awaitBoot(ctx, enabled); len(bad) > 0 {
			err = fmt.Errorf("%w: %s; rolled back", ErrApply, joinSorted(bad))
			culprits = enablers(next, bad)
		}
	}
	if err != nil && len(culprits) == 0 {
		// Only restoring a service no group sets any more failed: there
		// is no generation to blame, so the change stands.
		c.o.Logger.Error("groups: change applied with errors", "err", err)
		err = nil
	}
	if err != nil {
		if _, rbErr := c.applyAll(next, prev); rbErr != nil {
			c.o.Logger.Error("groups: rollback incomplete", "err", rbErr)
		}
		for _, name := range culprits {
			c.reject(next[name], []string{err.Error()})
		}
		c.save()
		return false
	}
	c.st.Groups = next
	c.conflicts = union(next).conflicts
	c.save()
	return true
}

func (c *Converger) save() {
	if err := c.st.save(c.o.StatePath); err != nil {
		c.o.Logger.Error("groups: applied state not saved", "err", err)
	}
}

// changed lists the groups of next that are new or at another generation.
func changed(prev, next map[string]groups.Group) []string {
	var out []string
	for name, g := range next {
		if p, ok := prev[name]; !ok || p.Generation != g.Generation || p.Hash() != g.Hash() {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// enablers lists the groups of next whose union entry enables a service in bad.
func enablers(next map[string]groups.Group, bad map[string]string) []string {
	m := union(next)
	var out []string
	for svc := range bad {
		if o, ok := m.services[svc]; ok && !slices.Contains(out, o.group) {
			out = append(out, o.group)
		}
	}
	slices.Sort(out)
	return out
}

func (c *Converger) markApplying(names []string) {
	for _, name := range names {
		r := c.reports[name]
		g := c.received[name]
		r.Generation, r.Hash, r.State, r.Reasons = g.Generation, g.Hash(), fleet.SyncApplying, nil
		c.reports[name] = r
	}
	c.report()
}

// applyAll changes jobs and services from the union of prev to that of
// next, and returns the services it enabled.
func (c *Converger) applyAll(prev, next map[string]groups.Group) ([]string, error) {
	err := c.applyJobs(prev, next)
	enabled, svcErr := c.applyServices(prev, next)
	return enabled, errors.Join(err, svcErr)
}

// applyJobs removes the group jobs of prev that next drops or changes, and
// defines those next adds or changes.
func (c *Converger) applyJobs(prev, next map[string]groups.Group) error {
	pm, nm := union(prev), union(next)
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(pm.jobs)) {
		if nj, ok := nm.jobs[name]; !ok || !sameJob(pm.jobs[name], nj) {
			if err := c.o.Jobs.Remove(name); err != nil {
				c.o.Logger.Warn("groups: remove job", "job", name, "err", err)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(nm.jobs)) {
		if pj, ok := pm.jobs[name]; ok && sameJob(pj, nm.jobs[name]) {
			continue
		}
		o := nm.jobs[name]
		if err := c.o.Jobs.Define(groupJobDef(o.group, o.v)); err != nil {
			errs = append(errs, fmt.Errorf("%w: group %s: job %s: %w", ErrApply, o.group, name, err))
		}
	}
	return errors.Join(errs...)
}

// applyServices sets the services next's union names, remembering each
// one's setting from before any group, and restores those only prev set.
func (c *Converger) applyServices(prev, next map[string]groups.Group) ([]string, error) {
	pm, nm := union(prev), union(next)
	have := c.serviceStates()
	var enabled []string
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(nm.services)) {
		if _, ok := c.st.Priors[name]; !ok {
			c.st.Priors[name] = have[name]
		}
		if want := nm.services[name].v; want != have[name] {
			errs = append(errs, c.setService(name, want))
			if want {
				enabled = append(enabled, name)
			}
		}
	}
	for _, name := range slices.Sorted(maps.Keys(pm.services)) {
		prior, ok := c.st.Priors[name]
		if _, kept := nm.services[name]; kept || !ok {
			continue
		}
		if prior != have[name] {
			errs = append(errs, c.setService(name, prior))
		}
		delete(c.st.Priors, name)
	}
	return enabled, errors.Join(errs...)
}

func (c *Converger) setService(name string, on bool) error {
	act := c.o.Services.Disable
	if on {
		act = c.o.Services.Enable
	}
	if err := act(name); err != nil {
		return fmt.Errorf("%w: service %s: %w", ErrApply, name, err)
	}
	return nil
}

// awaitBoot watches the services enabled for the boot window: one that
// fails or backs off, or is not running at its end, is returned with the
// reason. When ctx ends (the agent stops) nothing is judged.
func (c *Converger) awaitBoot(ctx context.Context, names []string) map[string]string {
	wctx, cancel := clockwork.WithTimeout(ctx, c.o.Clock, c.o.BootWindow)
	defer cancel()
	bad := map[string]string{}
	for _, name := range names {
		u, err := c.o.Services.WaitFor(wctx, name, func(u fleet.Unit) bool {
			return u.State == fleet.UnitFailed || u.State == fleet.UnitBackoff
		})
		if ctx.Err() != nil {
			return nil
		}
		if err == nil {
			bad[name] = fmt.Sprintf("service %s failed to boot: %s", name, unitWhy(u))
			continue
		}
		if u, ok := c.unit(name); !ok || u.State != fleet.UnitRunning {
			bad[name] = fmt.Sprintf("service %s not running %s after it was enabled: %s", name, c.o.BootWindow, unitWhy(u))
		}
	}
	return bad
}

func (c *Converger) unit(name string) (fleet.Unit, bool) {
	for _, u := range c.o.Services.Units() {
		if u.Name == name && u.Kind == fleet.KindService {
			return u, true
		}
	}
	return fleet.Unit{}, false
}

// unitWhy says a unit's state and, when known, why.
func unitWhy(u fleet.Unit) string {
	why := string(u.State)
	for _, s := range []string{u.Reason, u.Error} {
		if s != "" {
			why += " (" + s + ")"
			break
		}
	}
	return why
}

func joinSorted(m map[string]string) string {
	out := ""
	for i, k := range slices.Sorted(maps.Keys(m)) {
		if i > 0 {
			out += "; "
		}
		out += m[k]
	}
	return out
}

package desired

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/groups"
	"github.com/drover-iot/drover/fleet/jobspec"
)

// reconcile applies the groups wanted now. A change that fails is rolled
// back and its groups' generations rejected, then the rest is tried again;
// each round rejects at least one generation, so it ends.
func (c *Converger) reconcile(ctx context.Context) {
	for {
		next := c.wanted()
		if sameGroups(next, c.st.Groups) || c.change(ctx, next) {
			c.rebuildReports()
			return
		}
	}
}

// wanted returns the groups to have in effect: every received group that
// matches the device, at its received generation when that passes the
// checks, else at the generation in effect (if any). Failed checks are
// recorded as rejections.
func (c *Converger) wanted() map[string]groups.Group {
	next := map[string]groups.Group{}
	for name, g := range c.received {
		if !g.Matches(c.o.Labels) {
			continue
		}
		if !c.rejected(g) {
			reasons := c.check(g)
			if len(reasons) == 0 {
				next[name] = g
				continue
			}
			c.reject(g, reasons)
		}
		if old, ok := c.st.Groups[name]; ok && old.Matches(c.o.Labels) {
			next[name] = old
		}
	}
	return next
}

// rejected reports whether g's generation was refused or rolled back.
func (c *Converger) rejected(g groups.Group) bool {
	rej, ok := c.st.Rejected[g.Name]
	return ok && rej.Generation == g.Generation
}

func (c *Converger) reject(g groups.Group, reasons []string) {
	c.o.Logger.Warn("groups: generation refused", "group", g.Name, "generation", g.Generation,
		"reasons", strings.Join(reasons, "; "))
	c.st.Rejected[g.Name] = Rejection{Generation: g.Generation, Reasons: reasons}
}

// check returns every reason the device cannot apply g: the checks of
// agent check-config, and what only the device knows.
func (c *Converger) check(g groups.Group) []string {
	p := &jobspec.Problems{}
	ck := jobspec.Checker{Pos: jobspec.Positions{}, P: p}
	g.Check(ck, "")
	for i, j := range g.Jobs {
		if j.Handler != "" && !c.o.Jobs.HasHandler(j.Handler) {
			ck.Add(fmt.Sprintf("jobs[%d].handler", i), "no handler named %q on this device", j.Handler)
		}
		if c.o.Jobs.Taken(j.Name) {
			ck.Add(fmt.Sprintf("jobs[%d].name", i),
				"this device has a job %q of its own (config or schedule add); a group never replaces it", j.Name)
		}
	}
	have := c.serviceStates()
	for _, name := range slices.Sorted(maps.Keys(g.Services)) {
		if _, ok := have[name]; !ok {
			ck.Add("services."+name, "no service named %q on this device", name)
		}
	}
	reasons := make([]string, len(p.List))
	for i, pr := range p.List {
		reasons[i] = pr.String()
	}
	return reasons
}

// serviceStates returns whether each service is enabled, by name.
func (c *Converger) serviceStates() map[string]bool {
	out := map[string]bool{}
	for _, u := range c.o.Services.Units() {
		if u.Kind == fleet.KindService {
			out[u.Name] = u.Enabled == nil || *u.Enabled
		}
	}
	return out
}

// sameGroups reports whether a and b hold the same generations.
func sameGroups(a, b map[string]groups.Group) bool {
	return maps.EqualFunc(a, b, func(x, y groups.Group) bool {
		return x.Generation == y.Generation && x.Hash() == y.Hash()
	})
}

// rebuildReports reports each received group that matches the device,
// and the documents refused.
func (c *Converger) rebuildReports() {
	out := map[string]fleet.GroupReport{}
	for name, g := range c.received {
		if !g.Matches(c.o.Labels) {
			continue
		}
		r := fleet.GroupReport{Generation: g.Generation, Hash: g.Hash(), Applied: c.st.Groups[name].Generation,
			State: fleet.SyncInSync}
		if c.rejected(g) {
			r.State, r.Reasons = fleet.SyncFailed, c.st.Rejected[name].Reasons
		}
		out[name] = r
	}
	maps.Copy(out, c.refused)
	c.reports = out
}

package desired

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/groups"
)

// DefaultBootWindow is how long a service a group enabled has to boot
// (reach running and not fail) before the change is kept.
const DefaultBootWindow = 10 * time.Second

// Options configure a Converger.
type Options struct {
	Jobs     Jobs
	Services Services
	Publish  Publisher
	// Labels are the device's labels, matched against each group's selector.
	Labels map[string]string
	// Keys, when not nil, must verify every group with an operator key;
	// nil accepts unsigned groups (a device without control.keys).
	Keys *fleet.Keyring
	// StatePath is the applied-state file (StateFile in the data dir).
	StatePath string
	// BootWindow bounds the boot of services a group enabled. Default: DefaultBootWindow.
	BootWindow time.Duration
	// Clock. Default: the real clock.
	Clock clockwork.Clock
	// Logger. Default: discard.
	Logger *slog.Logger
}

// Converger applies the groups that match the device. Build it with New,
// call Restore before the scheduler runs, then Run.
type Converger struct {
	o Options

	st       State
	received map[string]groups.Group
	// refused are the reports of documents that did not verify, by name.
	refused map[string]fleet.GroupReport
	reports map[string]fleet.GroupReport
	// conflicts are those of the union in effect.
	conflicts []string
}

// New returns a converger; nothing is read or applied before Restore.
func New(o Options) *Converger {
	if o.BootWindow <= 0 {
		o.BootWindow = DefaultBootWindow
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Converger{o: o, st: emptyState(), received: map[string]groups.Group{}, refused: map[string]fleet.GroupReport{}, reports: map[string]fleet.GroupReport{}}
}

// Restore loads the applied state and defines its jobs again (their saved
// timing merges in the scheduler). A corrupt state file is logged and the
// device starts from no groups; Restore never fails on it.
func (c *Converger) Restore() {
	st, err := loadState(c.o.StatePath)
	if err != nil {
		c.o.Logger.Warn("groups: applied state not loaded", "err", err)
	}
	c.st = st
	if err := c.applyJobs(nil, c.st.Groups); err != nil {
		c.o.Logger.Error("groups: restoring group jobs", "err", err)
	}
	// What is in effect counts as received until the broker says
	// otherwise, so a restart does not drop a group before its retained
	// document arrives again.
	maps.Copy(c.received, c.st.Groups)
	c.conflicts = union(c.st.Groups).conflicts
	c.rebuildReports()
}

// Run takes what arrives in box and converges, until ctx ends. It
// publishes the reported state first and after every change.
func (c *Converger) Run(ctx context.Context, box *Mailbox) error {
	c.report()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-box.notify:
			for name, payload := range box.take() {
				c.receive(name, payload)
			}
			c.reconcile(ctx)
			c.report()
		}
	}
}

// receive records the latest document of group name, or its deletion; a
// document that does not verify, or is older than one already seen, is
// refused with the reason in the group's report.
func (c *Converger) receive(name string, payload []byte) {
	delete(c.refused, name)
	if len(payload) == 0 && c.o.Keys == nil {
		delete(c.received, name)
		return
	}
	g, env, err := c.decode(name, payload)
	if err == nil && g.Name != name {
		err = fmt.Errorf("%w: document of group %q on the topic of %q", groups.ErrBadDocument, g.Name, name)
	}
	if err == nil && c.o.Keys != nil {
		err = env.Verify(c.o.Keys)
	}
	if err == nil {
		err = c.checkGeneration(name, g.Generation, g.Deleted)
	}
	if err != nil {
		c.o.Logger.Warn("groups: document refused", "group", name, "err", err)
		c.refused[name] = fleet.GroupReport{Generation: g.Generation, Hash: g.Hash(), Applied: c.st.Groups[name].Generation,
			State: fleet.SyncFailed, Reasons: []string{err.Error()}}
		return
	}
	c.st.Seen[name] = g.Generation
	if g.Deleted {
		delete(c.received, name)
		return
	}
	c.received[name] = g
}

// decode decodes the document of group name. With control keys an empty
// payload (the retained document cleared) is refused: only a signed
// tombstone deletes a group.
func (c *Converger) decode(name string, payload []byte) (groups.Group, groups.Envelope, error) {
	if len(payload) == 0 {
		return groups.Group{}, groups.Envelope{}, fmt.Errorf("%w: the retained document of group %q was cleared, unsigned: "+
			"ignored while control keys are set (`fleetctl delete group` publishes a signed deletion)", groups.ErrBadDocument, name)
	}
	return groups.Decode(payload)
}

// checkGeneration refuses a generation older than one already received,
// or the generation of a group that was deleted since (unless it is that
// deletion's tombstone, delivered again).
func (c *Converger) checkGeneration(name string, gen uint64, deleted bool) error {
	seen := c.newest(name)
	_, live := c.received[name]
	switch {
	case deleted && gen == seen && !live:
		return nil // the retained tombstone again
	case gen < seen:
		return fmt.Errorf("generation %d is older than %d, already received: ignored (replayed?)", gen, seen)
	case gen == seen && seen > 0 && !live:
		return fmt.Errorf("generation %d is of the group deleted since: ignored (replayed?)", gen)
	}
	return nil
}

// newest is the highest generation of group name received or applied,
// also before it was deleted.
func (c *Converger) newest(name string) uint64 {
	return max(c.received[name].Generation, c.st.Groups[name].Generation, c.st.Seen[name])
}

// report publishes the reported state.
func (c *Converger) report() {
	if c.o.Publish == nil {
		return
	}
	gs := maps.Clone(c.reports)
	c.o.Publish(fleet.Reported{V: fleet.ReportedVersion, TS: c.o.Clock.Now().UTC(), Sync: fleet.Summarize(gs),
		Groups: gs, Conflicts: c.conflicts})
}

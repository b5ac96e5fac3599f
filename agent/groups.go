package agent

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"

	"github.com/drover-iot/drover/agent/desired"
	"github.com/drover-iot/drover/agent/mqttlink"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/scheduler"
)

// groupJobs serves desired.Jobs.
type groupJobs struct {
	s   *scheduler.Scheduler
	reg *scheduler.Registry
}

var _ desired.Jobs = groupJobs{}

func (g groupJobs) Define(def scheduler.JobDef) error { return g.s.Define(def) }
func (g groupJobs) Remove(name string) error          { return g.s.Remove(name) }

func (g groupJobs) Taken(name string) bool {
	st, ok := g.s.Job(name)
	return ok && !slices.Contains(st.Def.Tags, desired.TagGroup)
}

func (g groupJobs) HasHandler(name string) bool {
	_, ok := g.reg.Lookup(name)
	return ok
}

// buildGroups makes the converger of the fleet's groups; it verifies them
// with the control keys when there are any.
func (a *Agent) buildGroups(keys *fleet.Keyring) {
	a.groupBox = desired.NewMailbox()
	a.groups = desired.New(desired.Options{
		Jobs: groupJobs{a.sched, a.reg}, Services: a.sup, Publish: a.publishReported,
		Labels: a.cfg.Labels, Keys: keys, StatePath: filepath.Join(a.cfg.DataDir, desired.StateFile),
		Clock: a.clock, Logger: a.log.With("component", "groups"),
	})
}

// publishReported publishes what the device applied, retained; the outbox
// keeps only the newest while the broker is away.
func (a *Agent) publishReported(r fleet.Reported) {
	payload, err := json.Marshal(r)
	if err != nil {
		a.log.Error("encode reported", "err", err)
		return
	}
	a.metrics.SetGroups(r)
	_ = a.link.Publish(mqttlink.Message{Topic: a.topics.Reported(a.cfg.ID), Payload: payload, QoS: 1,
		Retained: true, Class: mqttlink.ClassLatest})
}

// groupsPart runs the converger.
func (a *Agent) groupsPart() part {
	return part{"groups", func(ctx context.Context) error { return a.groups.Run(ctx, a.groupBox) }}
}

// route sends a group document to the converger's mailbox and reports
// true; other messages are left to the dispatcher.
func (a *Agent) route(m mqttlink.Message) bool {
	name, ok := a.topics.GroupName(m.Topic)
	if ok {
		a.groupBox.Put(name, m.Payload)
	}
	return ok
}

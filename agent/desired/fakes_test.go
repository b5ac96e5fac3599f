package desired

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"slices"
	"sync"
	"testing"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/groups"
	"github.com/drover-iot/drover/fleet/jobspec"
	"github.com/drover-iot/drover/scheduler"
)

// fakeJobs is an in-memory scheduler.
type fakeJobs struct {
	defs     map[string]scheduler.JobDef
	handlers []string
	taken    []string
}

func newFakeJobs() *fakeJobs {
	return &fakeJobs{defs: map[string]scheduler.JobDef{}, handlers: []string{"log"}, taken: []string{"config-job"}}
}

func (f *fakeJobs) Define(def scheduler.JobDef) error {
	if _, ok := f.defs[def.Name]; ok {
		return scheduler.ErrExists
	}
	f.defs[def.Name] = def
	return nil
}

func (f *fakeJobs) Remove(name string) error {
	if _, ok := f.defs[name]; !ok {
		return scheduler.ErrNotFound
	}
	delete(f.defs, name)
	return nil
}

func (f *fakeJobs) Taken(name string) bool      { return slices.Contains(f.taken, name) }
func (f *fakeJobs) HasHandler(name string) bool { return slices.Contains(f.handlers, name) }

// fakeServices boots every service at once: those in failing fail.
type fakeServices struct {
	mu      sync.Mutex
	enabled map[string]bool
	failing map[string]bool
}

func (f *fakeServices) Units() []fleet.Unit {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []fleet.Unit
	for name, on := range f.enabled {
		state := fleet.UnitStopped
		if on {
			state = fleet.UnitRunning
			if f.failing[name] {
				state = fleet.UnitFailed
			}
		}
		out = append(out, fleet.Unit{Name: name, Kind: fleet.KindService, Enabled: &on, State: state, Reason: "exit status 1"})
	}
	return out
}

func (f *fakeServices) set(name string, on bool) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, ok := f.enabled[name]; !ok {
		return errors.New("no such service")
	}
	f.enabled[name] = on
	return nil
}

func (f *fakeServices) Enable(name string) error  { return f.set(name, true) }
func (f *fakeServices) Disable(name string) error { return f.set(name, false) }

func (f *fakeServices) WaitFor(_ context.Context, name string, cond func(fleet.Unit) bool) (fleet.Unit, error) {
	for _, u := range f.Units() {
		if u.Name == name && cond(u) {
			return u, nil
		}
	}
	return fleet.Unit{}, context.DeadlineExceeded // the window passed
}

// rig is a converger with fakes; reported keeps the last report.
type rig struct {
	c        *Converger
	jobs     *fakeJobs
	svcs     *fakeServices
	path     string
	reported fleet.Reported
}

func newRig(t *testing.T, keys *fleet.Keyring) *rig {
	r := &rig{jobs: newFakeJobs(), path: filepath.Join(t.TempDir(), StateFile),
		svcs: &fakeServices{enabled: map[string]bool{"web": false, "broken": false}, failing: map[string]bool{"broken": true}}}
	r.start(keys)
	return r
}

func (r *rig) start(keys *fleet.Keyring) {
	r.c = New(Options{Jobs: r.jobs, Services: r.svcs, Labels: map[string]string{"site": "gh", "role": "pump"},
		Keys: keys, StatePath: r.path, Publish: func(rep fleet.Reported) { r.reported = rep }, Logger: slog.New(slog.DiscardHandler)})
	r.c.Restore()
}

// deliver feeds payloads as one batch, as Run does.
func (r *rig) deliver(t *testing.T, payloads map[string][]byte) {
	t.Helper()
	for name, p := range payloads {
		r.c.receive(name, p)
	}
	r.c.reconcile(context.Background())
	r.c.report()
}

func group(name, selector string, gen uint64, order int, jobs ...jobspec.Job) groups.Group {
	g := groups.Group{Name: name, Selector: selector, Generation: gen, Order: order, Jobs: jobs}
	g.ApplyDefaults()
	return g
}

func logJob(name, spec string) jobspec.Job {
	return jobspec.Job{Name: name, Schedule: spec, Handler: "log", Args: map[string]any{"msg": name}}
}

func payload(t *testing.T, g groups.Group, s fleet.Signer) []byte {
	t.Helper()
	p, err := groups.Encode(g, s)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func on(b bool) *bool { return &b }

package control

import (
	"context"
	"encoding/json"
	"fmt"
	"path"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
)

// sent is one published message.
type sent struct {
	topic   string
	payload []byte
	log     bool
	expires time.Time
}

type fakePublisher struct {
	mu   sync.Mutex
	msgs []sent
	logs chan fleet.LogRecord
}

func (p *fakePublisher) PublishReply(topic string, payload []byte, expires time.Time) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.msgs = append(p.msgs, sent{topic: topic, payload: payload, expires: expires})
	return nil
}

func (p *fakePublisher) PublishLog(topic string, payload []byte) error {
	var r fleet.LogRecord
	if err := json.Unmarshal(payload, &r); err != nil {
		return err
	}
	p.logs <- r
	return nil
}

func (p *fakePublisher) replies() []sent {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.msgs)
}

// fakePID is the PID an exec unit's process gets in fakeUnits.
const fakePID = 4242

type fakeUnits struct {
	mu    sync.Mutex
	units []fleet.Unit
	calls []string
	// lazy units take an action's new state only when WaitFor is
	// called, like the real supervisor whose units change after the
	// call returns.
	lazy    bool
	pending map[string]fleet.UnitState
}

func (f *fakeUnits) Units() []fleet.Unit {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.units)
}

func (f *fakeUnits) Match(kind, pattern string) ([]string, error) {
	var out []string
	for _, u := range f.Units() {
		if ok, _ := path.Match(pattern, u.Name); ok && u.Kind == kind {
			out = append(out, u.Name)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, pattern)
	}
	return out, nil
}

func (f *fakeUnits) act(verb string, name string, st fleet.UnitState) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, verb+" "+name)
	if f.lazy {
		if f.pending == nil {
			f.pending = map[string]fleet.UnitState{}
		}
		f.pending[name] = st
		return []string{name}, nil
	}
	f.setLocked(name, st)
	return []string{name}, nil
}

func (f *fakeUnits) setLocked(name string, st fleet.UnitState) {
	for i := range f.units {
		if f.units[i].Name == name {
			f.units[i].State = st
			f.units[i].PID = 0 // an exec unit's new process has no PID yet
			if st == fleet.UnitRunning {
				f.units[i].Profile.Starts++
			}
		}
	}
}

func (f *fakeUnits) WaitFor(_ context.Context, name string, cond func(fleet.Unit) bool) (fleet.Unit, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if st, ok := f.pending[name]; ok {
		delete(f.pending, name)
		f.setLocked(name, st)
	}
	for i, u := range f.units {
		if u.Name != name {
			continue
		}
		if cond(u) {
			return u, nil
		}
		if u.Type == execType && u.State == fleet.UnitRunning && u.PID == 0 {
			f.units[i].PID = fakePID // the process started, as after SetPID
			if cond(f.units[i]) {
				return f.units[i], nil
			}
		}
	}
	return fleet.Unit{}, fmt.Errorf("%w: %s not settled", ErrNotFound, name)
}

func (f *fakeUnits) each(verb string, st fleet.UnitState, names []string) error {
	for _, n := range names {
		if _, err := f.act(verb, n, st); err != nil {
			return err
		}
	}
	return nil
}

func (f *fakeUnits) StartNamed(ns ...string) error   { return f.each("start", fleet.UnitRunning, ns) }
func (f *fakeUnits) StopNamed(ns ...string) error    { return f.each("stop", fleet.UnitStopped, ns) }
func (f *fakeUnits) RestartNamed(ns ...string) error { return f.each("restart", fleet.UnitRunning, ns) }
func (f *fakeUnits) Enable(n string) error {
	_, err := f.act("enable", n, fleet.UnitRunning)
	return err
}
func (f *fakeUnits) Disable(n string) error {
	_, err := f.act("disable", n, fleet.UnitStopped)
	return err
}

type fakeSchedules struct {
	mu   sync.Mutex
	jobs []fleet.Job
}

func (f *fakeSchedules) Jobs() []fleet.Job {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.jobs)
}

func (f *fakeSchedules) HasJob(job string) bool { return job == "backup" }

func (f *fakeSchedules) Add(a fleet.ScheduleAddArgs) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, j := range f.jobs {
		if j.Name == a.Name {
			return fmt.Errorf("%w: job %s exists", ErrConflict, a.Name)
		}
	}
	f.jobs = append(f.jobs, fleet.Job{Name: a.Name, Spec: a.Spec, Handler: a.Job})
	return nil
}

func (f *fakeSchedules) edit(name string, fn func(*fleet.Job)) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range f.jobs {
		if f.jobs[i].Name == name {
			fn(&f.jobs[i])
			return nil
		}
	}
	return fmt.Errorf("%w: no job %s", ErrNotFound, name)
}

func (f *fakeSchedules) Remove(name string) error {
	err := f.edit(name, func(*fleet.Job) {})
	f.mu.Lock()
	defer f.mu.Unlock()
	f.jobs = slices.DeleteFunc(f.jobs, func(j fleet.Job) bool { return j.Name == name })
	return err
}

func (f *fakeSchedules) Pause(name string) error {
	return f.edit(name, func(j *fleet.Job) { j.Paused = true })
}
func (f *fakeSchedules) Resume(name string) error {
	return f.edit(name, func(j *fleet.Job) { j.Paused = false })
}
func (f *fakeSchedules) RunNow(name string) error {
	return f.edit(name, func(j *fleet.Job) { j.Runs++ })
}

type fakeJournal struct {
	recs []fleet.LogRecord
	feed chan fleet.LogRecord
}

func (f *fakeJournal) Cat(q fleet.LogsArgs) ([]fleet.LogRecord, error) {
	if q.Grep == "(" {
		return nil, fmt.Errorf("%w: bad regexp", ErrBadArgs)
	}
	return f.recs[max(len(f.recs)-q.N, 0):], nil
}

type fakeFollower struct{ c chan fleet.LogRecord }

func (f fakeFollower) C() <-chan fleet.LogRecord { return f.c }
func (f fakeFollower) Close()                    {}

func (f *fakeJournal) Follow(fleet.LogsArgs) (Follower, error) { return fakeFollower{f.feed}, nil }

type fakeSensors struct{}

func (fakeSensors) Read(_ context.Context, s string) ([]fleet.Reading, error) {
	if s != "" && s != "bme" {
		return nil, fmt.Errorf("%w: sensor %s", ErrNotFound, s)
	}
	return []fleet.Reading{{Sensor: "bme", Metric: "temperature", Value: 21, Unit: "celsius"}}, nil
}

type fixture struct {
	d        *Dispatcher
	pub      *fakePublisher
	units    *fakeUnits
	sched    *fakeSchedules
	journal  *fakeJournal
	restarts chan struct{}
}

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	f := &fixture{
		pub: &fakePublisher{logs: make(chan fleet.LogRecord, 16)},
		units: &fakeUnits{units: []fleet.Unit{
			{Name: "blink", Kind: fleet.KindTask, State: fleet.UnitRunning},
			{Name: "blink@1", Kind: fleet.KindTask, State: fleet.UnitRunning},
			{Name: "blinkd", Kind: fleet.KindService, State: fleet.UnitRunning},
		}},
		sched:    &fakeSchedules{jobs: []fleet.Job{{Name: "nightly", Spec: "every day at 03:00", Handler: "backup"}}},
		journal:  &fakeJournal{recs: []fleet.LogRecord{{Msg: "a"}, {Msg: "b"}, {Msg: "c"}}, feed: make(chan fleet.LogRecord)},
		restarts: make(chan struct{}, 1),
	}
	deps := Deps{
		Publisher: f.pub, Units: f.units, Schedules: f.sched, Journal: f.journal, Sensors: fakeSensors{},
		Info:    func() fleet.InfoDoc { return fleet.InfoDoc{V: 1, ID: "dev1", Version: "v9"} },
		Status:  func() fleet.Snapshot { return fleet.Snapshot{Device: "dev1"} },
		Config:  func() map[string]any { return map[string]any{"broker": map[string]any{"password": "<redacted>"}} },
		Restart: func() { f.restarts <- struct{}{} },
	}
	d, err := New("dev1", deps, opts...)
	if err != nil {
		t.Fatal(err)
	}
	f.d = d
	return f
}

// handle runs d.Handle and decodes the reply it published.
func handle(ctx context.Context, d *Dispatcher, payload []byte) (fleet.Reply, bool) {
	raw, ok := d.Handle(ctx, payload)
	if !ok {
		return fleet.Reply{}, false
	}
	r, err := fleet.DecodeReply(raw)
	if err != nil && r.ID != "" {
		panic(fmt.Sprintf("dispatcher published a malformed reply %s: %v", raw, err))
	}
	return r, true
}

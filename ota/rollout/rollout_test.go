package rollout_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/ota/rollout"
	"github.com/drover-iot/drover/ota/state"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fleet is a fake Driver: a device applies a push at once and then
// reports success, or failure for the ids in fail; ids in offline cannot
// be reached.
type fleet struct {
	mu      sync.Mutex
	fail    map[string]bool
	noBuild map[string]bool
	offline map[string]bool
	pushed  []string
	applied map[string]bool
	// listed are the devices Targets returns (nil: an error, as when the
	// retained states cannot be read); hidden are offline but not listed
	// as such (the retained state still says online).
	listed []string
	hidden map[string]bool
}

func newFleet() *fleet {
	return &fleet{fail: map[string]bool{}, noBuild: map[string]bool{}, offline: map[string]bool{}, applied: map[string]bool{}, hidden: map[string]bool{}}
}

func (f *fleet) Targets(context.Context, string) ([]rollout.Target, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.listed == nil {
		return nil, errors.New("no retained states")
	}
	var ts []rollout.Target
	for _, id := range f.listed {
		ts = append(ts, rollout.Target{ID: id, Online: !f.offline[id] || f.hidden[id]})
	}
	return ts, nil
}

func (f *fleet) set(fn func(*fleet)) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fn(f)
}

func (f *fleet) Push(_ context.Context, dev, _ string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.offline[dev] {
		return errors.New("timeout")
	}
	f.pushed = append(f.pushed, dev)
	f.applied[dev] = true
	return nil
}

func (f *fleet) Status(_ context.Context, dev string) (rollout.DeviceStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch {
	case !f.applied[dev]:
		return rollout.DeviceStatus{Build: 1, OTA: state.Idle}, nil
	case f.fail[dev]:
		return rollout.DeviceStatus{Build: 1, OTA: state.RolledBack, Reason: "crashed"}, nil
	case f.noBuild[dev]:
		return rollout.DeviceStatus{Build: 1, OTA: state.Failed, Reason: "no_build: no build for linux/riscv64"}, nil
	}
	return rollout.DeviceStatus{Build: 2, OTA: state.Committed}, nil
}

func (f *fleet) pushCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.pushed)
}

func devices(n int) []string {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("dev%02d", i)
	}
	return ids
}

func plan() *rollout.Plan {
	return &rollout.Plan{Artifact: "agent", Build: 2, Devices: devices(10), Canary: 1, Waves: []int{50, 100}, MaxFailures: 10}
}

func open(t *testing.T, path string, p *rollout.Plan, f *fleet) *rollout.Rollout {
	t.Helper()
	r, err := rollout.Open(path, p, f, rollout.Options{Clock: clockwork.NewFakeClock()})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func step(t *testing.T, r *rollout.Rollout) rollout.Record {
	t.Helper()
	if err := r.Step(context.Background()); err != nil {
		t.Fatal(err)
	}
	return r.Record()
}

func TestWaves(t *testing.T) {
	f := newFleet()
	r := open(t, filepath.Join(t.TempDir(), "r.json"), plan(), f)
	// Each step: statuses of the last stage arrive, the next stage is pushed.
	for i, want := range []int{1, 5, 10, 10} {
		rec := step(t, r)
		if f.pushCount() != want {
			t.Fatalf("step %d: %d pushed, want %d", i, f.pushCount(), want)
		}
		if i < 3 && rec.Phase != rollout.Running {
			t.Fatalf("step %d: phase %s", i, rec.Phase)
		}
	}
	if rec := r.Record(); rec.Phase != rollout.Done || rec.Counts()[rollout.Succeeded] != 10 {
		t.Fatalf("final %s %v", rec.Phase, rec.Counts())
	}
}

// TestNoBuildIsSkipped: devices the artifact has no build for (a third of
// the fleet, the canary among them) are skipped, not failed, and the
// rollout runs to the end.
func TestNoBuildIsSkipped(t *testing.T) {
	f := newFleet()
	for _, d := range []string{"dev00", "dev03", "dev07"} {
		f.noBuild[d] = true
	}
	r := open(t, filepath.Join(t.TempDir(), "r.json"), plan(), f)
	for range 4 {
		step(t, r)
	}
	rec := r.Record()
	if rec.Phase != rollout.Done || rec.Counts()[rollout.Skipped] != 3 || rec.Counts()[rollout.Succeeded] != 7 {
		t.Fatalf("final %s %v, want done with 3 skipped and 7 succeeded", rec.Phase, rec.Counts())
	}
	if d := rec.Devices["dev03"]; d.Reason != "no_build: no build for linux/riscv64" {
		t.Errorf("skipped device's reason %q", d.Reason)
	}
}

func TestFailingCanaryPauses(t *testing.T) {
	f := newFleet()
	f.fail["dev00"] = true
	path := filepath.Join(t.TempDir(), "r.json")
	clock := clockwork.NewFakeClock()
	r, err := rollout.Open(path, plan(), f, rollout.Options{Clock: clock, Poll: time.Second})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- r.Run(context.Background()) }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	if err := <-done; !errors.Is(err, rollout.ErrPaused) {
		t.Fatalf("Run = %v, want ErrPaused", err)
	}
	if f.pushCount() != 1 {
		t.Fatalf("%d devices pushed past a failing canary", f.pushCount())
	}
	if d := r.Record().Devices["dev00"]; d.State != rollout.Failed || d.Reason != "rolled_back: crashed" {
		t.Fatalf("canary %+v", d)
	}
}

// TestContinueAfterRestart: a new process opens the file, resumes after a
// pause request and finishes; an abort request stops another rollout.
func TestContinueAfterRestart(t *testing.T) {
	f := newFleet()
	path := filepath.Join(t.TempDir(), "r.json")
	step(t, open(t, path, plan(), f)) // canary pushed, then fleetctl exits
	if err := rollout.Request(path, rollout.Paused, "operator"); err != nil {
		t.Fatal(err)
	}
	r := open(t, path, nil, f)
	if rec := step(t, r); rec.Phase != rollout.Paused || f.pushCount() != 1 {
		t.Fatalf("after pause: %s, %d pushed", rec.Phase, f.pushCount())
	}
	if err := rollout.Request(path, rollout.Running, ""); err != nil {
		t.Fatal(err)
	}
	r = open(t, path, nil, f)
	for range 3 {
		step(t, r)
	}
	if rec := r.Record(); rec.Phase != rollout.Done || f.pushCount() != 10 {
		t.Fatalf("resumed: %s, %d pushed", rec.Phase, f.pushCount())
	}
	if _, err := rollout.Open(filepath.Join(t.TempDir(), "none.json"), nil, f, rollout.Options{}); err == nil {
		t.Fatal("opened a rollout that does not exist")
	}
	other := filepath.Join(t.TempDir(), "o.json")
	ra := open(t, other, plan(), newFleet())
	_ = rollout.Request(other, rollout.Aborted, "bad build")
	if rec := step(t, ra); rec.Phase != rollout.Aborted || rec.Reason != "bad build" {
		t.Fatalf("abort: %s %q", rec.Phase, rec.Reason)
	}
}

func TestLateDevicesGetTheUpdate(t *testing.T) {
	f := newFleet()
	f.offline["dev00"], f.offline["dev07"] = true, true
	f.hidden["dev00"], f.hidden["dev07"] = true, true // pushed, not reached
	p := plan()
	p.Canary = 0
	p.Waves = []int{100}
	r := open(t, filepath.Join(t.TempDir(), "r.json"), p, f)
	step(t, r)
	if rec := step(t, r); rec.Phase != rollout.Running || rec.Counts()[rollout.Pending] != 2 {
		t.Fatalf("with 2 offline: %s %v", rec.Phase, rec.Counts())
	}
	f.set(func(f *fleet) { f.offline = map[string]bool{} })
	step(t, r)
	if rec := step(t, r); rec.Phase != rollout.Done || rec.Counts()[rollout.Succeeded] != 10 {
		t.Fatalf("after they came online: %s %v", rec.Phase, rec.Counts())
	}
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name string
		edit func(*rollout.Plan)
		ok   bool
	}{
		{"good", func(*rollout.Plan) {}, true},
		{"no devices", func(p *rollout.Plan) { p.Devices = nil }, false},
		{"canary too big", func(p *rollout.Plan) { p.Canary = 11 }, false},
		{"waves not to 100", func(p *rollout.Plan) { p.Waves = []int{10, 50} }, false},
		{"waves falling", func(p *rollout.Plan) { p.Waves = []int{50, 10, 100} }, false},
		{"threshold", func(p *rollout.Plan) { p.MaxFailures = 101 }, false},
		{"negative rate", func(p *rollout.Plan) { p.MaxPerMinute = -1 }, false},
		{"continuous, no devices yet", func(p *rollout.Plan) { p.Devices, p.Continuous = nil, true }, true},
	}
	for _, tt := range tests {
		p := plan()
		tt.edit(p)
		if err := p.Validate(); (err == nil) != tt.ok || (err != nil && !errors.Is(err, rollout.ErrBadPlan)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

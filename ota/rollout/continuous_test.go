package rollout_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/rollout"
)

func openClock(t *testing.T, path string, p *rollout.Plan, f *fleet, clock clockwork.Clock) *rollout.Rollout {
	t.Helper()
	r, err := rollout.Open(path, p, f, rollout.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRateLimit: with 3 per minute, 10 devices take four minutes; a
// restarted fleetctl keeps the budget of the last minute; the first wave
// does not end while some of its devices wait for the budget.
func TestRateLimit(t *testing.T) {
	f := newFleet()
	clock := clockwork.NewFakeClock()
	p := plan()
	p.Canary, p.Waves, p.MaxPerMinute = 0, []int{50, 100}, 3
	path := filepath.Join(t.TempDir(), "r.json")
	r := openClock(t, path, p, f, clock)
	want := []struct {
		after  time.Duration
		pushed int
		stage  int
	}{{0, 3, 0}, {20 * time.Second, 3, 0}, {39 * time.Second, 3, 0}, {time.Second, 5, 0}, {time.Second, 6, 1},
		{58 * time.Second, 6, 1}, {time.Second, 8, 1}, {time.Minute, 10, 1}}
	for i, w := range want {
		clock.Advance(w.after)
		if i == 2 { // fleetctl restarted: the budget comes from the file
			r = openClock(t, path, nil, f, clock)
		}
		rec := step(t, r)
		if f.pushCount() != w.pushed || rec.Stage != w.stage {
			t.Fatalf("step %d: %d pushed at stage %d, want %d at %d", i, f.pushCount(), rec.Stage, w.pushed, w.stage)
		}
	}
	rec := step(t, r)
	if rec.Phase != rollout.Done {
		t.Fatalf("phase %s", rec.Phase)
	}
	if n := otatest.MaxPerMinute(otatest.PushTimes(rec)); n != 3 {
		t.Fatalf("%d pushes within one minute, want at most (and at best) 3", n)
	}
}

// TestContinuous: an offline device is not pushed but stays pending, the
// rollout stays open when every device finished, and devices that join
// the selector later, and the one back online, get the update.
func TestContinuous(t *testing.T) {
	f := newFleet()
	f.listed = devices(4)
	f.offline["dev02"] = true
	p := plan()
	p.Devices, p.Canary, p.Waves, p.Continuous = devices(4), 0, []int{100}, true
	r := open(t, filepath.Join(t.TempDir(), "r.json"), p, f)
	step(t, r)
	rec := step(t, r)
	if rec.Phase != rollout.Running || rec.Counts()[rollout.Succeeded] != 3 || f.pushCount() != 3 {
		t.Fatalf("with dev02 offline: %s %v, %d pushed", rec.Phase, rec.Counts(), f.pushCount())
	}
	if d := rec.Devices["dev02"]; d.State != rollout.Pending || d.Reason != "offline" {
		t.Fatalf("dev02 %+v", d)
	}
	f.set(func(f *fleet) { f.listed, f.offline = devices(6), map[string]bool{} })
	step(t, r)
	rec = step(t, r)
	if rec.Phase != rollout.Running || rec.Counts()[rollout.Succeeded] != 6 || len(rec.Plan.Devices) != 6 {
		t.Fatalf("after dev02 came back and two joined: %s %v, %v", rec.Phase, rec.Counts(), rec.Plan.Devices)
	}
}

// TestContinuousEmptyStart: a continuous rollout may start before any
// device matches, and a canary larger than the fleet waits for it.
func TestContinuousEmptyStart(t *testing.T) {
	f := newFleet()
	f.listed = []string{}
	p := plan()
	p.Devices, p.Canary, p.Continuous = nil, 2, true
	r := open(t, filepath.Join(t.TempDir(), "r.json"), p, f)
	if rec := step(t, r); rec.Phase != rollout.Running || f.pushCount() != 0 {
		t.Fatalf("empty: %s, %d pushed", rec.Phase, f.pushCount())
	}
	f.set(func(f *fleet) { f.listed = devices(1) })
	step(t, r)
	if rec := step(t, r); rec.Counts()[rollout.Succeeded] != 1 || rec.Phase != rollout.Running {
		t.Fatalf("one device: %s %v", rec.Phase, rec.Counts())
	}
}

package scheduler

import (
	"context"
	"strings"
	"testing"
	"time"
)

// restartWith saves st in a fresh MemoryStore and returns a harness at now
// whose scheduler will load it.
func restartWith(t *testing.T, st State, now time.Time) (*harness, *MemoryStore) {
	t.Helper()
	store := &MemoryStore{}
	if err := store.Save(context.Background(), st); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, WithStore(store))
	h.clock.Advance(now.Sub(t0))
	return h, store
}

func TestRestoreCatchUp(t *testing.T) {
	next := t0.Add(sec(10))
	tests := []struct {
		name        string
		catchUp     CatchUp
		restartAt   time.Time
		wantRunNow  bool
		wantNominal time.Time // NextNominal after start and any catch-up run
	}{
		{"future slot kept", CatchUpSkip, t0.Add(sec(5)), false, next},
		{"missed, skip", CatchUpSkip, t0.Add(sec(95)), false, t0.Add(sec(100))},
		{"missed, once", CatchUpOnce, t0.Add(sec(95)), true, t0.Add(sec(100))},
		{"missed by one slot, once", CatchUpOnce, t0.Add(sec(12)), true, t0.Add(sec(20))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := State{Version: StateVersion, Jobs: []JobRecord{{
				Def:         JobDef{Name: "j", Spec: "every 10s", Handler: "noop", CatchUp: tt.catchUp},
				LastNominal: t0, NextNominal: next, LastRun: t0, Fired: 1, Runs: 1,
			}}}
			h, _ := restartWith(t, st, tt.restartAt)
			h.register("noop")
			h.start()
			if tt.wantRunNow {
				r := h.report()
				if !r.Nominal.Equal(next) || !r.Started.Equal(tt.restartAt) {
					t.Errorf("catch-up run %+v, want nominal %v at %v", r, next, tt.restartAt)
				}
			}
			h.noReport()
			got := h.status("j")
			if !got.NextNominal.Equal(tt.wantNominal) || !got.LastRun.Equal(map[bool]time.Time{true: tt.restartAt, false: t0}[tt.wantRunNow]) {
				t.Errorf("next %v last %v, want next %v", got.NextNominal, got.LastRun, tt.wantNominal)
			}
		})
	}
}

func TestRestoreUnknownHandlerIsBroken(t *testing.T) {
	st := State{Version: StateVersion, Jobs: []JobRecord{
		{Def: JobDef{Name: "gone", Spec: "every 10s", Handler: "removed-in-v2"}, NextNominal: t0.Add(sec(10))},
		{Def: JobDef{Name: "badspec", Spec: "every fortnight", Handler: "noop"}},
		{Def: JobDef{Name: "ok", Spec: "every 10s", Handler: "noop"}, NextNominal: t0.Add(sec(10))},
	}}
	h, store := restartWith(t, st, t0)
	h.register("noop")
	h.start()
	h.advance(sec(10))
	if r := h.report(); r.Job != "ok" {
		t.Errorf("ran %q, want ok", r.Job)
	}
	h.noReport()
	jobs := h.s.Jobs()
	if len(jobs) != 3 {
		t.Fatalf("jobs = %d, want 3 (broken ones kept)", len(jobs))
	}
	if b := jobs[1].Broken; !strings.Contains(b, "unknown handler") || !strings.Contains(b, "removed-in-v2") {
		t.Errorf("gone broken = %q", b)
	}
	if b := jobs[0].Broken; !strings.Contains(b, "spec") {
		t.Errorf("badspec broken = %q", b)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	saved, _ := store.Load(context.Background())
	if len(saved.Jobs) != 3 || saved.Jobs[1].Def.Handler != "removed-in-v2" {
		t.Errorf("broken jobs not kept in the store: %+v", saved.Jobs)
	}
}

func TestRestartKeepsLastAndNext(t *testing.T) {
	store := &MemoryStore{}
	h := newHarness(t, WithStore(store))
	h.register("noop")
	h.add(JobDef{Name: "j", Spec: "every 1m", Handler: "noop"})
	h.start()
	h.advance(time.Minute)
	h.report()
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}

	h2 := newHarness(t, WithStore(store))
	h2.clock.Advance(90 * time.Second)
	h2.register("noop")
	h2.add(JobDef{Name: "j", Spec: "every 1m", Handler: "noop"}) // from config again
	h2.start()
	st := h2.status("j")
	if !st.LastRun.Equal(t0.Add(time.Minute)) || !st.NextNominal.Equal(t0.Add(2*time.Minute)) || st.Runs != 1 {
		t.Errorf("after restart: last %v next %v runs %d", st.LastRun, st.NextNominal, st.Runs)
	}
}

func TestSavesAreCoalesced(t *testing.T) {
	store := &signalStore{saved: make(chan struct{}, 16)}
	h := newHarness(t, WithStore(store), WithSaveInterval(sec(5)))
	h.register("noop")
	h.start()
	for i := range 50 {
		h.add(JobDef{Name: "j" + string(rune('a'+i%26)) + string(rune('a'+i/26)), Spec: "every 1h", Handler: "noop"})
	}
	if n := store.Saves(); n != 0 {
		t.Fatalf("saved %d times before the interval", n)
	}
	h.advance(sec(5))
	select {
	case <-store.saved:
	case <-time.After(guard):
		t.Fatal("no save after the interval")
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	if n := store.Saves(); n != 2 {
		t.Errorf("saves = %d, want 2 (one coalesced, one on stop)", n)
	}
	st, _ := store.Load(context.Background())
	if len(st.Jobs) != 50 {
		t.Errorf("saved %d jobs, want 50", len(st.Jobs))
	}
}

// signalStore is a MemoryStore that signals each save.
type signalStore struct {
	MemoryStore
	saved chan struct{}
}

func (s *signalStore) Save(ctx context.Context, st State) error {
	err := s.MemoryStore.Save(ctx, st)
	s.saved <- struct{}{}
	return err
}

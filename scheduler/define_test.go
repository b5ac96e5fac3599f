package scheduler

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestAddRefusesSpecWithoutFutureRun(t *testing.T) {
	tests := []struct {
		spec    string
		wantErr error
	}{
		{"at 2020-01-01T00:00:00Z", ErrNoFutureRun},
		{"every 10s until 2020-01-01T00:00:00Z", ErrNoFutureRun},
		{"at 2030-01-01T00:00:00Z", nil},
		{"every 10s", nil},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			h := newHarness(t)
			h.register("noop")
			err := h.s.Add(JobDef{Name: "j", Spec: tt.spec, Handler: "noop"})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Add = %v, want %v", err, tt.wantErr)
			}
			if _, ok := h.s.Job("j"); ok != (tt.wantErr == nil) {
				t.Errorf("job present = %v after Add = %v", ok, err)
			}
		})
	}
}

func TestDefineKeepsBrokenJobs(t *testing.T) {
	tests := []struct {
		name, spec, handler string
		wantBroken          string
	}{
		{"unknown handler", "every 10s", "nope", `unknown handler "nope"`},
		{"no future run", "at 2020-01-01T00:00:00Z", "noop", "no future run"},
		{"bad spec", "every fortnight", "noop", "spec"},
		{"healthy", "every 10s", "noop", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t)
			h.register("noop")
			err := h.s.Define(JobDef{Name: "j", Spec: tt.spec, Handler: tt.handler})
			if (err != nil) != (tt.wantBroken != "") {
				t.Errorf("Define = %v, want an error: %v", err, tt.wantBroken != "")
			}
			st := h.status("j")
			if tt.wantBroken == "" && st.Broken != "" || !strings.Contains(st.Broken, tt.wantBroken) {
				t.Errorf("broken = %q, want it to contain %q", st.Broken, tt.wantBroken)
			}
			if err := h.s.Define(JobDef{Name: "j", Spec: "every 1s", Handler: "noop"}); !errors.Is(err, ErrExists) {
				t.Errorf("second Define = %v, want ErrExists", err)
			}
		})
	}
}

// TestRestoreFilter drops saved jobs the program no longer defines, keeps
// the others, and still merges the history of jobs added before Run.
func TestRestoreFilter(t *testing.T) {
	own := func(d JobDef) bool { return !d.hasTag("mine") }
	st := State{Version: StateVersion, Jobs: []JobRecord{
		{Def: JobDef{Name: "stale", Spec: "every 10s", Handler: "gone", Tags: []string{"mine"}}, Runs: 3},
		{Def: JobDef{Name: "kept", Spec: "every 10s", Handler: "noop", Tags: []string{"mine"}}, Runs: 5, NextNominal: t0.Add(sec(7))},
		{Def: JobDef{Name: "runtime", Spec: "every 10s", Handler: "noop"}, Runs: 2},
	}}
	h, store := restartWith(t, st, t0)
	h.s.cfg.keep = own
	h.register("noop")
	if err := h.s.Define(JobDef{Name: "kept", Spec: "every 10s", Handler: "noop", Tags: []string{"mine"}}); err != nil {
		t.Fatal(err)
	}
	h.start()
	h.waitRunning()
	jobs := h.s.Jobs()
	if len(jobs) != 2 || jobs[0].Def.Name != "kept" || jobs[1].Def.Name != "runtime" {
		t.Fatalf("jobs = %+v, want kept and runtime", jobs)
	}
	if jobs[0].Runs != 5 || !jobs[0].NextNominal.Equal(t0.Add(sec(7))) {
		t.Errorf("kept: runs %d next %v, want the saved 5 and %v", jobs[0].Runs, jobs[0].NextNominal, t0.Add(sec(7)))
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
	saved, err := store.Load(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range saved.Jobs {
		if r.Def.Name == "stale" {
			t.Error("the dropped job was saved again")
		}
	}
}

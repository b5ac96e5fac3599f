package supervise

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/drover-iot/drover/fleet"
)

// recorder is a service body that reports its start and blocks.
func recorder(started chan<- string) Func {
	return func(ctx context.Context, c *Ctl) (any, error) {
		started <- c.Name()
		<-ctx.Done()
		return nil, ctx.Err()
	}
}

// TestBootOrder checks that a service starts only once what it requires
// runs. Bodies run on their own goroutines, so the order in which they
// report is free; what each one sees of its requirements is not.
func TestBootOrder(t *testing.T) {
	s, _ := newSup(t)
	seen := make(chan string, 8)
	specs := []ServiceSpec{
		{Name: "web", Requires: []string{"db", "cache"}, Enabled: true},
		{Name: "cache", Requires: []string{"db"}, Enabled: true},
		{Name: "db", Enabled: true},
		{Name: "extra", Enabled: false},
	}
	for _, sp := range specs {
		sp.Run = func(ctx context.Context, c *Ctl) (any, error) {
			report := c.Name()
			for _, req := range sp.Requires {
				if u, _ := s.Unit(req); u.State != fleet.UnitRunning {
					report += fmt.Sprintf(" saw %s %s", req, u.State)
				}
			}
			seen <- report
			<-ctx.Done()
			return nil, ctx.Err()
		}
		if err := s.AddService(sp); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Boot(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	got := []string{<-seen, <-seen, <-seen}
	slices.Sort(got)
	if want := []string{"cache", "db", "web"}; !slices.Equal(got, want) {
		t.Fatalf("services started %q, want %q with their requirements running", got, want)
	}
	if u, _ := s.Unit("extra"); u.State != fleet.UnitStopped || u.Reason != "disabled" || *u.Enabled {
		t.Fatalf("disabled service: %+v", u)
	}
}

func TestBootFailingDependency(t *testing.T) {
	s, _ := newSup(t)
	started := make(chan string, 8)
	// db is not loaded, so it is failed before boot: deterministic, unlike
	// a run that fails at some moment after it was seen running.
	if err := s.RegisterKind("broken", func(ServiceSpec) (Func, error) { return nil, errBoom }); err != nil {
		t.Fatal(err)
	}
	specs := []ServiceSpec{
		{Name: "db", Type: "broken", Enabled: true},
		{Name: "web", Requires: []string{"db"}, Run: recorder(started), Enabled: true},
		{Name: "api", Requires: []string{"web"}, Run: recorder(started), Enabled: true},
		{Name: "off", Run: recorder(started)},
		{Name: "needs-off", Requires: []string{"off"}, Run: recorder(started), Enabled: true},
		{Name: "ghost", Requires: []string{"nobody"}, Run: recorder(started), Enabled: true},
		{Name: "other", Run: recorder(started), Enabled: true},
	}
	for _, sp := range specs {
		if err := s.AddService(sp); err != nil && sp.Name != "db" {
			t.Fatal(err)
		}
	}
	err := s.Boot(ctxT(t))
	if err == nil || !strings.Contains(err.Error(), `service "web": requires "db" which failed: boom`) {
		t.Fatalf("Boot error %v", err)
	}
	want := map[string]string{
		"web":       `requires "db" which failed: boom`,
		"api":       `requires "web" which failed: requires "db" which failed: boom`,
		"needs-off": `requires "off" which is disabled`,
		"ghost":     `requires "nobody" which does not exist`,
	}
	for name, reason := range want {
		if u, _ := s.Unit(name); u.State != fleet.UnitFailed || u.Reason != reason {
			t.Errorf("%s: %s %q, want failed %q", name, u.State, u.Reason, reason)
		}
	}
	if got := <-started; got != "other" {
		t.Fatalf("started %q, want other", got)
	}
}

func TestServiceNotLoaded(t *testing.T) {
	s, _ := newSup(t)
	if err := s.RegisterKind("broken", func(ServiceSpec) (Func, error) { return nil, errBoom }); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		kind string
		want error
	}{{"broken", errBoom}, {"nosuch", ErrUnknownKind}}
	for _, tt := range tests {
		err := s.AddService(ServiceSpec{Name: "svc-" + tt.kind, Type: tt.kind, Enabled: true})
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "not loaded") {
			t.Fatalf("AddService(%s) = %v", tt.kind, err)
		}
		if u, _ := s.Unit("svc-" + tt.kind); u.State != fleet.UnitFailed || u.Reason != "not loaded" {
			t.Fatalf("unit %+v", u)
		}
	}
	if err := s.AddService(ServiceSpec{Name: "svc-broken"}); !errors.Is(err, ErrExists) {
		t.Fatalf("duplicate service: %v", err)
	}
}

func TestBootCycle(t *testing.T) {
	s, _ := newSup(t)
	for _, sp := range []ServiceSpec{
		{Name: "a", Requires: []string{"b"}, Type: "x"},
		{Name: "b", Requires: []string{"a"}, Type: "x"},
	} {
		sp.Run = recorder(make(chan string, 1))
		if err := s.AddService(sp); err != nil {
			t.Fatal(err)
		}
	}
	err := s.Boot(ctxT(t))
	if !errors.Is(err, ErrCycle) || err.Error() != "supervise: dependency cycle: a -> b -> a" {
		t.Fatalf("Boot = %v", err)
	}
}

func TestEnableDisablePersisted(t *testing.T) {
	dir := t.TempDir()
	started := make(chan string, 8)
	spec := ServiceSpec{Name: "web", Enabled: true, Run: recorder(started)}
	s1, _ := newSup(t, WithStateDir(dir))
	if err := s1.AddService(spec); err != nil {
		t.Fatal(err)
	}
	if err := s1.Boot(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	<-started
	if err := s1.Disable("web"); err != nil {
		t.Fatal(err)
	}
	waitState(t, s1, "web", fleet.UnitStopped)

	s2, _ := newSup(t, WithStateDir(dir))
	if err := s2.AddService(spec); err != nil {
		t.Fatal(err)
	}
	if err := s2.Boot(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if u, _ := s2.Unit("web"); *u.Enabled || u.State != fleet.UnitStopped {
		t.Fatalf("disable not restored: %+v", u)
	}
	if err := s2.Enable("web"); err != nil {
		t.Fatal(err)
	}
	if <-started != "web" {
		t.Fatal("enable did not start")
	}
	data, err := os.ReadFile(filepath.Join(dir, StateFile))
	if err != nil || !strings.Contains(string(data), `"web": true`) {
		t.Fatalf("state file %s, %v", data, err)
	}
}

func TestStateFileFallback(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, StateFile)
	if err := os.WriteFile(path+".prev", []byte(`{"version":1,"enabled":{"web":false}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(`{"version":1,"enab`), 0o644); err != nil {
		t.Fatal(err)
	}
	s, _ := newSup(t, WithStateDir(dir))
	if err := s.AddService(ServiceSpec{Name: "web", Enabled: true, Run: recorder(nil)}); err != nil {
		t.Fatal(err)
	}
	if u, _ := s.Unit("web"); *u.Enabled {
		t.Fatal("previous copy not used for a damaged state file")
	}
}

func TestEnableErrors(t *testing.T) {
	s, _ := newSup(t)
	mustAdd(t, s, TaskSpec{Name: "task", Func: "block"})
	if err := s.Enable("task"); !errors.Is(err, ErrNotService) {
		t.Fatalf("Enable(task) = %v", err)
	}
	if err := s.Disable("nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Disable(nope) = %v", err)
	}
}

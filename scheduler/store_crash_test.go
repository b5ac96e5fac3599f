package scheduler

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// crashEnv switches the test binary into the crash child: it saves to the
// file named by the variable in a loop until killed.
const crashEnv = "DROVER_SCHED_CRASH_CHILD"

// crashState is generation g of the child's document: g%7+1 jobs, each
// with Runs == g, so a torn mix of two generations would be detected.
func crashState(g uint64) State {
	st := State{Version: StateVersion}
	for i := range g%7 + 1 {
		st.Jobs = append(st.Jobs, JobRecord{
			Def:  JobDef{Name: fmt.Sprintf("job-%d", i), Spec: "every 10s", Handler: "h", Args: map[string]any{"pad": string(make([]byte, 200))}},
			Runs: g, NextNominal: t0.Add(time.Duration(g) * time.Second),
		})
	}
	return st
}

// checkCrashState fails unless st is one whole generation.
func checkCrashState(t *testing.T, st State) {
	t.Helper()
	if len(st.Jobs) == 0 {
		return // nothing saved before the kill
	}
	g := st.Jobs[0].Runs
	if uint64(len(st.Jobs)) != g%7+1 {
		t.Fatalf("generation %d has %d jobs", g, len(st.Jobs))
	}
	for _, j := range st.Jobs {
		if j.Runs != g {
			t.Fatalf("torn document: generations %d and %d", g, j.Runs)
		}
	}
}

func TestCrashChild(t *testing.T) {
	path := os.Getenv(crashEnv)
	if path == "" {
		t.Skip("only runs as the crash test's child process")
	}
	fs := NewFileStore(path)
	st, _ := fs.Load(context.Background())
	var g uint64
	if len(st.Jobs) > 0 {
		g = st.Jobs[0].Runs
	}
	for {
		g++
		if err := fs.Save(context.Background(), crashState(g)); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Println("saved", g)
	}
}

func TestFileStoreSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test skipped in -short mode")
	}
	path := filepath.Join(t.TempDir(), "jobs.json")
	budget := time.Now().Add(20 * time.Second)
	kills, recovered := 0, 0
	for kills < 300 && (kills < 50 || time.Now().Before(budget)) {
		killChildAfterSaves(t, path, 1+rand.IntN(8))
		kills++
		st, err := NewFileStore(path).Load(context.Background())
		switch {
		case errors.Is(err, ErrRecovered):
			recovered++
		case err != nil:
			t.Fatalf("after kill %d: load failed without fallback: %v", kills, err)
		}
		checkCrashState(t, st)
	}
	t.Logf("%d kills, %d recoveries from .prev", kills, recovered)
}

// killChildAfterSaves starts the child, lets it report n saves, SIGKILLs
// it while it goes on saving, and reaps it.
func killChildAfterSaves(t *testing.T, path string, n int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChild$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	for i := 0; i < n && lines.Scan(); i++ {
	}
	_ = cmd.Process.Kill()
	_ = cmd.Wait()
}

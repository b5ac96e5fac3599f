package apply_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/state"
)

// The crash test runs this test binary as a child that installs, supervises
// the trial, commits or rolls back, and installs again, forever, printing
// each state (its trial's child dies with it: Pdeathsig);
// the parent SIGKILLs it and checks that the binary is always one of the
// two versions and that Boot brings the record back to a consistent state.

const (
	crashDirEnv = "DROVER_OTA_CRASH_DIR"
	crashAtEnv  = "DROVER_OTA_CRASH_AT"
)

func crashVersions() (a, b []byte) {
	return script("A", 0, 1<<20), script("B", 0, 3<<19)
}

func crashOptions(dir string, onTransition func(state.Record)) apply.Options {
	return apply.Options{
		StateDir: filepath.Join(dir, "state"), Binary: filepath.Join(dir, "agent"),
		TrialWindow: 500 * time.Millisecond, MaxBoots: 2, StopTimeout: 5 * time.Second,
		Exec: func(string) error { return nil }, OnTransition: onTransition,
	}
}

func crashChildMain() bool {
	dir := os.Getenv(crashDirEnv)
	if dir == "" {
		return false
	}
	at := state.State(os.Getenv(crashAtEnv))
	opts := crashOptions(dir, func(r state.Record) {
		fmt.Println(r.State)
		if r.State == at {
			_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		}
	})
	for n := 0; ; n++ {
		if err := crashCycle(opts, n); err != nil && !errors.Is(err, apply.ErrRolledBack) {
			fmt.Fprintln(os.Stderr, "cycle:", err)
			os.Exit(2)
		}
	}
}

// crashCycle is one agent start: boot (and trial), then install the
// other version.
func crashCycle(opts apply.Options, n int) error {
	m, err := apply.New(opts)
	if err != nil {
		return err
	}
	tr, err := m.Boot()
	if err != nil {
		return err
	}
	if tr != nil {
		err := tr.Supervise(context.Background(), nil, os.Environ())
		if err != nil && !errors.Is(err, apply.ErrRolledBack) {
			return err
		}
	}
	a, b := crashVersions()
	next := a
	if cur, _ := os.ReadFile(opts.Binary); bytes.Equal(cur, a) {
		next = b
	}
	switch n % 5 {
	case 3:
		next = script("C", 1, 1<<19) // fails its selftest: never tried
	case 4:
		next = runScript("D", 0, 1<<19, "exit 3") // fails its trial
	}
	staged := filepath.Join(filepath.Dir(opts.Binary), "staged")
	if err := os.WriteFile(staged, next, 0o755); err != nil {
		return err
	}
	blob, _ := manifest.HashBlob(bytes.NewReader(next), 64<<10)
	c := apply.Candidate{Manifest: manifest.Manifest{Artifact: "agent", Version: "x", Blob: blob}, Staged: staged}
	if err := m.Install(context.Background(), c); err != nil && !errors.Is(err, apply.ErrSelftest) {
		return err
	}
	return nil
}

func crashDir(t *testing.T) string {
	dir := t.TempDir()
	a, _ := crashVersions()
	writeBinary(t, filepath.Join(dir, "agent"), a)
	return dir
}

// runChild starts the child and SIGKILLs it after `after` printed states
// (or lets it kill itself at CRASH_AT). It returns the states it printed.
func runChild(t *testing.T, dir string, at state.State, after int) []string {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashDirEnv+"="+dir, crashAtEnv+"="+string(at))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var seen []string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if (after > 0 && len(seen) == after) || len(seen) == 10000 {
			_ = cmd.Process.Kill()
		}
	}
	err = cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.Sys().(syscall.WaitStatus).Signal() != syscall.SIGKILL {
		t.Fatalf("child ended with %v, not SIGKILL; stderr:\n%s", err, stderr.String())
	}
	return seen
}

// checkRecovery asserts the binary is version A or B, then boots like the
// next agent start would and checks the record agrees with the binary.
func checkRecovery(t *testing.T, dir string) state.State {
	t.Helper()
	a, b := crashVersions()
	opts := crashOptions(dir, nil)
	bin, err := os.ReadFile(opts.Binary)
	if err != nil || (!bytes.Equal(bin, a) && !bytes.Equal(bin, b)) {
		t.Fatalf("binary is neither version after the kill (%d bytes, err %v)", len(bin), err)
	}
	m, err := apply.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Boot(); err != nil && m.Record().State != state.Failed {
		t.Fatalf("boot after the kill: %v", err)
	}
	r := m.Record()
	sum := fileSHA(t, opts.Binary)
	switch r.State {
	case state.Committed:
		if sum != r.NewSHA256 {
			t.Fatalf("%s but the binary is not the new version", r.State)
		}
	case state.Restarting, state.Trial, state.RolledBack, state.Failed:
		if sum != r.OldSHA256 && r.OldSHA256 != "" {
			t.Fatalf("%s but the binary is not the old version", r.State)
		}
	case state.Idle:
	default:
		t.Fatalf("boot left the record in %s", r.State)
	}
	return r.State
}

func fileSHA(t *testing.T, path string) string {
	sum, err := manifest.FileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

func TestCrashAtEachState(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	for _, at := range []state.State{state.Verifying, state.Staged, state.Restarting,
		state.Trial, state.Committed, state.RolledBack, state.Failed} {
		t.Run(string(at), func(t *testing.T) {
			dir := crashDir(t)
			seen := runChild(t, dir, at, 0)
			if seen[len(seen)-1] != string(at) {
				t.Fatalf("child died after %v, not at %s", seen[len(seen)-1], at)
			}
			checkRecovery(t, dir)
		})
	}
}

func TestCrashRandom(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns child processes")
	}
	dir := crashDir(t)
	r := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 1))
	kills := map[string]int{}
	for range 25 {
		seen := runChild(t, dir, "", 1+r.IntN(12))
		kills[seen[len(seen)-1]]++
		checkRecovery(t, dir)
	}
	t.Logf("killed after: %v", kills)
}

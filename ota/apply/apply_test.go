package apply_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"

	"github.com/drover-iot/drover/ota/apply"
	"github.com/drover-iot/drover/ota/delta"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/sign"
	"github.com/drover-iot/drover/ota/state"
)

func TestMain(m *testing.M) {
	if crashChild() {
		return
	}
	goleak.VerifyTestMain(m)
}

// script is a fake agent binary: a shell script whose selftest exits with
// code and which, run on trial, reports healthy every 0.1 s; padded so
// binaries differ in size and content.
func script(version string, code int, pad int) []byte {
	return runScript(version, code, pad, "while :; do echo healthy >&3 || exit 1; sleep 0.1; done")
}

// runScript is script with run as what it does when run on trial.
func runScript(version string, code int, pad int, run string) []byte {
	return fmt.Appendf(nil, "#!/bin/sh\n# drover agent %s\nif [ \"$1\" = selftest ]; then\n"+
		"echo selftest of %s; exit %d; fi\n%s\n#%s\n", version, version, code, run, strings.Repeat("x", pad))
}

type env struct {
	t       *testing.T
	dir     string
	binary  string
	old     []byte
	key     sign.PrivateKey
	keys    *sign.Keyring
	clock   *clockwork.FakeClock
	execs   []string
	trial   time.Duration // > 0: a real clock and this trial window
	states  []state.State
	machine *apply.Machine
}

func newEnv(t *testing.T) *env {
	t.Helper()
	e := &env{t: t, dir: t.TempDir(), old: script("1.0", 0, 100), clock: clockwork.NewFakeClock()}
	e.binary = otatest.WriteFile(t, e.dir, "agent", e.old)
	kp, key := otatest.Key(t)
	e.key, e.keys = key, otatest.Keyring(t, kp)
	e.machine = e.newMachine()
	return e
}

// newMachine is a fresh Machine on the same state dir: an agent restart.
func (e *env) newMachine() *apply.Machine {
	e.t.Helper()
	var clock clockwork.Clock = e.clock
	window := time.Minute
	if e.trial > 0 {
		clock, window = clockwork.NewRealClock(), e.trial
	}
	m, err := apply.New(apply.Options{
		StateDir: filepath.Join(e.dir, "state"), Binary: e.binary, Version: "1.0", Build: 1,
		Keys: e.keys, Clock: clock, TrialWindow: window, MaxBoots: 3, StopTimeout: 10 * time.Second,
		Exec:         func(p string) error { e.execs = append(e.execs, p); return nil },
		OnTransition: func(r state.Record) { e.states = append(e.states, r.State) },
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return m
}

// candidate stages a new binary and its manifest.
func (e *env) candidate(bin []byte, signBinary bool) apply.Candidate {
	e.t.Helper()
	staged := otatest.WriteFile(e.t, e.dir, "staged", bin)
	blob, err := manifest.HashBlob(bytes.NewReader(bin), 1024)
	if err != nil {
		e.t.Fatal(err)
	}
	m := manifest.Manifest{V: 1, Artifact: "agent", Version: "2.0", Build: 2, OS: "linux", Arch: "amd64", Blob: blob}
	if signBinary {
		m.BinarySig = string(sign.Sign(e.key, bin, "binary"))
	}
	return apply.Candidate{Manifest: m, Staged: staged}
}

func (e *env) binaryIs(want []byte) {
	e.t.Helper()
	got, err := os.ReadFile(e.binary)
	if err != nil || !bytes.Equal(got, want) {
		e.t.Fatalf("binary is %q (err %v), want %q", firstLine(got), err, firstLine(want))
	}
}

func firstLine(b []byte) string { return strings.SplitN(string(b), "\n", 3)[1] }

func (e *env) statesAre(want ...state.State) {
	e.t.Helper()
	if fmt.Sprint(e.states) != fmt.Sprint(want) {
		e.t.Fatalf("transitions %v, want %v", e.states, want)
	}
	e.states = nil
}

func TestInstall(t *testing.T) {
	e := newEnv(t)
	nw := script("2.0", 0, 3000)
	if err := e.machine.Install(context.Background(), e.candidate(nw, true)); err != nil {
		t.Fatal(err)
	}
	e.statesAre(state.Verifying, state.Staged, state.Restarting)
	e.binaryIs(e.old) // replaced only by a passed trial
	if len(e.execs) != 1 || e.execs[0] != e.binary {
		t.Fatalf("execs = %v", e.execs)
	}
	if cand, _ := os.ReadFile(e.machine.Record().Candidate); !bytes.Equal(cand, nw) {
		t.Fatal("the candidate is not the new binary")
	}
}

func TestInstallRefusals(t *testing.T) {
	tampered := func(c apply.Candidate) apply.Candidate {
		_ = os.WriteFile(c.Staged, script("evil", 0, 3000), 0o755)
		return c
	}
	foreignSig := func(c apply.Candidate) apply.Candidate {
		_, other := otatest.Key(t)
		c.Manifest.BinarySig = string(sign.Sign(other, []byte("x"), ""))
		return c
	}
	tests := []struct {
		name   string
		bin    []byte
		edit   func(apply.Candidate) apply.Candidate
		want   error
		reason string
	}{
		{"tampered staged file", script("2.0", 0, 3000), tampered, apply.ErrVerify, "sha256"},
		{"unknown binary key", script("2.0", 0, 3000), foreignSig, apply.ErrVerify, "unknown key"},
		{"selftest fails", script("2.0", 3, 3000), nil, apply.ErrSelftest, "selftest of 2.0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			c := e.candidate(tt.bin, true)
			if tt.edit != nil {
				c = tt.edit(c)
			}
			err := e.machine.Install(context.Background(), c)
			if !errors.Is(err, tt.want) {
				t.Fatalf("Install = %v, want %v", err, tt.want)
			}
			r := e.machine.Record()
			if r.State != state.Failed || !strings.Contains(r.Reason, tt.reason) {
				t.Fatalf("record %s %q, want failed with %q", r.State, r.Reason, tt.reason)
			}
			if r.Ended[state.Failed] != 1 {
				t.Errorf("ended counts %v, want one failed update", r.Ended)
			}
			e.binaryIs(e.old)
			if len(e.execs) != 0 {
				t.Fatal("re-executed after a refusal")
			}
			if _, err := os.Stat(r.Candidate); err == nil {
				t.Fatal("candidate left behind")
			}
		})
	}
}

func TestInstallDelta(t *testing.T) {
	e := newEnv(t)
	nw := append(bytes.Clone(e.old), "# one more line\n"...)
	patch, err := delta.Create(e.old, nw)
	if err != nil {
		t.Fatal(err)
	}
	c := e.candidate(nw, true)
	c.Staged, c.Patch = "", otatest.WriteFile(t, e.dir, "patch", patch)
	if err := e.machine.Install(context.Background(), c); err != nil {
		t.Fatal(err)
	}
	if cand, _ := os.ReadFile(e.machine.Record().Candidate); !bytes.Equal(cand, nw) {
		t.Fatal("the patched candidate is not the new binary")
	}
	if !e.machine.Record().Delta {
		t.Fatal("record does not say delta")
	}
}

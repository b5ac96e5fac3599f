package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/cli"
	"github.com/drover-iot/drover/fleet/fleettest"
	"github.com/drover-iot/drover/ota"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/rollout"
	"github.com/drover-iot/drover/ota/state"
)

// otaEnv is a broker, a state dir and a clock for fleetctl ota commands.
type otaEnv struct {
	t     *testing.T
	url   string
	env   map[string]string
	clock *clockwork.FakeClock
}

func newOTAEnv(t *testing.T) *otaEnv {
	url := fleettest.StartBroker(t)
	return &otaEnv{t: t, url: url, clock: clockwork.NewFakeClockAt(now),
		env: map[string]string{"DROVER_BROKER": url, "XDG_STATE_HOME": t.TempDir()}}
}

// downloadingV2 is the OTA record of a device busy with the v2 update.
var downloadingV2 = state.Record{State: state.Downloading, Version: "v2", Build: 2}

// rolloutDevices starts fake devices busy with the v2 update; the channel
// gets "<id> <cmd>" for each request they receive.
func (e *otaEnv) rolloutDevices(ids ...string) chan string {
	seen := make(chan string, 64)
	for _, id := range ids {
		otaDevice(e.t, e.url, id, downloadingV2, seen)
	}
	return seen
}

// run executes fleetctl in-process with the env's clock and environment.
func (e *otaEnv) run(ctx context.Context, args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := cli.Execute(ctx, args, cli.Options{
		Stdout: &stdout, Stderr: &stderr, Clock: e.clock,
		Getenv:     func(k string) string { return e.env[k] },
		ConfigPath: filepath.Join(e.t.TempDir(), "absent.yaml"),
	})
	return code, stdout.String(), stderr.String()
}

// ok runs fleetctl and fails the test unless it exits 0.
func (e *otaEnv) ok(args ...string) string {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code, out, errOut := e.run(ctx, args...)
	if code != 0 {
		e.t.Fatalf("fleetctl %v: exit %d\n%s%s", args, code, out, errOut)
	}
	return out
}

// publish makes a key and publishes a small binary as artifact agent.
func (e *otaEnv) publish(build string, extra ...string) {
	dir := e.t.TempDir()
	e.ok("ota", "keygen", "--out", dir)
	bin := filepath.Join(dir, "agent")
	if err := os.WriteFile(bin, bytes.Repeat([]byte("agent v2 "), 5000), 0o755); err != nil {
		e.t.Fatal(err)
	}
	e.ok(append([]string{"ota", "publish", bin, "--version", "v2", "--build", build, "--key",
		filepath.Join(dir, "ota.key")}, extra...)...)
}

// otaDevice answers info (build 1), ota.status (rec) and ota.apply, and
// signals each request on seen.
func otaDevice(t *testing.T, url, id string, rec state.Record, seen chan<- string) {
	signal := func(cmd string) {
		select {
		case seen <- id + " " + cmd:
		default:
		}
	}
	fleettest.NewDevice(t, url, id, map[string]string{"fleet": "lab"}, map[string]fleettest.Handler{
		fleet.CmdInfo: func(fleet.Request, func(any)) (any, error) {
			signal(fleet.CmdInfo)
			return fleet.InfoDoc{ID: id, Build: 1}, nil
		},
		fleet.CmdOTAStatus: func(fleet.Request, func(any)) (any, error) { return rec, nil },
		fleet.CmdOTAApply: func(fleet.Request, func(any)) (any, error) {
			signal(fleet.CmdOTAApply)
			return state.Record{State: state.Restarting, Version: "v2"}, nil
		},
	})
}

func TestOTAStatusOfAllDevices(t *testing.T) {
	e := newOTAEnv(t)
	otaDevice(t, e.url, "pi", state.Record{State: state.Downloading, Artifact: "agent", Version: "v2", Build: 2,
		Progress: &state.Progress{Done: 3, Total: 10}}, nil)
	otaDevice(t, e.url, "gw", state.Record{State: state.Failed, Reason: "unknown_key: signed by an unknown key"}, nil)
	out := e.ok("ota", "status")
	for _, want := range []string{"DEVICE", "gw", "failed", "unknown_key: signed by an unknown key",
		"pi", "downloading", "v2 (2)", "3/10 chunks"} {
		if !strings.Contains(out, want) {
			t.Errorf("ota status without a device: missing %q in\n%s", want, out)
		}
	}
	var rows []struct {
		Device string      `json:"device"`
		State  state.State `json:"state"`
	}
	if err := json.Unmarshal([]byte(e.ok("ota", "status", "-o", "json")), &rows); err != nil || len(rows) != 2 ||
		rows[0].Device != "gw" || rows[0].State != state.Failed || rows[1].Device != "pi" {
		t.Fatalf("ota status -o json: %+v, err %v", rows, err)
	}
}

func TestOTAGC(t *testing.T) {
	e := newOTAEnv(t)
	e.publish("2")
	if out := e.ok("ota", "gc"); strings.Contains(out, "cleared") {
		t.Fatalf("gc without --artifact cleared an unfinished artifact:\n%s", out)
	}
	e.gcArtifact("cleared agent (v2 build 2)")
}

// gcArtifact runs `ota gc --artifact agent`, whose output must hold want,
// and checks that a second run finds nothing of it retained.
func (e *otaEnv) gcArtifact(want string) {
	e.t.Helper()
	if out := e.ok("ota", "gc", "--artifact", "agent"); !strings.Contains(out, want) {
		e.t.Fatalf("gc --artifact agent, want %q:\n%s", want, out)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if code, _, errOut := e.run(ctx, "ota", "gc", "--artifact", "agent"); code == 0 || !strings.Contains(errOut, "no retained manifest") {
		e.t.Fatalf("second gc: exit %d, %s; want the artifact gone", code, errOut)
	}
}

// TestOTAGCExpired: without --artifact, gc clears an expired manifest.
func TestOTAGCExpired(t *testing.T) {
	e := newOTAEnv(t)
	e.publish("2", "--expires", "1h")
	e.clock.Advance(2 * time.Hour)
	if out := e.ok("ota", "gc"); !strings.Contains(out, "cleared agent") {
		t.Fatalf("gc of an expired artifact:\n%s", out)
	}
}

// TestOTARolloutPauseResumeAbort drives a rollout in one invocation and
// pauses it from a second; status shows it; resume continues it in a
// third, and abort from a fourth ends it.
func TestOTARolloutPauseResumeAbort(t *testing.T) {
	e := newOTAEnv(t)
	e.publish("2")
	seen := e.rolloutDevices("d1", "d2", "d3")
	running := e.start("ota", "rollout", "--canary", "1", "--waves", "50,100", "--poll", "1s")
	waitFor(t, seen, "d1 "+fleet.CmdOTAApply) // the canary was pushed
	e.ok("ota", "rollout", "pause", "--reason", "lunch")
	e.clock.Advance(time.Second)
	if r := <-running; r.code == 0 || !strings.Contains(r.stderr, "paused") ||
		!strings.Contains(r.stderr, "fleetctl ota rollout resume") {
		t.Fatalf("rollout after pause: exit %d\n%s", r.code, r.stderr)
	}
	out := e.ok("ota", "rollout", "status")
	for _, want := range []string{"(rollout)", "paused", "stage 0/3", "lunch", "d1", "pushed", "d2", "pending"} {
		if !strings.Contains(out, want) {
			t.Errorf("rollout status: missing %q in\n%s", want, out)
		}
	}
	var rec rollout.Record
	if err := json.Unmarshal([]byte(e.ok("ota", "rollout", "status", "-o", "json")), &rec); err != nil || rec.Phase != rollout.Paused {
		t.Fatalf("rollout status -o json: phase %q, err %v", rec.Phase, err)
	}
	drain(seen)
	resumed := e.start("ota", "rollout", "resume", "--poll", "1s")
	waitFor(t, seen, "d1 "+fleet.CmdInfo) // the resumed rollout reads the canary
	e.ok("ota", "rollout", "abort", "--reason", "bad build")
	e.clock.Advance(time.Second)
	if r := <-resumed; r.code == 0 || !strings.Contains(r.stderr, "abort") {
		t.Fatalf("resumed rollout after abort: exit %d\n%s", r.code, r.stderr)
	}
	if out := e.ok("ota", "rollout", "status"); !strings.Contains(out, "aborted") || !strings.Contains(out, "bad build") {
		t.Fatalf("rollout status after abort:\n%s", out)
	}
}

type result struct {
	code           int
	stdout, stderr string
}

// start runs fleetctl in the background.
func (e *otaEnv) start(args ...string) <-chan result {
	done := make(chan result, 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	go func() {
		defer cancel()
		code, out, errOut := e.run(ctx, args...)
		done <- result{code, out, errOut}
	}()
	return done
}

func waitFor(t *testing.T, seen <-chan string, want string) {
	t.Helper()
	timeout := time.NewTimer(20 * time.Second)
	defer timeout.Stop()
	for {
		select {
		case got := <-seen:
			if got == want {
				return
			}
		case <-timeout.C:
			t.Fatalf("no %q request", want)
		}
	}
}

func drain(seen <-chan string) {
	for {
		select {
		case <-seen:
		default:
			return
		}
	}
}

// TestOTAPublishSignedWithMinisign: --prepare writes the manifest, the
// minisign tool signs it (a key made with -W has no password, so nothing
// prompts), --manifest/--signature publishes it, and the device-side
// Verify accepts it; a signature by a key the device does not trust is
// refused with unknown_key.
func TestOTAPublishSignedWithMinisign(t *testing.T) {
	tool, err := exec.LookPath("minisign")
	if err != nil {
		t.Skip("minisign not installed (Debian package minisign)")
	}
	e := newOTAEnv(t)
	dir := t.TempDir()
	for _, k := range []string{"trusted", "other"} {
		minisign(t, tool, "-G", "-W", "-f", "-p", filepath.Join(dir, k+".pub"), "-s", filepath.Join(dir, k+".key"))
	}
	bin := filepath.Join(dir, "agent")
	if err := os.WriteFile(bin, bytes.Repeat([]byte("agent v2 "), 30000), 0o755); err != nil {
		t.Fatal(err)
	}
	m := filepath.Join(dir, "manifest.json")
	e.ok("ota", "publish", bin, "--version", "v2", "--build", "2", "--prepare", m)
	trustedPub, _ := os.ReadFile(filepath.Join(dir, "trusted.pub"))
	u, err := ota.New(ota.Config{StateDir: t.TempDir(), Binary: bin, Build: 1, Clock: e.clock,
		TrustedKeys: []string{string(trustedPub)}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key     string
		wantErr error
	}{
		{"trusted", nil},
		{"other", manifest.ErrUnknownKey},
	}
	for _, tt := range tests {
		sig := filepath.Join(dir, tt.key+".minisig")
		minisign(t, tool, "-S", "-m", m, "-s", filepath.Join(dir, tt.key+".key"), "-x", sig)
		e.ok("ota", "publish", bin, "--manifest", m, "--signature", sig)
		got, err := u.Verify(retainedEnvelope(t, e.url, "drover/ota/agent/manifest"))
		if !errors.Is(err, tt.wantErr) {
			t.Fatalf("%s key: device Verify: %v, want %v", tt.key, err, tt.wantErr)
		}
		if tt.wantErr == nil && (got.Version != "v2" || got.Build != 2) {
			t.Fatalf("%s key: verified manifest %+v", tt.key, got)
		}
		if tt.wantErr != nil && ota.Reason(err) != "unknown_key" {
			t.Fatalf("%s key: reason %q, want unknown_key", tt.key, ota.Reason(err))
		}
	}
}

func minisign(t *testing.T, tool string, args ...string) {
	t.Helper()
	cmd := exec.Command(tool, args...)
	cmd.Stdin = strings.NewReader("")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("minisign %v: %v\n%s", args, err, out)
	}
}

// retainedEnvelope reads the retained message of topic.
func retainedEnvelope(t *testing.T, url, topic string) []byte {
	t.Helper()
	c := fleettest.Connect(t, url, "verify-"+strconv.FormatInt(time.Now().UnixNano(), 36))
	got := make(chan []byte, 1)
	fleettest.Wait(t, c.Subscribe(topic, 1, func(_ paho.Client, m paho.Message) {
		select {
		case got <- m.Payload():
		default:
		}
	}))
	select {
	case env := <-got:
		return env
	case <-time.After(20 * time.Second):
		t.Fatalf("no retained %s", topic)
		return nil
	}
}

// TestKeygenCreatesDir: the README's first OTA command names a directory
// that does not exist yet; keygen creates it, private (0700).
func TestKeygenCreatesDir(t *testing.T) {
	e := newOTAEnv(t)
	dir := filepath.Join(t.TempDir(), "home", ".drover")
	e.ok("ota", "keygen", "--out", dir)
	fi, err := os.Stat(dir)
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir %v (err %v), want mode 0700", fi, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "ota.key")); err != nil {
		t.Fatal(err)
	}
}

// TestPublishPlatformFromELF: publish labels a binary with the os/arch of
// its ELF header (this test binary's), and refuses a flag that contradicts it.
func TestPublishPlatformFromELF(t *testing.T) {
	e := newOTAEnv(t)
	out := filepath.Join(t.TempDir(), "manifest.json")
	e.ok("ota", "publish", os.Args[0], "--version", "v2", "--build", "2", "--prepare", out)
	var m struct{ OS, Arch string }
	b, err := os.ReadFile(out)
	if err != nil || json.Unmarshal(b, &m) != nil || m.OS != "linux" || m.Arch != runtime.GOARCH {
		t.Fatalf("manifest %s (err %v), want linux/%s", b, err, runtime.GOARCH)
	}
	other := map[string]string{"arm64": "amd64"}[runtime.GOARCH]
	if other == "" {
		other = "arm64"
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	code, _, errOut := e.run(ctx, "ota", "publish", os.Args[0], "--version", "v2", "--build", "2",
		"--prepare", out, "--arch", other)
	if code != 2 || !strings.Contains(errOut, "contradicts") {
		t.Fatalf("publish --arch %s of a %s binary: exit %d, %s", other, runtime.GOARCH, code, errOut)
	}
}

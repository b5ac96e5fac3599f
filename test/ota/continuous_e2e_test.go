package otae2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/rollout"
)

// TestContinuousRolloutRateLimited runs `fleetctl ota rollout --continuous
// --max-per-minute 2` over three online devices and one offline one; once
// the first two were told to start, the offline device comes back and a
// new device with matching labels joins. All five end on v2; the one that
// was offline was pushed only after it came back; no minute of the
// recorded push times holds more than two.
func TestContinuousRolloutRateLimited(t *testing.T) {
	e := newEnv(t)
	for _, id := range []string{"c0", "c1", "c2"} {
		e.device(id)
	}
	away := e.device("c3")
	away.stop()
	waitState(t, e.client, "c3", fleet.StateLost)
	e.publish("v2", "v2", "2")
	roll := startRollout(t, e, "--continuous", "--max-per-minute", "2", "--canary", "0", "--waves", "100",
		"--poll", "1s", "--selector", "fleet=e2e")
	eventually(t, waitFor, "two devices told to start", func() (bool, string) {
		n := len(otatest.PushTimes(rolloutRecord(t, e)))
		return n >= 2, strings.Repeat("pushed ", n)
	})
	back := time.Now()
	away.again()
	startDevice(t, "c4", e.mq.url(), "v1", e.pub)
	ids := []string{"c0", "c1", "c2", "c3", "c4"}
	var rec rollout.Record
	eventually(t, 5*time.Minute, "all five devices succeeded", func() (bool, string) {
		rec = rolloutRecord(t, e)
		return rec.Counts()[rollout.Succeeded] == len(ids), toJSON(rec.Counts())
	})
	if out := roll.stop(t); !strings.Contains(out, "stopped; the same command continues") {
		t.Errorf("rollout output after SIGINT:\n%s", out)
	}
	for _, id := range ids {
		settled(t, e.client, id, "v2")
	}
	if !slices.Contains(rec.Plan.Devices, "c4") || rec.Phase != rollout.Running {
		t.Errorf("c4 not in the rollout (%v) or phase %s", rec.Plan.Devices, rec.Phase)
	}
	if at := rec.Devices["c3"].PushedAt; at.Before(back) {
		t.Errorf("c3 pushed at %v, before it came back at %v", at, back)
	}
	if n := otatest.MaxPerMinute(otatest.PushTimes(rec)); n > 2 {
		t.Errorf("%d devices told to start within one minute, want at most 2: %v", n, otatest.PushTimes(rec))
	}
}

// rolloutRecord reads the rollout's record with fleetctl ota rollout
// status (empty until the rollout has saved it).
func rolloutRecord(t *testing.T, e *env) rollout.Record {
	t.Helper()
	var rec rollout.Record
	out, code := fleetctl(t, e.mq.url(), "ota", "rollout", "status", "-o", "json")
	if code != 0 && strings.Contains(out, "no rollout") {
		return rec
	}
	if err := json.Unmarshal([]byte(out), &rec); code != 0 || err != nil {
		t.Fatalf("rollout status -o json: exit %d, %v\n%s", code, err, out)
	}
	return rec
}

// background is a fleetctl process running in the background.
type background struct {
	cmd  *exec.Cmd
	out  *bytes.Buffer
	done chan struct{}
}

// startRollout runs fleetctl ota rollout in the background; the test ends
// it with stop (SIGINT), or cleanup does.
func startRollout(t *testing.T, e *env, args ...string) *background {
	t.Helper()
	b := &background{out: &bytes.Buffer{}, done: make(chan struct{})}
	b.cmd = exec.Command(bins["fleetctl"], append([]string{"--broker", e.mq.url(), "--timeout", "20s", "ota", "rollout"}, args...)...)
	b.cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "XDG_STATE_HOME="+stateHome(t))
	b.cmd.Stdout, b.cmd.Stderr = b.out, b.out
	if err := b.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = b.cmd.Wait(); close(b.done) }()
	t.Cleanup(func() { b.stop(t) })
	return b
}

// stop interrupts the process, waits for it and returns its output.
func (b *background) stop(t *testing.T) string {
	_ = b.cmd.Process.Signal(syscall.SIGINT)
	select {
	case <-b.done:
	case <-time.After(waitFor):
		_ = b.cmd.Process.Kill()
		<-b.done
		t.Errorf("fleetctl did not stop within %v of SIGINT", waitFor)
	}
	return b.out.String()
}

// again starts a stopped device anew, from the same binary, config and
// data dir.
func (d *device) again() *device {
	d.t.Helper()
	log, err := os.OpenFile(d.log.Name(), os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		d.t.Fatal(err)
	}
	n := &device{t: d.t, id: d.id, bin: d.bin, conf: d.conf, log: log, quit: make(chan struct{}), done: make(chan struct{})}
	go n.supervise()
	d.t.Cleanup(n.stop)
	return n
}

package otae2e

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	fleetclient "github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/state"
)

// stateHomes gives each test one XDG_STATE_HOME for all its fleetctl runs.
var stateHomes sync.Map

func stateHome(t testing.TB) string {
	d, _ := stateHomes.LoadOrStore(t.Name(), t.TempDir())
	return d.(string)
}

// device is one agent installed at dir/bin/agent and kept running the
// way systemd's Restart=always would: when the process exits (crash,
// SIGKILL) it is started again, from the binary now at the path.
type device struct {
	t      testing.TB
	id     string
	bin    string
	conf   string
	log    *os.File
	mu     sync.Mutex
	cmd    *exec.Cmd
	starts int
	quit   chan struct{}
	done   chan struct{}
	once   sync.Once
}

// deviceConfig is the agent's YAML for a device trusting pubKey.
func deviceConfig(id, broker, dataDir, pubKey string) string {
	return fmt.Sprintf("id: %s\nbroker:\n  urls: [%s]\ndata_dir: %s\nmetrics:\n  listen: 127.0.0.1:0\n"+
		"labels:\n  fleet: e2e\nota:\n  trusted_keys: [%q]\n  trial: 3s\n", id, broker, dataDir, pubKey)
}

// startDevice installs the binary from (a bins key) and runs it.
func startDevice(t testing.TB, id, broker, from, pubKey string) *device {
	t.Helper()
	dir := t.TempDir()
	d := &device{t: t, id: id, bin: filepath.Join(dir, "bin", "agent"), conf: filepath.Join(dir, "agent.yaml"),
		quit: make(chan struct{}), done: make(chan struct{})}
	copyFile(t, bins[from], d.bin)
	if err := os.WriteFile(d.conf, []byte(deviceConfig(id, broker, filepath.Join(dir, "data"), pubKey)), 0o600); err != nil {
		t.Fatal(err)
	}
	var err error
	if d.log, err = os.Create(filepath.Join(dir, "agent.log")); err != nil {
		t.Fatal(err)
	}
	go d.supervise()
	t.Cleanup(d.stop)
	return d
}

func copyFile(t testing.TB, src, dst string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, in); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
}

// supervise starts the agent again whenever it exits, until stop.
func (d *device) supervise() {
	defer close(d.done)
	for {
		cmd := exec.Command(d.bin, "--config", d.conf)
		cmd.Stdout, cmd.Stderr = d.log, d.log
		d.mu.Lock()
		err := cmd.Start()
		d.cmd = cmd
		d.starts++
		d.mu.Unlock()
		if err == nil {
			_ = cmd.Wait()
		}
		select {
		case <-d.quit:
			return
		case <-time.After(200 * time.Millisecond): // systemd's RestartSec
		}
	}
}

// kill sends SIGKILL to the running agent; supervise starts it again.
func (d *device) kill() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.cmd != nil && d.cmd.Process != nil {
		_ = d.cmd.Process.Signal(syscall.SIGKILL)
	}
}

// stop ends the supervisor and the agent (once; also at cleanup).
func (d *device) stop() {
	d.once.Do(func() {
		close(d.quit)
		d.kill()
		<-d.done
		if d.t.Failed() {
			b, _ := os.ReadFile(d.log.Name())
			d.t.Logf("--- last output of agent %s:\n%s", d.id, b[max(0, len(b)-8<<10):])
		}
		d.log.Close()
	})
}

// binarySHA is the sha256 of the binary at the device's path.
func (d *device) binarySHA() string {
	sum, err := manifest.FileSHA256(d.bin)
	if err != nil {
		return err.Error()
	}
	return sum
}

// client is an in-process fleet client for the test's queries.
func client(t testing.TB, broker string) *fleetclient.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	c, err := fleetclient.Dial(ctx, fleetclient.Options{Brokers: []string{broker}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// query sends cmd to dev and decodes the result.
func query(c *fleetclient.Client, dev, cmd string, out any) error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	r, err := c.Request(ctx, dev, cmd, nil)
	if err != nil {
		return err
	}
	return r.Decode(out)
}

// settled waits until dev answers, runs one of versions and has no update
// under way, and returns its version and OTA record.
func settled(t testing.TB, c *fleetclient.Client, dev string, versions ...string) (string, state.Record) {
	t.Helper()
	var info fleet.InfoDoc
	var rec state.Record
	eventually(t, waitFor, dev+" running "+strings.Join(versions, " or ")+" with no update under way", func() (bool, string) {
		if err := query(c, dev, fleet.CmdInfo, &info); err != nil {
			return false, err.Error()
		}
		if err := query(c, dev, fleet.CmdOTAStatus, &rec); err != nil {
			return false, err.Error()
		}
		ok := !rec.State.Busy() && rec.State != state.Trial
		for _, v := range versions {
			if ok && info.Version == v {
				return true, ""
			}
		}
		return false, fmt.Sprintf("version %s, ota %s %s", info.Version, rec.State, rec.Reason)
	})
	return info.Version, rec
}

// waitState waits until the retained state of dev is want.
func waitState(t testing.TB, c *fleetclient.Client, dev string, want fleet.DeviceState) {
	t.Helper()
	eventually(t, waitFor, dev+" "+string(want), func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		devs, err := c.Devices(ctx, 0)
		if err != nil {
			return false, err.Error()
		}
		for _, x := range devs {
			if x.ID == dev {
				return x.State == want, string(x.State)
			}
		}
		return false, "not listed"
	})
}

// fileSHA is the sha256 of a file.
func fileSHA(t testing.TB, path string) string {
	t.Helper()
	sum, err := manifest.FileSHA256(path)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

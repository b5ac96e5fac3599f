package e2e

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
)

const dev = "e2e1"

func metricsAddr(t testing.TB) string { return fmt.Sprintf("127.0.0.1:%d", freePort(t)) }

// TestCommandsThroughFleetctl runs fleetctl commands against the agent.
func TestCommandsThroughFleetctl(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+dev+"/#")
	agent := startAgent(t, m.url(), dev, t.TempDir(), metricsAddr(t))
	w.expect("drover/"+dev+"/state", "online")
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"devices"}, 0, dev},
		{[]string{"ping", dev}, 0, dev},
		{[]string{"info", dev}, 0, "linux"},
		{[]string{"status", dev}, 0, dev},
		{[]string{"schedule", "add", dev, "never", "--spec", "every 1h", "--job", "rm -rf /"}, 1, "not_found"},
		{[]string{"task", "ls", dev}, 0, ""},
		{[]string{"schedule", "ls", dev}, 0, "NAME"},
		{[]string{"task", "stop", dev, "ghost"}, 1, "not_found"},
		{[]string{"service", "ls", dev}, 0, ""},
		{[]string{"logs", dev, "-n", "5"}, 0, "connected"},
		{[]string{"config", dev}, 0, dev},
		{[]string{"sensors", dev}, 0, "load1"}, // no sensors: key = the machine's system sensors
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, "_"), func(t *testing.T) {
			out, code := fleetctl(t, m.url(), tt.args...)
			if code != tt.code || !strings.Contains(out, tt.want) {
				t.Errorf("fleetctl %v: exit %d, want %d; output lacks %q:\n%s", tt.args, code, tt.code, tt.want, out)
			}
		})
	}
	if code := agent.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("agent exit %d after SIGTERM, want 0", code)
	}
	w.expect("drover/"+dev+"/state", "offline")
}

// TestRefusedRequests sends malformed, oversized and expired requests.
func TestRefusedRequests(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+dev+"/#")
	startAgent(t, m.url(), dev, t.TempDir(), metricsAddr(t))
	w.expect("drover/"+dev+"/state", "online")
	cmd := "drover/" + dev + "/cmd"
	reply := "drover/" + dev + "/reply/e2e"
	w.publish(cmd, []byte(`{"v":1,`))
	w.expect("drover/"+dev+"/reply", `"bad_request"`)
	w.publish(cmd, []byte(`{"v":1,"id":"big","from":"e2e","cmd":"ping","args":{"x":"`+strings.Repeat("x", 300<<10)+`"}}`))
	w.expect(reply, `"too_large"`)
	w.publish(cmd, []byte(`{"v":1,"id":"old","from":"e2e","cmd":"ping","exp":"2001-01-01T00:00:00Z"}`))
	w.expect(reply, `"expired"`)
	w.publish(cmd, []byte(`{"v":1,"id":"nocmd","from":"e2e"}`))
	w.expect(reply, `"bad_request"`)
	w.publish(cmd, []byte(`{"v":1,"id":"alive","from":"e2e","cmd":"ping"}`))
	w.expect(reply, `"ok":true`)
}

// TestStates checks lost after SIGKILL, online after a restart and
// offline with exit 0 after SIGTERM.
func TestStates(t *testing.T) {
	m := startMosquitto(t)
	w := watch(t, m.url(), "drover/"+dev+"/state")
	data, addr := t.TempDir(), metricsAddr(t)
	a := startAgent(t, m.url(), dev, data, addr)
	w.expect("drover/"+dev+"/state", "online")
	a.stop(t, syscall.SIGKILL)
	w.expect("drover/"+dev+"/state", "lost")
	a = startAgent(t, m.url(), dev, data, addr)
	w.expect("drover/"+dev+"/state", "online")
	if code := a.stop(t, syscall.SIGTERM); code != 0 {
		t.Errorf("exit %d after SIGTERM, want 0", code)
	}
	w.expect("drover/"+dev+"/state", "offline")
}

// TestBrokerRestart stops Mosquitto mid-run: the agent reconnects,
// publishes its birth again and answers commands (it resubscribed).
func TestBrokerRestart(t *testing.T) {
	m := startMosquitto(t)
	startAgent(t, m.url(), dev, t.TempDir(), metricsAddr(t))
	w := watch(t, m.url(), "drover/"+dev+"/#")
	w.expect("drover/"+dev+"/state", "online")
	m.Stop()
	m.Start() // same port, no persistence: retained state is gone
	w.expect("drover/"+dev+"/state", "online")
	w.expect("drover/"+dev+"/info", `"id":"`+dev+`"`)
	if out, code := fleetctl(t, m.url(), "ping", dev); code != 0 {
		t.Fatalf("ping after broker restart: exit %d\n%s", code, out)
	}
}

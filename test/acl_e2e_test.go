package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/test/internal/harness"
)

// aclBroker is a Mosquitto with allow_anonymous false, a password file
// holding every user as name/name-pw, and the ACL fleetctl generates.
func aclBroker(t *testing.T, devices ...string) *mosquitto {
	t.Helper()
	dir := t.TempDir()
	aclText := fleetctlOK(t, "", "acl", "mosquitto", "--operators", "op", "--viewers", "view", "--publishers", "ci")
	aclFile, pwFile := filepath.Join(dir, "acl"), filepath.Join(dir, "passwd")
	if err := os.WriteFile(aclFile, []byte(aclText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	passwd := harness.Need(t, "mosquitto_passwd", "/usr/bin/mosquitto_passwd")
	for i, user := range append([]string{"op", "view", "ci"}, devices...) {
		args := []string{"-b", pwFile, user, user + "-pw"}
		if i == 0 {
			args = append([]string{"-c"}, args...)
		}
		if out, err := exec.Command(passwd, args...).CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_passwd %s: %v\n%s", user, err, out)
		}
	}
	port := freePort(t)
	return startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous false\npersistence false\n"+
		"password_file %s\nacl_file %s\n", port, pwFile, aclFile))
}

// as logs a test client in as user.
func as(user string) func(*paho.ClientOptions) {
	return func(o *paho.ClientOptions) { o.SetUsername(user).SetPassword(user + "-pw") }
}

// expectBefore waits for a message on topic containing want, failing if a
// message for which bad holds arrives first. Messages from one publisher
// arrive in order, so a marker sent after a forbidden publish proves the
// broker dropped it.
func (w *watcher) expectBefore(topic, want string, bad func(message) bool) {
	w.t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case m := <-w.m:
			if bad(m) {
				w.t.Fatalf("forbidden message got through: %s %q", m.topic, m.payload)
			}
			if m.topic == topic && strings.Contains(m.payload, want) {
				return
			}
		case <-deadline:
			w.t.Fatalf("no message on %s containing %q within %v", topic, want, waitFor)
		}
	}
}

// TestBrokerACLE2E runs agents under the generated ACL: they come online;
// a device's credentials cannot publish another's state or OTA topics, or
// read another's commands; a viewer cannot command; an operator can.
func TestBrokerACLE2E(t *testing.T) {
	m := aclBroker(t, "acl1", "acl2")
	ops := watchWith(t, m.url(), as("op"), "drover/+/state", "drover/ota/#")
	for _, dev := range []string{"acl1", "acl2"} {
		conf := fmt.Sprintf("id: %s\nbroker:\n  username: %s\n  password: %s-pw\n", dev, dev, dev)
		startAgentConfig(t, "agent-"+dev, writeFile(t, "agent.yaml", conf), "--broker", m.url(),
			"--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t))
		ops.expect("drover/"+dev+"/state", "online")
	}

	t.Run("device cannot publish another's state or OTA", func(t *testing.T) {
		leaked := watchWith(t, m.url(), as("acl1"))
		leaked.publish("drover/acl2/state", []byte("offline"))
		leaked.publish("drover/ota/agent/manifest", []byte("forged"))
		leaked.publish("drover/acl1/state", []byte("marker-1"))
		ops.expectBefore("drover/acl1/state", "marker-1", func(m message) bool {
			return m.topic == "drover/acl2/state" && m.payload == "offline" || strings.HasPrefix(m.topic, "drover/ota/")
		})
	})
	t.Run("device cannot read another's commands", func(t *testing.T) {
		leaked := watchWith(t, m.url(), as("acl1"), "drover/acl2/cmd", "drover/acl1/cmd")
		ops.publish("drover/acl2/cmd", []byte(`{"v":1,"id":"secret","cmd":"ping","from":"op"}`))
		ops.publish("drover/acl1/cmd", []byte(`{"v":1,"id":"marker-2","cmd":"ping","from":"op"}`))
		leaked.expectBefore("drover/acl1/cmd", "marker-2", func(m message) bool { return m.topic == "drover/acl2/cmd" })
	})
	t.Run("device reads OTA artifacts a publisher wrote", func(t *testing.T) {
		ci := watchWith(t, m.url(), as("ci"))
		if tok := ci.c.Publish("drover/ota/agent/notes", 1, true, "from ci"); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
			t.Fatalf("publisher: %v", tok.Error())
		}
		ops.expect("drover/ota/agent/notes", "from ci")
		watchWith(t, m.url(), as("acl1"), "drover/ota/#").expect("drover/ota/agent/notes", "from ci")
	})
	t.Run("viewer cannot command, operator can", func(t *testing.T) {
		out, code := fleetctl(t, m.url(), "--username", "view", "--password", "view-pw", "--timeout", "3s", "ping", "acl1")
		if code == 0 {
			t.Fatalf("viewer's ping answered:\n%s", out)
		}
		fleetctlOK(t, m.url(), "--username", "op", "--password", "op-pw", "ping", "acl1")
		if out := fleetctlOK(t, m.url(), "--username", "view", "--password", "view-pw", "devices"); !strings.Contains(out, "acl2") {
			t.Fatalf("viewer cannot list devices:\n%s", out)
		}
	})
}

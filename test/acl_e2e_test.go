package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/ota/transfer"

	"github.com/drover-iot/drover/test/internal/harness"
)

// aclBroker is a Mosquitto with allow_anonymous false, the ACL fleetctl
// generates and a password file: mosquitto_passwd's name/name-pw for op,
// view and ci, and a line of `fleetctl enroll DEV --password` for each
// device, whose printed agent config it returns.
func aclBroker(t *testing.T, devices ...string) (*mosquitto, map[string]string) {
	t.Helper()
	dir, port := t.TempDir(), freePort(t)
	url := fmt.Sprintf("tcp://127.0.0.1:%d", port)
	aclText := fleetctlOK(t, "", "acl", "mosquitto", "--operators", "op", "--viewers", "view", "--publishers", "ci")
	aclFile, pwFile := filepath.Join(dir, "acl"), filepath.Join(dir, "passwd")
	passwd := harness.Need(t, "mosquitto_passwd", "/usr/bin/mosquitto_passwd")
	for i, user := range []string{"op", "view", "ci"} {
		args := []string{"-b", pwFile, user, user + "-pw"}
		if i == 0 {
			args = append([]string{"-c"}, args...)
		}
		if out, err := exec.Command(passwd, args...).CombinedOutput(); err != nil {
			t.Fatalf("mosquitto_passwd %s: %v\n%s", user, err, out)
		}
	}
	confs := map[string]string{}
	lines := ""
	for _, dev := range devices {
		out := fleetctlOK(t, url, "enroll", dev, "--password")
		line := regexp.MustCompile(`(?m)^` + dev + `:\$7\$.*$`).FindString(out)
		conf, ok := strings.CutPrefix(out[strings.Index(out, "# agent config:"):], "# agent config:\n")
		if line == "" || !ok {
			t.Fatalf("enroll --password printed:\n%s", out)
		}
		lines += line + "\n"
		confs[dev] = conf
	}
	appendFile(t, pwFile, lines)
	if err := os.WriteFile(aclFile, []byte(aclText+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous false\npersistence false\n"+
		"password_file %s\nacl_file %s\n", port, pwFile, aclFile)), confs
}

func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
}

// as logs a test client in as user.
func as(user string) func(*paho.ClientOptions) {
	return func(o *paho.ClientOptions) { o.SetUsername(user).SetPassword(user + "-pw") }
}

// otaKeys makes an OTA key pair and returns the secret key file and the
// trusted_keys line.
func otaKeys(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	fleetctlOK(t, "", "ota", "keygen", "--out", dir)
	pub, err := os.ReadFile(filepath.Join(dir, "ota.pub"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(pub)), "\n")
	return filepath.Join(dir, "ota.key"), lines[len(lines)-1]
}

// asDevice logs a test client in with the credentials of an agent config
// that enroll --password printed.
func asDevice(conf string) func(*paho.ClientOptions) {
	user := regexp.MustCompile(`(?m)^  username: (\S+)$`).FindStringSubmatch(conf)
	pw := regexp.MustCompile(`(?m)^  password: (\S+)$`).FindStringSubmatch(conf)
	return func(o *paho.ClientOptions) { o.SetUsername(user[1]).SetPassword(pw[1]) }
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
	m, confs := aclBroker(t, "acl1", "acl2")
	ops := watchWith(t, m.url(), as("op"), "drover/+/state", "drover/ota/#")
	otaKey, otaPub := otaKeys(t)
	confs["acl1"] += "\nota:\n  trusted_keys:\n    - " + otaPub + "\n"
	for _, dev := range []string{"acl1", "acl2"} {
		startAgentConfig(t, "agent-"+dev, writeFile(t, "agent.yaml", confs[dev]),
			"--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t))
		ops.expect("drover/"+dev+"/state", "online")
	}

	t.Run("device cannot publish another's state or OTA", func(t *testing.T) {
		leaked := watchWith(t, m.url(), as("view"))
		leaked.publish("drover/acl2/state", []byte("offline")) // a viewer cannot either
		leaked = watchWith(t, m.url(), asDevice(confs["acl1"]))
		leaked.publish("drover/acl2/state", []byte("offline"))
		leaked.publish("drover/ota/agent/manifest", []byte("forged"))
		leaked.publish("drover/acl1/state", []byte("marker-1"))
		ops.expectBefore("drover/acl1/state", "marker-1", func(m message) bool {
			return m.topic == "drover/acl2/state" && m.payload == "offline" || strings.HasPrefix(m.topic, "drover/ota/")
		})
	})
	t.Run("device cannot read another's commands", func(t *testing.T) {
		leaked := watchWith(t, m.url(), asDevice(confs["acl1"]), "drover/acl2/cmd", "drover/acl1/cmd")
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
		watchWith(t, m.url(), asDevice(confs["acl1"]), "drover/ota/#").expect("drover/ota/agent/notes", "from ci")
	})
	t.Run("agent's OTA connection reads manifest and chunks", func(t *testing.T) {
		// A publisher's artifact with a chunk it then corrupts: the device
		// can only name the bad chunk if it read the manifest and chunks.
		ci := []string{"--username", "ci", "--password", "ci-pw"}
		fleetctlOK(t, m.url(), append(ci, "ota", "publish", bins["agent"], "--version", "v99", "--build", "99",
			"--key", otaKey, "--artifact", "acltest")...)
		bad := watchWith(t, m.url(), as("ci"))
		topic := transfer.Topics{Artifact: "acltest"}.Chunk(transfer.KindFull, 1)
		if tok := bad.c.Publish(topic, 1, true, "not the chunk"); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
			t.Fatalf("publisher: %v", tok.Error())
		}
		out, code := fleetctl(t, m.url(), "--username", "op", "--password", "op-pw", "--timeout", "60s",
			"ota", "push", "acl1", "--artifact", "acltest")
		if code != 1 || !strings.Contains(out, "chunk_hash") {
			t.Fatalf("ota push: exit %d, want 1 with chunk_hash:\n%s", code, out)
		}
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

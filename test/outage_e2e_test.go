package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

const outageDev = "e2e5"

// TestRequestQueuedAcrossOutage cuts the link between the agent and
// Mosquitto; a request published meanwhile (QoS 1) waits in the agent's
// persistent session and is answered once the link is back.
func TestRequestQueuedAcrossOutage(t *testing.T) {
	m := startMosquitto(t)
	p := startProxy(t, fmt.Sprintf("127.0.0.1:%d", m.Port))
	w := watch(t, m.url(), "drover/"+outageDev+"/state", "drover/"+outageDev+"/cmd")
	startAgent(t, p.url(), outageDev, t.TempDir(), metricsAddr(t))
	w.expect("drover/"+outageDev+"/state", "online")

	p.Cut()
	w.expect("drover/"+outageDev+"/state", "lost")
	ping := exec.Command(bins["fleetctl"], "--broker", m.url(), "--timeout", "60s", "ping", outageDev)
	ping.Env = append(os.Environ(), "HOME="+t.TempDir())
	done := make(chan []byte, 1)
	go func() { out, _ := ping.CombinedOutput(); done <- out }()
	t.Cleanup(func() { _ = ping.Process.Kill(); <-done })
	w.expect("drover/"+outageDev+"/cmd", `"cmd":"ping"`) // in the broker, waiting for the agent
	p.Restore()
	select {
	case out := <-done:
		done <- out // for the cleanup
		if code := ping.ProcessState.ExitCode(); code != 0 {
			t.Fatalf("ping across the outage: exit %d\n%s", code, out)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("no reply to the queued ping")
	}
	w.expect("drover/"+outageDev+"/state", "online")
}

// TestReplyQueuedAcrossBrokerRestart makes the agent produce a reply
// while its link is dead (the proxy swallows what it publishes), then
// restarts Mosquitto (persistence on): the agent keeps the unacknowledged
// reply in its offline queue, reconnects and delivers it to the
// requester's persistent session.
func TestReplyQueuedAcrossBrokerRestart(t *testing.T) {
	port := freePort(t)
	store := t.TempDir()
	m := startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n", port, store))
	p := startProxy(t, fmt.Sprintf("127.0.0.1:%d", port))
	replies := "drover/" + outageDev + "/reply/e2e-q"
	w := watchWith(t, m.url(), func(o *paho.ClientOptions) { o.SetClientID("e2e-q").SetCleanSession(false) },
		"drover/"+outageDev+"/#")
	// No sensors: no telemetry may queue ahead of the reply under test.
	quiet := writeFile(t, "agent.yaml", "sensors: []\n")
	startAgentConfig(t, "agent-"+outageDev, quiet, "--broker", p.url(), "--id", outageDev,
		"--data-dir", t.TempDir(), "--metrics-listen", metricsAddr(t))
	// Online, birth, first status and first reported state sent (in any
	// order): nothing else waits in the queue.
	w.expectAll(map[string]string{
		"drover/" + outageDev + "/state":    "online",
		"drover/" + outageDev + "/info":     `"id":"` + outageDev + `"`,
		"drover/" + outageDev + "/status":   `"device":"` + outageDev + `"`,
		"drover/" + outageDev + "/reported": `"groups"`,
	})

	p.Swallow(true)
	w.publish("drover/"+outageDev+"/cmd", []byte(`{"v":1,"id":"q1","from":"e2e-q","cmd":"ping"}`))
	eventually(t, waitFor, "the agent sent its reply into the dead link", func() (bool, string) {
		return p.Swallowed(`"id":"q1"`)
	})
	m.Stop()
	if _, err := os.Stat(filepath.Join(store, "mosquitto.db")); err != nil {
		t.Fatalf("Mosquitto saved no session store: %v", err)
	}
	p.Swallow(false)
	m.Start()
	w.expect("drover/"+outageDev+"/state", "online")
	w.expect(replies, `"id":"q1","ok":true`) // after the birth: from the agent's queue
}

// TestBirthRetriedWhileConnected loses the agent's birth message on a
// connection that stays open: the agent publishes it again and goes
// online instead of staying connected but deaf.
func TestBirthRetriedWhileConnected(t *testing.T) {
	t.Parallel()
	const id = "e2e6"
	m := startMosquitto(t)
	p := startProxy(t, fmt.Sprintf("127.0.0.1:%d", m.Port))
	w := watch(t, m.url(), "drover/"+id+"/state", "drover/"+id+"/info")
	p.SwallowOnly("drover/" + id + "/info") // the birth, from the first connect on
	startAgent(t, p.url(), id, t.TempDir(), metricsAddr(t))
	eventually(t, waitFor, "the birth swallowed", func() (bool, string) { return p.Swallowed(`"id":"` + id + `"`) })
	p.Swallow(false)
	w.expect("drover/"+id+"/info", `"id":"`+id+`"`)
	if out, code := fleetctl(t, m.url(), "ping", id); code != 0 {
		t.Fatalf("ping after the birth was retried: exit %d\n%s", code, out)
	}
}

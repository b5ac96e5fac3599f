package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/test/internal/harness"
)

// TestNATSNodeKillLosesNothing: an agent on a 3-node NATS JetStream
// cluster publishes telemetry at 5 Hz through its outbox, collected by a
// subscriber with a persistent session on another node. A QoS 1 ping goes
// to the agent just before its node is SIGKILLed and another just after:
// both are answered (from the agent's next node), and every reading
// arrives, in order, with no gap in seq — the check of the Mosquitto
// outage tests, through a cluster losing a node.
func TestNATSNodeKillLosesNothing(t *testing.T) {
	t.Parallel()
	const id = "nats-q"
	nodes := harness.StartNATSCluster(t, 3)
	victim := harness.LeastLeading(t, nodes)
	var others []string
	for _, n := range nodes {
		if n != victim {
			others = append(others, n.URL())
		}
	}
	conf := writeFile(t, id+".yaml", fmt.Sprintf("id: %s\ndata_dir: %s\nbroker:\n  urls: [%s, %s, %s]\n"+
		"metrics: {listen: %q}\nsensors:\n  - {name: sim, driver: simulated, schedule: rate 5hz}\n",
		id, t.TempDir(), victim.URL(), others[0], others[1], metricsAddr(t)))
	tel, replies := "drover/"+id+"/telemetry", "drover/"+id+"/reply/e2e-nq"
	w := watchWith(t, others[1], func(o *paho.ClientOptions) { o.SetClientID("e2e-nq").SetCleanSession(false) }, tel, replies)
	startAgentConfig(t, "agent-"+id, conf)
	c := &natsCollector{t: t, w: w, tel: tel, answered: map[string]bool{}}
	c.collect(2*waitFor, func() bool { return len(c.got) >= 10 })
	c.ping("before")
	victim.Kill()
	killed := time.Now()
	c.ping("after")
	c.collect(3*waitFor, func() bool {
		return c.answered["before"] && c.answered["after"] &&
			len(c.got) > 0 && c.got[len(c.got)-1].TS.After(killed.Add(5*time.Second))
	})
	t.Logf("both pings answered and telemetry flowing again %v after the kill", time.Since(killed).Round(time.Millisecond))
	assertSequence(t, c.got, 10)
}

// natsCollector gathers the telemetry and the ping replies a watcher sees.
type natsCollector struct {
	t        *testing.T
	w        *watcher
	tel      string
	got      []fleet.Telemetry
	answered map[string]bool
}

// ping publishes a ping with the given id, QoS 1, for the agent; a
// publication the settling cluster does not acknowledge is sent again
// (the agent answers a repeated id once, from its cache).
func (c *natsCollector) ping(reqID string) {
	c.t.Helper()
	req := fmt.Sprintf(`{"v":1,"id":%q,"from":"e2e-nq","cmd":"ping"}`, reqID)
	eventually(c.t, 3*waitFor, "the cluster took the "+reqID+" ping", func() (bool, string) {
		tok := c.w.c.Publish("drover/nats-q/cmd", 1, false, []byte(req))
		if !tok.WaitTimeout(20*time.Second) || tok.Error() != nil {
			return false, fmt.Sprint("not acknowledged: ", tok.Error())
		}
		return true, ""
	})
}

// collect takes messages until done holds, failing after within.
func (c *natsCollector) collect(within time.Duration, done func() bool) {
	c.t.Helper()
	deadline := time.After(within)
	for !done() {
		select {
		case m := <-c.w.m:
			c.take(m)
		case <-deadline:
			c.t.Fatalf("after %v: %d readings, pings answered %v", within, len(c.got), c.answered)
		}
	}
}

func (c *natsCollector) take(m message) {
	if m.topic == c.tel {
		c.got = append(c.got, telemetryDoc(c.t, m.payload))
		return
	}
	for _, id := range []string{"before", "after"} {
		if strings.Contains(m.payload, `"id":"`+id+`"`) && strings.Contains(m.payload, `"ok":true`) {
			c.answered[id] = true
		}
	}
}

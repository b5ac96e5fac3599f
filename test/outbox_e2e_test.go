package e2e

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
)

// TestTelemetrySurvivesAgentKill: with Mosquitto down, a 5 Hz sensor
// samples for 20 s; the agent is SIGKILLed and started again, and the new
// process finds the readings in its on-disk outbox; once Mosquitto is back
// every reading arrives in order, with sequence numbers that have no gap.
func TestTelemetrySurvivesAgentKill(t *testing.T) {
	const id = "e2e-obx"
	const outage = 100 // readings: 20 s at 5 Hz
	port := freePort(t)
	store := t.TempDir()
	m := startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n", port, store))
	topic := "drover/" + id + "/telemetry"
	w := watchWith(t, m.url(), func(o *paho.ClientOptions) { o.SetClientID("e2e-obx-sub").SetCleanSession(false) }, topic)
	metrics := metricsAddr(t)
	conf := sensorAgentConfig(t, id, m.url(), metrics, "sensors:\n  - {name: sim, driver: simulated, schedule: rate 5hz}\n")
	agent := startAgentConfig(t, "agent-"+id, conf)

	var got []fleet.Telemetry
	collect := telemetryCollector(t, w, topic, 2*waitFor, &got)
	collect(func() bool { return len(got) >= 3 })
	m.Stop()
	if _, err := os.Stat(filepath.Join(store, "mosquitto.db")); err != nil {
		t.Fatalf("Mosquitto saved no session store: %v", err)
	}
	waitOutbox(t, metrics, outage)
	agent.stop(t, syscall.SIGKILL)
	startAgentConfig(t, "agent-"+id+"-2", conf)
	// The RAM of the killed process is gone: these records come from disk.
	waitOutbox(t, metrics, outage-10)
	back := time.Now()
	m.Start()
	collect(func() bool { return len(got) > 0 && got[len(got)-1].TS.After(back.Add(2*time.Second)) })
	assertSequence(t, got, outage)
}

// waitOutbox waits until the agent's outbox holds at least n records.
func waitOutbox(t *testing.T, metrics string, n float64) {
	t.Helper()
	eventually(t, 2*waitFor, fmt.Sprintf("%v records in the agent's outbox", n), func() (bool, string) {
		q := scrapeGauge(t, metrics, "drover_outbox_records")
		return q >= n, fmt.Sprint(q)
	})
}

// assertSequence checks that the first arrivals of the sequence numbers
// are in increasing order, that they run from the first to the last with
// no gap, and that at least min readings were received.
func assertSequence(t *testing.T, docs []fleet.Telemetry, min int) {
	t.Helper()
	seen := map[uint64]bool{}
	var order []uint64
	for _, d := range docs {
		if d.Seq == 0 {
			t.Fatalf("telemetry without seq: %+v", d)
		}
		if !seen[d.Seq] {
			seen[d.Seq] = true
			order = append(order, d.Seq)
		}
	}
	for i := 1; i < len(order); i++ {
		if order[i] != order[i-1]+1 {
			t.Fatalf("seq %d arrived after %d (first arrivals %v)", order[i], order[i-1], order)
		}
	}
	if len(order) < min {
		t.Fatalf("only %d distinct readings arrived, want at least %d", len(order), min)
	}
	t.Logf("%d readings, seq %d..%d, %d duplicates", len(order), order[0], order[len(order)-1], len(docs)-len(order))
}

// TestOutboxUnderRandomKills SIGKILLs the agent 30 times at random moments
// while a 10 Hz sensor publishes and the link to Mosquitto flaps (a proxy
// cut and restored at random). Every restart opens the outbox; at the end
// every reading arrives in order with no gap in seq, and a seq received
// twice (QoS 1 resend after a kill) is always the same reading.
func TestOutboxUnderRandomKills(t *testing.T) {
	const id, kills = "e2e-obk", 30
	m := startMosquitto(t)
	p := startProxy(t, fmt.Sprintf("127.0.0.1:%d", m.Port))
	topic := "drover/" + id + "/telemetry"
	w := watch(t, m.url(), topic)
	metrics := metricsAddr(t)
	conf := sensorAgentConfig(t, id, p.url(), metrics, "sensors:\n  - {name: sim, driver: simulated, schedule: rate 10hz}\n")
	seed := time.Now().UnixNano()
	rng := rand.New(rand.NewPCG(uint64(seed), 0))
	t.Logf("seed %d", seed)

	var got []message
	take := func() {
		for {
			select {
			case msg := <-w.m:
				got = append(got, msg)
			default:
				return
			}
		}
	}
	agent := startAgentConfig(t, "agent-"+id, conf)
	cut := false
	for i := range kills {
		waitOutbox(t, metrics, 0)                                        // the restarted agent opened its outbox
		time.Sleep(time.Duration(200+rng.IntN(1300)) * time.Millisecond) // a random moment, not a synchronisation
		if rng.IntN(2) == 0 {
			if cut = !cut; cut {
				p.Cut()
			} else {
				p.Restore()
			}
		}
		agent.stop(t, syscall.SIGKILL)
		agent = startAgentConfig(t, fmt.Sprintf("agent-%s-%d", id, i+1), conf)
		take()
	}
	p.Restore()
	waitOutbox(t, metrics, 0)
	eventually(t, 2*waitFor, "the outbox drained", func() (bool, string) {
		take()
		q := scrapeGauge(t, metrics, "drover_outbox_records")
		return q == 0, fmt.Sprint(q)
	})
	last := scrapeGauge(t, metrics, "drover_outbox_telemetry_sequence")
	eventually(t, waitFor, fmt.Sprintf("seq %v received", last), func() (bool, string) {
		take()
		n := len(got)
		return n > 0 && float64(telemetryDoc(t, got[n-1].payload).Seq) >= last, fmt.Sprint(n)
	})
	docs := make([]fleet.Telemetry, 0, len(got))
	same := map[uint64]string{}
	for _, msg := range got {
		d := telemetryDoc(t, msg.payload)
		if prev, ok := same[d.Seq]; ok && prev != msg.payload {
			t.Fatalf("seq %d given to two readings:\n%s\n%s", d.Seq, prev, msg.payload)
		}
		same[d.Seq] = msg.payload
		docs = append(docs, d)
	}
	assertSequence(t, docs, kills)
}

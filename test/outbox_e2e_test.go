package e2e

import (
	"fmt"
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
	collect := func(until func() bool) {
		t.Helper()
		deadline := time.After(2 * waitFor)
		for !until() {
			select {
			case msg := <-w.m:
				if msg.topic == topic {
					got = append(got, telemetryDoc(t, msg.payload))
				}
			case <-deadline:
				t.Fatalf("telemetry stalled after %d readings", len(got))
			}
		}
	}
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

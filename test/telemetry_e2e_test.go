package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// telemetryPeriod is the simulated sensor's sampling period (rate 5hz).
const telemetryPeriod = 200 * time.Millisecond

// TestTelemetryAcrossBrokerOutage: a 5 Hz sensor keeps sampling while
// Mosquitto (persistence on) is down; the agent's offline queue and the
// subscriber's persistent QoS 1 session deliver every reading, so the
// timestamps received form an unbroken 200 ms series across the outage.
func TestTelemetryAcrossBrokerOutage(t *testing.T) {
	const id = "e2e-tel"
	port := freePort(t)
	store := t.TempDir()
	m := startMosquittoWith(t, port, fmt.Sprintf("listener %d 127.0.0.1\nallow_anonymous true\npersistence true\npersistence_location %s/\n", port, store))
	topic := "drover/" + id + "/telemetry"
	w := watchWith(t, m.url(), func(o *paho.ClientOptions) { o.SetClientID("e2e-tel-sub").SetCleanSession(false) }, topic)
	metrics := metricsAddr(t)
	startAgentConfig(t, "agent-"+id, sensorAgentConfig(t, id, m.url(), metrics,
		"sensors:\n  - {name: sim, driver: simulated, schedule: rate 5hz}\n"))

	var got []time.Time
	collect := func(until func() bool) {
		t.Helper()
		deadline := time.After(waitFor)
		for !until() {
			select {
			case msg := <-w.m:
				if msg.topic == topic {
					got = append(got, telemetryDoc(t, msg.payload).TS)
				}
			case <-deadline:
				t.Fatalf("telemetry stalled after %d readings", len(got))
			}
		}
	}
	collect(func() bool { return len(got) >= 5 })
	stopped := time.Now()
	m.Stop()
	if _, err := os.Stat(filepath.Join(store, "mosquitto.db")); err != nil {
		t.Fatalf("Mosquitto saved no session store: %v", err)
	}
	eventually(t, waitFor, "readings queued in the agent during the outage", func() (bool, string) {
		q := scrapeGauge(t, metrics, "drover_mqtt_queue_messages")
		return q >= 10, fmt.Sprint(q)
	})
	restarted := time.Now()
	m.Start()
	collect(func() bool { return len(got) > 0 && got[len(got)-1].After(restarted.Add(time.Second)) })

	assertUnbroken(t, got[1:]) // the first read is at start, off the 5 Hz grid
	during := 0
	for _, ts := range got {
		if ts.After(stopped) && ts.Before(restarted) {
			during++
		}
	}
	if during < 5 {
		t.Errorf("only %d readings taken during the outage were delivered", during)
	}
}

// assertUnbroken checks that the distinct timestamps, sorted, step by one
// sampling period each (reads happen a few ms after their due instant).
func assertUnbroken(t *testing.T, ts []time.Time) {
	t.Helper()
	slices.SortFunc(ts, time.Time.Compare)
	ts = slices.CompactFunc(ts, time.Time.Equal)
	for i := 1; i < len(ts); i++ {
		steps := (ts[i].Sub(ts[i-1]) + telemetryPeriod/2) / telemetryPeriod
		if steps != 1 {
			t.Fatalf("gap of %v between reading %d (%v) and %d (%v); %d readings from %v to %v",
				ts[i].Sub(ts[i-1]), i-1, ts[i-1], i, ts[i], len(ts), ts[0], ts[len(ts)-1])
		}
	}
	t.Logf("%d readings without a gap from %v to %v", len(ts), ts[0].Format(time.StampMilli), ts[len(ts)-1].Format(time.StampMilli))
}

// scrapeGauge reads an unlabelled gauge from the agent's /metrics; -1 when
// it cannot.
func scrapeGauge(t *testing.T, addr, name string) float64 {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return -1
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return -1
	}
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindSubmatch(b)
	if m == nil {
		return -1
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		return -1
	}
	return v
}

package e2e

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	paho "github.com/eclipse/paho.mqtt.golang"
)

// TestTelemetryAcrossBrokerOutage: a 5 Hz sensor keeps sampling while
// Mosquitto (persistence on) is down; the agent's offline queue and the
// subscriber's persistent QoS 1 session deliver every reading: the
// sequence numbers received run without a gap across the outage. (Not
// the timestamps: a sampler delayed by a loaded machine is not a loss.)
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

	var got []fleet.Telemetry
	collect := telemetryCollector(t, w, topic, waitFor, &got)
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
	collect(func() bool { return len(got) > 0 && got[len(got)-1].TS.After(restarted.Add(time.Second)) })

	assertSequence(t, got, 10)
	during := 0
	for _, d := range got {
		if d.TS.After(stopped) && d.TS.Before(restarted) {
			during++
		}
	}
	if during < 5 {
		t.Errorf("only %d readings taken during the outage were delivered", during)
	}
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

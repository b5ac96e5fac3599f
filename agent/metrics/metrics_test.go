package metrics

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type fakeSources struct{}

func (fakeSources) Units() []fleet.Unit {
	return []fleet.Unit{
		{Name: "blink", Kind: fleet.KindTask, State: fleet.UnitRunning, Profile: fleet.Profile{Starts: 3, Restarts: 2}},
		{Name: "mosq", Kind: fleet.KindService, State: fleet.UnitFailed},
	}
}

func (fakeSources) Jobs() []fleet.Job {
	return []fleet.Job{{Name: "backup", Runs: 7, Failures: 1, Skips: 2}}
}

func (fakeSources) MQTTStats() MQTTStats {
	return MQTTStats{Connected: true, Broker: "tcp://n2:1883", Reconnects: 4, Received: 10, Sent: 12, Dropped: 1, Queued: 3}
}

func (fakeSources) OutboxStats() OutboxStats {
	return OutboxStats{Records: 7, Bytes: 900, OldestAgeSeconds: 12.5, Appended: 20, Acked: 13, Writes: 4,
		Dropped: map[string]uint64{"max_bytes": 2}, Seq: 99}
}

func (fakeSources) JournalStats() JournalStats {
	return JournalStats{Records: map[string]uint64{"info": 90, "error": 10}, Dropped: 5}
}

func (fakeSources) Readings() []fleet.Reading {
	return []fleet.Reading{
		{Sensor: "bme", Metric: "temperature", Value: 21.5, Unit: "celsius"},
		{Sensor: "bme", Metric: "humidity", Value: 0.4, Unit: "ratio"},
		{Sensor: "cpu", Metric: "temperature", Value: 55, Unit: "celsius"},
		{Sensor: "bme", Metric: "temperature", Value: 22, Unit: "celsius"}, // newer wins
		{Sensor: "system", Metric: "network_receive_bytes", Value: 100, Unit: "bytes", Labels: map[string]string{"interface": "eth0"}},
		{Sensor: "system", Metric: "network_receive_bytes", Value: 200, Unit: "bytes", Labels: map[string]string{"interface": "wlan0"}},
		// a reading lacking a key of its family gets it empty; odd keys are made valid
		{Sensor: "other", Metric: "network_receive_bytes", Value: 300, Unit: "bytes"},
		{Sensor: "x", Metric: "level", Value: 1, Labels: map[string]string{"sensor": "clash", "Pin Name": "GPIO17"}},
	}
}

func (fakeSources) SensorCounts() []SensorCount {
	return []SensorCount{{Sensor: "bme", Reads: 9, Errors: 2}, {Sensor: "cmd", Errors: 4}}
}

func newTestMetrics() *Metrics {
	f := fakeSources{}
	m := New(WithUnits(f), WithJobs(f), WithMQTT(f), WithOutbox(f), WithJournal(f), WithSensors(f), WithInfo("dev1", "v1", "abc"), WithBuild(42))
	m.ObserveJobRun("backup", 3*time.Millisecond, 2*time.Second)
	m.MarkJobSuccess("backup", time.Unix(1700000000, 500e6))
	return m
}

func scrape(t *testing.T, m *Metrics) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- m.Serve(ctx, ln) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
	}()
	resp, err := http.Get("http://" + ln.Addr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(body)
}

func TestExposition(t *testing.T) {
	out := scrape(t, newTestMetrics())
	want := []string{
		`drover_unit_state{kind="task",state="running",unit="blink"} 1`,
		`drover_unit_state{kind="task",state="failed",unit="blink"} 0`,
		`drover_unit_state{kind="service",state="failed",unit="mosq"} 1`,
		`drover_unit_restarts_total{kind="task",unit="blink"} 2`,
		`drover_job_runs_total{job="backup"} 7`,
		`drover_outbox_records 7`,
		`drover_outbox_telemetry_sequence 99`,
		`drover_outbox_oldest_age_seconds 12.5`,
		`drover_outbox_dropped_total{reason="max_bytes"} 2`,
		`drover_outbox_dropped_total{reason="corrupt"} 0`,
		`drover_job_failures_total{job="backup"} 1`,
		`drover_job_lateness_seconds_count{job="backup"} 1`,
		`drover_job_duration_seconds_sum{job="backup"} 2`,
		`drover_job_last_success_timestamp_seconds{job="backup"} 1.7000000005e+09`,
		`drover_mqtt_connected 1`,
		`drover_mqtt_broker_info{broker="tcp://n2:1883"} 1`,
		`drover_mqtt_reconnects_total 4`,
		`drover_mqtt_messages_received_total 10`,
		`drover_mqtt_messages_sent_total 12`,
		`drover_journal_records_total{level="info"} 90`,
		`drover_journal_records_total{level="error"} 10`,
		`drover_journal_dropped_total 5`,
		`drover_sensor_temperature_celsius{sensor="bme"} 22`,
		`drover_sensor_temperature_celsius{sensor="cpu"} 55`,
		`drover_sensor_humidity_ratio{sensor="bme"} 0.4`,
		`drover_sensor_network_receive_bytes{interface="eth0",sensor="system"} 100`,
		`drover_sensor_network_receive_bytes{interface="wlan0",sensor="system"} 200`,
		`drover_sensor_network_receive_bytes{interface="",sensor="other"} 300`,
		`drover_sensor_level{label_sensor="clash",pin_name="GPIO17",sensor="x"} 1`,
		`drover_sensor_reads_total{sensor="bme"} 9`,
		`drover_sensor_read_errors_total{sensor="bme"} 2`,
		`drover_sensor_read_errors_total{sensor="cmd"} 4`,
		`drover_agent_info{commit="abc",device="dev1",version="v1"} 1`,
		`drover_agent_build 42`,
		`go_goroutines `,
		`process_resident_memory_bytes `,
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("exposition lacks %q", w)
		}
	}
}

func TestForgetJob(t *testing.T) {
	m := newTestMetrics()
	m.ForgetJob("backup")
	out := scrape(t, m)
	if strings.Contains(out, `drover_job_duration_seconds_count{job="backup"}`) {
		t.Error("histogram of a forgotten job still exposed")
	}
	if strings.Contains(out, `drover_job_last_success_timestamp_seconds{job="backup"}`) {
		t.Error("last success of a forgotten job still exposed")
	}
}

// TestPromtoolCheck runs `promtool check metrics` on the real output. It
// fails, not skips, without promtool: `make test` installs it.
func TestPromtoolCheck(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool not found: install the Debian package prometheus (make test-deps does)")
	}
	out := scrape(t, newTestMetrics())
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(out)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stderr, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, stderr.String())
	}
}

func TestListenBusy(t *testing.T) {
	ln, err := Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	if _, err := Listen(ln.Addr().String()); !errors.Is(err, ErrListen) {
		t.Errorf("second Listen on a busy address: %v, want ErrListen", err)
	}
}

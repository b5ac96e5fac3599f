package exporter

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/metricspayload"
)

func newTest(t *testing.T) (*Exporter, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(time.Unix(1700000000, 0))
	e, err := New(Options{DeviceLabels: []string{"site"}, Stale: time.Minute, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	return e, clock
}

// payload is a device registry: a counter with a device label of its own and a histogram.
func payload(t *testing.T) []byte {
	t.Helper()
	reg := prometheus.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "drover_job_runs_total", Help: "Runs."}, []string{"job", "device"})
	h := prometheus.NewHistogram(prometheus.HistogramOpts{Name: "drover_job_duration_seconds", Help: "D.", Buckets: []float64{1}})
	reg.MustRegister(c, h)
	c.WithLabelValues("backup", "other").Add(2)
	h.Observe(0.5)
	fams, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	p, err := metricspayload.Marshal(fams)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func info(t *testing.T, site string) []byte {
	t.Helper()
	b, err := json.Marshal(fleet.InfoDoc{V: 1, ID: "x", Version: "v1.2", Build: 7, OS: "linux", Arch: "arm64",
		Labels: map[string]string{"site": site}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func scrape(t *testing.T, e *Exporter) string {
	t.Helper()
	rec := httptest.NewRecorder()
	e.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	return string(body)
}

func online(e *Exporter, dev string, t *testing.T) {
	e.Apply(fleet.Message{Topic: "drover/" + dev + "/state", Payload: []byte("online"), Retained: true})
	e.Apply(fleet.Message{Topic: "drover/" + dev + "/info", Payload: info(t, "lab"), Retained: true})
	e.Apply(fleet.Message{Topic: "drover/" + dev + "/metrics", Payload: payload(t)})
}

func TestExposition(t *testing.T) {
	e, _ := newTest(t)
	online(e, "pi1", t)
	out := scrape(t, e)
	for _, w := range []string{
		`drover_device_up{device="pi1",site="lab"} 1`,
		`drover_device_info{arch="arm64",build="7",device="pi1",os="linux",site="lab",version="v1.2"} 1`,
		`drover_device_last_seen_timestamp_seconds{device="pi1",site="lab"} 1.7e+09`,
		`drover_job_runs_total{device="pi1",exported_device="other",job="backup",site="lab"} 2`,
		`drover_job_duration_seconds_bucket{device="pi1",site="lab",le="1"} 1`,
		`drover_job_duration_seconds_count{device="pi1",site="lab"} 1`,
		`drover_exporter_devices 1`,
		`drover_exporter_messages_total{kind="metrics"} 1`,
	} {
		if !strings.Contains(out, w) {
			t.Errorf("exposition lacks %q", w)
		}
	}
}

func TestDownThenStale(t *testing.T) {
	e, clock := newTest(t)
	online(e, "pi1", t)
	e.Apply(fleet.Message{Topic: "drover/pi1/state", Payload: []byte("lost"), Retained: true})
	out := scrape(t, e)
	if !strings.Contains(out, `drover_device_up{device="pi1",site="lab"} 0`) || !strings.Contains(out, `drover_job_runs_total{`) {
		t.Fatalf("lost device: want up 0 and its series kept until stale:\n%s", out)
	}
	clock.Advance(time.Minute)
	e.Sweep()
	out = scrape(t, e)
	if strings.Contains(out, `drover_job_runs_total{`) || !strings.Contains(out, `drover_device_up{device="pi1",site="lab"} 0`) {
		t.Fatalf("stale device: want its series gone and up 0:\n%s", out)
	}
	e.Apply(fleet.Message{Topic: "drover/pi1/state", Payload: nil, Retained: true}) // forgotten
	if out := scrape(t, e); strings.Contains(out, `device="pi1"`) {
		t.Fatalf("forgotten device still exposed:\n%s", out)
	}
}

func TestSilentDeviceSeriesGoAfterStale(t *testing.T) {
	e, clock := newTest(t)
	online(e, "pi1", t)
	clock.Advance(59 * time.Second)
	e.Sweep()
	if !strings.Contains(scrape(t, e), `drover_job_runs_total{`) {
		t.Fatal("series dropped before stale")
	}
	clock.Advance(time.Second)
	e.Sweep()
	if strings.Contains(scrape(t, e), `drover_job_runs_total{`) {
		t.Fatal("series of a silent device kept after stale")
	}
}

func TestBadMessagesCounted(t *testing.T) {
	e, _ := newTest(t)
	online(e, "pi1", t)
	for _, m := range []fleet.Message{
		{Topic: "drover/pi1/metrics", Payload: []byte("not gzip")},
		{Topic: "drover/pi1/info", Payload: []byte("{")},
		{Topic: "drover/Bad/metrics", Payload: payload(t)},
		{Topic: "drover/pi1/state", Payload: []byte("sleeping")},
	} {
		e.Apply(m)
	}
	out := scrape(t, e)
	for _, w := range []string{
		`drover_exporter_bad_messages_total{kind="metrics"} 1`,
		`drover_exporter_bad_messages_total{kind="info"} 1`,
		`drover_exporter_bad_messages_total{kind="unknown"} 1`,
		`drover_exporter_bad_messages_total{kind="state"} 1`,
		`drover_device_up{device="pi1",site="lab"} 1`, // the bad state changed nothing
		`drover_job_runs_total{device="pi1"`,          // the good payload is kept
	} {
		if !strings.Contains(out, w) {
			t.Errorf("exposition lacks %q", w)
		}
	}
}

func TestTypeConflictLeftOut(t *testing.T) {
	e, _ := newTest(t)
	online(e, "pi1", t)
	reg := prometheus.NewRegistry()
	g := prometheus.NewGauge(prometheus.GaugeOpts{Name: "drover_job_runs_total", Help: "wrong type"})
	reg.MustRegister(g)
	fams, _ := reg.Gather()
	p, _ := metricspayload.Marshal(fams)
	e.Apply(fleet.Message{Topic: "drover/pi2/metrics", Payload: p})
	scrape(t, e) // counted during a scrape, shown from the next
	out := scrape(t, e)
	if strings.Contains(out, `drover_job_runs_total{device="pi2"`) || !strings.Contains(out, `drover_exporter_type_conflicts_total 1`) {
		t.Fatalf("conflicting family: want left out and counted:\n%s", out)
	}
}

func TestBadDeviceLabels(t *testing.T) {
	for _, l := range []string{"device", "version", "a-b", "__x"} {
		if _, err := New(Options{DeviceLabels: []string{l}}); err == nil {
			t.Errorf("New(DeviceLabels %q) accepted", l)
		}
	}
}

func TestOfferDropsWhenFull(t *testing.T) {
	e, err := New(Options{QueueSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	e.Offer(fleet.Message{Topic: "drover/a/state"})
	e.Offer(fleet.Message{Topic: "drover/a/state"})
	if !strings.Contains(scrape(t, e), "drover_exporter_dropped_messages_total 1") {
		t.Error("dropped message not counted")
	}
}

// TestPromtoolCheck runs `promtool check metrics` on the exposition.
func TestPromtoolCheck(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		t.Fatal("promtool not found: install the Debian package prometheus (make test-deps does)")
	}
	e, _ := newTest(t)
	online(e, "pi1", t)
	online(e, "pi2", t)
	reg := prometheus.NewRegistry() // go_* families clash with the exporter's own
	reg.MustRegister(collectors.NewGoCollector())
	fams, _ := reg.Gather()
	p, _ := metricspayload.Marshal(fams)
	e.Apply(fleet.Message{Topic: "drover/pi3/metrics", Payload: p})
	cmd := exec.Command(promtool, "check", "metrics")
	cmd.Stdin = strings.NewReader(scrape(t, e))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		t.Fatalf("promtool check metrics: %v\n%s", err, out.String())
	}
}

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/agent/metrics"
	"github.com/drover-iot/drover/fleet"
)

// benchSources are what a typical device runs: 3 services, 2 tasks, 3
// jobs, 4 sensor readings.
type benchSources struct{}

func (benchSources) Units() []fleet.Unit {
	var us []fleet.Unit
	for i, k := range []string{"service", "service", "service", "task", "task"} {
		us = append(us, fleet.Unit{Name: fmt.Sprint("unit", i), Kind: k, State: fleet.UnitRunning})
	}
	return us
}

func (benchSources) Jobs() []fleet.Job {
	return []fleet.Job{{Name: "backup", Runs: 9}, {Name: "sync", Runs: 99}, {Name: "report", Runs: 3}}
}

func (benchSources) Readings() []fleet.Reading {
	return []fleet.Reading{{Sensor: "bme", Metric: "temperature", Value: 21, Unit: "celsius"},
		{Sensor: "bme", Metric: "humidity", Value: 0.4, Unit: "ratio"},
		{Sensor: "cpu", Metric: "temperature", Value: 50, Unit: "celsius"},
		{Sensor: "system", Metric: "load1", Value: 0.1}}
}

func (benchSources) SensorCounts() []metrics.SensorCount {
	return []metrics.SensorCount{{Sensor: "bme", Reads: 10}, {Sensor: "cpu", Reads: 10}, {Sensor: "system", Reads: 10}}
}

// devicePayload is one device's metrics payload, made by the agent's own
// publishing code (metrics.Metrics.Payload).
func devicePayload(b *testing.B, id string) []byte {
	b.Helper()
	s := benchSources{}
	m := metrics.New(metrics.WithUnits(s), metrics.WithJobs(s), metrics.WithSensors(s), metrics.WithInfo(id, "v1.2.3", "abc"))
	for _, j := range s.Jobs() {
		m.ObserveJobRun(j.Name, time.Millisecond, 20*time.Millisecond)
		m.MarkJobSuccess(j.Name, time.Now())
	}
	p, err := m.Payload()
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// publishFleet publishes, as n agents would, retained state and info and
// one metrics payload each, and waits for every acknowledgement.
func publishFleet(b *testing.B, c paho.Client, n int, birth bool) {
	b.Helper()
	var toks []paho.Token
	for i := range n {
		id := fmt.Sprintf("dev%04d", i)
		if birth {
			info, _ := json.Marshal(fleet.InfoDoc{V: fleet.Version, ID: id, Version: "v1.2.3", OS: "linux", Arch: "arm64",
				Labels: map[string]string{"site": fmt.Sprint("s", i%10)}})
			toks = append(toks, c.Publish("drover/"+id+"/state", 1, true, "online"), c.Publish("drover/"+id+"/info", 1, true, info))
		}
		toks = append(toks, c.Publish("drover/"+id+"/metrics", 1, false, devicePayload(b, id)))
	}
	for _, tok := range toks {
		if !tok.WaitTimeout(waitFor) || tok.Error() != nil {
			b.Fatalf("publish: %v", tok.Error())
		}
	}
}

// BenchmarkExporter1000 runs the built `fleetctl exporter` against 1,000
// devices published into Mosquitto, then times full scrapes of /metrics.
// It reports the exporter's RSS, the CPU it spends applying one round of
// 1,000 metrics payloads (one publish interval's worth) and its CPU while
// idle, as a percentage of one core at the default 30 s interval.
func BenchmarkExporter1000(b *testing.B) {
	const n = 1000
	m := startMosquitto(b)
	listen := fmt.Sprintf("127.0.0.1:%d", freePort(b))
	exp := start(b, "exporter", bins["fleetctl"], "--broker", m.url(), "exporter", "--listen", listen)
	waitDial(b, listen)
	c := paho.NewClient(paho.NewClientOptions().AddBroker(m.url()).SetClientID("bench-fleet"))
	if tok := c.Connect(); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		b.Fatalf("connect: %v", tok.Error())
	}
	defer c.Disconnect(100)
	publishFleet(b, c, n, true)
	waitMessages(b, listen, n)
	cpu0 := procCPU(b, exp.cmd.Process.Pid)
	publishFleet(b, c, n, false)
	waitMessages(b, listen, 2*n)
	round := procCPU(b, exp.cmd.Process.Pid) - cpu0
	idle0, t0 := procCPU(b, exp.cmd.Process.Pid), time.Now()
	time.Sleep(10 * time.Second) // measuring idle CPU over a window, not synchronising
	idle := (procCPU(b, exp.cmd.Process.Pid) - idle0).Seconds() / time.Since(t0).Seconds()
	var size int
	for b.Loop() {
		size = len(scrapeBody(b, listen))
	}
	b.ReportMetric(float64(size), "bytes/scrape")
	b.ReportMetric(procRSS(b, exp.cmd.Process.Pid)/1e6, "MB-RSS")
	b.ReportMetric(round.Seconds()*1000, "ms-CPU/round")
	b.ReportMetric(100*(round.Seconds()/30+idle), "%core@30s")
	b.ReportMetric(100*idle, "%core-idle")
}

func scrapeBody(b *testing.B, listen string) []byte {
	b.Helper()
	resp, err := http.Get("http://" + listen + "/metrics")
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// waitMessages waits until the exporter has applied n metrics messages.
func waitMessages(b *testing.B, listen string, n int) {
	b.Helper()
	want := fmt.Sprintf("drover_exporter_messages_total{kind=\"metrics\"} %d\n", n)
	eventually(b, 2*waitFor, "exporter applied "+want, func() (bool, string) {
		body := scrapeBody(b, listen)
		return bytes.Contains(body, []byte(want)), ""
	})
}

// procCPU is the user+system CPU time of pid (from /proc/pid/stat, in
// clock ticks of 10 ms).
func procCPU(b *testing.B, pid int) time.Duration {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		b.Fatal(err)
	}
	f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+2:]))
	ut, _ := strconv.Atoi(f[11])
	st, _ := strconv.Atoi(f[12])
	return time.Duration(ut+st) * 10 * time.Millisecond
}

// procRSS is VmRSS of pid in bytes.
func procRSS(b *testing.B, pid int) float64 {
	b.Helper()
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			kb, _ := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) * 1024
		}
	}
	return 0
}

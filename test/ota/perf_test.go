package otae2e

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/ota/manifest"
	"github.com/drover-iot/drover/ota/otatest"
	"github.com/drover-iot/drover/ota/transfer"
)

// fanoutAgents is how many receivers the fan-out benchmark runs.
const fanoutAgents = 50

// fanoutBytes is the artifact size of the fan-out benchmark:
// DROVER_FANOUT_BYTES, default 20,000,000.
func fanoutBytes() int {
	if n, err := strconv.Atoi(os.Getenv("DROVER_FANOUT_BYTES")); err == nil && n > 0 {
		return n
	}
	return 20_000_000
}

// BenchmarkFanout20MB publishes a 20 MB artifact (DROVER_FANOUT_BYTES) once, then measures in the
// same run (a) 50 Fetchers, each on its own paho connection, downloading it
// to disk with verification and progress files, and (b) 50 mosquitto_sub
// processes receiving the same retained chunks: the transport's limit.
func BenchmarkFanout20MB(b *testing.B) {
	mq := startMosquitto(b)
	dir := b.TempDir()
	_, key := otatest.Key(b)
	bin := otatest.WriteFile(b, dir, "artifact", otatest.RandomBytes(fanoutBytes(), 7))
	topics := transfer.Topics{Artifact: "perf"}
	pub := mqttClient(b, mq.url())
	m, err := transfer.Publish(context.Background(), transfer.Paho{Client: pub}, transfer.PublishOptions{
		Topics: topics, BinaryPath: bin, Version: "p", Build: 9, Key: &key})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("fetchers", func(b *testing.B) {
		for b.Loop() {
			fetchAll(b, mq.url(), topics, m.Blob)
		}
		b.ReportMetric(float64(fanoutAgents*m.Size)/b.Elapsed().Seconds()*float64(b.N)/1e6, "MB/s")
	})
	b.Run("mosquitto_sub", func(b *testing.B) {
		for b.Loop() {
			subAll(b, mq.url(), topics, len(m.Chunks))
		}
		b.ReportMetric(float64(fanoutAgents*m.Size)/b.Elapsed().Seconds()*float64(b.N)/1e6, "MB/s")
	})
}

func fetchAll(b *testing.B, broker string, topics transfer.Topics, blob manifest.Blob) {
	var wg sync.WaitGroup
	dir := b.TempDir()
	for i := range fanoutAgents {
		c := paho.NewClient(paho.NewClientOptions().AddBroker(broker).SetClientID(fmt.Sprintf("perf-%d-%d", i, time.Now().UnixNano())))
		if tok := c.Connect(); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
			b.Fatal(tok.Error())
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Disconnect(100)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()
			if err := transfer.NewFetcher(transfer.Paho{Client: c}, transfer.FetchOptions{}).
				Fetch(ctx, topics, transfer.KindFull, blob, filepath.Join(dir, strconv.Itoa(i))); err != nil {
				b.Error(err)
			}
		}()
	}
	wg.Wait()
}

func subAll(b *testing.B, broker string, topics transfer.Topics, chunks int) {
	host, port, _ := strings.Cut(strings.TrimPrefix(broker, "tcp://"), ":")
	cmds := make([]*exec.Cmd, fanoutAgents)
	for i := range cmds {
		cmds[i] = exec.Command(need(b, "mosquitto_sub"), "-h", host, "-p", port, "-q", "1", "-C", strconv.Itoa(chunks),
			"-t", topics.Manifest()[:len(topics.Manifest())-len("manifest")]+"+", "-N")
		cmds[i].Stdout = devNull(b)
		if err := cmds[i].Start(); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range cmds {
		if err := c.Wait(); err != nil {
			b.Fatal(err)
		}
	}
}

func devNull(b *testing.B) *os.File {
	f, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { f.Close() })
	return f
}

// BenchmarkAgentRSS runs a real agent, reads its VmHWM, has it download,
// verify and selftest a 20 MB artifact (whose selftest fails, so the same
// process lives on), and reports the growth of VmHWM.
func BenchmarkAgentRSS(b *testing.B) {
	for b.Loop() {
		mq := startMosquitto(b)
		key, pub := keys(b, mq.url())
		big := otatest.WriteFile(b, b.TempDir(), "big", otatest.RandomBytes(20_000_000, 3))
		fleetctlOK(b, mq.url(), "ota", "publish", big, "--version", "big", "--build", "5", "--key", key)
		d := startDevice(b, "rss", mq.url(), "v1", pub)
		c := client(b, mq.url())
		settled(b, c, "rss", "v1")
		if os.Getenv("DROVER_RSS_STEADY") != "" {
			waitFirstGC(b, d)
		}
		before := procStatus(b, d)
		stopSampling := sampleRSS(b, d)
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		_, _ = c.Request(ctx, "rss", fleet.CmdOTAApply, fleet.OTAApplyArgs{Artifact: "agent"})
		cancel()
		peak := stopSampling()
		after := procStatus(b, d)
		b.ReportMetric(float64(before["VmHWM"])/1024, "hwm-before-MiB")
		b.ReportMetric(float64(after["VmHWM"])/1024, "hwm-after-MiB")
		b.ReportMetric(float64(after["VmHWM"]-before["VmHWM"])/1024, "growth-MiB")
		// The split of the resident set now (not the peak): anonymous
		// memory (heap, stacks) against file pages (the agent's own code,
		// paged in as new code paths run for the first time).
		b.ReportMetric(float64(after["RssAnon"]-before["RssAnon"])/1024, "anon-growth-MiB")
		b.ReportMetric(float64(after["RssFile"]-before["RssFile"])/1024, "file-growth-MiB")
		// The split at the sampled peak of VmRSS during the update.
		b.ReportMetric(float64(peak["VmRSS"]-before["VmRSS"])/1024, "peak-rss-growth-MiB")
		b.ReportMetric(float64(peak["RssAnon"]-before["RssAnon"])/1024, "peak-anon-growth-MiB")
		b.ReportMetric(float64(peak["RssFile"]-before["RssFile"])/1024, "peak-file-growth-MiB")
		d.stop()
	}
}

// waitFirstGC waits until the agent has finished a garbage collection, so
// that the baseline includes the GC work buffers that any running agent
// has already paid for (the runtime forces a GC every two minutes at the
// latest). Without it, a 3-second-old agent's first GC falls inside the
// update and is counted as the update's cost.
func waitFirstGC(b *testing.B, d *device) {
	b.Helper()
	addr := metricsAddr(b, d)
	deadline := time.Now().Add(3 * time.Minute)
	for time.Now().Before(deadline) {
		if gcCycles(addr) > 0 {
			return
		}
		time.Sleep(time.Second) // polling the agent's metrics until its first GC
	}
	b.Fatal("the agent ran no GC within 3 minutes")
}

// metricsAddr finds the agent's metrics address in its start-up log line.
func metricsAddr(b *testing.B, d *device) string {
	b.Helper()
	data, err := os.ReadFile(d.log.Name())
	if err != nil {
		b.Fatal(err)
	}
	m := regexp.MustCompile(`msg="agent started".* metrics=(\S+)`).FindSubmatch(data)
	if m == nil {
		b.Fatal("no metrics address in the agent's log")
	}
	return string(m[1])
}

// gcCycles reads go_gc_duration_seconds_count from the agent's metrics.
func gcCycles(addr string) int {
	resp, err := http.Get("http://" + addr + "/metrics")
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "go_gc_duration_seconds_count "); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return 0
}

// procStatus reads the agent's memory figures from /proc/<pid>/status,
// in KiB: VmHWM (peak resident set), VmRSS, RssAnon, RssFile; and Threads.
func procStatus(b *testing.B, d *device) map[string]int {
	out, err := readStatus(d.pid())
	if err != nil {
		b.Fatal(err)
	}
	return out
}

func (d *device) pid() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.cmd.Process.Pid
}

func readStatus(pid int) (map[string]int, error) {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for _, line := range strings.Split(string(data), "\n") {
		name, rest, _ := strings.Cut(line, ":")
		switch name {
		case "VmHWM", "VmRSS", "RssAnon", "RssFile", "Threads":
			out[name], _ = strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
		}
	}
	if len(out) != 5 {
		return nil, fmt.Errorf("/proc/%d/status: found only %v", pid, out)
	}
	return out, nil
}

// sampleRSS polls the agent's /proc/<pid>/status every millisecond until
// the returned stop is called, which returns the sample with the highest
// VmRSS. With DROVER_RSS_TRACE set, it logs a sample every 5 ms (run
// with -v to see them all).
func sampleRSS(b *testing.B, d *device) (stop func() map[string]int) {
	quit, done := make(chan struct{}), make(chan map[string]int)
	trace := os.Getenv("DROVER_RSS_TRACE") != ""
	peak0 := procStatus(b, d)
	go func() {
		pid := d.pid()
		peak := peak0
		start := time.Now()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for n := 0; ; n++ {
			select {
			case <-quit:
				done <- peak
				return
			case <-tick.C:
			}
			s, err := readStatus(pid)
			if err != nil {
				continue
			}
			if s["VmRSS"] > peak["VmRSS"] {
				peak = s
			}
			if trace && n%5 == 0 {
				b.Logf("%6dms rss=%d anon=%d file=%d threads=%d", time.Since(start).Milliseconds(),
					s["VmRSS"], s["RssAnon"], s["RssFile"], s["Threads"])
			}
		}
	}()
	return func() map[string]int { close(quit); return <-done }
}

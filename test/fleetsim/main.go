// Command fleetsim runs N simulated devices in one process, each with its
// own MQTT connection, for load tests of the fleet side (fleetctl, the
// exporter, brokers). Every device is a real agent.Agent — the agent's own
// link, dispatcher, status, journal, scheduler and metrics publishing, not
// a re-implementation — with a small journal, no local /metrics listener
// and one simulated sensor.
//
//	go run ./test/fleetsim -n 10000 -broker tcp://127.0.0.1:1883 -labels site=lab,role=sim
//
// It prints "online N" once every device is connected, then runs until
// interrupted. With thousands of devices, put -data-dir on tmpfs
// (/dev/shm/...): each device keeps its outbox in a bbolt file that it
// fsyncs, and 10,000 of them on one disk slow the simulator down more than
// anything that is measured.
//
// With -ota-artifact, every device then fetches that artifact
// with the agent's OTA Fetcher on its own MQTT connection (-ota-parallel
// at once; the delta when -ota-base is its base, as an agent whose running
// binary it is), the simulator prints the bytes the devices received from
// the broker on those connections, and exits:
//
//	go run ./test/fleetsim -n 1000 -telemetry '' -ota-artifact agent -ota-key ota.pub [-ota-base old-agent]
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/drover-iot/drover/agent"
	"github.com/drover-iot/drover/agent/config"
)

type options struct {
	n               int
	brokers         string
	prefix          string
	labels          string
	telemetry       string
	statusInterval  time.Duration
	publishInterval time.Duration
	dataDir         string
	ota             otaOptions
}

func main() {
	var o options
	flag.IntVar(&o.n, "n", 100, "devices")
	flag.StringVar(&o.brokers, "broker", "tcp://127.0.0.1:1883", "broker URLs, comma-separated")
	flag.StringVar(&o.prefix, "id-prefix", "sim-", "device ids are this plus a 5-digit number")
	flag.StringVar(&o.labels, "labels", "fleet=sim", "labels k=v,k=v of every device")
	flag.StringVar(&o.telemetry, "telemetry", "every 30s", "schedule of the simulated sensor ('' for none)")
	flag.DurationVar(&o.statusInterval, "status-interval", time.Minute, "status publication period")
	flag.DurationVar(&o.publishInterval, "metrics-interval", 0, "metrics publication period (0: off)")
	flag.StringVar(&o.dataDir, "data-dir", "", "parent of the devices' data dirs (default: a new temporary dir)")
	flag.StringVar(&o.ota.artifact, "ota-artifact", "", "once online, every device fetches this artifact, then the simulator exits")
	flag.StringVar(&o.ota.key, "ota-key", "", "public key (minisign .pub) the manifest must be signed with")
	flag.StringVar(&o.ota.base, "ota-base", "", "the devices' running binary: the delta is fetched when it is the delta's base")
	flag.IntVar(&o.ota.parallel, "ota-parallel", 50, "devices fetching at once")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "fleetsim:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if o.dataDir == "" {
		dir, err := os.MkdirTemp("", "fleetsim-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.dataDir = dir
	}
	agents, err := build(o)
	if err != nil {
		return err
	}
	start := time.Now()
	var wg sync.WaitGroup
	var failed atomic.Int64
	for _, a := range agents {
		wg.Go(func() {
			if err := a.Run(ctx); err != nil && ctx.Err() == nil {
				failed.Add(1)
				slog.Error("device stopped", "err", err)
			}
		})
	}
	waitOnline(ctx, agents, start)
	if o.ota.artifact != "" && ctx.Err() == nil {
		err = fetch(ctx, o)
		cancel()
	}
	wg.Wait()
	if err != nil {
		return err
	}
	if n := failed.Load(); n > 0 {
		return fmt.Errorf("%d devices stopped with an error", n)
	}
	return nil
}

// fetch has every device fetch the OTA artifact and prints the result.
func fetch(ctx context.Context, o options) error {
	ids := make([]string, o.n)
	for i := range ids {
		ids[i] = deviceID(o, i)
	}
	res, err := fetchAll(ctx, o.ota, strings.Split(o.brokers, ","), ids, o.dataDir)
	if err != nil {
		return err
	}
	fmt.Println(res)
	return nil
}

func deviceID(o options, i int) string { return fmt.Sprintf("%s%05d", o.prefix, i) }

// build makes the n agents.
func build(o options) ([]*agent.Agent, error) {
	agents := make([]*agent.Agent, o.n)
	for i := range agents {
		cfg, err := config.Parse([]byte(deviceConfig(o, i)), "fleetsim")
		if err != nil {
			return nil, err
		}
		if agents[i], err = agent.New(cfg); err != nil {
			return nil, err
		}
	}
	return agents, nil
}

// deviceConfig is device i's agent configuration.
func deviceConfig(o options, i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id: %s\nbroker:\n  urls: [%s]\ndata_dir: %s\n", deviceID(o, i), o.brokers,
		filepath.Join(o.dataDir, fmt.Sprintf("d%05d", i)))
	fmt.Fprintf(&b, "status_interval: %s\njournal: {records: 16}\nmetrics: {enabled: false, publish_interval: %s}\n",
		o.statusInterval, o.publishInterval)
	b.WriteString("labels:\n")
	for _, kv := range strings.Split(o.labels, ",") {
		if k, v, ok := strings.Cut(kv, "="); ok {
			fmt.Fprintf(&b, "  %s: %q\n", k, v)
		}
	}
	if o.telemetry == "" {
		b.WriteString("sensors: []\n")
	} else {
		fmt.Fprintf(&b, "sensors:\n  - {name: sim, driver: simulated, schedule: %q, seed: %d}\n", o.telemetry, i+1)
	}
	return b.String()
}

// waitOnline prints "online N" with the time it took, once every device
// is connected.
func waitOnline(ctx context.Context, agents []*agent.Agent, start time.Time) {
	t := time.NewTicker(100 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		n := 0
		for _, a := range agents {
			if a.Connected() {
				n++
			}
		}
		if n == len(agents) {
			fmt.Printf("online %d after %v\n", n, time.Since(start).Round(time.Millisecond))
			return
		}
	}
}

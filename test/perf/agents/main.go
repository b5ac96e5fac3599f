// Command agents starts N real agent processes on one broker and measures
// what issue 14 asks of them: the time until every one's retained state is
// online, then their idle CPU over a window (utime+stime of all of them from
// /proc), and holds them for a while (for `fleetctl ping --all` by hand).
// It stops every agent it started (SIGTERM, SIGKILL after -stop-timeout) and
// removes their data dirs, whatever happens.
//
//	go build -o /tmp/agent ./cmd/agent
//	go run ./test/perf/agents -agent /tmp/agent -n 1000 -broker tcp://127.0.0.1:1883 -idle 60s
//
// -profile FILE writes a CPU profile of agent 0 (DROVER_CPUPROFILE) over
// its whole run.
package main

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"time"
)

type options struct {
	agent, broker, prefix, profile string
	n                              int
	warmup, idle, hold, deadline   time.Duration
	stopTimeout                    time.Duration
	extraConfig                    string
}

func main() {
	var o options
	flag.StringVar(&o.agent, "agent", "", "agent binary")
	flag.StringVar(&o.broker, "broker", "tcp://127.0.0.1:1883", "broker URL")
	flag.StringVar(&o.prefix, "id-prefix", "perf-", "device ids are this plus a 4-digit number")
	flag.StringVar(&o.profile, "profile", "", "CPU profile of agent 0 to this file")
	flag.StringVar(&o.extraConfig, "config", "", "YAML lines added to every agent's configuration")
	flag.IntVar(&o.n, "n", 100, "agents")
	flag.DurationVar(&o.deadline, "deadline", 5*time.Minute, "give up waiting for all online after this")
	flag.DurationVar(&o.warmup, "warmup", 15*time.Second, "pause between all online and the idle window")
	flag.DurationVar(&o.idle, "idle", 60*time.Second, "idle CPU window (0: none)")
	flag.DurationVar(&o.hold, "hold", 0, "keep the agents running this long after the window")
	flag.DurationVar(&o.stopTimeout, "stop-timeout", 30*time.Second, "SIGKILL agents still running this long after SIGTERM")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "agents:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	dir, err := os.MkdirTemp("", "drover-agents-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	w, err := watchStates(o.broker, o.prefix)
	if err != nil {
		return err
	}
	defer w.close()
	f := &fleet{o: o, dir: dir}
	defer f.stop()
	start := time.Now()
	if err := f.start(); err != nil {
		return err
	}
	fmt.Printf("started %d agents in %v\n", o.n, time.Since(start).Round(time.Millisecond))
	if err := w.waitOnline(o.n, start, o.deadline); err != nil {
		return err
	}
	f.reportStart(w)
	return f.measure()
}

// reportStart prints the agents' CPU until all were online and how long
// each took from its own start to its online.
func (f *fleet) reportStart(w *watcher) {
	cpu := f.cpu()
	fmt.Printf("agents' CPU until all online: %.1f s in all, %.1f ms each\n", cpu, 1000*cpu/float64(f.o.n))
	lat := make([]time.Duration, 0, len(f.started))
	for i, t := range f.started {
		if at, ok := w.onlineAt(f.id(i)); ok {
			lat = append(lat, at.Sub(t))
		}
	}
	slices.Sort(lat)
	if n := len(lat); n > 0 {
		fmt.Printf("own start to online: median %v, 90th %v, max %v\n", lat[n/2].Round(time.Millisecond),
			lat[n*9/10].Round(time.Millisecond), lat[n-1].Round(time.Millisecond))
	}
}

// measure runs the idle window and the hold.
func (f *fleet) measure() error {
	time.Sleep(f.o.warmup) // a measurement window, not synchronisation
	if f.o.idle > 0 {
		before := f.cpu()
		time.Sleep(f.o.idle)
		used := f.cpu() - before
		fmt.Printf("idle CPU over %v: %.2f s in all, %.3f ms/s per agent, %.1f %% of one core\n",
			f.o.idle, used, 1000*used/f.o.idle.Seconds()/float64(f.o.n), 100*used/f.o.idle.Seconds())
	}
	if f.o.hold > 0 {
		fmt.Printf("holding %v\n", f.o.hold)
		time.Sleep(f.o.hold)
	}
	return nil
}

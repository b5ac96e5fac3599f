// Command idle measures the idle cost of the agent side by side with
// prometheus-node-exporter, in one run: it starts both, waits, and reports
// each one's CPU time over the window (utime+stime from /proc/<pid>/stat,
// in clock ticks of 10 ms, and the sum of its threads' run time from
// /proc/<pid>/task/*/schedstat, in nanoseconds: finer, but blind to
// threads that exited) and its resident memory (VmRSS split into anonymous and file-backed
// pages, and VmHWM, from /proc/<pid>/status). -agent-env sets environment
// variables of the agent only.
//
//	go build -o /tmp/agent ./cmd/agent
//	go run ./test/perf/idle -agent /tmp/agent -broker tcp://127.0.0.1:1883 -window 60s
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// clkTck is USER_HZ on Linux.
const clkTck = 100

func main() {
	agentBin := flag.String("agent", "", "agent binary")
	broker := flag.String("broker", "tcp://127.0.0.1:1883", "broker URL for the agent")
	exporter := flag.String("exporter", "/usr/bin/prometheus-node-exporter", "node exporter binary")
	window := flag.Duration("window", 60*time.Second, "measurement window")
	warmup := flag.Duration("warmup", 5*time.Second, "time before the window starts")
	agentEnv := flag.String("agent-env", "", "extra environment of the agent only, comma-separated k=v (e.g. GOGC=50)")
	flag.Parse()
	dir, err := os.MkdirTemp("", "drover-idle-")
	check(err)
	defer os.RemoveAll(dir)
	procs := []*exec.Cmd{
		exec.Command(*agentBin, "--broker", *broker, "--id", "idle-bench", "--data-dir", dir, "--metrics-listen", "127.0.0.1:19110"),
		exec.Command(*exporter, "--web.listen-address=127.0.0.1:19100"),
	}
	if *agentEnv != "" {
		procs[0].Env = append(os.Environ(), strings.Split(*agentEnv, ",")...)
	}
	for _, p := range procs {
		check(p.Start())
		defer p.Process.Kill()
	}
	time.Sleep(*warmup) // a benchmark window, not synchronisation
	before, beforeRun := make([]float64, len(procs)), make([]float64, len(procs))
	for i, p := range procs {
		before[i], beforeRun[i] = cpuSeconds(p.Process.Pid), runSeconds(p.Process.Pid)
	}
	time.Sleep(*window)
	fmt.Printf("| process | CPU over %v (s) | CPU %% | threads' run time (ms) | VmRSS (MB) | RssAnon (MB) | RssFile (MB) | VmHWM (MB) |\n|---|---|---|---|---|---|---|---|\n", *window)
	for i, p := range procs {
		cpu := cpuSeconds(p.Process.Pid) - before[i]
		run := runSeconds(p.Process.Pid) - beforeRun[i]
		m := memMB(p.Process.Pid)
		fmt.Printf("| %s | %.2f | %.3f | %.1f | %.1f | %.1f | %.1f | %.1f |\n", p.Path, cpu, 100*cpu/window.Seconds(), 1000*run,
			m["VmRSS"], m["RssAnon"], m["RssFile"], m["VmHWM"])
	}
}

// runSeconds sums the run time of pid's live threads (the first field of
// /proc/<pid>/task/<tid>/schedstat, in nanoseconds).
func runSeconds(pid int) float64 {
	files, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*/schedstat", pid))
	check(err)
	var ns float64
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			continue // the thread exited
		}
		v, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
		ns += v
	}
	return ns / 1e9
}

func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	check(err)
	// Fields after the command name (which may hold spaces) start at ')'.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	utime, _ := strconv.ParseFloat(f[11], 64)
	stime, _ := strconv.ParseFloat(f[12], 64)
	return (utime + stime) / clkTck
}

// memMB returns the memory fields of /proc/<pid>/status that end in kB, in MB.
func memMB(pid int) map[string]float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	check(err)
	defer f.Close()
	out := map[string]float64{}
	s := bufio.NewScanner(f)
	for s.Scan() {
		k, v, _ := strings.Cut(s.Text(), ":")
		if v, ok := strings.CutSuffix(strings.TrimSpace(v), " kB"); ok {
			kb, _ := strconv.ParseFloat(v, 64)
			out[k] = kb / 1024
		}
	}
	return out
}

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "idle:", err)
		os.Exit(1)
	}
}

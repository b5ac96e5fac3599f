package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/drover-iot/drover/internal/cpuprofile"
)

// clkTck is USER_HZ on Linux.
const clkTck = 100

// fleet is the agent processes.
type fleet struct {
	o       options
	dir     string
	procs   []*exec.Cmd
	done    []chan struct{}
	started []time.Time // when each agent's Start returned
}

// start writes each agent's configuration and starts it.
func (f *fleet) start() error {
	for i := range f.o.n {
		cmd, err := f.command(i)
		if err != nil {
			return err
		}
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("start agent %d: %w", i, err)
		}
		f.started = append(f.started, time.Now())
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		f.procs, f.done = append(f.procs, cmd), append(f.done, done)
	}
	return nil
}

// id is agent i's device id.
func (f *fleet) id(i int) string { return fmt.Sprintf("%s%04d", f.o.prefix, i) }

func (f *fleet) command(i int) (*exec.Cmd, error) {
	id := f.id(i)
	data := filepath.Join(f.dir, id)
	conf := fmt.Sprintf("id: %s\ndata_dir: %s\nlabels: {site: perf}\nbroker:\n  url: %s\nmetrics:\n  enabled: false\n%s\n",
		id, data, f.o.broker, f.o.extraConfig)
	path := filepath.Join(f.dir, id+".yaml")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		return nil, err
	}
	cmd := exec.Command(f.o.agent, "--config", path)
	if i == 0 && f.o.profile != "" {
		cmd.Env = append(os.Environ(), cpuprofile.EnvVar+"="+f.o.profile)
	}
	return cmd, nil
}

// stop sends SIGTERM to every agent and SIGKILL to those still running
// after the stop timeout, then waits for all of them.
func (f *fleet) stop() {
	for _, p := range f.procs {
		_ = p.Process.Signal(syscall.SIGTERM)
	}
	deadline := time.After(f.o.stopTimeout)
	killed := 0
	for i, done := range f.done {
		select {
		case <-done:
		case <-deadline:
			_ = f.procs[i].Process.Kill()
			killed++
			<-done
		}
	}
	fmt.Printf("stopped %d agents (%d killed after %v)\n", len(f.procs), killed, f.o.stopTimeout)
}

// cpu is the CPU time of all agents so far, in seconds.
func (f *fleet) cpu() float64 {
	var s float64
	for _, p := range f.procs {
		s += cpuSeconds(p.Process.Pid)
	}
	return s
}

// cpuSeconds is utime+stime of pid from /proc/<pid>/stat.
func cpuSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	ut, _ := strconv.ParseFloat(fields[11], 64)
	st, _ := strconv.ParseFloat(fields[12], 64)
	return (ut + st) / clkTck
}

package execproc

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// procInfo is what the tests need from /proc/<pid>/stat.
type procInfo struct {
	pid, ppid, pgrp int
	state           byte
}

// listProcs reads every process of the system from /proc.
func listProcs(t *testing.T) []procInfo {
	t.Helper()
	paths, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil {
		t.Fatal(err)
	}
	var out []procInfo
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			continue // the process ended meanwhile
		}
		if info, ok := parseStat(data); ok {
			out = append(out, info)
		}
	}
	return out
}

// parseStat parses "pid (comm) state ppid pgrp ...".
func parseStat(data []byte) (procInfo, bool) {
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return procInfo{}, false
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data[:bytes.IndexByte(data, '(')])))
	fields := strings.Fields(string(data[end+1:]))
	if err != nil || len(fields) < 3 {
		return procInfo{}, false
	}
	ppid, _ := strconv.Atoi(fields[1])
	pgrp, _ := strconv.Atoi(fields[2])
	return procInfo{pid: pid, ppid: ppid, pgrp: pgrp, state: fields[0][0]}, true
}

// assertGroupGone fails when a process of group pgid is still alive, or when
// a zombie is left whose parent is this test process. Zombies re-parented
// to a PID 1 that does not reap (some sandboxes) are not ours and do not
// run, so they are tolerated; with a reaping init kill(-pgid, 0) is ESRCH.
func assertGroupGone(t *testing.T, pgid int) {
	t.Helper()
	self := os.Getpid()
	for _, p := range listProcs(t) {
		if p.pgrp == pgid && p.state != 'Z' {
			t.Errorf("process %d of group %d still alive (state %c)", p.pid, pgid, p.state)
		}
		if p.ppid == self && p.state == 'Z' {
			t.Errorf("zombie %d left behind by us", p.pid)
		}
	}
}

// assertAlive fails unless pid is a live (non-zombie) process.
func processAlive(t *testing.T, pid int) bool {
	t.Helper()
	for _, p := range listProcs(t) {
		if p.pid == pid {
			return p.state != 'Z'
		}
	}
	return false
}

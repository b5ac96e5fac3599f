package execproc

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// groupPoll is how often a stopping process group is looked at. The poll
// runs on real time because it waits for the kernel, not for a schedule;
// the stop deadline itself runs on the injected clock.
const groupPoll = 20 * time.Millisecond

// groupAlive reports whether a process of the group other than a zombie
// is left. A zombie no longer runs and is reaped by its new parent, so it
// does not count; when /proc cannot be read, any member counts.
func (p *proc) groupAlive() bool {
	if syscall.Kill(-p.pid, 0) != nil {
		return false
	}
	live, ok := liveMember(p.pid)
	return live || !ok
}

// awaitGroupGone waits, at most the stop timeout, until no live process is
// left in the group, and reports whether none is.
func (p *proc) awaitGroupGone() bool {
	deadline := p.clock.NewTimer(p.stop)
	defer deadline.Stop()
	poll := time.NewTicker(groupPoll)
	defer poll.Stop()
	for p.groupAlive() {
		select {
		case <-poll.C:
		case <-deadline.Chan():
			return !p.groupAlive()
		}
	}
	return true
}

// liveMember reports whether /proc lists a process of group pgid that is
// not a zombie; ok is false when /proc could not be read.
func liveMember(pgid int) (live, ok bool) {
	paths, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil || len(paths) == 0 {
		return false, false
	}
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if err != nil {
			continue // the process ended meanwhile
		}
		if pgrp, state, ok := statGroup(data); ok && pgrp == pgid && state != 'Z' && state != 'X' {
			return true, true
		}
	}
	return false, true
}

// statGroup reads the state and process group from /proc/<pid>/stat:
// "pid (comm) state ppid pgrp ...", where comm may hold spaces and ')'.
func statGroup(data []byte) (pgrp int, state byte, ok bool) {
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return 0, 0, false
	}
	fields := bytes.Fields(data[end+1:])
	if len(fields) < 3 || len(fields[0]) != 1 {
		return 0, 0, false
	}
	pgrp, err := strconv.Atoi(string(fields[2]))
	return pgrp, fields[0][0], err == nil
}

// Package execproc runs and supervises one external process: it starts it in
// its own process group, streams its stdout and stderr as bounded lines,
// stops the whole group with SIGTERM then SIGKILL, and always reaps the
// process, so an exec service or a command job leaves no zombie and no
// stray grandchild behind.
package execproc

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"
)

// DefaultStopTimeout is how long a stopped process group gets between
// SIGTERM and SIGKILL when Cmd.StopTimeout is zero.
const DefaultStopTimeout = 10 * time.Second

// BaseEnv returns the minimal environment every process starts with:
// PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin and
// LANG=C.UTF-8. Cmd.Env is appended to it, and a later entry overrides an
// earlier one of the same key. The slice is a fresh copy.
func BaseEnv() []string {
	return []string{
		"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"LANG=C.UTF-8",
	}
}

// Cmd describes one external process. The zero values of the optional
// fields select the documented defaults.
type Cmd struct {
	// Path is the program, looked up in the agent's PATH when it has no slash.
	Path string
	// Args are the arguments after the program name.
	Args []string
	// Env holds KEY=VALUE entries added to BaseEnv().
	Env []string
	// Dir is the working directory. Default: the agent's.
	Dir string
	// StopTimeout is the time between SIGTERM and SIGKILL on stop, and the
	// bound of each later wait. Default: DefaultStopTimeout.
	StopTimeout time.Duration
	// MaxLine is the longest line delivered in one piece. Default: DefaultMaxLine.
	MaxLine int
	// Clock times the stop sequence. Default: the real clock.
	Clock clockwork.Clock
}

// Exit describes how a process ended.
type Exit struct {
	// Code is the exit code, or -1 when the process was killed by a signal.
	Code int `json:"code"`
	// Signal is the name of the fatal signal ("SIGKILL"), or "".
	Signal string `json:"signal,omitempty"`
	// Stopped is set when the process was stopped because ctx was cancelled.
	Stopped bool `json:"stopped,omitempty"`
}

// Run starts the process and blocks until it and its output are done.
// lines, when not nil, receives every output line (without its newline)
// with the stream name Stdout or Stderr; calls are never concurrent.
// started, when not nil, is called with the pid once the process runs.
//
// Cancelling ctx sends SIGTERM to the process group and SIGKILL after
// StopTimeout. Processes of the group still alive when the main process
// has ended are stopped the same way (like systemd's KillMode=control-group).
// A non-zero exit or a fatal signal returns an *ExitError.
func (c Cmd) Run(ctx context.Context, lines func(stream, line string), started func(pid int)) (Exit, error) {
	sink := &lineSink{fn: lines}
	consume := func(stream string) func(io.Reader) {
		if lines == nil {
			return func(r io.Reader) { _, _ = io.Copy(io.Discard, r) }
		}
		return func(r io.Reader) { readLines(r, stream, c.maxLine(), sink) }
	}
	return c.run(ctx, consume(Stdout), consume(Stderr), started)
}

// run starts the process with one consumer per output stream and
// supervises it to the end.
func (c Cmd) run(ctx context.Context, out, errOut func(io.Reader), started func(int)) (Exit, error) {
	p, err := c.start(out, errOut)
	if err != nil {
		return Exit{}, err
	}
	if started != nil {
		started(p.pid)
	}
	exit, err := p.supervise(ctx)
	p.finish()
	if err != nil {
		return exit, err
	}
	if exit.Code != 0 || exit.Signal != "" {
		return exit, &ExitError{Exit: exit}
	}
	return exit, nil
}

// start creates the output pipes and the process in its own group.
func (c Cmd) start(out, errOut func(io.Reader)) (*proc, error) {
	if c.Path == "" {
		return nil, ErrNoPath
	}
	cmd := exec.Command(c.Path, c.Args...)
	cmd.Env = append(BaseEnv(), c.Env...)
	cmd.Dir = c.Dir
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	p := &proc{cmd: cmd, stop: c.stopTimeout(), clock: c.clock()}
	if err := p.pipes(out, errOut); err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		p.closeAll()
		p.readers.Wait()
		return nil, fmt.Errorf("execproc: start %s: %w", c.Path, err)
	}
	p.closeWriters()
	p.pid = cmd.Process.Pid
	p.waited = make(chan error, 1)
	go func() { p.waited <- cmd.Wait() }()
	return p, nil
}

func (c Cmd) stopTimeout() time.Duration {
	if c.StopTimeout > 0 {
		return c.StopTimeout
	}
	return DefaultStopTimeout
}

func (c Cmd) maxLine() int {
	if c.MaxLine > 0 {
		return max(c.MaxLine, 16)
	}
	return DefaultMaxLine
}

func (c Cmd) clock() clockwork.Clock {
	if c.Clock != nil {
		return c.Clock
	}
	return clockwork.NewRealClock()
}

// exitOf converts a finished process's state into an Exit.
func exitOf(ps *os.ProcessState) Exit {
	ws, ok := ps.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return Exit{Code: -1, Signal: signalName(ws.Signal())}
	}
	return Exit{Code: ps.ExitCode()}
}

package execproc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"
	"golang.org/x/sys/unix"
)

// proc is one started process with its output readers.
type proc struct {
	cmd         *exec.Cmd
	pid         int
	stop        time.Duration
	clock       clockwork.Clock
	readEnds    []*os.File
	writeEnds   []*os.File
	readers     sync.WaitGroup
	readersDone chan struct{}
	waited      chan error
}

// pipes creates the stdout and stderr pipes and starts one reader on each.
func (p *proc) pipes(consumers ...func(io.Reader)) error {
	for range consumers {
		r, w, err := os.Pipe()
		if err != nil {
			p.closeAll()
			return fmt.Errorf("execproc: pipe: %w", err)
		}
		p.readEnds = append(p.readEnds, r)
		p.writeEnds = append(p.writeEnds, w)
	}
	p.cmd.Stdout, p.cmd.Stderr = p.writeEnds[0], p.writeEnds[1]
	for i, consume := range consumers {
		r := p.readEnds[i]
		p.readers.Go(func() { consume(r) })
	}
	p.readersDone = make(chan struct{})
	go func() {
		p.readers.Wait()
		close(p.readersDone)
	}()
	return nil
}

// supervise waits for the process to end, stopping it when ctx is done.
func (p *proc) supervise(ctx context.Context) (Exit, error) {
	select {
	case err := <-p.waited:
		return exitFrom(p.cmd, err, false)
	case <-ctx.Done():
	}
	p.signalGroup(syscall.SIGTERM)
	if exit, err, ok := p.awaitExit(); ok {
		return exit, err
	}
	p.signalGroup(syscall.SIGKILL)
	if exit, err, ok := p.awaitExit(); ok {
		return exit, err
	}
	return Exit{Code: -1, Stopped: true}, fmt.Errorf("execproc: pid %d: %w", p.pid, ErrKillTimeout)
}

// awaitExit waits at most the stop timeout for the stopped process to end.
func (p *proc) awaitExit() (Exit, error, bool) {
	t := p.clock.NewTimer(p.stop)
	defer t.Stop()
	select {
	case err := <-p.waited:
		exit, err := exitFrom(p.cmd, err, true)
		return exit, err, true
	case <-t.Chan():
		return Exit{}, nil, false
	}
}

// finish stops what is left of the process group once the main process
// has ended: SIGTERM, then SIGKILL to what is still alive after the stop
// timeout, whether or not it holds the output pipes. Then it waits,
// bounded, for the output readers.
func (p *proc) finish() {
	if p.groupAlive() {
		p.signalGroup(syscall.SIGTERM)
		if !p.awaitGroupGone() {
			p.signalGroup(syscall.SIGKILL)
			p.awaitGroupGone()
		}
	}
	p.waitReaders()
	p.closeAll()
	<-p.readersDone
}

// waitReaders reports whether the readers ended within the stop timeout.
func (p *proc) waitReaders() bool {
	t := p.clock.NewTimer(p.stop)
	defer t.Stop()
	select {
	case <-p.readersDone:
		return true
	case <-t.Chan():
		return false
	}
}

func (p *proc) signalGroup(sig syscall.Signal) {
	_ = syscall.Kill(-p.pid, sig)
}

func (p *proc) closeWriters() {
	for _, f := range p.writeEnds {
		_ = f.Close()
	}
}

func (p *proc) closeAll() {
	p.closeWriters()
	for _, f := range p.readEnds {
		_ = f.Close()
	}
}

// exitFrom turns the result of cmd.Wait into an Exit. Only a failure of the
// wait itself is an error here; the exit status is judged by the caller.
func exitFrom(cmd *exec.Cmd, waitErr error, stopped bool) (Exit, error) {
	if cmd.ProcessState == nil {
		return Exit{Stopped: stopped}, fmt.Errorf("execproc: wait: %w", waitErr)
	}
	var ee *exec.ExitError
	if waitErr != nil && !errors.As(waitErr, &ee) {
		return Exit{Stopped: stopped}, fmt.Errorf("execproc: wait: %w", waitErr)
	}
	exit := exitOf(cmd.ProcessState)
	exit.Stopped = stopped
	return exit, nil
}

// signalName gives the conventional name of sig, such as "SIGTERM".
func signalName(sig syscall.Signal) string {
	if name := unix.SignalName(sig); name != "" {
		return name
	}
	return fmt.Sprintf("signal %d", int(sig))
}

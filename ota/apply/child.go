package apply

import (
	"bufio"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// TrialFDEnv names the environment variable that tells a binary it runs on
// trial under the old version, and which inherited file descriptor carries
// its health reports (see Report).
const TrialFDEnv = "DROVER_OTA_TRIAL_FD"

// trialFD is the descriptor of the health pipe in the child (ExtraFiles[0]).
const trialFD = 3

// notifyEnv are the sd_notify variables not passed to the child: systemd
// hears only from the supervisor (the unit's main PID).
var notifyEnv = []string{"NOTIFY_SOCKET=", "WATCHDOG_USEC=", "WATCHDOG_PID=", TrialFDEnv + "="}

// childEnv is env without the sd_notify variables, plus the health pipe's.
func childEnv(env []string) []string {
	out := make([]string, 0, len(env)+1)
	for _, kv := range env {
		if !hasAnyPrefix(kv, notifyEnv) {
			out = append(out, kv)
		}
	}
	return append(out, TrialFDEnv+"=3")
}

func hasAnyPrefix(s string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

// child is the candidate running on trial.
type child struct {
	cmd     *exec.Cmd
	exited  chan struct{} // closed once the child is reaped
	err     error         // its exit status, set before exited is closed
	reports chan string
}

// startChild starts path with args, its health pipe on descriptor 3. The
// child is killed by the kernel if the supervisor dies (Pdeathsig; the
// starting thread stays locked until the child is reaped, since the signal
// follows the thread that forked).
func startChild(path string, args, env []string) (*child, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, args...)
	cmd.Env, cmd.ExtraFiles = childEnv(env), []*os.File{w}
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	c := &child{cmd: cmd, exited: make(chan struct{}), reports: make(chan string, 64)}
	started := make(chan error, 1)
	go c.run(started)
	err = <-started
	_ = w.Close()
	if err != nil {
		_ = r.Close()
		return nil, err
	}
	go c.read(r)
	return c, nil
}

// run starts and reaps the child on one locked OS thread.
func (c *child) run(started chan<- error) {
	runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
	if err := c.cmd.Start(); err != nil {
		started <- err
		return
	}
	started <- nil
	c.err = c.cmd.Wait()
	close(c.exited)
}

// read forwards each report line; a closed pipe is reported as such.
func (c *child) read(r *os.File) {
	defer r.Close()
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		c.report(sc.Text())
	}
	c.report("health pipe closed")
}

// report forwards one report, dropping it if the supervisor is not reading.
func (c *child) report(s string) {
	select {
	case c.reports <- s:
	default:
	}
}

// stop ends the child: SIGTERM (its clean stop), SIGKILL once after
// expires, and waits until it is reaped.
func (c *child) stop(after <-chan time.Time) {
	select {
	case <-c.exited:
		return
	default:
	}
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.exited:
	case <-after:
		_ = c.cmd.Process.Kill()
		<-c.exited
	}
}

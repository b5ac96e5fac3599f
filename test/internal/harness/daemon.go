package harness

import (
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// daemon is a server process a test starts, stops and kills, with its
// output appended to a log file in its directory.
type daemon struct {
	t      testing.TB
	name   string // for messages
	log    string // path of the output file
	cmd    *exec.Cmd
	exited chan struct{}
}

// start runs argv (again, after stop or kill), output appended to d.log.
func (d *daemon) start(argv ...string) {
	d.t.Helper()
	logf, err := os.OpenFile(d.log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		d.t.Fatal(err)
	}
	d.cmd = exec.Command(argv[0], argv[1:]...)
	d.cmd.Stdout, d.cmd.Stderr = logf, logf
	if err := d.cmd.Start(); err != nil {
		logf.Close()
		d.t.Fatal(err)
	}
	d.exited = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) { _ = cmd.Wait(); logf.Close(); close(done) }(d.cmd, d.exited)
}

// stop ends the process with SIGTERM, and kills it if it has not exited
// after StopTimeout. A stopped daemon may be started again.
func (d *daemon) stop() {
	if d.cmd == nil {
		return
	}
	_ = d.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-d.exited:
	case <-time.After(StopTimeout):
		d.kill()
	}
	d.cmd = nil
}

// kill ends the process with SIGKILL, as a power cut or a crash would.
func (d *daemon) kill() {
	if d.cmd == nil {
		return
	}
	_ = d.cmd.Process.Kill()
	<-d.exited
	d.cmd = nil
}

// dumpLog logs the end of the output.
func (d *daemon) dumpLog() {
	const tail = 4 << 10
	b, _ := os.ReadFile(d.log)
	if len(b) > tail {
		b = b[len(b)-tail:]
	}
	d.t.Logf("%s output (end):\n%s", d.name, b)
}

// newDaemon is a daemon whose log is name.out in dir; it is stopped when
// the test ends, its log shown if the test failed.
func newDaemon(t testing.TB, name, dir string) *daemon {
	d := &daemon{t: t, name: name, log: filepath.Join(dir, name+".out")}
	t.Cleanup(func() {
		d.stop()
		if t.Failed() {
			d.dumpLog()
		}
	})
	return d
}

package execproc

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func sh(script string) Cmd {
	return Cmd{Path: "/bin/sh", Args: []string{"-c", script}, StopTimeout: 200 * time.Millisecond}
}

// collector gathers lines and signals when a given line arrives.
type collector struct {
	mu    sync.Mutex
	lines map[string][]string
	want  string
	seen  chan struct{}
	once  sync.Once
}

func newCollector(want string) *collector {
	return &collector{lines: map[string][]string{}, want: want, seen: make(chan struct{})}
}

func (c *collector) add(stream, line string) {
	c.mu.Lock()
	c.lines[stream] = append(c.lines[stream], line)
	c.mu.Unlock()
	if line == c.want {
		c.once.Do(func() { close(c.seen) })
	}
}

func (c *collector) get(stream string) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.lines[stream]...)
}

func TestRunLinesFromBothStreams(t *testing.T) {
	c := newCollector("")
	_, err := sh("echo out1; echo err1 >&2; printf 'out2\\r\\n'; printf 'err2' >&2").
		Run(context.Background(), c.add, nil)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	if got := strings.Join(c.get(Stdout), "|"); got != "out1|out2" {
		t.Errorf("stdout lines = %q", got)
	}
	if got := strings.Join(c.get(Stderr), "|"); got != "err1|err2" {
		t.Errorf("stderr lines = %q", got)
	}
}

func TestRunExitStatus(t *testing.T) {
	tests := []struct {
		name     string
		script   string
		wantCode int
		wantSig  string
		wantErr  bool
	}{
		{"success", "exit 0", 0, "", false},
		{"exit code", "exit 3", 3, "", true},
		{"killed", "kill -KILL $$", -1, "SIGKILL", true},
		{"terminated", "kill -TERM $$", -1, "SIGTERM", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exit, err := sh(tt.script).Run(context.Background(), nil, nil)
			if exit.Code != tt.wantCode || exit.Signal != tt.wantSig {
				t.Errorf("exit = %+v, want code %d signal %q", exit, tt.wantCode, tt.wantSig)
			}
			var ee *ExitError
			if got := errors.As(err, &ee); got != tt.wantErr {
				t.Fatalf("err = %v, want ExitError: %v", err, tt.wantErr)
			}
			if ee == nil {
				return
			}
			if code, sig := ee.ExitStatus(); code != tt.wantCode || sig != tt.wantSig {
				t.Errorf("ExitStatus = %d %q", code, sig)
			}
			if errors.Is(err, ErrStopped) {
				t.Errorf("a process ending by itself must not be ErrStopped")
			}
		})
	}
}

func TestRunStartErrors(t *testing.T) {
	tests := []struct {
		name string
		cmd  Cmd
		want error
	}{
		{"empty path", Cmd{}, ErrNoPath},
		{"missing program", Cmd{Path: "/nonexistent/prog"}, nil},
		{"bad dir", Cmd{Path: "/bin/true", Dir: "/nonexistent/dir"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			started := false
			_, err := tt.cmd.Run(context.Background(), nil, func(int) { started = true })
			var ee *ExitError
			if err == nil || errors.As(err, &ee) || started {
				t.Fatalf("err = %v started = %v, want a start error", err, started)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRunEnvAndDir(t *testing.T) {
	dir := t.TempDir()
	c := newCollector("")
	cmd := Cmd{Path: "sh", Args: []string{"-c", "echo $FOO; pwd; echo ${HOSTILE:-unset}"},
		Env: []string{"FOO=bar"}, Dir: dir}
	t.Setenv("HOSTILE", "leaked")
	if _, err := cmd.Run(context.Background(), c.add, nil); err != nil {
		t.Fatal(err)
	}
	want := "bar|" + dir + "|unset"
	if got := strings.Join(c.get(Stdout), "|"); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestRunLongLinesAreSplit(t *testing.T) {
	c := newCollector("")
	cmd := sh("head -c 10000 /dev/zero | tr '\\0' a; echo; echo short")
	cmd.MaxLine = 1000
	if _, err := cmd.Run(context.Background(), c.add, nil); err != nil {
		t.Fatal(err)
	}
	lines := c.get(Stdout)
	if len(lines) < 11 || lines[len(lines)-1] != "short" {
		t.Fatalf("got %d lines, last %q", len(lines), lines[len(lines)-1])
	}
	total := 0
	for _, l := range lines[:len(lines)-1] {
		if len(l) > 1000 {
			t.Errorf("piece of %d bytes exceeds MaxLine", len(l))
		}
		total += len(l)
	}
	if total != 10000 {
		t.Errorf("pieces hold %d bytes, want 10000", total)
	}
}

package sdnotify

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
	"github.com/jonboulle/clockwork"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// listen creates a unixgram socket in a temp dir and points
// $NOTIFY_SOCKET at it, like systemd does for a Type=notify unit.
func listen(t *testing.T) *net.UnixConn {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notify.sock")
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	t.Setenv("NOTIFY_SOCKET", path)
	return conn
}

// next reads one datagram; the deadline only turns a hang into a failure.
func next(t *testing.T, conn *net.UnixConn) string {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(time.Minute))
	buf := make([]byte, 4096)
	n, _, err := conn.ReadFromUnix(buf)
	if err != nil {
		t.Fatalf("read notify socket: %v", err)
	}
	return string(buf[:n])
}

func TestMessages(t *testing.T) {
	tests := []struct {
		name string
		send func(*Notifier) error
		want string
	}{
		{"ready", (*Notifier).Ready, "READY=1"},
		{"stopping", (*Notifier).Stopping, "STOPPING=1"},
		{"status", func(n *Notifier) error { return n.Status("3 services\nrunning") }, "STATUS=3 services running"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			conn := listen(t)
			if err := tt.send(New()); err != nil {
				t.Fatal(err)
			}
			if got := next(t, conn); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNoSystemdIsSilent(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	t.Setenv("WATCHDOG_USEC", "")
	n := New()
	if err := n.Ready(); err != nil {
		t.Errorf("Ready without systemd: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- n.Watchdog(context.Background(), func() bool { return true }) }()
	if err := <-done; err != nil {
		t.Errorf("Watchdog without systemd: %v", err)
	}
}

func TestBadWatchdogEnv(t *testing.T) {
	t.Setenv("WATCHDOG_USEC", "soon")
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	if err := New().Watchdog(context.Background(), nil); err == nil {
		t.Error("want an error for WATCHDOG_USEC=soon")
	}
}

// TestWatchdogBeatsWhileHealthy drives three beats on a fake clock: healthy,
// unhealthy, healthy. The test's healthy func writes a marker before the
// third answer, so the socket must read WATCHDOG=1, MARK, WATCHDOG=1: a
// heartbeat sent while unhealthy would appear before the marker.
func TestWatchdogBeatsWhileHealthy(t *testing.T) {
	conn := listen(t)
	t.Setenv("WATCHDOG_USEC", "2000000")
	t.Setenv("WATCHDOG_PID", strconv.Itoa(os.Getpid()))
	clock := clockwork.NewFakeClock()
	answers := []bool{true, false, true}
	calls := make(chan int)
	call := 0
	healthy := func() bool {
		i := call
		call++
		if i == 2 {
			if _, err := daemon.SdNotify(false, "MARK"); err != nil {
				t.Error(err)
			}
		}
		calls <- i
		return answers[i]
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- New(WithClock(clock)).Watchdog(ctx, healthy) }()
	if err := clock.BlockUntilContext(ctx, 1); err != nil {
		t.Fatal(err)
	}
	for i := range answers {
		clock.Advance(time.Second) // half of WATCHDOG_USEC
		if got := <-calls; got != i {
			t.Fatalf("call %d, want %d", got, i)
		}
	}
	for i, want := range []string{"WATCHDOG=1", "MARK", "WATCHDOG=1"} {
		if got := next(t, conn); got != want {
			t.Errorf("message %d = %q, want %q", i, got, want)
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Watchdog: %v", err)
	}
}

func TestNilOptionsKeepDefaults(t *testing.T) {
	t.Setenv("NOTIFY_SOCKET", "")
	n := New(WithLogger(nil), WithClock(nil))
	if n.logger == nil || n.clock == nil {
		t.Fatalf("nil options replaced the defaults: logger %v clock %v", n.logger, n.clock)
	}
}

package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/cli"
	"github.com/drover-iot/drover/fleet/fleettest"
)

// notifyBuffer is a Writer that tells, on changed, that it was written to.
type notifyBuffer struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newNotifyBuffer() *notifyBuffer { return &notifyBuffer{changed: make(chan struct{}, 1)} }

func (b *notifyBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	select {
	case b.changed <- struct{}{}:
	default:
	}
	return b.buf.Write(p)
}

func (b *notifyBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// waitFor waits until the buffer contains want, or fails the test when ctx ends.
func (b *notifyBuffer) waitFor(ctx context.Context, t *testing.T, want string) {
	t.Helper()
	for !strings.Contains(b.String(), want) {
		select {
		case <-b.changed:
		case <-ctx.Done():
			t.Fatalf("output never contained %q:\n%s", want, b.String())
		}
	}
}

// start runs fleetctl in the background with clock; wait returns its exit code.
func start(ctx context.Context, clock clockwork.Clock, stdout, stderr *notifyBuffer, args ...string) (wait func() int) {
	done := make(chan int, 1)
	go func() {
		done <- cli.Execute(ctx, args, cli.Options{Stdout: stdout, Stderr: stderr, Clock: clock,
			Getenv: func(string) string { return "" }, ConfigPath: filepath.Join("/nonexistent", "fleetctl.yaml")})
	}()
	return func() int { return <-done }
}

// TestUnknownDeviceFailsFast: a command to a device without retained state
// ends once UnknownAfter has passed on the clock, not at --timeout.
func TestUnknownDeviceFailsFast(t *testing.T) {
	url := fleettest.StartBroker(t)
	fleettest.NewDevice(t, url, "pi", nil, nil) // answers unknown_command to everything
	lost := fleettest.Connect(t, url, "lost-device")
	fleettest.Wait(t, lost.Publish(fleet.Topics{}.State("old"), 1, true, string(fleet.StateLost)))
	tests := []struct {
		name     string
		args     []string
		timeout  string
		wantCode int
		wantErr  string
	}{
		{"status", []string{"status", "nosuch"}, "1h", 3, `device "nosuch" is unknown (no retained state on the broker)`},
		{"task ls", []string{"task", "ls", "nosuch"}, "1h", 3, `device "nosuch" is unknown`},
		{"logs -f -n 0", []string{"logs", "nosuch", "-f", "-n", "0"}, "1h", 3, `device "nosuch" is unknown`},
		{"ping", []string{"ping", "nosuch"}, "1h", 3, `nosuch  -    device "nosuch" is unknown`},
		{"known silent device waits for --timeout", []string{"status", "old"}, "1s", 3, "old: fleet: timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			clock := clockwork.NewFakeClockAt(now)
			stdout, stderr := newNotifyBuffer(), newNotifyBuffer()
			wait := start(ctx, clock, stdout, stderr, append(tt.args, "--broker", url, "--timeout", tt.timeout)...)
			if err := clock.BlockUntilContext(ctx, 1); err != nil {
				t.Fatal(err)
			}
			clock.Advance(cli.UnknownAfter)
			// ping shows the error in its row on stdout
			if code := wait(); code != tt.wantCode || !strings.Contains(stdout.String()+stderr.String(), tt.wantErr) {
				t.Fatalf("exit %d, stdout %q, stderr %q; want %d and %q", code, stdout, stderr, tt.wantCode, tt.wantErr)
			}
		})
	}
}

// TestLogsFollowCount: -f -n 0 prints only records that come after it
// started; without -n the recent records come first.
func TestLogsFollowCount(t *testing.T) {
	url := fleettest.StartBroker(t)
	var dev *fleettest.Device
	dev = fleettest.NewDevice(t, url, "pi", nil, map[string]fleettest.Handler{
		fleet.CmdPing: func(fleet.Request, func(any)) (any, error) { return fleet.PingResult{}, nil },
		fleet.CmdLogs: func(fleet.Request, func(any)) (any, error) {
			return fleet.LogsResult{Records: []fleet.LogRecord{{Seq: 1, TS: now, Level: "info", Msg: "old"}}}, nil
		},
		fleet.CmdLogFollow: func(fleet.Request, func(any)) (any, error) {
			raw, _ := json.Marshal(fleet.LogRecord{Seq: 7, TS: now, Level: "info", Source: "task:blink", Msg: "new"})
			return fleet.FollowResult{}, dev.PublishWait(fleet.Topics{}.Log("pi"), raw)
		},
	})
	tests := []struct {
		name    string
		args    []string
		wantOld bool
	}{
		{"-n 0 prints no old records", []string{"-n", "0"}, false},
		{"default count", nil, true},
		{"--source glob", []string{"-n", "0", "--source", "task:*"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			stdout, stderr := newNotifyBuffer(), newNotifyBuffer()
			wait := start(ctx, clockwork.NewFakeClockAt(now), stdout, stderr,
				append([]string{"logs", "pi", "-f", "--broker", url}, tt.args...)...)
			stdout.waitFor(ctx, t, "task:blink new")
			cancel()
			if code := wait(); code != 0 {
				t.Fatalf("exit %d: %s", code, stderr)
			}
			if got := strings.Contains(stdout.String(), " old"); got != tt.wantOld {
				t.Fatalf("old record printed = %v, want %v:\n%s", got, tt.wantOld, stdout)
			}
		})
	}
}

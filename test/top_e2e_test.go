package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// topConfig is an agent config for the top test: a service that prints a
// line on each start, labels, and a keep-alive of keepalive so that the
// broker notices a SIGKILL quickly.
func topConfig(t testing.TB, id, broker, keepalive string) string {
	return writeFile(t, id+".yaml", fmt.Sprintf(`id: %s
data_dir: %s
labels: {room: %s}
broker:
  url: %s
  keepalive: %s
metrics:
  enabled: false
services:
  - name: web
    command: [/bin/sh, -c, 'echo web-up; exec sleep 3600']
`, id, t.TempDir(), id, broker, keepalive))
}

// terminal is a tmux server of the test's own, with one window of 100x30
// running a command.
type terminal struct {
	t      testing.TB
	socket string
}

func newTerminal(t testing.TB, command string) *terminal {
	t.Helper()
	need(t, "tmux")
	term := &terminal{t: t, socket: filepath.Join(t.TempDir(), "tmux.sock")}
	term.tmux("new-session", "-d", "-x", "100", "-y", "30", "-s", "top", command)
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", term.socket, "kill-server").Run() })
	return term
}

func (term *terminal) tmux(args ...string) string {
	term.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

// screen is what the terminal shows now.
func (term *terminal) screen() string { return term.tmux("capture-pane", "-p", "-t", "top") }

// keys types keys (tmux key names such as Enter, Escape, Down).
func (term *terminal) keys(keys ...string) {
	term.tmux(append([]string{"send-keys", "-t", "top"}, keys...)...)
}

// waitScreen waits until the screen satisfies ok.
func (term *terminal) waitScreen(what string, ok func(string) bool) string {
	term.t.Helper()
	var s string
	eventually(term.t, waitFor, what, func() (bool, string) {
		s = term.screen()
		return ok(s), "screen:\n" + s
	})
	return s
}

// screenRow is the line of the screen that shows dev in the table.
func screenRow(screen, dev string) string {
	for _, l := range strings.Split(screen, "\n") {
		if f := strings.Fields(strings.TrimLeft(l, "›> ")); len(f) > 1 && f[0] == dev {
			return l
		}
	}
	return ""
}

// headerWidth is the width of the table's header line, whose last column
// ends at the terminal's right edge; 0 when there is none.
func headerWidth(screen string) int {
	for _, l := range strings.Split(screen, "\n") {
		if strings.HasPrefix(l, " ID ") {
			return len(strings.TrimRight(l, " "))
		}
	}
	return 0
}

func TestTopLiveFleet(t *testing.T) {
	m := startMosquitto(t)
	startAgentConfig(t, "agent-top-a", topConfig(t, "top-a", m.url(), "30s"))
	b := startAgentConfig(t, "agent-top-b", topConfig(t, "top-b", m.url(), "1s"))
	exitFile := filepath.Join(t.TempDir(), "exit")
	term := newTerminal(t, fmt.Sprintf("env HOME=%s %s --broker %s top; echo $? > %s",
		t.TempDir(), bins["fleetctl"], m.url(), exitFile))

	term.waitScreen("both devices online with their services", func(s string) bool {
		return strings.Contains(screenRow(s, "top-a"), "online") && strings.Contains(screenRow(s, "top-b"), "online") &&
			strings.Fields(screenRow(s, "top-b"))[4] == "0" // FAIL column: the first status is in
	})

	if code := b.stop(t, syscall.SIGKILL); code != -1 {
		t.Fatalf("agent top-b exit code %d after SIGKILL, want -1 (killed)", code)
	}
	term.waitScreen("top-b turns lost (its last will)", func(s string) bool {
		return strings.Contains(screenRow(s, "top-b"), "lost") && strings.Contains(screenRow(s, "top-a"), "online")
	})

	// The cursor starts on the first device to appear; top-a is the first
	// row by id, where Up (the cursor stops at the top) puts it.
	term.keys("Up")
	term.waitScreen("the cursor on top-a", func(s string) bool { return strings.Contains(s, "›top-a") })
	term.keys("Enter")
	term.waitScreen("top-a's units and journal", func(s string) bool {
		return strings.HasPrefix(s, "top-a") && strings.Contains(s, "Services (1)") && strings.Contains(s, "web-up")
	})
	term.keys("r")
	term.waitScreen("the question", func(s string) bool { return strings.Contains(s, "restart service web on top-a? [y/N]") })
	term.keys("y")
	term.waitScreen("the restart's outcome and the restarted service's output, followed live", func(s string) bool {
		return strings.Contains(s, "restarted service web on top-a") && strings.Count(s, "web-up") >= 2 &&
			strings.Contains(s, "restarts 1")
	})

	term.keys("Escape")
	term.waitScreen("the table again, 100 wide", func(s string) bool { return headerWidth(s) == 100 })
	term.tmux("resize-window", "-t", "top", "-x", "140", "-y", "40")
	term.waitScreen("the table redrawn 140 wide", func(s string) bool {
		return headerWidth(s) == 140 && screenRow(s, "top-b") != ""
	})
	term.keys("q")
	eventually(t, waitFor, "fleetctl top exits 0", func() (bool, string) {
		b, err := os.ReadFile(exitFile)
		return err == nil && strings.TrimSpace(string(b)) == "0", fmt.Sprintf("exit file: %q, %v", b, err)
	})
}

func TestTopOnceASCII(t *testing.T) {
	m := startMosquitto(t)
	startAgentConfig(t, "agent-top-once", topConfig(t, "top-once", m.url(), "30s"))
	eventually(t, waitFor, "top-once online", func() (bool, string) {
		out, _ := fleetctl(t, m.url(), "devices")
		return strings.Contains(screenRow(out, "top-once"), "online"), out
	})
	cmd := exec.Command(bins["fleetctl"], "--broker", m.url(), "top", "--once", "-l", "room=top-once")
	cmd.Env = append(os.Environ(), "HOME="+t.TempDir(), "TERM=dumb")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("fleetctl top --once: %v\n%s", err, out)
	}
	if r := screenRow(string(out), "top-once"); !strings.Contains(r, "online") {
		t.Fatalf("--once frame lacks top-once online:\n%s", out)
	}
	for i, c := range out {
		if c >= 0x80 || (c < 0x20 && c != '\n') {
			t.Fatalf("byte %d of the TERM=dumb frame is %#x, not plain ASCII:\n%s", i, c, out)
		}
	}
	if !strings.Contains(string(out), "filter: room=top-once (1)") {
		t.Errorf("--once frame does not show the selector:\n%s", out)
	}
}

func TestTopBadSelector(t *testing.T) {
	out, code := fleetctl(t, "tcp://127.0.0.1:1", "top", "--once", "-l", "room in")
	if code != 2 || !strings.Contains(out, "--selector") {
		t.Fatalf("top -l \"room in\": exit %d, want 2 (usage)\n%s", code, out)
	}
}

// BenchmarkFleetctlTopOnce1000 times the built fleetctl drawing one frame
// of 1,000 devices from retained messages in Mosquitto (process start,
// connect, subscribe, receive 2,000 retained messages and the end marker,
// sort, draw).
func BenchmarkFleetctlTopOnce1000(b *testing.B) {
	const n = 1000
	m := startMosquitto(b)
	seedDevices(b, m.url(), n)
	home := b.TempDir()
	for b.Loop() {
		cmd := exec.Command(bins["fleetctl"], "--broker", m.url(), "top", "--once")
		cmd.Env = append(os.Environ(), "HOME="+home)
		out, err := cmd.Output()
		if err != nil {
			b.Fatalf("fleetctl top --once: %v", err)
		}
		if !strings.Contains(string(out), fmt.Sprintf("%d devices: %d online", n, n)) {
			b.Fatalf("frame does not count %d online devices:\n%s", n, out)
		}
	}
}

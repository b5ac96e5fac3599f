package top

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/jonboulle/clockwork"
	"github.com/muesli/termenv"

	"github.com/drover-iot/drover/fleet"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// t0 is the fake clock's start: 2026-11-21 10:00:00 UTC.
var t0 = time.Date(2026, 11, 21, 10, 0, 0, 0, time.UTC)

// fakeBackend records what the model asked of the fleet.
type fakeBackend struct {
	follows  []string
	stops    int
	requests []string // "dev cmd name"
	err      error
}

func (b *fakeBackend) Follow(dev string) func() {
	b.follows = append(b.follows, dev)
	return func() { b.stops++ }
}

func (b *fakeBackend) Request(dev, cmd string, args any) error {
	b.requests = append(b.requests, dev+" "+cmd+" "+args.(fleet.NameArgs).Name)
	return b.err
}

// newTestModel is a model on a fake clock at t0, drawing without colours
// (so frames are plain text), at 80x24, holding the fixture fleet.
func newTestModel(t testing.TB, ascii bool) (*Model, *fakeBackend, *clockwork.FakeClock) {
	t.Helper()
	r := lipgloss.NewRenderer(&bytes.Buffer{})
	r.SetColorProfile(termenv.Ascii)
	clock := clockwork.NewFakeClockAt(t0)
	b := &fakeBackend{}
	m, err := New(Config{Backend: b, Clock: clock, Renderer: r, ASCII: ascii, Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(EventsMsg(fixture()))
	return m, b, clock
}

func at(d time.Duration) *time.Time { t := t0.Add(d); return &t }

// fixture is a small fleet: a busy device with a failing service, a
// failing job, sensors, an OTA download and a group it failed to apply; a
// lost one; an offline one with labels; one with only a state; and pi-10
// (in sync with its groups) to show natural order.
func fixture() []fleet.Event {
	var evs []fleet.Event
	add := func(dev string, state fleet.DeviceState, labels map[string]string, snap *fleet.StatusResult) {
		evs = append(evs, fleet.Event{Device: dev, Kind: fleet.KindState, State: state},
			fleet.Event{Device: dev, Kind: fleet.KindInfo, Info: &fleet.InfoDoc{ID: dev, Version: "v1.4.2", Labels: labels,
				StartedAt: t0.Add(-2 * time.Hour)}})
		if snap != nil {
			evs = append(evs, fleet.Event{Device: dev, Kind: fleet.KindStatus, Status: snap})
		}
	}
	add("pi-1", fleet.StateOnline, map[string]string{"room": "lab"}, busySnapshot())
	add("pi-2", fleet.StateLost, map[string]string{"room": "lab"}, &fleet.StatusResult{Device: "pi-2", Time: t0.Add(-5 * time.Minute), Uptime: 600})
	add("pi-10", fleet.StateOnline, map[string]string{"room": "hall"}, &fleet.StatusResult{Device: "pi-10", Time: t0.Add(-3 * time.Second), Uptime: 90061})
	add("gw-1", fleet.StateOffline, map[string]string{"room": "hall"}, nil)
	evs = append(evs, fleet.Event{Device: "pi-1", Kind: fleet.KindReported, Reported: &fleet.Reported{Sync: fleet.SyncFailed}},
		fleet.Event{Device: "pi-10", Kind: fleet.KindReported, Reported: &fleet.Reported{Sync: fleet.SyncInSync}})
	evs = append(evs, fleet.Event{Device: "new-0", Kind: fleet.KindState, State: fleet.StateOnline}, fleet.Event{Synced: true})
	return evs
}

func busySnapshot() *fleet.StatusResult {
	exit := 3
	return &fleet.StatusResult{
		Device: "pi-1", Time: t0.Add(-2 * time.Second), Version: "v1.4.2", Uptime: 3723,
		Tasks: []fleet.Unit{{Name: "blink", Kind: fleet.KindTask, State: fleet.UnitRunning, Since: t0.Add(-time.Hour)}},
		Services: []fleet.Unit{
			{Name: "web", Kind: fleet.KindService, Type: "exec", State: fleet.UnitRunning, Since: t0.Add(-10 * time.Minute), PID: 4242,
				Profile: fleet.Profile{Restarts: 2}},
			{Name: "flaky", Kind: fleet.KindService, Type: "exec", State: fleet.UnitFailed, Since: t0.Add(-30 * time.Second),
				Error: "exit status 3\nsecond line", ExitCode: &exit, Reason: "start limit"},
		},
		Jobs: []fleet.Job{
			{Name: "backup", Spec: "every 1h", NextRun: at(12 * time.Minute), LastError: "disk full"},
			{Name: "hello", Spec: "every 5s", NextRun: at(3 * time.Second)},
		},
		Sensors: []fleet.Reading{
			{Sensor: "system", Metric: "load1", Value: 0.5},
			{Sensor: "bme280", Metric: "temperature", Value: 21.375, Unit: "celsius"},
		},
		OTA: map[string]any{"state": "downloading", "progress": map[string]any{"done": 9.0, "total": 20.0}},
	}
}

// key sends a key press, given as bubbletea names it ("enter", "esc", "q").
func key(m *Model, k string) tea.Cmd {
	var msg tea.KeyMsg
	switch k {
	case "enter":
		msg = tea.KeyMsg{Type: tea.KeyEnter}
	case "esc":
		msg = tea.KeyMsg{Type: tea.KeyEsc}
	case "up":
		msg = tea.KeyMsg{Type: tea.KeyUp}
	case "down":
		msg = tea.KeyMsg{Type: tea.KeyDown}
	case "backspace":
		msg = tea.KeyMsg{Type: tea.KeyBackspace}
	case "ctrl+c":
		msg = tea.KeyMsg{Type: tea.KeyCtrlC}
	default:
		msg = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(k)}
	}
	_, cmd := m.Update(msg)
	return cmd
}

// typeText types s one key at a time.
func typeText(m *Model, s string) {
	for _, r := range s {
		key(m, string(r))
	}
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

// row returns the frame's line that shows dev, or "".
func row(frame, dev string) string {
	for _, l := range strings.Split(frame, "\n") {
		if f := strings.Fields(strings.TrimLeft(l, "›> ")); len(f) > 0 && f[0] == dev {
			return l
		}
	}
	return ""
}

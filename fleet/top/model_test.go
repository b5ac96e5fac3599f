package top

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

func TestFrames(t *testing.T) {
	tests := []struct {
		name          string
		ascii         bool
		width, height int
		keys          []string
	}{
		{name: "table-80x24", width: 80, height: 24},
		{name: "table-ascii-80x24", ascii: true, width: 80, height: 24},
		{name: "table-120x30-by-state", width: 120, height: 30, keys: []string{"s"}},
		{name: "table-filtered", width: 80, height: 12, keys: []string{"/", "r", "o", "o", "m", "=", "h", "a", "l", "l", "enter"}},
		{name: "table-filter-typing", width: 80, height: 12, keys: []string{"/", "r", "o", "o", "m"}},
		{name: "device-80x24", width: 80, height: 24, keys: []string{"down", "down", "enter"}},
		{name: "device-ascii-80x24", ascii: true, width: 80, height: 24, keys: []string{"down", "down", "enter"}},
		{name: "device-confirm", width: 80, height: 24, keys: []string{"down", "down", "enter", "down", "down", "r"}},
		{name: "device-small-60x12", width: 60, height: 12, keys: []string{"down", "down", "enter", "down", "down", "down", "down"}},
		{name: "device-no-status", width: 80, height: 10, keys: []string{"enter"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _, _ := newTestModel(t, tt.ascii)
			m.Update(tea.WindowSizeMsg{Width: tt.width, Height: tt.height})
			for _, k := range tt.keys {
				key(m, k)
			}
			m.Update(LogMsg{Device: "pi-1", Records: journal(1, 3)})
			frame := m.View()
			checkFrame(t, frame, tt.width, tt.height)
			golden(t, tt.name+".golden", frame)
		})
	}
}

// checkFrame asserts that the frame fills the terminal exactly.

func checkFrame(t *testing.T, frame string, width, height int) {
	t.Helper()
	lines := strings.Split(frame, "\n")
	if len(lines) != height {
		t.Errorf("frame has %d lines, want %d", len(lines), height)
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w > width {
			t.Errorf("line %d is %d cells wide, more than %d: %q", i, w, width, l)
		}
	}
}

func journal(from, to int) []fleet.LogRecord {
	var recs []fleet.LogRecord
	for i := from; i <= to; i++ {
		recs = append(recs, fleet.LogRecord{Seq: uint64(i), TS: t0.Add(time.Duration(i) * time.Second), Level: "info",
			Source: "svc:web", Msg: fmt.Sprintf("request %d", i)})
	}
	return recs
}

func TestResizeFillsEveryTerminal(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {100, 30}, {200, 60}, {40, 10}, {20, 6}, {10, 3}} {
		for _, keys := range [][]string{nil, {"enter"}} {
			m, _, _ := newTestModel(t, false)
			m.Update(tea.WindowSizeMsg{Width: size[0], Height: size[1]})
			for _, k := range keys {
				key(m, k)
			}
			w, h := max(size[0], 20), max(size[1], 6)
			checkFrame(t, m.View(), w, h)
		}
	}
}

func TestLostOnScreen(t *testing.T) {
	m, _, _ := newTestModel(t, false)
	if r := row(m.View(), "pi-10"); !strings.Contains(r, "online") {
		t.Fatalf("pi-10 row before = %q", r)
	}
	m.Update(EventsMsg{{Device: "pi-10", Kind: fleet.KindState, State: fleet.StateLost}})
	frame := m.View()
	if r := row(frame, "pi-10"); !strings.Contains(r, "lost") || strings.Contains(r, "online") {
		t.Fatalf("pi-10 row after the LWT = %q", r)
	}
	if !strings.Contains(frame, "5 devices: 2 online, 2 lost, 1 offline") {
		t.Errorf("title does not count the lost device:\n%s", frame)
	}
}

func TestClockDrivesAges(t *testing.T) {
	m, _, clock := newTestModel(t, false)
	if r := row(m.View(), "pi-1"); !strings.Contains(r, " 1h2m ") || !strings.HasSuffix(r, " 2s") {
		t.Fatalf("pi-1 at t0 = %q, want uptime 1h2m, seen 2s", r)
	}
	clock.Advance(90 * time.Second)
	m.Update(tickMsg{})
	if r := row(m.View(), "pi-1"); !strings.Contains(r, " 1h3m ") || !strings.HasSuffix(r, " 1m") {
		t.Fatalf("pi-1 90 s later = %q, want uptime 1h3m, seen 1m", r)
	}
	if r := row(m.View(), "pi-2"); !strings.Contains(r, " - ") {
		t.Errorf("lost pi-2 shows an uptime: %q", r)
	}
}

func TestTelemetryUpdatesSeenAndSensors(t *testing.T) {
	m, _, clock := newTestModel(t, false)
	clock.Advance(time.Minute)
	m.Update(EventsMsg{{Device: "pi-1", Kind: fleet.KindTelemetry, Telemetry: &fleet.Telemetry{TS: t0.Add(59 * time.Second),
		Readings: []fleet.TelemetryReading{{Sensor: "system", Metric: "load1", Value: 2.25}}}}})
	if r := row(m.View(), "pi-1"); !strings.HasSuffix(r, " 1s") {
		t.Fatalf("pi-1 after telemetry = %q, want seen 1s", r)
	}
	move(m, 2)
	key(m, "enter")
	frame := m.View()
	if !strings.Contains(frame, "system/load1 2.25") || strings.Contains(frame, "system/load1 0.5") {
		t.Fatalf("device view does not show the new reading:\n%s", frame)
	}
}

func TestSortKeys(t *testing.T) {
	m, _, _ := newTestModel(t, false)
	order := func() string {
		m.rebuild()
		ids := make([]string, len(m.table.rows))
		for i, d := range m.table.rows {
			ids[i] = d.ID
		}
		return strings.Join(ids, " ")
	}
	want := []string{
		"gw-1 new-0 pi-1 pi-2 pi-10", // id, natural order
		"pi-2 gw-1 new-0 pi-1 pi-10", // state: lost, offline, online
		"new-0 gw-1 pi-1 pi-2 pi-10", // version: none first, then equal ones by id
		"gw-1 new-0 pi-2 pi-1 pi-10", // uptime: none (offline, lost, unknown), then shortest
		"pi-1 gw-1 new-0 pi-2 pi-10", // failing first
		"pi-1 pi-10 pi-2 gw-1 new-0", // most recently seen first
		"gw-1 new-0 pi-1 pi-2 pi-10", // back to id
	}
	for i, w := range want {
		if got := order(); got != w {
			t.Errorf("sort %d (%s) = %q, want %q", i, m.table.sort, got, w)
		}
		if i < len(want)-1 {
			key(m, "s")
		}
	}
	key(m, "S")
	if got := order(); got != "pi-10 pi-2 pi-1 new-0 gw-1" {
		t.Errorf("reversed id order = %q", got)
	}
}

func TestFilter(t *testing.T) {
	m, _, _ := newTestModel(t, false)
	key(m, "/")
	typeText(m, "room in")
	key(m, "enter")
	if m.mode != modeFilter || !errors.Is(m.filter.set("room in"), fleet.ErrBadSelector) || !strings.Contains(m.View(), "bad selector") {
		t.Fatalf("a bad selector did not keep the prompt with an error:\n%s", m.View())
	}
	for range len(" in") {
		key(m, "backspace")
	}
	typeText(m, "=lab")
	key(m, "enter")
	frame := m.View()
	if m.mode != modeTable || row(frame, "pi-1") == "" || row(frame, "pi-10") != "" || row(frame, "gw-1") != "" {
		t.Fatalf("filter room=lab shows:\n%s", frame)
	}
	key(m, "/")
	for range len("room=lab") {
		key(m, "backspace")
	}
	key(m, "enter")
	if m.rebuild(); len(m.table.rows) != 5 {
		t.Fatalf("clearing the filter shows %d devices, want 5", len(m.table.rows))
	}
	key(m, "/")
	typeText(m, "room=hall")
	key(m, "esc")
	if m.rebuild(); len(m.table.rows) != 5 || m.mode != modeTable {
		t.Fatalf("esc applied the filter: %d rows, mode %d", len(m.table.rows), m.mode)
	}
}

func TestInitialSelector(t *testing.T) {
	if _, err := New(Config{Selector: "nope in"}); !errors.Is(err, fleet.ErrBadSelector) {
		t.Fatalf("New with a bad selector = %v, want ErrBadSelector", err)
	}
}

func TestBadInputKeepsRunning(t *testing.T) {
	m, _, _ := newTestModel(t, false)
	m.Update(EventsMsg{{Device: "pi-1", Kind: fleet.KindStatus, Err: fmt.Errorf("%w: status of pi-1: oops", fleet.ErrBadPayload)}})
	if !strings.Contains(m.View(), "malformed payload: status of pi-1") || row(m.View(), "pi-1") == "" {
		t.Fatalf("malformed status:\n%s", m.View())
	}
	m.Update(EventsMsg{{Device: "pi-1", Kind: fleet.KindState, State: "online\x1b[2J"}})
	if strings.Contains(m.View(), "\x1b[2J") {
		t.Fatal("a control sequence from a device reached the terminal")
	}
}

// TestCursorStartsOnFirstRow: the retained messages at start come in any
// order; once they are in, the cursor is on the first row, not on the
// device whose message happened to come first.
func TestCursorStartsOnFirstRow(t *testing.T) {
	m, err := New(Config{Backend: &fakeBackend{}, Clock: clockwork.NewFakeClockAt(t0), Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	m.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	for _, dev := range []string{"top-b", "top-a"} {
		m.Update(EventsMsg{{Device: dev, Kind: fleet.KindState, State: fleet.StateOnline}})
		m.View()
	}
	m.Update(EventsMsg{{Synced: true}})
	if r := row(m.View(), "top-a"); !strings.HasPrefix(r, "›") {
		t.Fatalf("cursor not on top-a, the first row:\n%s", m.View())
	}
	m.Update(EventsMsg{{Device: "top-0", Kind: fleet.KindState, State: fleet.StateOnline}})
	if r := row(m.View(), "top-a"); !strings.HasPrefix(r, "›") {
		t.Fatalf("after the start, a new device took the cursor:\n%s", m.View())
	}
}

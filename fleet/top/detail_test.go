package top

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

func TestOpenFollowsAndBackStops(t *testing.T) {
	m, b, _ := newTestModel(t, false)
	key(m, "down")
	key(m, "down") // gw-1, new-0, pi-1
	key(m, "enter")
	if m.mode != modeDevice || len(b.follows) != 1 || b.follows[0] != "pi-1" {
		t.Fatalf("enter: mode %d, follows %v; want device view following pi-1", m.mode, b.follows)
	}
	m.Update(LogMsg{Device: "pi-1", Records: journal(1, 3)})
	m.Update(LogMsg{Device: "pi-1", Records: journal(2, 5)}) // overlaps: 2 and 3 again
	m.Update(LogMsg{Device: "pi-2", Records: journal(6, 6)}) // another device's: ignored
	if n := len(m.detail.logs); n != 5 {
		t.Fatalf("journal holds %d records, want 5", n)
	}
	if cmd := key(m, "esc"); cmd != nil || m.mode != modeTable || b.stops != 1 {
		t.Fatalf("esc: mode %d, stops %d, cmd %v; want the table, follow stopped, no quit", m.mode, b.stops, cmd)
	}
	if _, ok := key(m, "q")().(tea.QuitMsg); !ok {
		t.Fatal("q on the table does not quit")
	}
}

func TestJournalBounded(t *testing.T) {
	m, _, _ := newTestModel(t, false)
	key(m, "enter")
	dev := m.detail.dev
	m.Update(LogMsg{Device: dev, Records: journal(1, journalKeep+100)})
	if n, first := len(m.detail.logs), m.detail.logs[0].Seq; n != journalKeep || first != 101 {
		t.Fatalf("journal holds %d records from %d, want %d from 101", n, first, journalKeep)
	}
	m.Update(LogMsg{Device: dev, Err: client.ErrTimeout})
	if !strings.Contains(m.View(), "Journal: "+client.ErrTimeout.Error()) {
		t.Errorf("a follow error is not shown:\n%s", m.View())
	}
}

func TestActionsAskFirst(t *testing.T) {
	m, b, _ := newTestModel(t, false)
	key(m, "down")
	key(m, "down")
	key(m, "enter") // pi-1: blink, web, flaky, backup, hello
	key(m, "down")  // web
	key(m, "r")
	if m.mode != modeConfirm || !strings.Contains(m.View(), "restart service web on pi-1? [y/N]") {
		t.Fatalf("r did not ask:\n%s", m.View())
	}
	key(m, "n")
	if len(b.requests) != 0 || m.mode != modeDevice {
		t.Fatalf("n sent %v", b.requests)
	}
	steps := []struct {
		moves       int
		key, answer string
		want        string
		note        string
	}{
		{0, "r", "y", "pi-1 service.restart web", "restarted service web on pi-1"},
		{-1, "s", "y", "pi-1 task.stop blink", "stopped task blink on pi-1"},
		{2, "s", "y", "pi-1 service.disable flaky", "disabled service flaky on pi-1"},
		{1, "x", "y", "pi-1 schedule.run backup", "ran job backup on pi-1"},
	}
	for _, s := range steps {
		move(m, s.moves)
		key(m, s.key)
		cmd := key(m, s.answer)
		if cmd == nil {
			t.Fatalf("%s %s: no command", s.key, s.answer)
		}
		m.Update(cmd())
		if last := b.requests[len(b.requests)-1]; last != s.want || !strings.Contains(m.View(), s.note) {
			t.Fatalf("%s then %s sent %q, want %q; footer:\n%s", s.key, s.answer, last, s.want, m.View())
		}
	}
	b.err = &fleet.Error{Code: fleet.CodeNotFound, Message: "no job named backup"}
	key(m, "x")
	m.Update(key(m, "y")())
	if !strings.Contains(m.View(), "schedule.run failed") {
		t.Errorf("a failed action is not shown:\n%s", m.View())
	}
}

func move(m *Model, n int) {
	for ; n > 0; n-- {
		key(m, "down")
	}
	for ; n < 0; n++ {
		key(m, "up")
	}
}

func TestKeyThatDoesNotApply(t *testing.T) {
	m, b, _ := newTestModel(t, false)
	move(m, 2)
	key(m, "enter")
	key(m, "x") // on a task
	if m.mode != modeDevice || !strings.Contains(m.View(), "x runs a job") {
		t.Fatalf("x on a task: mode %d\n%s", m.mode, m.View())
	}
	if len(b.requests) != 0 {
		t.Fatalf("sent %v", b.requests)
	}
}

func TestForgottenDeviceLeaves(t *testing.T) {
	m, _, _ := newTestModel(t, false)
	move(m, 2)
	key(m, "enter")
	m.Update(EventsMsg{{Device: "pi-1", Kind: fleet.KindState, Cleared: true}})
	if frame := m.View(); !strings.Contains(frame, "pi-1 (forgotten)") {
		t.Fatalf("open device forgotten:\n%s", frame)
	}
	key(m, "esc")
	if row(m.View(), "pi-1") != "" {
		t.Fatalf("forgotten pi-1 still listed:\n%s", m.View())
	}
}

func TestCtrlCQuitsFromDevice(t *testing.T) {
	m, b, _ := newTestModel(t, false)
	key(m, "enter")
	if _, ok := key(m, "ctrl+c")().(tea.QuitMsg); !ok || b.stops != 1 {
		t.Fatalf("ctrl+c: stops %d", b.stops)
	}
}

package top

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/drover-iot/drover/fleet"
)

// confirmation is an action waiting for the operator's yes.
type confirmation struct {
	prompt string // "restart service web on pi-01?"
	done   string // "restarted service web on pi-01"
	dev    string
	cmd    string
	name   string
}

// askFor is the action that key asks for on it, or nil when key does not
// apply to it: r restarts and s stops a task or service (a service is
// stopped by disabling it), x runs a job now.
func askFor(dev, key string, it item) *confirmation {
	var verb, done, cmd string
	switch {
	case key == "r" && it.kind == fleet.KindTask:
		verb, done, cmd = "restart", "restarted", fleet.CmdTaskRestart
	case key == "r" && it.kind == fleet.KindService:
		verb, done, cmd = "restart", "restarted", fleet.CmdServiceRestart
	case key == "s" && it.kind == fleet.KindTask:
		verb, done, cmd = "stop", "stopped", fleet.CmdTaskStop
	case key == "s" && it.kind == fleet.KindService:
		verb, done, cmd = "stop and disable", "disabled", fleet.CmdServiceDisable
	case key == "x" && it.kind == kindJob:
		verb, done, cmd = "run", "ran", fleet.CmdScheduleRun
	default:
		return nil
	}
	what := fmt.Sprintf("%s %s on %s", it.kind, it.name, dev)
	return &confirmation{prompt: verb + " " + what + "?", done: done + " " + what, dev: dev, cmd: cmd, name: it.name}
}

// confirmKey runs the pending action on y; any other key cancels it.
func (m *Model) confirmKey(k tea.KeyMsg) tea.Cmd {
	ask := m.ask
	m.ask, m.mode = nil, modeDevice
	if k.String() != "y" && k.String() != "Y" {
		m.note = "cancelled"
		return nil
	}
	if m.cfg.Backend == nil {
		m.note = "no connection to the fleet"
		return nil
	}
	m.note = ask.prompt[:len(ask.prompt)-1] + m.theme.ellipsis
	backend := m.cfg.Backend
	return func() tea.Msg {
		if err := backend.Request(ask.dev, ask.cmd, fleet.NameArgs{Name: ask.name}); err != nil {
			return actionMsg{text: fmt.Sprintf("%s failed: %v", ask.cmd, err)}
		}
		return actionMsg{text: ask.done}
	}
}

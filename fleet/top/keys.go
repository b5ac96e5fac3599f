package top

import (
	tea "github.com/charmbracelet/bubbletea"
)

// key handles a key press in the current mode.
func (m *Model) key(k tea.KeyMsg) tea.Cmd {
	if k.Type == tea.KeyCtrlC {
		m.close()
		return tea.Quit
	}
	switch m.mode {
	case modeFilter:
		m.filterKey(k)
	case modeConfirm:
		return m.confirmKey(k)
	case modeDevice:
		return m.deviceKey(k)
	default:
		return m.tableKey(k)
	}
	return nil
}

// tableKey moves, sorts, filters, opens a device or quits.
func (m *Model) tableKey(k tea.KeyMsg) tea.Cmd {
	m.note = ""
	switch k.String() {
	case "q", "esc":
		return tea.Quit
	case "up", "k":
		m.moveCursor(-1)
	case "down", "j":
		m.moveCursor(1)
	case "pgup":
		m.moveCursor(-(m.height - 3))
	case "pgdown", " ":
		m.moveCursor(m.height - 3)
	case "home", "g":
		m.moveCursor(-len(m.devs))
	case "end", "G":
		m.moveCursor(len(m.devs))
	case "s":
		m.table.sort, m.table.dirty = (m.table.sort+1)%sortKeys, true
	case "S":
		m.table.desc, m.table.dirty = !m.table.desc, true
	case "/":
		m.mode, m.filter.edit = modeFilter, m.filter.text
	case "enter":
		m.open()
	}
	return nil
}

// close stops the journal follow of an open device.
func (m *Model) close() {
	if m.detail != nil && m.detail.stop != nil {
		m.detail.stop()
	}
	m.detail = nil
}

package top

import (
	tea "github.com/charmbracelet/bubbletea"

	"github.com/drover-iot/drover/fleet"
)

// filterState is the table's label selector and the line being edited.
type filterState struct {
	sel  fleet.Selector
	text string // the applied selector as typed
	edit string // the line being typed after '/'
}

// set parses and applies a selector; a bad one leaves the filter as it was.
func (f *filterState) set(text string) error {
	sel, err := fleet.ParseSelector(text)
	if err != nil {
		return err
	}
	f.sel, f.text = sel, text
	return nil
}

func (f *filterState) match(d *device) bool { return f.sel.Matches(d.Labels()) }

// filterKey edits the selector line: Enter applies it, Esc cancels.
func (m *Model) filterKey(k tea.KeyMsg) {
	switch k.Type {
	case tea.KeyEnter:
		if err := m.filter.set(m.filter.edit); err != nil {
			m.note = err.Error()
			return
		}
		m.note, m.mode, m.table.dirty = "", modeTable, true
	case tea.KeyEsc:
		m.note, m.mode = "", modeTable
	case tea.KeyBackspace:
		if r := []rune(m.filter.edit); len(r) > 0 {
			m.filter.edit = string(r[:len(r)-1])
		}
	case tea.KeySpace:
		m.filter.edit += " "
	case tea.KeyRunes:
		m.filter.edit += string(k.Runes)
	}
}

package top

import (
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/statustext"
)

// theme is how the views draw: glyphs and styles, Unicode and colour or
// plain ASCII.
type theme struct {
	ascii                                                 bool
	ellipsis, up, down, cursor, bar                       string
	header, title, selected, dim, warn, bad, good, notice lipgloss.Style
}

// newTheme builds the styles for r; ascii drops colours and non-ASCII glyphs.
func newTheme(r *lipgloss.Renderer, ascii bool) theme {
	if ascii {
		r.SetColorProfile(termenv.Ascii)
	}
	st := r.NewStyle
	t := theme{ascii: ascii, ellipsis: "…", up: "↑", down: "↓", cursor: "›", bar: "─",
		header: st().Bold(true), title: st().Bold(true).Reverse(true), selected: st().Reverse(true),
		dim: st().Faint(true), warn: st().Foreground(lipgloss.Color("3")), bad: st().Foreground(lipgloss.Color("1")).Bold(true),
		good: st().Foreground(lipgloss.Color("2")), notice: st().Bold(true)}
	if ascii {
		t.ellipsis, t.up, t.down, t.cursor, t.bar = "~", "^", "v", ">", "-"
	}
	return t
}

// stateStyle colours a device state.
func (t theme) stateStyle(s fleet.DeviceState) lipgloss.Style {
	switch s {
	case fleet.StateOnline:
		return t.good
	case fleet.StateLost:
		return t.bad
	case fleet.StateUpdating:
		return t.warn
	}
	return t.dim
}

// unitGlyph is the mark of a unit state: `fleetctl status`'s, or an ASCII one.
func (t theme) unitGlyph(s fleet.UnitState) string {
	if !t.ascii {
		return statustext.Glyph(s)
	}
	if g, ok := asciiGlyphs[s]; ok {
		return g
	}
	return "?"
}

var asciiGlyphs = map[fleet.UnitState]string{
	fleet.UnitRunning: "*", fleet.UnitFailed: "x", fleet.UnitBackoff: "~", fleet.UnitPending: ".",
	fleet.UnitDone: "+", fleet.UnitStopped: "o",
}

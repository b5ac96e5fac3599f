// Package top is `fleetctl top`: a live terminal view of the fleet (a
// bubbletea model, view and update). It is fed by messages from a Backend
// that watches the retained state, info and status and the telemetry of
// every device and follows one device's journal; it never polls devices.
package top

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

// Default terminal size, used until the terminal reports its own and by --once
// when the size is unknown.
const (
	DefaultWidth  = 80
	DefaultHeight = 24
)

// Backend is how the model reaches the fleet.
type Backend interface {
	// Follow starts following dev's journal (its recent records first),
	// delivering them to the program as LogMsg; stop ends it.
	Follow(dev string) (stop func())
	// Request sends one command to dev and waits for its reply.
	Request(dev, cmd string, args any) error
}

// Config configures a Model.
type Config struct {
	// Backend reaches the fleet. Required for Enter (journal) and actions.
	Backend Backend
	// Clock gives "now" for uptimes and ages. Default: the real clock.
	Clock clockwork.Clock
	// Renderer draws styles. Default: lipgloss.DefaultRenderer().
	Renderer *lipgloss.Renderer
	// ASCII draws without colour and with ASCII glyphs only. Default: false.
	ASCII bool
	// Selector is the initial filter. Default: every device.
	Selector string
	// Location is the zone of journal times. Default: time.Local.
	Location *time.Location
}

// mode is what the keyboard drives.
type mode int

const (
	modeTable mode = iota
	modeFilter
	modeDevice
	modeConfirm
)

// Model is the state of fleetctl top.
type Model struct {
	cfg    Config
	theme  theme
	devs   devices
	synced bool
	width  int
	height int
	mode   mode

	table  tableState
	filter filterState
	detail *detailState
	ask    *confirmation
	note   string        // the footer message: an action's outcome or an error
	done   chan struct{} // closed by Stop: the pending tick ends
}

var _ tea.Model = (*Model)(nil)

// New returns a model showing no devices yet. A bad initial selector is an error.
func New(cfg Config) (*Model, error) {
	if cfg.Clock == nil {
		cfg.Clock = clockwork.NewRealClock()
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	if cfg.Renderer == nil {
		cfg.Renderer = lipgloss.DefaultRenderer()
	}
	m := &Model{cfg: cfg, theme: newTheme(cfg.Renderer, cfg.ASCII), devs: devices{},
		width: DefaultWidth, height: DefaultHeight, done: make(chan struct{})}
	if err := m.filter.set(cfg.Selector); err != nil {
		return nil, err
	}
	return m, nil
}

// EventsMsg carries what Client.Watch delivered.
type EventsMsg []fleet.Event

// LogMsg carries journal records of the followed device.
type LogMsg struct {
	Device  string
	Records []fleet.LogRecord
	// Err is set when following failed.
	Err error
}

// tickMsg redraws ages and uptimes once a second.
type tickMsg struct{}

// actionMsg is the outcome of a confirmed action.
type actionMsg struct {
	text string
	err  error
}

// Init starts the once-a-second redraw.
func (m *Model) Init() tea.Cmd { return m.tick() }

func (m *Model) tick() tea.Cmd {
	clock, done := m.cfg.Clock, m.done
	return func() tea.Msg {
		select {
		case <-clock.After(time.Second):
		case <-done:
		}
		return tickMsg{}
	}
}

// Stop ends the pending redraw tick, once the program has ended.
func (m *Model) Stop() { close(m.done) }

// Update applies one message.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = max(msg.Width, 20), max(msg.Height, 6)
	case EventsMsg:
		m.applyEvents(msg)
	case LogMsg:
		m.applyLog(msg)
	case actionMsg:
		m.note = msg.text
	case tickMsg:
		return m, m.tick()
	case tea.KeyMsg:
		return m, m.key(msg)
	}
	return m, nil
}

func (m *Model) applyEvents(evs EventsMsg) {
	changed := false
	for _, ev := range evs {
		switch {
		case ev.Synced:
			m.synced = true
		case ev.Err != nil:
			m.note = ev.Err.Error()
		default:
			changed = m.devs.apply(ev) || changed
		}
	}
	if changed {
		m.table.dirty = true
	}
}

// Synced reports whether the retained messages present at start have arrived.
func (m *Model) Synced() bool { return m.synced }

// now is the injected clock's time.
func (m *Model) now() time.Time { return m.cfg.Clock.Now() }

// Package apply is the device side of an OTA install: a state machine that
// verifies the candidate binary, runs its selftest and re-executes the
// agent, which then supervises the candidate's trial as its child: the old
// binary decides, and renames the candidate over itself only when the
// trial passed.
//
// Every transition is written to disk (atomically, fsynced) before it is
// acted on, and each step is idempotent, so a power cut at any moment
// leaves the old binary at its path unless the commit rename happened, and Boot finishes or
// undoes whatever was under way. See docs/ota.md.
package apply

import (
	"fmt"
	"log/slog"
	"maps"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota/sign"
	"github.com/drover-iot/drover/ota/state"
)

// Options configure a Machine.
type Options struct {
	// StateDir holds the state record and downloads. Required.
	StateDir string
	// Binary is the agent binary that is replaced. Default: os.Executable().
	Binary string
	// Version and Build describe the running agent.
	Version string
	Build   uint64
	// Keys verify the binary's own signature when the manifest has one.
	Keys *sign.Keyring
	// SelftestArgs are passed to the new binary. Default: ["selftest"].
	SelftestArgs []string
	// SelftestTimeout bounds the selftest. Default: 60s.
	SelftestTimeout time.Duration
	// TrialWindow is how long the new binary runs on trial: it must report
	// healthy within it and still be healthy at its end. Default: 2m.
	TrialWindow time.Duration
	// StopTimeout bounds the clean stop of the binary on trial before it is
	// killed. Default: 60s.
	StopTimeout time.Duration
	// MaxBoots is how many trials may be started (and cut short by a crash
	// or power cut) before the update is rolled back. Default: 3.
	MaxBoots int
	// Exec replaces the process with the binary at path. Default:
	// syscall.Exec with the current arguments and environment.
	Exec func(path string) error
	// OnTransition is called after each record is durable (status, metrics).
	OnTransition func(state.Record)
	// Clock is the time source. Default: the real clock.
	Clock clockwork.Clock
	// Logger. Default: discard.
	Logger *slog.Logger
}

func (o Options) withDefaults() (Options, error) {
	if o.StateDir == "" {
		return o, fmt.Errorf("apply: StateDir is required")
	}
	if o.Binary == "" {
		exe, err := os.Executable()
		if err != nil {
			return o, fmt.Errorf("apply: find own binary: %w", err)
		}
		o.Binary = exe
	}
	o.Binary, _ = filepath.Abs(o.Binary)
	setDefault(&o.SelftestTimeout, 60*time.Second)
	setDefault(&o.TrialWindow, 2*time.Minute)
	setDefault(&o.StopTimeout, 60*time.Second)
	if len(o.SelftestArgs) == 0 {
		o.SelftestArgs = []string{"selftest"}
	}
	if o.MaxBoots <= 0 {
		o.MaxBoots = 3
	}
	if o.Exec == nil {
		o.Exec = execSelf
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o, nil
}

func setDefault(d *time.Duration, v time.Duration) {
	if *d <= 0 {
		*d = v
	}
}

func execSelf(path string) error {
	return syscall.Exec(path, append([]string{path}, os.Args[1:]...), os.Environ())
}

// Machine is the OTA state machine of one device. Its methods are not
// safe for concurrent use: the agent's OTA component owns it.
type Machine struct {
	opts Options
	rec  state.Record
}

// New loads the state record from opts.StateDir.
func New(opts Options) (*Machine, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.StateDir, 0o700); err != nil {
		return nil, fmt.Errorf("apply: state dir: %w", err)
	}
	rec, err := state.Load(opts.StateDir)
	if err != nil {
		return nil, err
	}
	return &Machine{opts: opts, rec: rec}, nil
}

// Record returns the current state record.
func (m *Machine) Record() state.Record { return m.rec }

// Transition persists the move to s (with reason and the changes made by
// edit) and only then reports it; callers act on s after it returns nil.
func (m *Machine) Transition(s state.State, reason string, edit func(*state.Record)) error {
	next := m.rec
	next.State, next.Reason, next.Since = s, reason, m.opts.Clock.Now().UTC()
	if edit != nil {
		edit(&next)
	}
	if s.Ends() {
		next.Ended = maps.Clone(m.rec.Ended)
		if next.Ended == nil {
			next.Ended = map[state.State]uint64{}
		}
		next.Ended[s]++
	}
	if err := state.Save(m.opts.StateDir, next); err != nil {
		return err
	}
	m.rec = next
	m.opts.Logger.Info("ota: state", "state", s, "reason", reason, "artifact", next.Artifact, "version", next.Version)
	if m.opts.OnTransition != nil {
		m.opts.OnTransition(next)
	}
	return nil
}

// fail records the failed state with err as the reason and returns err.
func (m *Machine) fail(err error) error {
	reason := err.Error()
	if code := Reason(err); code != "" {
		reason = code + ": " + reason
	}
	if serr := m.Transition(state.Failed, reason, nil); serr != nil {
		return fmt.Errorf("%w (and saving the failed state: %w)", err, serr)
	}
	return err
}

// candidatePath is where the new binary is prepared: next to the binary,
// named as selfupdate names it, so the final rename stays in one directory.
func (m *Machine) candidatePath() string {
	dir, name := filepath.Split(m.opts.Binary)
	return filepath.Join(dir, "."+name+".new")
}

// Binary returns the path of the agent binary the machine replaces.
func (m *Machine) Binary() string { return m.opts.Binary }

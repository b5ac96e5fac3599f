package supervise

import (
	"cmp"
	"fmt"
	"log/slog"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/agent/supervise/restart"
	"github.com/drover-iot/drover/fleet"
)

// Supervisor runs tasks and services. It is safe for concurrent use. Call
// Shutdown to stop every unit before dropping it.
type Supervisor struct {
	clock    clockwork.Clock
	log      *slog.Logger
	base     *slog.Logger // WithLogger's logger, for the units' sources
	rnd      func() float64
	stateDir string
	notify   notifier
	persist  sync.Mutex // serialises Enable/Disable writes in order

	mu      sync.Mutex
	funcs   map[string]Func
	kinds   map[string]KindFactory
	units   map[string]*unit
	suffix  map[string]int  // last N used for name@N
	enabled map[string]bool // persisted enabled flags
	active  int             // run loops alive, deleted units included
	changed chan struct{}   // closed and replaced on every change
	closed  bool
}

// New returns a supervisor with no units. Problems reading the state
// directory are logged, and defaults used.
func New(opts ...Option) *Supervisor {
	s := &Supervisor{
		funcs:   map[string]Func{},
		kinds:   map[string]KindFactory{},
		units:   map[string]*unit{},
		suffix:  map[string]int{},
		enabled: map[string]bool{},
		changed: make(chan struct{}),
	}
	defaults(s)
	for _, o := range opts {
		o(s)
	}
	if s.rnd == nil {
		s.rnd = rand.Float64
	}
	s.notify.log = s.log
	s.loadState()
	return s
}

// Register makes fn available to tasks under name.
func (s *Supervisor) Register(name string, fn Func) error {
	return register(s, s.funcs, "function", name, fn, fn == nil)
}

// RegisterKind makes a service kind available; factory builds the Func of
// each service of that kind.
func (s *Supervisor) RegisterKind(kind string, factory KindFactory) error {
	return register(s, s.kinds, "kind", kind, factory, factory == nil)
}

func register[T any](s *Supervisor, m map[string]T, what, name string, v T, isNil bool) error {
	if err := checkName(name); err != nil || isNil {
		return fmt.Errorf("%w: %s %q", ErrBadName, what, name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := m[name]; ok {
		return fmt.Errorf("%w: %s %q", ErrExists, what, name)
	}
	m[name] = v
	return nil
}

// Add creates a task from spec and starts it. It returns the task's name,
// which is spec.Name or, when that is taken, spec.Name@N.
func (s *Supervisor) Add(spec TaskSpec) (string, error) {
	if err := checkName(spec.Name); err != nil {
		return "", err
	}
	if err := spec.Restart.Validate(); err != nil {
		return "", fmt.Errorf("supervise: task %q: %w", spec.Name, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", ErrClosed
	}
	fn, ok := s.funcs[spec.Func]
	if !ok {
		return "", fmt.Errorf("%w: %q (task %q)", ErrUnknownFunc, spec.Func, spec.Name)
	}
	name := s.freeNameLocked(spec.Name)
	u := s.newUnitLocked(name, fleet.KindTask, spec.Func, fn, spec.Restart)
	u.st.Args = maps.Clone(spec.Args)
	u.watchdog, u.onStop, u.onError = spec.Watchdog, spec.OnStop, spec.OnError
	s.units[name] = u
	s.startLocked(u, true)
	return name, nil
}

func (s *Supervisor) newUnitLocked(name, kind, typ string, fn Func, p restart.Policy) *unit {
	p = p.WithDefaults()
	return &unit{
		st: fleet.Unit{Name: name, Kind: kind, Type: typ,
			State: fleet.UnitPending, Since: s.clock.Now()},
		fn: fn, policy: p, limiter: restart.NewLimiter(p),
	}
}

func (s *Supervisor) freeNameLocked(name string) string {
	if _, taken := s.units[name]; !taken {
		return name
	}
	for n := s.suffix[name] + 1; ; n++ {
		cand := name + "@" + strconv.Itoa(n)
		if _, taken := s.units[cand]; !taken {
			s.suffix[name] = n
			return cand
		}
	}
}

// checkName refuses names that are empty, too long, or contain wildcard,
// separator, space or control characters.
func checkName(name string) error {
	if name == "" || len(name) > 128 || strings.ContainsAny(name, `*?[]\/+# `) {
		return fmt.Errorf("%w: %q", ErrBadName, name)
	}
	for _, r := range name {
		if r < 0x20 || r == 0x7f {
			return fmt.Errorf("%w: %q", ErrBadName, name)
		}
	}
	return nil
}

// Units returns the status of every unit: tasks then services, each by name.
func (s *Supervisor) Units() []fleet.Unit {
	s.mu.Lock()
	out := make([]fleet.Unit, 0, len(s.units))
	for _, u := range s.units {
		out = append(out, u.snapshot())
	}
	s.mu.Unlock()
	slices.SortFunc(out, func(a, b fleet.Unit) int {
		return cmp.Or(kindRank(a.Kind)-kindRank(b.Kind), strings.Compare(a.Name, b.Name))
	})
	return out
}

func kindRank(kind string) int {
	if kind == fleet.KindTask {
		return 0
	}
	return 1
}

// Unit returns the status of the unit with exactly this name.
func (s *Supervisor) Unit(name string) (fleet.Unit, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	u, ok := s.units[name]
	if !ok {
		return fleet.Unit{}, fmt.Errorf("%w: no unit named %q", ErrNotFound, name)
	}
	return u.snapshot(), nil
}

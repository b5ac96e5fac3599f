package supervise

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// Start starts the units whose names match pattern (path.Match syntax,
// e.g. "blink*"); running units are left alone, units in backoff start at
// once. A manual start resets the burst limit. It returns the matched
// names, sorted, or ErrNotFound.
func (s *Supervisor) Start(pattern string) ([]string, error) {
	return s.each(pattern, func(u *unit) { s.startLocked(u, true) })
}

// Stop cancels the matched units' runs; each becomes stopped once its
// function has returned (see WaitFor). It returns the matched names.
func (s *Supervisor) Stop(pattern string) ([]string, error) {
	return s.each(pattern, func(u *unit) { stopLocked(u, errStopRequested) })
}

// Restart ends the matched units' current runs and starts them again at
// once; units not running are started. It returns the matched names.
func (s *Supervisor) Restart(pattern string) ([]string, error) {
	return s.each(pattern, s.restartLocked)
}

// StartNamed starts, as Start does, the units named exactly names (no
// pattern matching: names as Match returned them). Every name must exist,
// or nothing is done and the error wraps ErrNotFound.
func (s *Supervisor) StartNamed(names ...string) error {
	return s.eachNamed(names, func(u *unit) { s.startLocked(u, true) })
}

// StopNamed stops, as Stop does, the units named exactly names; every name
// must exist, or nothing is done and the error wraps ErrNotFound.
func (s *Supervisor) StopNamed(names ...string) error {
	return s.eachNamed(names, func(u *unit) { stopLocked(u, errStopRequested) })
}

// RestartNamed restarts, as Restart does, the units named exactly names;
// every name must exist, or nothing is done and the error wraps ErrNotFound.
func (s *Supervisor) RestartNamed(names ...string) error {
	return s.eachNamed(names, s.restartLocked)
}

// Delete stops the matched units and forgets them. It returns the
// matched names.
func (s *Supervisor) Delete(pattern string) ([]string, error) {
	return s.each(pattern, func(u *unit) {
		delete(s.units, u.st.Name)
		stopLocked(u, errDeleted)
	})
}

// SetArgs replaces the args of the unit named name; the next run sees
// them (restart it to apply them now).
func (s *Supervisor) SetArgs(name string, args map[string]any) error {
	_, err := s.each(name, func(u *unit) {
		u.st.Args = maps.Clone(args)
		s.changedLocked()
	})
	return err
}

// Match returns the sorted names of units of kind (status.KindTask,
// status.KindService, or "" for any) that match pattern.
func (s *Supervisor) Match(kind, pattern string) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	us, err := s.matchLocked(kind, pattern)
	names := make([]string, len(us))
	for i, u := range us {
		names[i] = u.st.Name
	}
	return names, err
}

// each applies f, under the lock, to every unit matching pattern.
func (s *Supervisor) each(pattern string, f func(*unit)) ([]string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	us, err := s.matchLocked("", pattern)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(us))
	for i, u := range us {
		f(u)
		names[i] = u.st.Name
	}
	return names, nil
}

// eachNamed applies f, under the lock, to the units named exactly names,
// after checking that they all exist.
func (s *Supervisor) eachNamed(names []string, f func(*unit)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	us := make([]*unit, len(names))
	for i, name := range names {
		u, ok := s.units[name]
		if !ok {
			return fmt.Errorf("%w: no unit named %q", ErrNotFound, name)
		}
		us[i] = u
	}
	for _, u := range us {
		f(u)
	}
	return nil
}

func (s *Supervisor) matchLocked(kind, pattern string) ([]*unit, error) {
	if _, err := path.Match(pattern, ""); err != nil {
		return nil, fmt.Errorf("supervise: pattern %q: %w", pattern, err)
	}
	var out []*unit
	if u, ok := s.units[pattern]; ok && !strings.ContainsAny(pattern, `*?[\`) {
		out = append(out, u) // exact name: no scan
	} else {
		for name, u := range s.units {
			if ok, _ := path.Match(pattern, name); ok {
				out = append(out, u)
			}
		}
	}
	out = slices.DeleteFunc(out, func(u *unit) bool { return kind != "" && u.st.Kind != kind })
	if len(out) == 0 {
		return nil, fmt.Errorf("%w: no unit matches %q", ErrNotFound, pattern)
	}
	slices.SortFunc(out, func(a, b *unit) int { return strings.Compare(a.st.Name, b.st.Name) })
	return out, nil
}

// Shutdown stops every unit and waits until all have ended or ctx is
// done; then it returns an error wrapping ErrShutdownTimeout that names
// the units still running. Afterwards the supervisor refuses new work.
func (s *Supervisor) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.closed = true
	for _, u := range s.units {
		stopLocked(u, ErrClosed)
	}
	s.mu.Unlock()
	for {
		s.mu.Lock()
		active, ch := s.active, s.changed
		s.mu.Unlock()
		if active == 0 {
			break
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s.shutdownTimeout()
		}
	}
	select {
	case <-s.notify.idle():
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: change hook still running", ErrShutdownTimeout)
	}
}

func (s *Supervisor) shutdownTimeout() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var names []string
	for name, u := range s.units {
		if u.loop != nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	return fmt.Errorf("%w: %d units still running: %s", ErrShutdownTimeout,
		s.active, strings.Join(names, ", "))
}

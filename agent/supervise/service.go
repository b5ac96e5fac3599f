package supervise

import (
	"fmt"
	"maps"
	"slices"

	"github.com/drover-iot/drover/fleet"
)

// AddService creates a service from spec, pending until Boot or Start.
// Its Func is spec.Run or built by the factory of spec.Type. When that
// fails the service is still added, failed with the error, so status
// shows it, and the error is returned (aioservice's "not loaded").
func (s *Supervisor) AddService(spec ServiceSpec) error {
	if err := checkName(spec.Name); err != nil {
		return err
	}
	fn, loadErr := s.buildService(spec)
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if _, ok := s.units[spec.Name]; ok {
		return fmt.Errorf("%w: unit %q", ErrExists, spec.Name)
	}
	u := s.newUnitLocked(spec.Name, fleet.KindService, spec.Type, fn, spec.Restart)
	u.st.Args, u.st.Requires = maps.Clone(spec.Args), slices.Clone(spec.Requires)
	u.watchdog, u.onStop, u.onError = spec.Watchdog, spec.OnStop, spec.OnError
	enabled, ok := s.enabled[spec.Name]
	if !ok {
		enabled = spec.Enabled
	}
	u.st.Enabled = &enabled
	s.units[spec.Name] = u
	if loadErr != nil {
		u.st.Error, u.st.Reason = loadErr.Error(), "not loaded"
		s.setStateLocked(u, fleet.UnitFailed, s.clock.Now())
		s.base.With("component", Source(fleet.KindService, spec.Name)).Error("service not loaded", "err", loadErr)
		return fmt.Errorf("supervise: service %q not loaded: %w", spec.Name, loadErr)
	}
	s.changedLocked()
	return nil
}

// buildService returns the service's Func from spec.Run or its kind.
func (s *Supervisor) buildService(spec ServiceSpec) (Func, error) {
	if err := spec.Restart.Validate(); err != nil {
		return nil, err
	}
	if spec.Run != nil {
		return spec.Run, nil
	}
	s.mu.Lock()
	factory, ok := s.kinds[spec.Type]
	s.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownKind, spec.Type)
	}
	fn, err := factory(spec)
	if err == nil && fn == nil {
		err = fmt.Errorf("%w: kind %q gave no function", ErrUnknownKind, spec.Type)
	}
	return fn, err
}

// Enable marks the service enabled, persists it, and starts it.
func (s *Supervisor) Enable(name string) error {
	return s.setEnabled(name, true)
}

// Disable marks the service disabled, persists it, and stops it.
func (s *Supervisor) Disable(name string) error {
	return s.setEnabled(name, false)
}

func (s *Supervisor) setEnabled(name string, on bool) error {
	s.persist.Lock()
	defer s.persist.Unlock()
	s.mu.Lock()
	u, ok := s.units[name]
	switch {
	case s.closed:
		s.mu.Unlock()
		return ErrClosed
	case !ok:
		s.mu.Unlock()
		return fmt.Errorf("%w: no service named %q", ErrNotFound, name)
	case u.st.Kind != fleet.KindService:
		s.mu.Unlock()
		return fmt.Errorf("%w: %q is a task", ErrNotService, name)
	}
	u.st.Enabled = &on
	s.enabled[name] = on
	s.applyEnabledLocked(u, on)
	data := s.saveStateLocked()
	s.mu.Unlock()
	return s.writeState(data)
}

func (s *Supervisor) applyEnabledLocked(u *unit, on bool) {
	switch {
	case !on:
		stopLocked(u, errDisabled)
		if u.loop == nil && u.st.State == fleet.UnitPending {
			u.st.Reason = errDisabled.Error()
			s.setStateLocked(u, fleet.UnitStopped, s.clock.Now())
		}
	case u.st.Reason != "not loaded":
		s.startLocked(u, true)
	default:
		s.changedLocked()
	}
}

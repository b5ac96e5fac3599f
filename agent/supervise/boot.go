package supervise

import (
	"context"
	"errors"
	"fmt"

	"github.com/drover-iot/drover/fleet"
)

// Boot starts the enabled services in dependency order (SortByRequires).
// A service starts once each service it requires is running or done; if a
// requirement failed, is stopped or disabled, the service is failed with
// a reason naming it, and boot goes on with the others. Boot returns a
// dependency cycle at once, and otherwise an error joining every service
// that could not start (nil when all did), or ctx's error.
func (s *Supervisor) Boot(ctx context.Context) error {
	requires, missing := s.serviceGraph()
	order, err := SortByRequires(requires)
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range order {
		if err := s.bootOne(ctx, name, missing[name]); err != nil {
			if ctx.Err() != nil {
				return fmt.Errorf("supervise: boot: %w", err)
			}
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// serviceGraph returns the services' requirements with unknown ones left
// out of the graph but reported per service.
func (s *Supervisor) serviceGraph() (map[string][]string, map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	requires := map[string][]string{}
	missing := map[string]string{}
	for name, u := range s.units {
		if u.st.Kind == fleet.KindService {
			requires[name] = nil
		}
	}
	for name := range requires {
		for _, r := range s.units[name].st.Requires {
			if _, ok := requires[r]; ok {
				requires[name] = append(requires[name], r)
			} else if missing[name] == "" {
				missing[name] = r
			}
		}
	}
	return requires, missing
}

// bootOne starts one service once its requirements allow it.
func (s *Supervisor) bootOne(ctx context.Context, name, missing string) error {
	st, err := s.Unit(name)
	switch {
	case err != nil:
		return nil // deleted meanwhile
	case st.State == fleet.UnitFailed:
		return fmt.Errorf("supervise: service %q: %s", name, st.Error)
	case st.State != fleet.UnitPending:
		return nil
	case st.Enabled == nil || !*st.Enabled:
		s.markDisabled(name)
		return nil
	case missing != "":
		return s.failDependent(name, fmt.Sprintf("requires %q which does not exist", missing))
	}
	for _, req := range st.Requires {
		reason, err := s.awaitRequirement(ctx, req)
		if err != nil {
			return err
		}
		if reason != "" {
			return s.failDependent(name, fmt.Sprintf("requires %q which %s", req, reason))
		}
	}
	_, err = s.Start(name)
	return err
}

// awaitRequirement waits until the required service leaves pending and
// backoff; a non-empty reason says why it cannot be relied on.
func (s *Supervisor) awaitRequirement(ctx context.Context, req string) (string, error) {
	st, err := s.WaitFor(ctx, req, func(u fleet.Unit) bool {
		return (u.State != fleet.UnitPending && u.State != fleet.UnitBackoff) ||
			(u.Enabled != nil && !*u.Enabled)
	})
	switch {
	case err != nil:
		return "", err
	case st.Enabled != nil && !*st.Enabled:
		return "is disabled", nil
	case st.State == fleet.UnitFailed:
		return "failed: " + firstNonEmpty(st.Error, st.Reason), nil
	case st.State == fleet.UnitStopped:
		return "is stopped", nil
	}
	return "", nil
}

func (s *Supervisor) markDisabled(name string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.units[name]; ok && u.loop == nil && u.st.State == fleet.UnitPending {
		u.st.Reason = errDisabled.Error()
		s.setStateLocked(u, fleet.UnitStopped, s.clock.Now())
	}
}

func (s *Supervisor) failDependent(name, reason string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.units[name]; ok && u.loop == nil {
		u.st.Reason, u.st.Error = reason, ""
		s.setStateLocked(u, fleet.UnitFailed, s.clock.Now())
	}
	s.base.With("component", Source(fleet.KindService, name)).Error("service not started", "reason", reason)
	return fmt.Errorf("supervise: service %q: %s", name, reason)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

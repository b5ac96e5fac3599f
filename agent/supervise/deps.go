package supervise

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// SortByRequires returns the names of requires' keys in a stable
// topological order: every service comes after everything it requires, and
// services that do not depend on each other come in name order.
//
// requires maps a service name to the names it requires. A name required
// but not a key is an error wrapping ErrUnknownDependency (all of them are
// reported at once); a cycle is an error wrapping ErrCycle that names the
// services on it, e.g. "supervise: dependency cycle: a -> b -> a".
func SortByRequires(requires map[string][]string) ([]string, error) {
	if err := checkKnown(requires); err != nil {
		return nil, err
	}
	names := slices.Sorted(maps.Keys(requires))
	t := topo{requires: requires, mark: make(map[string]uint8, len(names))}
	for _, n := range names {
		if err := t.visit(n); err != nil {
			return nil, err
		}
	}
	return t.order, nil
}

func checkKnown(requires map[string][]string) error {
	var errs []error
	for _, n := range slices.Sorted(maps.Keys(requires)) {
		for _, d := range requires[n] {
			if _, ok := requires[d]; !ok {
				errs = append(errs, &depError{kind: ErrUnknownDependency,
					msg: fmt.Sprintf("supervise: service %q requires unknown service %q", n, d)})
			}
		}
	}
	return errors.Join(errs...)
}

const (
	unvisited uint8 = iota
	visiting
	visited
)

// topo is a depth-first topological sort that remembers its path so a
// cycle can be named.
type topo struct {
	requires map[string][]string
	mark     map[string]uint8
	path     []string
	order    []string
}

func (t *topo) visit(n string) error {
	switch t.mark[n] {
	case visited:
		return nil
	case visiting:
		return t.cycleError(n)
	}
	t.mark[n] = visiting
	t.path = append(t.path, n)
	deps := slices.Clone(t.requires[n])
	slices.Sort(deps)
	for _, d := range deps {
		if err := t.visit(d); err != nil {
			return err
		}
	}
	t.path = t.path[:len(t.path)-1]
	t.mark[n] = visited
	t.order = append(t.order, n)
	return nil
}

func (t *topo) cycleError(n string) error {
	i := slices.Index(t.path, n)
	cycle := append(slices.Clone(t.path[i:]), n)
	return &depError{kind: ErrCycle,
		msg: "supervise: dependency cycle: " + strings.Join(cycle, " -> ")}
}

// depError is a dependency problem with a message naming the services; it
// unwraps to ErrCycle or ErrUnknownDependency.
type depError struct {
	kind error
	msg  string
}

func (e *depError) Error() string { return e.msg }
func (e *depError) Unwrap() error { return e.kind }

package fleet

import (
	"fmt"
	"slices"
	"strings"
)

// Operator is the test a selector requirement applies to a label.
type Operator string

// The operators of Kubernetes' label-selector syntax.
const (
	OpEquals    Operator = "="     // k=v (or k==v): the label is present with value v
	OpNotEquals Operator = "!="    // k!=v: the label is absent or has another value
	OpIn        Operator = "in"    // k in (a,b): the label is present with one of the values
	OpNotIn     Operator = "notin" // k notin (a,b): the label is absent or has none of the values
	OpExists    Operator = "exists"
	OpNotExists Operator = "!"
)

// Requirement is one comma-separated term of a selector.
type Requirement struct {
	Key    string
	Op     Operator
	Values []string // one for = and !=, the set for in and notin, none otherwise
}

// Selector matches devices by their labels with Kubernetes' label-selector
// syntax: `k=v`, `k==v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`;
// a comma means "and". The zero Selector matches every device.
type Selector struct {
	reqs []Requirement
}

// ParseSelector parses a selector. Whitespace around terms, operators and
// values is ignored; an empty string gives the Selector that matches
// everything. Errors wrap ErrBadSelector and say where the problem is.
func ParseSelector(s string) (Selector, error) {
	p := &selParser{lx: selLexer{in: s}}
	reqs, err := p.parse()
	if err != nil {
		return Selector{}, fmt.Errorf("%w %q: %w", ErrBadSelector, s, err)
	}
	return Selector{reqs: reqs}, nil
}

// MustParseSelector is ParseSelector that panics on error, for constants in tests.
func MustParseSelector(s string) Selector {
	sel, err := ParseSelector(s)
	if err != nil {
		panic(err)
	}
	return sel
}

// Requirements returns the terms of the selector.
func (s Selector) Requirements() []Requirement { return slices.Clone(s.reqs) }

// Empty reports whether the selector matches every device.
func (s Selector) Empty() bool { return len(s.reqs) == 0 }

// Matches reports whether labels satisfy every requirement.
func (s Selector) Matches(labels map[string]string) bool {
	for _, r := range s.reqs {
		if !r.Matches(labels) {
			return false
		}
	}
	return true
}

// Matches reports whether labels satisfy the requirement.
func (r Requirement) Matches(labels map[string]string) bool {
	v, ok := labels[r.Key]
	switch r.Op {
	case OpEquals, OpIn:
		return ok && slices.Contains(r.Values, v)
	case OpNotEquals, OpNotIn:
		return !ok || !slices.Contains(r.Values, v)
	case OpExists:
		return ok
	default: // OpNotExists
		return !ok
	}
}

// String renders the selector in canonical form; parsing it gives an equal selector.
func (s Selector) String() string {
	parts := make([]string, len(s.reqs))
	for i, r := range s.reqs {
		parts[i] = r.String()
	}
	return strings.Join(parts, ",")
}

// String renders the requirement in canonical form.
func (r Requirement) String() string {
	switch r.Op {
	case OpEquals, OpNotEquals:
		return r.Key + string(r.Op) + r.Values[0]
	case OpIn, OpNotIn:
		return r.Key + " " + string(r.Op) + " (" + strings.Join(r.Values, ",") + ")"
	case OpExists:
		return r.Key
	default:
		return "!" + r.Key
	}
}

package fleet

import (
	"fmt"
	"strings"
)

// Selector matches devices by their labels: every key must be present with
// the given value. The empty Selector matches every device.
type Selector map[string]string

// ParseSelector parses "k=v[,k=v...]". Keys and values are trimmed; an
// empty string gives the empty Selector.
func ParseSelector(s string) (Selector, error) {
	sel := Selector{}
	if strings.TrimSpace(s) == "" {
		return sel, nil
	}
	for _, part := range strings.Split(s, ",") {
		k, v, ok := strings.Cut(part, "=")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		if !ok || k == "" {
			return nil, fmt.Errorf("%w: %q is not key=value", ErrBadSelector, part)
		}
		sel[k] = v
	}
	return sel, nil
}

// Matches reports whether labels hold every pair of the selector.
func (s Selector) Matches(labels map[string]string) bool {
	for k, v := range s {
		if got, ok := labels[k]; !ok || got != v {
			return false
		}
	}
	return true
}

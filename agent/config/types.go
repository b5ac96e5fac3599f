package config

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/drover-iot/drover/fleet/jobspec"
)

// Duration is a time.Duration written as a Go duration string ("30s",
// "1m30s", "0") in YAML and JSON (jobspec.Duration).
type Duration = jobspec.Duration

// Size is a byte count written with an optional unit: "512", "64KB",
// "10MB", "1GiB". KB, MB and GB are powers of 1000; KiB, MiB and GiB of 1024.
type Size int64

var sizeUnits = []struct {
	suffix string
	mult   int64
}{
	{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10},
	{"GB", 1000 * 1000 * 1000}, {"MB", 1000 * 1000}, {"KB", 1000},
	{"B", 1},
}

// ParseSize parses a size such as "10MB".
func ParseSize(s string) (Size, error) {
	text := strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range sizeUnits {
		if num, ok := strings.CutSuffix(text, u.suffix); ok {
			text, mult = strings.TrimSpace(num), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil || n < 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%w: %q: want a byte count such as 512, 64KB, 10MB or 1GiB", ErrBadSize, s)
	}
	return Size(n * mult), nil
}

// String formats s with the largest binary or decimal unit that divides it.
func (s Size) String() string {
	for _, u := range sizeUnits {
		if s != 0 && int64(s)%u.mult == 0 && u.mult > 1 {
			return strconv.FormatInt(int64(s)/u.mult, 10) + u.suffix
		}
	}
	return strconv.FormatInt(int64(s), 10)
}

// UnmarshalYAML parses a size; a bad one is reported with its line.
func (s *Size) UnmarshalYAML(n *yaml.Node) error {
	v, err := ParseSize(n.Value)
	if n.Kind != yaml.ScalarNode || err != nil {
		return jobspec.TypeError(n, "bad size %q: want a byte count such as 512, 64KB, 10MB or 1GiB", n.Value)
	}
	*s = v
	return nil
}

// MarshalText writes s with its unit.
func (s Size) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

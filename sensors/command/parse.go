package command

import (
	"bytes"
	"fmt"
	"math"
	"strconv"

	"github.com/drover-iot/drover/sensors"

	"github.com/drover-iot/drover/internal/names"
)

// Value is one parsed metric.
type Value struct {
	Key   string
	Value float64
}

// keyChars is the rule for keys of key=value output: [A-Za-z_][A-Za-z0-9_.-]*,
// at most maxKeyLen bytes.
var keyChars = names.Charset{Upper: true, FirstExtra: "_", Extra: "_.-"}

const maxKeyLen = 64

// Parse reads command output: either a single number (named metric), or
// lines of key=value (blank lines and lines starting with # ignored, keys
// unique). Values must be finite numbers.
func Parse(out []byte, metric string) ([]Value, error) {
	trimmed := bytes.TrimSpace(out)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: empty command output", sensors.ErrParse)
	}
	if !bytes.ContainsAny(trimmed, "=\n") {
		v, err := number(trimmed)
		if err != nil {
			return nil, err
		}
		return []Value{{Key: metric, Value: v}}, nil
	}
	return parseLines(trimmed)
}

func parseLines(out []byte) ([]Value, error) {
	var vals []Value
	seen := map[string]bool{}
	n := 0
	for line := range bytes.Lines(out) {
		n++
		line = bytes.TrimSpace(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		k, v, ok := bytes.Cut(line, []byte("="))
		key := string(bytes.TrimSpace(k))
		if !ok || !keyChars.Valid(key, maxKeyLen) {
			return nil, fmt.Errorf("%w: line %d: want key=value", sensors.ErrParse, n)
		}
		if seen[key] {
			return nil, fmt.Errorf("%w: line %d: key %q repeated", sensors.ErrParse, n, key)
		}
		seen[key] = true
		f, err := number(bytes.TrimSpace(v))
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		vals = append(vals, Value{Key: key, Value: f})
	}
	if len(vals) == 0 {
		return nil, fmt.Errorf("%w: no key=value line in command output", sensors.ErrParse)
	}
	return vals, nil
}

// number parses one finite float.
func number(b []byte) (float64, error) {
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		if len(b) > 40 {
			b = b[:40]
		}
		return 0, fmt.Errorf("%w: %q is not a finite number", sensors.ErrParse, b)
	}
	return f, nil
}

package system

import (
	"bytes"
	"fmt"
	"strconv"
	"time"

	"github.com/drover-iot/drover/sensors"
)

// readLoad reports /proc/loadavg as load1, load5 and load15.
func (s *Sensor) readLoad(now time.Time) error {
	name := s.path("proc/loadavg")
	b, err := s.readFile(name)
	if err != nil {
		return fmt.Errorf("load: %w", err)
	}
	v, err := parseFloats(b, 3)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrParse, name, err)
	}
	s.add("load1", v[0], sensors.UnitNone, now)
	s.add("load5", v[1], sensors.UnitNone, now)
	s.add("load15", v[2], sensors.UnitNone, now)
	return nil
}

// readUptime reports the first field of /proc/uptime as uptime seconds.
func (s *Sensor) readUptime(now time.Time) error {
	name := s.path("proc/uptime")
	b, err := s.readFile(name)
	if err != nil {
		return fmt.Errorf("uptime: %w", err)
	}
	v, err := parseFloats(b, 1)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrParse, name, err)
	}
	s.add("uptime", v[0], sensors.UnitSeconds, now)
	return nil
}

// readMemory reports MemTotal and MemAvailable of /proc/meminfo in bytes.
func (s *Sensor) readMemory(now time.Time) error {
	name := s.path("proc/meminfo")
	b, err := s.readFile(name)
	if err != nil {
		return fmt.Errorf("memory: %w", err)
	}
	total, avail, err := parseMeminfo(b)
	if err != nil {
		return fmt.Errorf("%w: %s: %w", ErrParse, name, err)
	}
	s.add("memory_total", total, sensors.UnitBytes, now)
	s.add("memory_available", avail, sensors.UnitBytes, now)
	return nil
}

// parseFloats parses the first n space-separated fields of b.
func parseFloats(b []byte, n int) ([]float64, error) {
	fields := bytes.Fields(b)
	if len(fields) < n {
		return nil, fmt.Errorf("want %d fields, got %d", n, len(fields))
	}
	out := make([]float64, n)
	for i := range n {
		v, err := strconv.ParseFloat(string(fields[i]), 64)
		if err != nil {
			return nil, fmt.Errorf("field %d: %q is not a number", i+1, clip(fields[i]))
		}
		out[i] = v
	}
	return out, nil
}

var (
	memTotal = []byte("MemTotal:")
	memAvail = []byte("MemAvailable:")
)

// parseMeminfo returns MemTotal and MemAvailable in bytes.
func parseMeminfo(b []byte) (total, avail float64, err error) {
	found := 0
	for line := range bytes.Lines(b) {
		var dst *float64
		switch {
		case bytes.HasPrefix(line, memTotal):
			dst = &total
		case bytes.HasPrefix(line, memAvail):
			dst = &avail
		default:
			continue
		}
		f := bytes.Fields(line)
		if len(f) != 3 || string(f[2]) != "kB" {
			return 0, 0, fmt.Errorf("line %q: want \"<key>: <n> kB\"", clip(line))
		}
		kb, err := strconv.ParseUint(string(f[1]), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("line %q: %q is not a number", clip(line), f[1])
		}
		*dst = float64(kb) * 1024
		found++
	}
	if found != 2 {
		return 0, 0, fmt.Errorf("MemTotal or MemAvailable missing")
	}
	return total, avail, nil
}

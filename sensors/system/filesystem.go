package system

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/drover-iot/drover/sensors"
)

// readFilesystems reports size and available bytes of each configured
// mount as filesystem_<mount>_size and filesystem_<mount>_avail; the mount
// "/" is called "root".
func (s *Sensor) readFilesystems(now time.Time) error {
	var errs []error
	for _, m := range s.cfg.Mounts {
		u, err := s.statfs(filepath.Join(s.cfg.Root, m))
		if err != nil {
			errs = append(errs, fmt.Errorf("filesystem %s: %w", m, err))
			continue
		}
		name := "filesystem_" + mountName(m)
		s.add(name+"_size", float64(u.Size), sensors.UnitBytes, now)
		s.add(name+"_avail", float64(u.Avail), sensors.UnitBytes, now)
	}
	return errors.Join(errs...)
}

// mountName turns a mount point into a metric name part.
func mountName(m string) string {
	if n := sensors.Sanitize(m); n != "" {
		return n
	}
	return "root"
}

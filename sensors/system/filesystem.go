package system

import (
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/drover-iot/drover/sensors"
)

// readFilesystems reports size and available bytes of each configured
// mount as filesystem_size_bytes and filesystem_avail_bytes with the label
// mount (the mount point as configured).
func (s *Sensor) readFilesystems(now time.Time) error {
	var errs []error
	for _, m := range s.cfg.Mounts {
		u, err := s.statfs(filepath.Join(s.cfg.Root, m))
		if err != nil {
			errs = append(errs, fmt.Errorf("filesystem %s: %w", m, err))
			continue
		}
		s.addLabelled(MetricFSSize, float64(u.Size), sensors.UnitBytes, now, LabelMount, m)
		s.addLabelled(MetricFSAvail, float64(u.Avail), sensors.UnitBytes, now, LabelMount, m)
	}
	return errors.Join(errs...)
}

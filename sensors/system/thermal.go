package system

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/drover-iot/drover/sensors"
)

// readThermal reports /sys/class/thermal/thermal_zone<N>/temp as metric
// thermal_zone_temperature with the labels zone (N) and type (the zone's
// type file). A machine without thermal zones reports nothing.
func (s *Sensor) readThermal(now time.Time) error {
	zones, err := filepath.Glob(s.path("sys/class/thermal/thermal_zone*"))
	if err != nil {
		return err
	}
	var errs []error
	for _, dir := range zones {
		zone := strings.TrimPrefix(filepath.Base(dir), "thermal_zone")
		typ, _ := s.readString(filepath.Join(dir, "type")) // optional
		v, err := s.readMilli(filepath.Join(dir, "temp"))
		if err != nil {
			errs = append(errs, fmt.Errorf("thermal: %w", err))
			continue
		}
		s.addLabelled(MetricThermal, v, sensors.UnitCelsius, now, LabelZone, zone, LabelType, typ)
	}
	return errors.Join(errs...)
}

// readHwmon reports /sys/class/hwmon/hwmon<N>/temp<M>_input as metric
// hwmon_temperature with the labels chip (the name file; a repeated name
// gets the hwmon index) and input (temp<M>_label, else "temp<M>").
func (s *Sensor) readHwmon(now time.Time) error {
	chips, err := filepath.Glob(s.path("sys/class/hwmon/hwmon*"))
	if err != nil {
		return err
	}
	var errs []error
	seen := map[string]bool{}
	for _, dir := range chips {
		chip, err := s.readString(filepath.Join(dir, "name"))
		if err != nil || chip == "" {
			chip = filepath.Base(dir)
		}
		if seen[chip] {
			chip += "_" + strings.TrimPrefix(filepath.Base(dir), "hwmon")
		}
		seen[chip] = true
		errs = append(errs, s.readChip(dir, chip, now))
	}
	return errors.Join(errs...)
}

func (s *Sensor) readChip(dir, chip string, now time.Time) error {
	inputs, err := filepath.Glob(filepath.Join(dir, "temp*_input"))
	if err != nil {
		return err
	}
	slices.Sort(inputs)
	var errs []error
	for _, in := range inputs {
		base := strings.TrimSuffix(filepath.Base(in), "_input")
		label, err := s.readString(filepath.Join(dir, base+"_label"))
		if err != nil || label == "" {
			label = base
		}
		v, err := s.readMilli(in)
		if err != nil {
			if errors.Is(err, os.ErrNotExist) {
				continue // vanished between glob and read
			}
			errs = append(errs, fmt.Errorf("hwmon: %w", err))
			continue
		}
		s.addLabelled(MetricHwmon, v, sensors.UnitCelsius, now, LabelChip, chip, LabelInput, label)
	}
	return errors.Join(errs...)
}

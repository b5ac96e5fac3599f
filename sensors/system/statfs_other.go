//go:build !linux

package system

import (
	"errors"

	"github.com/drover-iot/drover/sensors"
)

// Statfs is only implemented on Linux.
func Statfs(string) (sensors.FSUsage, error) {
	return sensors.FSUsage{}, errors.ErrUnsupported
}

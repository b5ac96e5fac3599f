package system

import (
	"syscall"

	"github.com/drover-iot/drover/sensors"
)

// Statfs reports the usage of the filesystem mounted at path, by statfs(2).
func Statfs(path string) (sensors.FSUsage, error) {
	var st syscall.Statfs_t
	if err := syscall.Statfs(path, &st); err != nil {
		return sensors.FSUsage{}, err
	}
	bs := uint64(st.Bsize)
	return sensors.FSUsage{Size: st.Blocks * bs, Free: st.Bfree * bs, Avail: st.Bavail * bs}, nil
}

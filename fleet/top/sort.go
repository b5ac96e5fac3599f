package top

import (
	"cmp"
	"slices"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/internal/natural"
)

// sortKey is a column the table can be sorted by.
type sortKey int

const (
	byID sortKey = iota
	byState
	byVersion
	byUptime
	byFailing
	bySeen
	sortKeys // the number of keys
)

var sortNames = [sortKeys]string{"id", "state", "version", "uptime", "failing", "last seen"}

func (k sortKey) String() string { return sortNames[k] }

// stateRank orders states from the most to the least worrying.
func stateRank(s fleet.DeviceState) int {
	switch s {
	case fleet.StateLost:
		return 0
	case fleet.StateUpdating:
		return 1
	case fleet.StateOffline:
		return 2
	case fleet.StateOnline:
		return 3
	}
	return 4
}

// sortDevices orders ds by key (descending when desc), ties by natural id.
func sortDevices(ds []*device, key sortKey, desc bool, now time.Time) {
	slices.SortFunc(ds, func(a, b *device) int {
		c := compareBy(a, b, key, now)
		if desc {
			c = -c
		}
		if c != 0 {
			return c
		}
		return natural.Compare(a.ID, b.ID)
	})
}

func compareBy(a, b *device, key sortKey, now time.Time) int {
	switch key {
	case byState:
		return cmp.Compare(stateRank(a.State), stateRank(b.State))
	case byVersion:
		return natural.Compare(a.Version(), b.Version())
	case byUptime:
		ua, _ := a.UptimeAt(now)
		ub, _ := b.UptimeAt(now)
		return cmp.Compare(ua, ub)
	case byFailing:
		// Most failing first in ascending order: that is what one sorts for.
		return cmp.Compare(b.failingUnits+b.failingJobs, a.failingUnits+a.failingJobs)
	case bySeen:
		return b.seen.Compare(a.seen) // most recently seen first
	}
	return natural.Compare(a.ID, b.ID)
}

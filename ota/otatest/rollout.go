package otatest

import (
	"slices"
	"time"

	"github.com/drover-iot/drover/ota/rollout"
)

// PushTimes returns the push times recorded in rec, sorted.
func PushTimes(rec rollout.Record) []time.Time {
	var ts []time.Time
	for _, d := range rec.Devices {
		if !d.PushedAt.IsZero() {
			ts = append(ts, d.PushedAt)
		}
	}
	slices.SortFunc(ts, time.Time.Compare)
	return ts
}

// MaxPerMinute is the largest number of the sorted times ts that fall
// within any one minute.
func MaxPerMinute(ts []time.Time) int {
	most := 0
	for i, t := range ts {
		n := 0
		for _, u := range ts[i:] {
			if u.Sub(t) < time.Minute {
				n++
			}
		}
		most = max(most, n)
	}
	return most
}

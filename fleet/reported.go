package fleet

import "time"

// SyncState is how far a device has applied a group (or all its groups).
type SyncState string

// Sync states, as reported on drover/<dev>/reported.
const (
	// SyncInSync: the device runs the group's generation it reports.
	SyncInSync SyncState = "in_sync"
	// SyncApplying: the device is applying a generation (waiting for the
	// services it enabled to boot).
	SyncApplying SyncState = "applying"
	// SyncFailed: the device refused or rolled back the group's latest
	// generation; Reasons say why. It keeps the last good one, if any.
	SyncFailed SyncState = "failed"
)

// ReportedVersion is the version of the Reported document.
const ReportedVersion = 1

// Reported is what a device applied of the groups (retained on
// drover/<dev>/reported).
type Reported struct {
	V  int       `json:"v"`
	TS time.Time `json:"ts"`
	// Sync sums up Groups: failed if one failed, else applying if one is
	// applying, else in_sync (also with no group).
	Sync SyncState `json:"sync"`
	// Groups are the groups whose selector matches the device (and those
	// refused), by name.
	Groups map[string]GroupReport `json:"groups"`
	// Conflicts name the jobs and services that several groups set; the
	// group later in file order wins.
	Conflicts []string `json:"conflicts,omitempty"`
}

// GroupReport is one group's state on a device.
type GroupReport struct {
	// Generation and Hash are of the latest document the device received
	// (the one it is in sync with, applying, or refused).
	Generation uint64 `json:"generation"`
	Hash       string `json:"hash"`
	// Applied is the generation in effect: Generation when in sync, the
	// last good one (or 0) when failed.
	Applied uint64    `json:"applied"`
	State   SyncState `json:"state"`
	Reasons []string  `json:"reasons,omitempty"`
}

// Summarize returns the Sync of a set of group reports.
func Summarize(groups map[string]GroupReport) SyncState {
	out := SyncInSync
	for _, g := range groups {
		switch g.State {
		case SyncFailed:
			return SyncFailed
		case SyncApplying:
			out = SyncApplying
		}
	}
	return out
}

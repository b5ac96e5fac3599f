package fleet

import "time"

// OTAStatusVersion is the version of OTAStatus this package writes.
const OTAStatusVersion = 1

// OTAStatus is a device's OTA state on the wire: the result of ota.status
// and ota.apply, ota.apply's progress replies, and the status snapshot's
// "ota". It is the device's persisted OTA record without its file paths.
type OTAStatus struct {
	V int `json:"v"`
	// State is the OTA state ("idle", "downloading", … "trial",
	// "committed", "rolled_back", "failed"); Reason says why it failed or
	// rolled back; Since is when it was entered.
	State  string    `json:"state"`
	Reason string    `json:"reason,omitempty"`
	Since  time.Time `json:"since"`
	// The update: artifact, version and build, and the sha256 of the new
	// and of the old binary.
	Artifact    string `json:"artifact,omitempty"`
	Version     string `json:"version,omitempty"`
	Build       uint64 `json:"build,omitempty"`
	NewSHA256   string `json:"new_sha256,omitempty"`
	FromVersion string `json:"from_version,omitempty"`
	FromBuild   uint64 `json:"from_build,omitempty"`
	OldSHA256   string `json:"old_sha256,omitempty"`
	// Platform is the build of a multi-platform artifact the device took,
	// as a topic level ("linux-arm64"); empty for a single-platform artifact.
	Platform string `json:"platform,omitempty"`
	// Delta is set when the update came as a bsdiff delta.
	Delta bool `json:"delta,omitempty"`
	// Boots counts the trials of the new version started by the old one.
	Boots int `json:"boots,omitempty"`
	// TrialUntil is when the running trial ends (zero outside a trial).
	TrialUntil time.Time    `json:"trial_until,omitzero"`
	Progress   *OTAProgress `json:"progress,omitempty"`
}

// OTAProgress is the progress of an OTA download.
type OTAProgress struct {
	Done  int   `json:"done"`
	Total int   `json:"total"`
	Bytes int64 `json:"bytes"`
	Size  int64 `json:"size"`
}

// Package state is the persisted shape of the OTA state machine: the state
// names (stable strings, on disk and on the wire) and the record written,
// atomically and fsynced, before each transition is acted on. It is a leaf
// package so the agent's status, the metrics and the apply machine share it.
package state

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/drover-iot/drover/internal/atomicfile"
)

// State is a state of the OTA machine.
type State string

// States, in the order an update goes through them.
const (
	Idle        State = "idle"
	Downloading State = "downloading"
	Verifying   State = "verifying"
	Staged      State = "staged"
	Installing  State = "installing"
	Restarting  State = "restarting"
	Trial       State = "trial"
	Committed   State = "committed"
	RolledBack  State = "rolled_back"
	Failed      State = "failed"
)

// All lists every state, for metrics.
var All = []State{Idle, Downloading, Verifying, Staged, Installing, Restarting, Trial, Committed, RolledBack, Failed}

// Busy reports whether an update is under way in s (a new one is refused).
func (s State) Busy() bool {
	switch s {
	case Downloading, Verifying, Staged, Installing, Restarting, Trial:
		return true
	}
	return false
}

// Ends reports whether s ends an update: committed, rolled_back or failed.
func (s State) Ends() bool {
	switch s {
	case Committed, RolledBack, Failed:
		return true
	}
	return false
}

// RecordVersion is the version of Record this package writes.
const RecordVersion = 1

// FileName is the record's file in the state directory.
const FileName = "ota-state.json"

// Record is the persisted OTA state; it is also the "ota" part of the
// device's status snapshot.
type Record struct {
	V      int       `json:"v"`
	State  State     `json:"state"`
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
	// Platform is the topic level of the platform build taken from a
	// multi-platform artifact ("linux-arm64"); empty for a single-platform one.
	Platform string `json:"platform,omitempty"`
	// Binary is the agent binary that is replaced; Backup the old binary
	// kept for a rollback; Candidate the verified new binary.
	Binary    string `json:"binary,omitempty"`
	Backup    string `json:"backup,omitempty"`
	Candidate string `json:"candidate,omitempty"`
	// Delta is set when the update came as a bsdiff delta.
	Delta bool `json:"delta,omitempty"`
	// Boots counts the trials of the new binary started by the old one
	// (supervised runs; an interrupted one counts).
	Boots int `json:"boots,omitempty"`
	// TrialUntil is when the running trial ends (zero outside a trial).
	TrialUntil time.Time `json:"trial_until,omitzero"`
	// Ended counts the updates that ended, by final state, over the
	// device's life: commits and rollbacks are recorded by the trial
	// supervisor, a process without metrics, so the counters live here.
	Ended    map[State]uint64 `json:"ended,omitempty"`
	Progress *Progress        `json:"progress,omitempty"`
}

// Progress of a download.
type Progress struct {
	Done  int   `json:"done"`
	Total int   `json:"total"`
	Bytes int64 `json:"bytes"`
	Size  int64 `json:"size"`
}

// ErrCorrupt means the record file cannot be decoded.
var ErrCorrupt = errors.New("state: corrupt record")

// Load reads the record in dir. A missing file is the idle state; a
// corrupt one falls back to the previous good copy that atomicfile keeps.
func Load(dir string) (Record, error) {
	path := filepath.Join(dir, FileName)
	r, err := load(path)
	if errors.Is(err, ErrCorrupt) {
		prevPath := path + atomicfile.PrevSuffix
		if _, serr := os.Stat(prevPath); serr != nil {
			return r, err
		}
		if prev, perr := load(prevPath); perr == nil {
			return prev, nil
		}
	}
	return r, err
}

func load(path string) (Record, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return Record{V: RecordVersion, State: Idle}, nil
	}
	if err != nil {
		return Record{}, fmt.Errorf("state: read %s: %w", path, err)
	}
	var r Record
	if err := json.Unmarshal(b, &r); err != nil || r.V != RecordVersion || r.State == "" {
		return Record{}, fmt.Errorf("%w: %s", ErrCorrupt, path)
	}
	return r, nil
}

// Save writes the record to dir atomically and durably (temp file, fsync,
// rename, fsync of the directory).
func Save(dir string, r Record) error {
	r.V = RecordVersion
	b, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return fmt.Errorf("state: encode: %w", err)
	}
	if err := atomicfile.Write(filepath.Join(dir, FileName), b, 0o600); err != nil {
		return fmt.Errorf("state: save: %w", err)
	}
	return nil
}

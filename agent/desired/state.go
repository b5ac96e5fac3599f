package desired

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/drover-iot/drover/fleet/groups"
	"github.com/drover-iot/drover/internal/atomicfile"
)

// StateFile is the applied-state file's name in the data dir.
const StateFile = "groups.json"

// stateVersion is the version of State on disk.
const stateVersion = 1

// State is what the converger has applied, persisted after each change.
type State struct {
	V int `json:"v"`
	// Groups are the generations in effect, by name.
	Groups map[string]groups.Group `json:"groups"`
	// Rejected are generations refused or rolled back, by group name: they
	// are not tried again; a newer generation is.
	Rejected map[string]Rejection `json:"rejected,omitempty"`
	// Seen is the highest generation received of each group, kept after
	// the group is deleted, so that its old documents replayed are refused.
	Seen map[string]uint64 `json:"seen,omitempty"`
	// Priors are the enabled settings of services before a group set
	// them, restored when no group sets them any more.
	Priors map[string]bool `json:"priors,omitempty"`
}

// Rejection is a group generation the device refused or rolled back.
type Rejection struct {
	Generation uint64   `json:"generation"`
	Reasons    []string `json:"reasons"`
}

func emptyState() State {
	return State{V: stateVersion, Groups: map[string]groups.Group{}, Rejected: map[string]Rejection{}, Seen: map[string]uint64{}, Priors: map[string]bool{}}
}

// loadState reads path; a missing file is an empty state, and an
// unreadable or corrupt one is an empty state and an error to warn about.
func loadState(path string) (State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return emptyState(), nil
	}
	st := emptyState()
	if err == nil {
		err = json.Unmarshal(data, &st)
	}
	if err == nil && st.V != stateVersion {
		err = fmt.Errorf("version %d, want %d", st.V, stateVersion)
	}
	if err != nil {
		return emptyState(), fmt.Errorf("%w: %s: %w (starting from no groups)", ErrState, path, err)
	}
	if st.Groups == nil {
		st.Groups = map[string]groups.Group{}
	}
	if st.Rejected == nil {
		st.Rejected = map[string]Rejection{}
	}
	if st.Seen == nil {
		st.Seen = map[string]uint64{}
	}
	if st.Priors == nil {
		st.Priors = map[string]bool{}
	}
	return st, nil
}

// save writes st to path atomically.
func (st State) save(path string) error {
	data, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return fmt.Errorf("%w: %w", ErrState, err)
	}
	return nil
}

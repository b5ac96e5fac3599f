package supervise

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/drover-iot/drover/internal/atomicfile"
)

// StateFile is the name of the file, in the state directory, that keeps
// services' enabled flags.
const StateFile = "supervise.json"

// stateVersion is the version of the persisted document.
const stateVersion = 1

// stateDoc is the persisted document.
type stateDoc struct {
	Version int             `json:"version"`
	Enabled map[string]bool `json:"enabled"`
}

// decodeState parses a state document, refusing unknown versions.
func decodeState(data []byte) (map[string]bool, error) {
	var doc stateDoc
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadState, err)
	}
	if doc.Version != stateVersion {
		return nil, fmt.Errorf("%w: version %d, want %d", ErrBadState, doc.Version, stateVersion)
	}
	for name := range doc.Enabled {
		if err := checkName(name); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadState, err)
		}
	}
	if doc.Enabled == nil {
		doc.Enabled = map[string]bool{}
	}
	return doc.Enabled, nil
}

func (s *Supervisor) statePath() string { return filepath.Join(s.stateDir, StateFile) }

// loadState restores the enabled flags, falling back to the previous
// copy when the file is damaged. Problems are logged, never fatal.
func (s *Supervisor) loadState() {
	if s.stateDir == "" {
		return
	}
	p := s.statePath()
	for _, path := range []string{p, p + atomicfile.PrevSuffix} {
		enabled, err := readState(path)
		if err == nil {
			s.enabled = enabled
			return
		}
		if !errors.Is(err, fs.ErrNotExist) {
			s.log.Error("cannot restore service state", "file", path, "err", err)
		} else if path == p {
			return // no state yet: nothing to restore
		}
	}
}

func readState(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	enabled, err := decodeState(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return enabled, nil
}

// saveStateLocked returns the document to persist; the caller writes it
// with writeState outside s.mu but inside s.persist.
func (s *Supervisor) saveStateLocked() []byte {
	data, _ := json.MarshalIndent(stateDoc{Version: stateVersion, Enabled: s.enabled}, "", "  ")
	return append(data, '\n')
}

func (s *Supervisor) writeState(data []byte) error {
	if s.stateDir == "" {
		return nil
	}
	if err := atomicfile.Write(s.statePath(), data, 0o644); err != nil {
		return fmt.Errorf("supervise: saving service state: %w", err)
	}
	return nil
}

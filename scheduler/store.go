package scheduler

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"
)

// StateVersion is the version of the State document this package writes.
const StateVersion = 1

// Store persists the scheduler's jobs so that a restart keeps each job's
// definition, last and next run. The scheduler calls it from one goroutine
// at a time.
type Store interface {
	// Load returns the saved state; an empty State when nothing was saved.
	// It may return a usable State together with an error wrapping
	// ErrRecovered, when it fell back to an older copy.
	Load(ctx context.Context) (State, error)
	// Save replaces the saved state.
	Save(ctx context.Context, st State) error
}

// State is the persisted document: a version and one record per job.
type State struct {
	Version int         `json:"version"`
	Jobs    []JobRecord `json:"jobs"`
}

// JobRecord is one job in a State: its definition and where it stands.
type JobRecord struct {
	Def JobDef `json:"def"`
	// LastNominal is the nominal time of the last scheduled slot that fired.
	LastNominal time.Time `json:"last_nominal,omitzero"`
	// NextNominal is the nominal time of the next slot; zero if unknown.
	NextNominal time.Time `json:"next_nominal,omitzero"`
	// LastRun is when the last run started.
	LastRun time.Time `json:"last_run,omitzero"`
	// Fired counts scheduled slots that came due (for "times N").
	Fired    uint64 `json:"fired"`
	Runs     uint64 `json:"runs"`
	Skips    uint64 `json:"skips"`
	Failures uint64 `json:"failures"`
}

// decodeState parses and validates a State document. Errors wrap ErrCorrupt
// or ErrVersion.
func decodeState(data []byte) (State, error) {
	var st State
	if err := json.Unmarshal(data, &st); err != nil {
		return State{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	if st.Version != StateVersion {
		return State{}, fmt.Errorf("%w: version %d, want %d", ErrVersion, st.Version, StateVersion)
	}
	seen := make(map[string]bool, len(st.Jobs))
	for _, r := range st.Jobs {
		if r.Def.Name == "" || seen[r.Def.Name] {
			return State{}, fmt.Errorf("%w: empty or duplicate job name %q", ErrCorrupt, r.Def.Name)
		}
		seen[r.Def.Name] = true
	}
	return st, nil
}

// encodeState renders st as indented JSON with a trailing newline.
func encodeState(st State) ([]byte, error) {
	b, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode state: %w", err)
	}
	return append(b, '\n'), nil
}

// MemoryStore is a Store in memory, for tests and for programs that do not
// persist. It keeps the document encoded, so it behaves like FileStore. The
// zero value is ready to use.
type MemoryStore struct {
	mu    sync.Mutex
	data  []byte
	saves int
}

var _ Store = (*MemoryStore)(nil)

// Load decodes the last saved document, or returns an empty State.
func (m *MemoryStore) Load(context.Context) (State, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.data == nil {
		return State{Version: StateVersion}, nil
	}
	st, err := decodeState(m.data)
	if err != nil {
		return State{}, fmt.Errorf("load memory store: %w", err)
	}
	return st, nil
}

// Save encodes and keeps st.
func (m *MemoryStore) Save(_ context.Context, st State) error {
	b, err := encodeState(st)
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.data = b
	m.saves++
	return nil
}

// Saves returns how many times Save succeeded.
func (m *MemoryStore) Saves() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.saves
}

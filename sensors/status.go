package sensors

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// SensorStatus is the sampling state of one sensor.
type SensorStatus struct {
	Name     string `json:"name"`
	Driver   string `json:"driver,omitempty"`
	Schedule string `json:"schedule,omitempty"`
	// Reads counts reads that returned readings; Failures counts reads that
	// returned an error (a partial read counts in both).
	Reads    uint64 `json:"reads"`
	Failures uint64 `json:"failures"`
	// ConsecutiveFailures counts reads in a row that gave no reading at all;
	// it drives the backoff. Any reading resets it.
	ConsecutiveFailures int           `json:"consecutive_failures,omitempty"`
	LastRead            *time.Time    `json:"last_read,omitempty"`
	LastDuration        time.Duration `json:"last_duration_ns,omitempty"`
	LastError           string        `json:"last_error,omitempty"`
	NextRead            *time.Time    `json:"next_read,omitempty"`
	Latest              []Reading     `json:"latest,omitempty"`
}

// slot is one sensor's sampling state, shared by its loop and readers of status.
type slot struct {
	item Scheduled
	busy chan struct{} // holds a token while a Read is running

	mu     sync.Mutex
	status SensorStatus
	parked bool // the loop waits on its timer (observed by tests)
}

func (sl *slot) isParked() bool {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return sl.parked
}

func (sl *slot) setParked(p bool) {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	sl.parked = p
}

func (sl *slot) record(batch []Reading, err error, start time.Time, took time.Duration) {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	st := &sl.status
	st.LastRead, st.LastDuration = &start, took
	if len(batch) > 0 {
		st.Reads++
		st.Latest = batch
	}
	st.LastError = ""
	if err != nil {
		st.Failures++
		st.LastError = err.Error()
	}
	if len(batch) > 0 {
		st.ConsecutiveFailures = 0
	} else if err != nil {
		st.ConsecutiveFailures++
	}
}

func (sl *slot) failStreak() int {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	return sl.status.ConsecutiveFailures
}

// setNext records the next read; the zero time clears it (schedule ended).
func (sl *slot) setNext(t time.Time) {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	sl.status.NextRead = nil
	if !t.IsZero() {
		sl.status.NextRead = &t
	}
}

func (sl *slot) snapshot() SensorStatus {
	sl.mu.Lock()
	defer sl.mu.Unlock()
	st := sl.status
	st.Latest = slices.Clone(st.Latest)
	return st
}

// Status returns the sampling state of every sensor, in config order.
func (s *Sampler) Status() []SensorStatus {
	out := make([]SensorStatus, len(s.slots))
	for i, sl := range s.slots {
		out[i] = sl.snapshot()
	}
	return out
}

// Latest returns the most recent readings of every sensor, in config order.
func (s *Sampler) Latest() []Reading {
	var out []Reading
	for _, sl := range s.slots {
		sl.mu.Lock()
		out = append(out, sl.status.Latest...)
		sl.mu.Unlock()
	}
	return out
}

// ReadNow reads the named sensor at once, outside its schedule (the
// sensors.read command), bounded by its timeout; if a read of that sensor
// is running, it waits for it to end first, within the same bound. The
// result is recorded in its status but not delivered.
func (s *Sampler) ReadNow(ctx context.Context, name string) ([]Reading, error) {
	sl, ok := s.byName[name]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, name)
	}
	start := s.opts.Clock.Now()
	batch, err := s.read(ctx, sl, true)
	sl.record(batch, err, start, s.opts.Clock.Since(start))
	return batch, err
}

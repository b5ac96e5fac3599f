package outbox

import (
	"maps"
	"time"
)

// counters are the outbox's monotonic counters; o.mu guards them.
type counters struct {
	appended    uint64
	acked       uint64
	writes      uint64
	writeErrors uint64
	dropped     map[string]uint64
}

func newCounters() counters { return counters{dropped: map[string]uint64{}} }

// Stats is a snapshot of the outbox.
type Stats struct {
	// Records and Bytes are the current depth.
	Records int
	Bytes   int64
	// Oldest is the Created time of the oldest record; zero when empty.
	Oldest time.Time
	// Appended and Acked count records added and acknowledged.
	Appended uint64
	Acked    uint64
	// Writes counts fsynced write transactions; WriteErrors the failed ones.
	Writes      uint64
	WriteErrors uint64
	// Dropped counts records dropped, by reason (Reason*).
	Dropped map[string]uint64
	// Seq is the last telemetry sequence number given out.
	Seq uint64
}

// Stats returns a snapshot of the outbox.
func (o *Outbox) Stats() Stats {
	o.mu.Lock()
	defer o.mu.Unlock()
	s := Stats{Records: len(o.recs), Bytes: o.bytes, Appended: o.ctr.appended, Acked: o.ctr.acked,
		Writes: o.ctr.writes, WriteErrors: o.ctr.writeErrors, Dropped: maps.Clone(o.ctr.dropped), Seq: o.seq}
	if len(o.recs) > 0 {
		s.Oldest = o.recs[0].Created
	}
	return s
}

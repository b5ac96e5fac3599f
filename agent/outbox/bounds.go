package outbox

import (
	"fmt"
	"sort"
	"time"
)

// Drop reasons, the label of the dropped counters. Stable strings.
const (
	ReasonBytes   = "max_bytes"
	ReasonAge     = "max_age"
	ReasonExpired = "expired"
	ReasonCorrupt = "corrupt"
)

// add appends r, replacing an older ClassLatest record of its topic, and
// enforces MaxBytes and MaxAge. The caller holds o.mu.
func (o *Outbox) add(r Record) error {
	if r.Class == "" {
		r.Class = ClassTelemetry
	}
	if r.Size() > o.opts.MaxBytes {
		o.ctr.dropped[ReasonBytes]++
		return fmt.Errorf("%w: %d bytes, limit %d", ErrTooLarge, r.Size(), o.opts.MaxBytes)
	}
	if r.Class == ClassLatest {
		if i := o.indexTopic(r.Topic); i >= 0 {
			o.remove(i)
		}
	}
	o.nextID++
	r.ID, r.Created = o.nextID, o.opts.Clock.Now().UTC()
	o.recs = append(o.recs, entry{Record: r})
	o.bytes += r.Size()
	o.ctr.appended++
	// Telemetry is sent once written; other records are sent at once and
	// written only if not acknowledged within SyncInterval (see dueAt).
	o.dirty = o.dirty || r.Class == ClassTelemetry
	o.dropStale(r.Created)
	o.enforceBytes()
	return nil
}

// enforceBytes drops the oldest telemetry, then the oldest records of any
// class, until the records fit in MaxBytes.
func (o *Outbox) enforceBytes() {
	for o.bytes > o.opts.MaxBytes && len(o.recs) > 1 {
		i := o.indexClass(ClassTelemetry)
		if i < 0 {
			i = 0
		}
		o.drop(i, ReasonBytes)
	}
}

// dropStale drops the records older than MaxAge and those past their
// Expires.
func (o *Outbox) dropStale(now time.Time) {
	oldest := now.Add(-o.opts.MaxAge)
	for i := 0; i < len(o.recs); {
		r := &o.recs[i].Record
		switch {
		case r.Created.Before(oldest):
			o.drop(i, ReasonAge)
		case !r.Expires.IsZero() && !now.Before(r.Expires):
			o.drop(i, ReasonExpired)
		default:
			i++
		}
	}
}

func (o *Outbox) drop(i int, reason string) {
	r := o.recs[i].Record
	o.log.Warn("record dropped", "reason", reason, "topic", r.Topic, "class", r.Class, "created", r.Created)
	o.ctr.dropped[reason]++
	o.remove(i)
	o.wake() // Front drops too: Run writes the deletion
}

// remove takes record i out; the deletion of a stored record is written
// within SyncInterval.
func (o *Outbox) remove(i int) {
	if o.unlink(i) {
		o.dirty = true
	}
}

// unlink takes record i out, remembering its deletion when it is stored,
// and reports whether it is.
func (o *Outbox) unlink(i int) bool {
	e := o.recs[i]
	if e.stored {
		o.deletes = append(o.deletes, e.ID)
	}
	o.bytes -= e.Size()
	o.recs = append(o.recs[:i], o.recs[i+1:]...)
	if len(o.recs) == 0 {
		o.recs = nil
	}
	return e.stored
}

// index finds a record by id (records are in id order).
func (o *Outbox) index(id uint64) int {
	i := sort.Search(len(o.recs), func(i int) bool { return o.recs[i].ID >= id })
	if i < len(o.recs) && o.recs[i].ID == id {
		return i
	}
	return -1
}

func (o *Outbox) indexTopic(topic string) int {
	for i := range o.recs {
		if o.recs[i].Class == ClassLatest && o.recs[i].Topic == topic {
			return i
		}
	}
	return -1
}

func (o *Outbox) indexClass(c Class) int {
	for i := range o.recs {
		if o.recs[i].Class == c {
			return i
		}
	}
	return -1
}

package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/jonboulle/clockwork"
)

// lazyDeleteDelay bounds how long the deletion of a record acknowledged
// within the run that wrote it waits for a write to ride with.
const lazyDeleteDelay = time.Minute

// Run writes the pending changes until ctx ends: a change at once when
// the last write is at least SyncInterval old, otherwise when it is, so
// that a burst of appends shares one fsynced transaction per interval. An
// acknowledged record's deletion rides with the next write (within
// lazyDeleteDelay). With nothing pending Run arms no timer: an idle
// outbox does not wake the process. With SyncInterval 0 it only waits for
// ctx (changes are written at once).
func (o *Outbox) Run(ctx context.Context) error {
	if o.opts.SyncInterval <= 0 {
		<-ctx.Done()
		return nil
	}
	var t clockwork.Timer
	defer func() {
		if t != nil {
			t.Stop()
		}
	}()
	for {
		var due <-chan time.Time
		if d, ok := o.syncDue(); ok {
			t = o.arm(t, d)
			due = t.Chan()
		}
		select {
		case <-ctx.Done():
			return nil
		case <-o.kick:
		case <-due:
		}
	}
}

// arm sets t (created on first use) to fire after d.
func (o *Outbox) arm(t clockwork.Timer, d time.Duration) clockwork.Timer {
	if t == nil {
		return o.opts.Clock.NewTimer(d)
	}
	t.Stop()
	t.Reset(d)
	return t
}

// syncDue writes the pending changes if they are due, and returns how long
// until the next are; false when none are pending.
func (o *Outbox) syncDue() (time.Duration, bool) {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return 0, false
	}
	now := o.opts.Clock.Now()
	at, ok := o.dueAt()
	var err error
	wrote := ok && !at.After(now)
	if wrote {
		err = o.write()
		at, ok = o.dueAt()
	}
	notify := o.notify
	o.mu.Unlock()
	if err != nil && !errors.Is(err, ErrClosed) {
		o.log.Error("outbox sync failed; retrying", "err", err)
	}
	if wrote && notify != nil {
		notify()
	}
	return at.Sub(now), ok
}

// dueAt is when the pending changes must be written, never sooner than
// SyncInterval after the last write: at once for new telemetry (it waits
// for its write to be sent) and urgent deletions; SyncInterval after its
// append for any other record not acknowledged by then; lazyDeleteDelay
// after the first of the deletions that may wait. The caller holds o.mu.
func (o *Outbox) dueAt() (time.Time, bool) {
	next := o.lastWrite.Add(o.opts.SyncInterval)
	if o.db == nil {
		return time.Time{}, false // in memory only
	}
	if o.dirty {
		return next, true
	}
	if held, ok := o.oldestUnwritten(); ok {
		return latest(next, held.Add(o.opts.SyncInterval)), true
	}
	if len(o.deletes) > 0 {
		return latest(next, o.lazySince.Add(lazyDeleteDelay)), true
	}
	return time.Time{}, false
}

// oldestUnwritten is the append time of the oldest record not written yet.
// Those records are the newest (each write stores them all), so it looks
// only at them.
func (o *Outbox) oldestUnwritten() (time.Time, bool) {
	i := len(o.recs)
	for i > 0 && !o.recs[i-1].stored {
		i--
	}
	if i == len(o.recs) {
		return time.Time{}, false
	}
	return o.recs[i].Created, true
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// wake tells Run that a change is pending.
func (o *Outbox) wake() {
	select {
	case o.kick <- struct{}{}:
	default:
	}
}

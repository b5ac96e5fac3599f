// Package outbox is the device's bounded on-disk outbox: every QoS 1
// message is appended before it is sent and removed after its PUBACK, so
// that it survives a broker outage, an agent restart, a crash or a power
// cut. Records live in a bbolt file, each checksummed; they are written in
// batches, at most one fsynced transaction per Options.SyncInterval (0:
// each append and removal is written and fsynced at once), and an idle
// outbox neither writes nor wakes up. The outbox is bounded by bytes and age,
// dropping the oldest telemetry first, and counts what it drops.
package outbox

import (
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
	bolt "go.etcd.io/bbolt"
)

// Defaults of Options.
const (
	DefaultMaxBytes     = 16 << 20
	DefaultMaxAge       = 7 * 24 * time.Hour
	DefaultSyncInterval = time.Second
)

// Options configure an Outbox. Zero MaxBytes and MaxAge take the defaults.
type Options struct {
	// MaxBytes bounds the records' size. Default: DefaultMaxBytes (16 MB).
	MaxBytes int64
	// MaxAge bounds a record's age. Default: DefaultMaxAge (7 days).
	MaxAge time.Duration
	// SyncInterval is the least time between two writes by Run: new
	// telemetry is written at once when the last write is at least this
	// old, else when it is; a reply or retained state is written only if
	// not acknowledged within it; 0 writes each change at once. A crash
	// loses at most the unacknowledged records of the last interval. The
	// removal of a record acknowledged within the run that wrote it waits
	// for the next write (at most lazyDeleteDelay): a crash before it only
	// sends the record once more.
	SyncInterval time.Duration
	// Clock is the time source. Default: the real clock.
	Clock clockwork.Clock
	// Logger gets warnings about cut records and drops. Default: discard.
	Logger *slog.Logger
}

func (o *Options) applyDefaults() {
	if o.MaxBytes <= 0 {
		o.MaxBytes = DefaultMaxBytes
	}
	if o.MaxAge <= 0 {
		o.MaxAge = DefaultMaxAge
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	o.Logger = o.Logger.With("component", "outbox")
}

// entry is a record in memory, whether the store has it, and whether it
// was read from the store at Attach (written by an earlier run).
type entry struct {
	Record
	stored bool
	loaded bool
}

// Outbox is an ordered, bounded, persistent queue of records. It is safe
// for concurrent use.
type Outbox struct {
	opts Options
	log  *slog.Logger
	db   *bolt.DB

	mu      sync.Mutex
	recs    []entry
	bytes   int64
	nextID  uint64
	seq     uint64
	seqDirt bool
	deletes []uint64 // stored records removed since the last write
	closed  bool
	notify  func()
	ctr     counters

	kick      chan struct{} // wakes Run: a change is pending
	dirty     bool          // telemetry or a deletion to write within SyncInterval
	lastWrite time.Time     // when the last write transaction ran
	lazySince time.Time     // when the oldest deletion waiting for the next write was made
}

// Append adds r at the end (assigning its ID and Created time) and
// enforces the bounds; with SyncInterval 0 it is on disk when Append
// returns. It returns ErrTooLarge when r alone exceeds MaxBytes.
func (o *Outbox) Append(r Record) error { return o.AppendSeq(r, nil) }

// AppendSeq is Append for a record whose payload carries the next
// telemetry sequence number: build gets it and returns the payload, under
// the outbox's lock, so that records are in sequence order. The sequence
// starts at 1, is persisted with the records and never goes back.
func (o *Outbox) AppendSeq(r Record, build func(seq uint64) ([]byte, error)) error {
	if err := o.appendSeq(r, build); err != nil {
		return err
	}
	if o.opts.SyncInterval > 0 {
		o.wake()
		return nil
	}
	return o.Sync()
}

func (o *Outbox) appendSeq(r Record, build func(seq uint64) ([]byte, error)) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return ErrClosed
	}
	if build != nil {
		p, err := build(o.seq + 1)
		if err != nil {
			return err
		}
		r.Payload, o.seq, o.seqDirt = p, o.seq+1, true
	}
	return o.add(r)
}

// Front returns the oldest record ready to send, after dropping the
// records that are older than MaxAge or past their Expires. It does not
// remove it: Ack does once it is acknowledged. Telemetry is ready once it
// is on disk (at once in memory-only mode): its sequence number must never
// be published before it is saved, or a crash would give it out again. A
// reply or retained state may overtake telemetry waiting for its write.
func (o *Outbox) Front() (Record, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.dropStale(o.opts.Clock.Now())
	for _, e := range o.recs {
		if e.stored || o.db == nil || e.Class != ClassTelemetry {
			return e.Record, true
		}
	}
	return Record{}, false
}

// SetNotify sets a function called (without the outbox's lock) after
// each write to disk, when records may have become ready to send.
func (o *Outbox) SetNotify(f func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.notify = f
}

// Ack removes the record id (acknowledged by the broker); an unknown id
// (already dropped or replaced) is ignored.
func (o *Outbox) Ack(id uint64) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return ErrClosed
	}
	if i := o.index(id); i >= 0 {
		o.ack(i)
	}
	defer o.wake()
	return o.syncNow()
}

// ack removes the acknowledged record i. The deletion of a record written
// by this run waits for the next write: a crash before it sends the record
// once more, a duplicate that QoS 1 allows and its sequence number reveals.
// A record loaded from the file was already sent before a restart, so its
// deletion is written within SyncInterval, as a drop's is.
func (o *Outbox) ack(i int) {
	o.ctr.acked++
	loaded := o.recs[i].loaded
	if !o.unlink(i) {
		return
	}
	if loaded {
		o.dirty = true
	} else if o.lazySince.IsZero() {
		o.lazySince = o.opts.Clock.Now()
	}
}

// syncNow writes at once when SyncInterval is 0.
func (o *Outbox) syncNow() error {
	if o.opts.SyncInterval > 0 {
		return nil
	}
	return o.write()
}

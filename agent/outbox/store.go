package outbox

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"time"

	bolt "go.etcd.io/bbolt"
)

var (
	bucketRecords = []byte("records")
	bucketMeta    = []byte("meta")
	keySeq        = []byte("seq")
)

// lockTimeout bounds the wait for the file lock of another process.
const lockTimeout = time.Second

// New returns an outbox kept in memory only, until Attach gives it a file.
func New(opts Options) *Outbox {
	opts.applyDefaults()
	return &Outbox{opts: opts, log: opts.Logger, ctr: newCounters(), kick: make(chan struct{}, 1)}
}

// Open is New followed by Attach(path).
func Open(path string, opts Options) (*Outbox, error) {
	o := New(opts)
	if err := o.Attach(path); err != nil {
		return nil, err
	}
	return o, nil
}

// Attach opens (or creates) the outbox file at path and loads its records
// ahead of those appended in memory so far, which are then written to it.
// Records that fail their checksum are cut with a warning and counted; a
// file bbolt cannot open at all (truncated, overwritten) is moved aside to
// path.corrupt-<unix time> with an error log, and a fresh file is started,
// so that the agent always starts.
func (o *Outbox) Attach(path string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed || o.db != nil {
		return fmt.Errorf("%w: %s: already attached or closed", ErrOpen, path)
	}
	db, err := o.openDB(path)
	if err != nil {
		return err
	}
	o.db = db
	if err := o.load(); err != nil {
		o.db = nil
		return errors.Join(err, db.Close())
	}
	return nil
}

// openDB opens the bbolt file, quarantining one that does not open.
func (o *Outbox) openDB(path string) (*bolt.DB, error) {
	bo := &bolt.Options{Timeout: lockTimeout, NoFreelistSync: true, FreelistType: bolt.FreelistMapType}
	db, err := safeOpen(path, bo)
	if err == nil || errors.Is(err, bolt.ErrTimeout) || errors.Is(err, os.ErrPermission) {
		return db, wrapOpen(path, err)
	}
	aside := fmt.Sprintf("%s.corrupt-%d", path, o.opts.Clock.Now().Unix())
	o.log.Error("outbox file unreadable; moved aside, starting empty", "path", path, "moved_to", aside, "err", err)
	o.ctr.dropped[ReasonCorrupt]++
	if rerr := os.Rename(path, aside); rerr != nil {
		return nil, wrapOpen(path, rerr)
	}
	db, err = safeOpen(path, bo)
	return db, wrapOpen(path, err)
}

// safeOpen is bolt.Open turning a panic on a damaged file into an error.
func safeOpen(path string, bo *bolt.Options) (db *bolt.DB, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v", ErrCorrupt, p)
		}
	}()
	return bolt.Open(path, 0o640, bo)
}

func wrapOpen(path string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%w: %s: %w", ErrOpen, path, err)
}

// load reads the records in id order and the sequence number, and deletes
// the records that do not decode.
func (o *Outbox) load() error {
	mem, memSeq := o.recs, o.seq
	o.recs, o.bytes, o.nextID = nil, 0, 0
	err := o.db.Update(func(tx *bolt.Tx) error {
		recs, err := tx.CreateBucketIfNotExists(bucketRecords)
		if err != nil {
			return err
		}
		meta, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if v := meta.Get(keySeq); len(v) == 8 {
			o.seq = binary.BigEndian.Uint64(v)
		}
		return o.loadRecords(recs)
	})
	if err != nil {
		return fmt.Errorf("%w: load: %w", ErrOpen, err)
	}
	o.lastWrite = o.opts.Clock.Now()
	o.seq = max(o.seq, memSeq)
	o.seqDirt = memSeq > 0
	for _, e := range mem {
		o.nextID++
		e.ID, e.stored = o.nextID, false
		o.recs = append(o.recs, e)
		o.bytes += e.Size()
	}
	o.dropStale(o.opts.Clock.Now())
	o.enforceBytes()
	return o.write()
}

func (o *Outbox) loadRecords(b *bolt.Bucket) error {
	var bad [][]byte
	err := b.ForEach(func(k, v []byte) error {
		r, err := decode(v)
		if err == nil && len(k) == 8 {
			r.ID = binary.BigEndian.Uint64(k)
			o.recs = append(o.recs, entry{Record: r, stored: true, loaded: true})
			o.bytes += r.Size()
			o.nextID = r.ID
			return nil
		}
		o.log.Warn("corrupt outbox record cut", "key", fmt.Sprintf("%x", k), "err", err)
		o.ctr.dropped[ReasonCorrupt]++
		bad = append(bad, append([]byte(nil), k...))
		return nil
	})
	for _, k := range bad {
		err = errors.Join(err, b.Delete(k))
	}
	return err
}

// write stores the records not stored yet, deletes the removed ones and
// saves the sequence number when it moved, in one fsynced transaction.
// The caller holds o.mu.
func (o *Outbox) write() error {
	var fresh []int
	for i := range o.recs {
		if !o.recs[i].stored {
			fresh = append(fresh, i)
		}
	}
	if o.db == nil || len(fresh) == 0 && len(o.deletes) == 0 && !o.seqDirt {
		o.dirty = false
		return nil // in memory only, or nothing to write
	}
	o.lastWrite = o.opts.Clock.Now()
	err := o.db.Update(func(tx *bolt.Tx) error { return o.writeTx(tx, fresh) })
	if err != nil {
		o.ctr.writeErrors++
		return fmt.Errorf("outbox: write: %w", err)
	}
	for _, i := range fresh {
		o.recs[i].stored = true
	}
	o.deletes, o.seqDirt, o.dirty, o.lazySince = nil, false, false, time.Time{}
	o.ctr.writes++
	return nil
}

func (o *Outbox) writeTx(tx *bolt.Tx, fresh []int) error {
	b := tx.Bucket(bucketRecords)
	var key [8]byte
	for _, i := range fresh {
		binary.BigEndian.PutUint64(key[:], o.recs[i].ID)
		if err := b.Put(key[:], o.recs[i].encode()); err != nil {
			return err
		}
	}
	for _, id := range o.deletes {
		binary.BigEndian.PutUint64(key[:], id)
		if err := b.Delete(key[:]); err != nil {
			return err
		}
	}
	if !o.seqDirt {
		return nil
	}
	binary.BigEndian.PutUint64(key[:], o.seq)
	return tx.Bucket(bucketMeta).Put(keySeq, key[:])
}

// Sync writes and fsyncs the pending changes now.
func (o *Outbox) Sync() error {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return ErrClosed
	}
	err, notify := o.write(), o.notify
	o.mu.Unlock()
	if notify != nil {
		notify()
	}
	return err
}

// Close writes the pending changes and closes the file.
func (o *Outbox) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return ErrClosed
	}
	o.closed = true
	if o.db == nil {
		return nil
	}
	return errors.Join(o.write(), o.db.Close())
}

package journal

import (
	"sync"
	"sync/atomic"
)

// Follower is a live subscription to the journal (tail -F). Its goroutine
// reads the ring behind the writers and hands matching records to a
// bounded channel; when the channel is full the record is dropped and
// counted, so a slow reader never slows a writer.
type Follower struct {
	j        *Journal
	q        Query
	c        chan Record
	wake     chan struct{}
	stop     chan struct{}
	done     chan struct{}
	stopOnce sync.Once
	dropped  atomic.Uint64

	cur     cursor // owned by the follower goroutine
	pending uint64 // drops not yet reported in a delivered Record
}

// Follow subscribes to records appended from now on that match q (q.N is
// ignored). With q.AfterSeq set, held records after that Seq come first
// (records after it that are no longer held count as dropped).
// buffer is the channel capacity (at least 1). A record delivered after
// losses carries their number in Record.Dropped. The follower ends, and
// its channel is closed, on Close of the follower or of the journal.
func (j *Journal) Follow(q Query, buffer int) *Follower {
	f := j.newFollower(q, buffer)
	j.subMu.Lock()
	defer j.subMu.Unlock()
	if j.closed.Load() {
		close(f.c)
		close(f.done)
		return f
	}
	j.followers[f] = struct{}{}
	j.addWaker(f.wake)
	go f.run()
	return f
}

// newFollower returns an unregistered follower whose cursor is set.
func (j *Journal) newFollower(q Query, buffer int) *Follower {
	f := &Follower{
		j: j, q: q, c: make(chan Record, max(buffer, 1)), wake: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{}),
	}
	f.cur.v.buf = make([]byte, 0, j.ring.size)
	f.cur.next = j.ring.head.Load() + 1
	if q.AfterSeq > 0 {
		f.cur.next = q.AfterSeq + 1
	}
	return f
}

// C returns the channel of records. It is closed when the follower ends.
func (f *Follower) C() <-chan Record { return f.c }

// Dropped returns how many records this follower has lost so far.
func (f *Follower) Dropped() uint64 { return f.dropped.Load() }

// Close ends the follower and closes its channel; records already in the
// channel can still be read. Close returns once the follower's goroutine
// has ended, which never waits on a reader. Close is idempotent.
func (f *Follower) Close() {
	f.stopOnce.Do(func() { close(f.stop) })
	<-f.done
}

func (f *Follower) run() {
	defer close(f.done)
	defer close(f.c)
	defer f.unregister()
	for {
		f.drain()
		select {
		case <-f.wake:
		case <-f.stop:
			return
		case <-f.j.closing:
			f.drain()
			return
		}
	}
}

func (f *Follower) unregister() {
	f.j.subMu.Lock()
	defer f.j.subMu.Unlock()
	delete(f.j.followers, f)
	f.j.removeWaker(f.wake)
}

// drain delivers the records written up to now, without blocking.
func (f *Follower) drain() {
	limit := f.j.ring.head.Load()
	for {
		lost, ok := f.cur.advance(f.j.ring, limit)
		f.lose(lost)
		if !ok {
			return
		}
		if !f.q.match(&f.cur.v) {
			continue
		}
		if len(f.c) == cap(f.c) { // full: drop before building the record
			f.lose(1)
			continue
		}
		rec := f.cur.v.record(f.j.loc)
		rec.Dropped = f.pending
		select {
		case f.c <- rec:
			f.pending = 0
		default:
			f.lose(1)
		}
	}
}

func (f *Follower) lose(n uint64) {
	if n == 0 {
		return
	}
	f.pending += n
	f.dropped.Add(n)
	f.j.followerDrops.Add(n)
}

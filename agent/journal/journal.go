// Package journal is the device's log: a bounded ring of structured
// records in fixed memory, fed by an slog.Handler, that readers can cat,
// grep and follow (asyncmd's aiolog: cat, grep, tail -F), with an optional
// size-capped copy on disk.
//
// Memory is fixed at New: Options.Records slots of Options.RecordBytes
// bytes each hold the source, message and attribute text of one record;
// longer text is cut and ends with TruncMarker. Append never allocates and
// never waits for a reader longer than the copy of one slot; followers and
// the disk copy each read the ring from their own cursor in their own
// goroutine, so a slow one loses records (and counts them) instead of
// slowing the writer.
package journal

import (
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"
)

// Defaults and limits of Options.
const (
	// DefaultRecords is the default number of slots.
	DefaultRecords = 4096
	// DefaultRecordBytes is the default text capacity of a slot.
	DefaultRecordBytes = 256
	// MinRecords is the smallest number of slots accepted.
	MinRecords = 16
	// MinRecordBytes is the smallest slot capacity accepted.
	MinRecordBytes = 128
	// MaxRecordBytes is the largest slot capacity accepted.
	MaxRecordBytes = 1 << 14
	// DefaultCloseTimeout is how long Close waits for the disk copy by default.
	DefaultCloseTimeout = 5 * time.Second
)

// Options configures a Journal. The zero value is usable.
type Options struct {
	// Records is the number of slots. Default: DefaultRecords (4096).
	Records int
	// RecordBytes is the text capacity of one slot (source, message and
	// attributes). Default: DefaultRecordBytes (256), so the default ring
	// holds 1 MiB of text.
	RecordBytes int
	// Clock stamps records written with Append. Default: the real clock.
	Clock clockwork.Clock
	// Location is the time zone of the records readers get back.
	// Default: time.Local.
	Location *time.Location
	// Logger reports disk copy errors (once per failure streak).
	// Default: discard.
	Logger *slog.Logger
	// Disk, when set, keeps a size-capped copy of the journal on disk.
	Disk *DiskOptions
	// CloseTimeout bounds how long Close waits for the disk copy to flush.
	// Default: DefaultCloseTimeout (5s).
	CloseTimeout time.Duration
}

// Journal is a bounded in-memory log. Its methods are safe for concurrent use.
type Journal struct {
	ring    *ring
	clock   clockwork.Clock
	loc     *time.Location
	log     *slog.Logger
	timeout time.Duration
	bufs    sync.Pool

	subMu     sync.Mutex // guards followers and the wakers it publishes
	followers map[*Follower]struct{}
	wakers    atomic.Pointer[[]chan struct{}]
	disk      *diskCopy

	closing   chan struct{}
	closeOnce sync.Once
	closed    atomic.Bool

	followerDrops atomic.Uint64
	diskDrops     atomic.Uint64
	diskErrors    atomic.Uint64
	truncated     atomic.Uint64
	byLevel       [numBuckets]atomic.Uint64
}

// New returns a Journal with its memory allocated. When opts.Disk is set
// it opens the disk copy and starts its writer; call Close to stop it.
func New(opts Options) (*Journal, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	j := &Journal{
		ring: newRing(opts.Records, opts.RecordBytes), clock: opts.Clock, loc: opts.Location,
		log: opts.Logger, timeout: opts.CloseTimeout, followers: map[*Follower]struct{}{},
		closing: make(chan struct{}),
	}
	size := opts.RecordBytes
	j.bufs.New = func() any { b := make([]byte, 0, size); return &b }
	j.wakers.Store(&[]chan struct{}{})
	if opts.Disk != nil {
		if j.disk, err = openDisk(j, *opts.Disk); err != nil {
			return nil, err
		}
		j.addWaker(j.disk.wake)
		go j.disk.run()
	}
	return j, nil
}

func (o Options) withDefaults() (Options, error) {
	if o.Records == 0 {
		o.Records = DefaultRecords
	}
	if o.RecordBytes == 0 {
		o.RecordBytes = DefaultRecordBytes
	}
	if o.Records < MinRecords || o.RecordBytes < MinRecordBytes || o.RecordBytes > MaxRecordBytes {
		return o, fmt.Errorf("%w: records %d (min %d), record bytes %d (%d..%d)", ErrBadOptions,
			o.Records, MinRecords, o.RecordBytes, MinRecordBytes, MaxRecordBytes)
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.CloseTimeout <= 0 {
		o.CloseTimeout = DefaultCloseTimeout
	}
	return o, nil
}

// Append stores one record stamped with the journal's clock and returns
// its Seq (0 after Close, when the record is discarded). attrs is
// preformatted key=value text, or "". Append does not allocate.
func (j *Journal) Append(level slog.Level, source, msg, attrs string) uint64 {
	return appendAt(j, j.clock.Now(), level, source, msg, attrs)
}

func appendAt[M, A text](j *Journal, t time.Time, level slog.Level, source string, msg M, attrs A) uint64 {
	if j.closed.Load() {
		return 0
	}
	seq, trunc := write(j.ring, t.UnixNano(), level, source, msg, attrs)
	if trunc {
		j.truncated.Add(1)
	}
	j.byLevel[bucket(level)].Add(1)
	for _, w := range *j.wakers.Load() {
		select {
		case w <- struct{}{}:
		default:
		}
	}
	return seq
}

// Stats are the journal's counters, for metrics.
type Stats struct {
	// Appended counts records appended since New (the newest Seq).
	Appended uint64
	// ByLevel splits Appended by level bucket (BucketDebug...BucketError).
	ByLevel [numBuckets]uint64
	// FollowerDropped counts records followers lost to a full buffer or
	// to the ring overtaking them.
	FollowerDropped uint64
	// DiskDropped counts records the disk copy lost to the ring overtaking it.
	DiskDropped uint64
	// DiskErrors counts failed writes or rotations of the disk copy.
	DiskErrors uint64
	// Truncated counts records whose text was cut to fit a slot.
	Truncated uint64
	// Len is the number of records held, Cap the number of slots.
	Len, Cap int
	// Followers is the number of open followers.
	Followers int
}

// Stats returns the current counters.
func (j *Journal) Stats() Stats {
	j.subMu.Lock()
	followers := len(j.followers)
	j.subMu.Unlock()
	var byLevel [numBuckets]uint64
	for i := range byLevel {
		byLevel[i] = j.byLevel[i].Load()
	}
	return Stats{
		Appended: j.ring.head.Load(), ByLevel: byLevel, FollowerDropped: j.followerDrops.Load(),
		DiskDropped: j.diskDrops.Load(), DiskErrors: j.diskErrors.Load(),
		Truncated: j.truncated.Load(), Len: j.ring.length(), Cap: len(j.ring.slots),
		Followers: followers,
	}
}

// Close discards further appends, ends every follower (their channels are
// closed after they deliver what they can) and flushes and closes the disk
// copy. It waits at most Options.CloseTimeout for the disk copy and then
// returns an error wrapping ErrCloseTimeout. Later calls return nil.
func (j *Journal) Close() error {
	var err error
	j.closeOnce.Do(func() {
		j.closed.Store(true)
		close(j.closing)
		j.subMu.Lock()
		fs := make([]*Follower, 0, len(j.followers))
		for f := range j.followers {
			fs = append(fs, f)
		}
		j.subMu.Unlock()
		for _, f := range fs {
			<-f.done
		}
		if j.disk != nil {
			err = j.disk.wait(j.clock, j.timeout)
		}
	})
	return err
}

func (j *Journal) addWaker(w chan struct{}) {
	old := *j.wakers.Load()
	ws := append(old[:len(old):len(old)], w)
	j.wakers.Store(&ws)
}

func (j *Journal) removeWaker(w chan struct{}) {
	old := *j.wakers.Load()
	ws := make([]chan struct{}, 0, len(old))
	for _, x := range old {
		if x != w {
			ws = append(ws, x)
		}
	}
	j.wakers.Store(&ws)
}

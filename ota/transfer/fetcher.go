package transfer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/ota/manifest"
)

// Subscriber subscribes to single topics. Handlers are called on the
// client's goroutine and must not block; the Fetcher's never do.
type Subscriber interface {
	Subscribe(topic string, qos byte, handler func(topic string, payload []byte)) error
	Unsubscribe(topics ...string) error
}

// Progress is reported after each verified chunk.
type Progress struct {
	Kind  Kind  `json:"kind"`
	Done  int   `json:"done"`
	Total int   `json:"total"`
	Bytes int64 `json:"bytes"`
	Size  int64 `json:"size"`
	// Stalls counts the times no chunk came within the stall timeout and
	// the window was subscribed again (broker outage, lost messages).
	Stalls int `json:"stalls"`
}

// FetchOptions tune a Fetcher.
type FetchOptions struct {
	// Window is how many chunks are subscribed at once; memory use is
	// bounded by Window chunks. Default: 8.
	Window int
	// Stall is how long without a chunk before the window is subscribed
	// again. Default: 20s.
	Stall time.Duration
	// Clock is the time source. Default: the real clock.
	Clock clockwork.Clock
	// Logger gets debug and warning records. Default: discard.
	Logger *slog.Logger
	// OnProgress, if set, is called from Fetch after each verified chunk.
	OnProgress func(Progress)
}

// Fetcher downloads chunked blobs announced by a verified manifest.
type Fetcher struct {
	sub  Subscriber
	opts FetchOptions
}

// NewFetcher returns a Fetcher that subscribes through sub.
func NewFetcher(sub Subscriber, opts FetchOptions) *Fetcher {
	if opts.Window <= 0 {
		opts.Window = 8
	}
	if opts.Stall <= 0 {
		opts.Stall = 20 * time.Second
	}
	if opts.Clock == nil {
		opts.Clock = clockwork.NewRealClock()
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	return &Fetcher{sub: sub, opts: opts}
}

// ProgressPath is where Fetch persists the progress of the file at path.
func ProgressPath(path string) string { return path + ".progress" }

// Fetch downloads the blob of the given kind into the file at path,
// resuming from the chunks a previous Fetch persisted. It returns nil once
// the whole file is on disk, synced, and matches the blob's sha256; an
// error wrapping ErrChunkHash when a chunk does not match its hash (the
// chunk is not written); or ctx's error, with the progress saved.
func (f *Fetcher) Fetch(ctx context.Context, t Topics, kind Kind, blob manifest.Blob, path string) error {
	file, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("transfer: open staging file: %w", err)
	}
	defer file.Close()
	if err := file.Truncate(blob.Size); err != nil {
		return fmt.Errorf("transfer: size staging file: %w", err)
	}
	prog, err := loadProgress(ProgressPath(path), blob.SHA256, len(blob.Chunks))
	if err != nil {
		return err
	}
	d := &download{f: f, t: t, kind: kind, blob: blob, file: file, prog: prog, progPath: ProgressPath(path),
		msgs: make(chan message, f.opts.Window), inflight: map[int]bool{}}
	if err := d.run(ctx); err != nil {
		return err
	}
	return d.verify()
}

type message struct {
	topic   string
	payload []byte
}

// download is one Fetch; only the Fetch goroutine touches it.
type download struct {
	f        *Fetcher
	t        Topics
	kind     Kind
	blob     manifest.Blob
	file     *os.File
	prog     *progress
	progPath string
	msgs     chan message
	inflight map[int]bool
	cursor   int
	unsaved  int
	stalls   int
}

// handler never blocks: when the buffer is full the chunk is dropped and
// fetched again after a stall.
func (d *download) handler(topic string, payload []byte) {
	select {
	case d.msgs <- message{topic, payload}:
	default:
	}
}

func (d *download) run(ctx context.Context) error {
	timer := d.f.opts.Clock.NewTimer(d.f.opts.Stall)
	defer timer.Stop()
	defer d.unsubscribeAll()
	for d.fill(); len(d.inflight) > 0; d.fill() {
		select {
		case <-ctx.Done():
			return d.stop(ctx.Err())
		case m := <-d.msgs:
			got, err := d.receive(m)
			if err != nil {
				return d.stop(err)
			}
			if got {
				timer.Reset(d.f.opts.Stall)
			}
		case <-timer.Chan():
			d.stall()
			timer.Reset(d.f.opts.Stall)
		}
	}
	return d.save()
}

// fill subscribes to missing chunks until the window is full.
func (d *download) fill() {
	for len(d.inflight) < d.f.opts.Window && d.cursor < len(d.blob.Chunks) {
		i := d.cursor
		d.cursor++
		if d.prog.has(i) {
			continue
		}
		d.inflight[i] = true
		d.subscribe(i)
	}
}

func (d *download) subscribe(i int) {
	if err := d.f.sub.Subscribe(d.t.Chunk(d.kind, i), 1, d.handler); err != nil {
		d.f.opts.Logger.Warn("ota: subscribe chunk", "chunk", i, "err", err)
	}
}

// stall subscribes the whole window again, so the broker resends the
// retained chunks (after an outage, or messages dropped on a full buffer).
func (d *download) stall() {
	d.stalls++
	d.f.opts.Logger.Warn("ota: no chunk within stall timeout, subscribing again", "inflight", len(d.inflight), "stalls", d.stalls)
	for i := range d.inflight {
		_ = d.f.sub.Unsubscribe(d.t.Chunk(d.kind, i))
		d.subscribe(i)
	}
	d.report()
}

// receive verifies and writes one chunk. It reports whether the chunk was
// new; duplicates and empty (cleared) payloads are ignored.
func (d *download) receive(m message) (bool, error) {
	i, err := d.t.ParseChunk(d.kind, m.topic)
	if err != nil || !d.inflight[i] || len(m.payload) == 0 {
		return false, nil
	}
	sum := sha256.Sum256(m.payload)
	if len(m.payload) != d.blob.ChunkLen(i) || hex.EncodeToString(sum[:]) != d.blob.Chunks[i] {
		return false, fmt.Errorf("%w: %s chunk %d", ErrChunkHash, d.kind, i)
	}
	if _, err := d.file.WriteAt(m.payload, int64(i)*int64(d.blob.ChunkSize)); err != nil {
		return false, fmt.Errorf("transfer: write chunk %d: %w", i, err)
	}
	_ = d.f.sub.Unsubscribe(m.topic)
	delete(d.inflight, i)
	d.prog.set(i)
	if d.unsaved++; d.unsaved >= d.f.opts.Window {
		if err := d.save(); err != nil {
			return true, err
		}
	}
	d.report()
	return true, nil
}

func (d *download) report() {
	if d.f.opts.OnProgress == nil {
		return
	}
	done := d.prog.count(len(d.blob.Chunks))
	bytes := min(int64(done)*int64(d.blob.ChunkSize), d.blob.Size)
	d.f.opts.OnProgress(Progress{Kind: d.kind, Done: done, Total: len(d.blob.Chunks),
		Bytes: bytes, Size: d.blob.Size, Stalls: d.stalls})
}

// save makes the written chunks durable, then records them.
func (d *download) save() error {
	if err := d.file.Sync(); err != nil {
		return fmt.Errorf("transfer: sync staging file: %w", err)
	}
	d.unsaved = 0
	return d.prog.save(d.progPath)
}

// stop saves what is done and returns err.
func (d *download) stop(err error) error {
	if serr := d.save(); serr != nil {
		d.f.opts.Logger.Warn("ota: save progress", "err", serr)
	}
	return err
}

func (d *download) unsubscribeAll() {
	for i := range d.inflight {
		_ = d.f.sub.Unsubscribe(d.t.Chunk(d.kind, i))
	}
}

// verify checks the whole file's sha256; on a mismatch the progress is
// dropped so the next Fetch starts over.
func (d *download) verify() error {
	if _, err := d.file.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("transfer: rewind staging file: %w", err)
	}
	h := sha256.New()
	if _, err := io.Copy(h, d.file); err != nil {
		return fmt.Errorf("transfer: read staging file: %w", err)
	}
	if hex.EncodeToString(h.Sum(nil)) != d.blob.SHA256 {
		_ = os.Remove(d.progPath)
		return fmt.Errorf("%w: %s", ErrBlobHash, d.kind)
	}
	return nil
}

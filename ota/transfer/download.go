package transfer

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"time"

	"github.com/drover-iot/drover/ota/manifest"
)

type message struct {
	topic   string
	payload []byte
}

// download is one Fetch; only the Fetch goroutine touches it, except
// handler (the client's goroutines) and the subscription worker.
type download struct {
	f        *Fetcher
	t        Topics
	kind     Kind
	blob     manifest.Blob
	file     *os.File
	prog     *progress
	progPath string
	msgs     chan message
	subs     *subscriptions
	inflight map[int]bool
	cursor   int
	lastSave time.Time
	stalls   int
}

func newDownload(f *Fetcher, t Topics, kind Kind, blob manifest.Blob, file *os.File, prog *progress, progPath string) *download {
	d := &download{f: f, t: t, kind: kind, blob: blob, file: file, prog: prog, progPath: progPath,
		msgs: make(chan message, f.opts.Window), inflight: map[int]bool{}, lastSave: f.opts.Clock.Now()}
	d.subs = newSubscriptions(f.sub, d.handler, f.opts.Logger)
	return d
}

// handler never blocks: when the buffer is full the chunk is dropped and
// fetched again after a stall.
func (d *download) handler(topic string, payload []byte) {
	select {
	case d.msgs <- message{topic, payload}:
	default:
	}
}

// run keeps the window full: a chunk's subscription is replaced by the
// next missing one as soon as the chunk is written (a sliding window). The
// subscription worker talks to the broker, so no acknowledgement round
// trip holds up the verification and writing of chunks.
func (d *download) run(ctx context.Context) error {
	done := make(chan struct{})
	subCtx, stopSubs := context.WithCancel(context.Background())
	go func() { defer close(done); d.subs.run(subCtx) }()
	defer func() { stopSubs(); <-done }()
	timer := d.f.opts.Clock.NewTimer(d.f.opts.Stall)
	defer timer.Stop()
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
		d.subs.subscribe(d.t.Chunk(d.kind, i))
	}
}

// stall subscribes the whole window again, so the broker resends the
// retained chunks (after an outage, or messages dropped on a full buffer).
func (d *download) stall() {
	d.stalls++
	d.f.opts.Logger.Warn("ota: no chunk within stall timeout, subscribing again", "inflight", len(d.inflight), "stalls", d.stalls)
	for i := range d.inflight {
		topic := d.t.Chunk(d.kind, i)
		d.subs.unsubscribe(topic)
		d.subs.subscribe(topic)
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
	if !chunkOK(d.blob, i, m.payload) {
		return false, fmt.Errorf("%w: %s chunk %d", ErrChunkHash, d.kind, i)
	}
	if _, err := d.file.WriteAt(m.payload, int64(i)*int64(d.blob.ChunkSize)); err != nil {
		return false, fmt.Errorf("transfer: write chunk %d: %w", i, err)
	}
	d.subs.unsubscribe(m.topic)
	delete(d.inflight, i)
	d.prog.set(i)
	if now := d.f.opts.Clock.Now(); now.Sub(d.lastSave) >= d.f.opts.SaveEvery {
		if err := d.save(); err != nil {
			return true, err
		}
	}
	d.report()
	return true, nil
}

// chunkOK reports whether payload is chunk i of the blob: its length and
// sha256 match the manifest.
func chunkOK(blob manifest.Blob, i int, payload []byte) bool {
	if len(payload) != blob.ChunkLen(i) {
		return false
	}
	var want [sha256.Size]byte
	if n, err := hex.Decode(want[:], []byte(blob.Chunks[i])); err != nil || n != len(want) {
		return false
	}
	sum := sha256.Sum256(payload)
	return bytes.Equal(sum[:], want[:])
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
	d.lastSave = d.f.opts.Clock.Now()
	if !d.prog.dirty {
		return nil
	}
	if err := d.file.Sync(); err != nil {
		return fmt.Errorf("transfer: sync staging file: %w", err)
	}
	return d.prog.save(d.progPath)
}

// stop saves what is done and returns err.
func (d *download) stop(err error) error {
	if serr := d.save(); serr != nil {
		d.f.opts.Logger.Warn("ota: save progress", "err", serr)
	}
	return err
}

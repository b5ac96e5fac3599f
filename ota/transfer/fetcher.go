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
	// SaveEvery is the least time between two progress saves (an fsync of
	// the staging file and an atomic rewrite of the bitmap). Chunks written
	// after the last save are not lost by a restart: the next Fetch finds
	// them in the staging file by their sha256. Default: 1s.
	SaveEvery time.Duration
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
	if opts.SaveEvery <= 0 {
		opts.SaveEvery = time.Second
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
// resuming from the chunks a previous Fetch persisted or left verified in
// the file. It returns nil once the whole file is on disk, synced, and
// matches the blob's sha256; an error wrapping ErrChunkHash when a chunk
// does not match its hash (the chunk is not written); or ctx's error, with
// the progress saved.
func (f *Fetcher) Fetch(ctx context.Context, t Topics, kind Kind, blob manifest.Blob, path string) error {
	_, statErr := os.Stat(path)
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
	if statErr == nil {
		recoverWritten(file, blob, prog)
	}
	d := newDownload(f, t, kind, blob, file, prog, ProgressPath(path))
	if err := d.run(ctx); err != nil {
		return err
	}
	return d.verify()
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

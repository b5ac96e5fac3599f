package transfer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/drover-iot/drover/internal/atomicfile"
	"github.com/drover-iot/drover/ota/manifest"
)

// progressVersion is the version of the persisted progress record.
const progressVersion = 1

// progress is the persisted set of verified chunks of one staging file. A
// chunk is only recorded once the staging file holding it has been synced.
type progress struct {
	V int `json:"v"`
	// SHA256 identifies the blob; progress for another blob is discarded.
	SHA256 string `json:"sha256"`
	// Done is a bitmap: bit i of byte i/8 is chunk i.
	Done []byte `json:"done"`
	// dirty is set when chunks were added since the last save.
	dirty bool
}

func newProgress(sha string, chunks int) *progress {
	return &progress{V: progressVersion, SHA256: sha, Done: make([]byte, (chunks+7)/8)}
}

func (p *progress) has(i int) bool { return p.Done[i/8]&(1<<(i%8)) != 0 }
func (p *progress) set(i int)      { p.Done[i/8] |= 1 << (i % 8); p.dirty = true }

// count is the number of done chunks among the first n.
func (p *progress) count(n int) int {
	c := 0
	for i := range n {
		if p.has(i) {
			c++
		}
	}
	return c
}

// loadProgress reads the progress file; a missing, unreadable or foreign
// file gives fresh progress (the download restarts, it never trusts bad
// state).
func loadProgress(path, sha string, chunks int) (*progress, error) {
	fresh := newProgress(sha, chunks)
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fresh, nil
	}
	if err != nil {
		return nil, fmt.Errorf("transfer: read progress: %w", err)
	}
	var p progress
	if json.Unmarshal(b, &p) != nil || p.V != progressVersion || p.SHA256 != sha || len(p.Done) != len(fresh.Done) {
		return fresh, nil
	}
	return &p, nil
}

func (p *progress) save(path string) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("transfer: encode progress: %w", err)
	}
	if err := atomicfile.Write(path, b, 0o600); err != nil {
		return fmt.Errorf("transfer: save progress: %w", err)
	}
	p.dirty = false
	return nil
}

// recoverWritten marks the chunks that the staging file already holds
// intact but the progress does not list: those written after the last
// save of an interrupted Fetch. Each is checked against its sha256, so
// nothing unverified is trusted; a read error only means the chunk is
// fetched again.
func recoverWritten(file io.ReaderAt, blob manifest.Blob, p *progress) {
	buf := make([]byte, blob.ChunkSize)
	for i := range blob.Chunks {
		if p.has(i) {
			continue
		}
		n := blob.ChunkLen(i)
		if _, err := file.ReadAt(buf[:n], int64(i)*int64(blob.ChunkSize)); err != nil {
			continue
		}
		if chunkOK(blob, i, buf[:n]) {
			p.set(i)
		}
	}
}

// Package manifest defines the signed OTA manifest: what an artifact is
// (name, version, monotonic build, os/arch), how to check it (size, sha256,
// each chunk's sha256, optional bsdiff delta) and for how long it is valid.
//
// The signature covers the exact manifest bytes, which travel base64-encoded
// in a JSON envelope next to the minisign signature text, so the standard
// minisign tool can verify them (see docs/ota.md).
package manifest

import (
	"encoding/hex"
	"fmt"
	"time"

	"github.com/drover-iot/drover/internal/names"
)

// FormatVersion is the version of the manifest document this package writes
// and accepts.
const FormatVersion = 1

// Chunk size bounds: a chunk is one retained MQTT message.
const (
	// DefaultChunkSize is 64 KiB: small enough for any broker's default
	// message limit and a small fetch window, large enough that a 20 MB
	// artifact is ~320 messages.
	DefaultChunkSize = 64 << 10
	MinChunkSize     = 1 << 10
	MaxChunkSize     = 4 << 20
)

// maxArtifactLen bounds artifact names, spelled like device ids: each is
// one MQTT topic level.
const maxArtifactLen = 63

// Manifest describes one artifact version. The JSON field names are part of
// the protocol.
type Manifest struct {
	V        int    `json:"v"`
	Artifact string `json:"artifact"`
	Version  string `json:"version"`
	// Build is a monotonic build number; a device only takes a build above
	// its own unless AllowDowngrade is set.
	Build uint64 `json:"build"`
	OS    string `json:"os"`
	Arch  string `json:"arch"`
	Blob
	// BinarySig is an optional minisign (pre-hashed) signature of the whole
	// binary, checked once more before the swap.
	BinarySig      string    `json:"binary_sig,omitempty"`
	Delta          *Delta    `json:"delta,omitempty"`
	AllowDowngrade bool      `json:"allow_downgrade,omitempty"`
	CreatedAt      time.Time `json:"created_at"`
	ExpiresAt      time.Time `json:"expires_at"`
}

// Blob is a chunked byte string: the full binary, or a delta patch.
type Blob struct {
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	ChunkSize int    `json:"chunk_size"`
	// Chunks holds the hex sha256 of each chunk, in order.
	Chunks []string `json:"chunks"`
}

// Delta is a bsdiff patch from a base binary to the manifest's binary.
type Delta struct {
	// BaseSHA256 is the sha256 of the binary the patch applies to.
	BaseSHA256 string `json:"base_sha256"`
	Blob
}

// NumChunks is the number of chunks of size chunk in size bytes.
func NumChunks(size int64, chunk int) int {
	if chunk <= 0 {
		return 0
	}
	return int((size + int64(chunk) - 1) / int64(chunk))
}

// ChunkLen is the length of chunk i of the blob.
func (b Blob) ChunkLen(i int) int {
	rest := b.Size - int64(i)*int64(b.ChunkSize)
	return int(min(rest, int64(b.ChunkSize)))
}

// Validate checks the manifest's internal consistency (not its signature,
// expiry or fit for this device).
func (m *Manifest) Validate() error {
	switch {
	case m.V != FormatVersion:
		return fmt.Errorf("%w: version %d, want %d", ErrMalformed, m.V, FormatVersion)
	case !names.Lower.Valid(m.Artifact, maxArtifactLen):
		return fmt.Errorf("%w: artifact name %q", ErrMalformed, m.Artifact)
	case m.Version == "" || m.OS == "" || m.Arch == "":
		return fmt.Errorf("%w: version, os and arch are required", ErrMalformed)
	case m.ExpiresAt.IsZero():
		return fmt.Errorf("%w: expires_at is required", ErrMalformed)
	}
	if err := m.Blob.validate("artifact"); err != nil {
		return err
	}
	if m.Delta != nil {
		if !isHash(m.Delta.BaseSHA256) {
			return fmt.Errorf("%w: delta base_sha256", ErrMalformed)
		}
		return m.Delta.Blob.validate("delta")
	}
	return nil
}

func (b Blob) validate(what string) error {
	switch {
	case b.Size <= 0:
		return fmt.Errorf("%w: %s size %d", ErrMalformed, what, b.Size)
	case b.ChunkSize < MinChunkSize || b.ChunkSize > MaxChunkSize:
		return fmt.Errorf("%w: %s chunk size %d", ErrMalformed, what, b.ChunkSize)
	case !isHash(b.SHA256):
		return fmt.Errorf("%w: %s sha256", ErrMalformed, what)
	case len(b.Chunks) != NumChunks(b.Size, b.ChunkSize):
		return fmt.Errorf("%w: %s has %d chunk hashes, size needs %d",
			ErrMalformed, what, len(b.Chunks), NumChunks(b.Size, b.ChunkSize))
	}
	for i, h := range b.Chunks {
		if !isHash(h) {
			return fmt.Errorf("%w: %s chunk %d sha256", ErrMalformed, what, i)
		}
	}
	return nil
}

func isHash(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == 32
}

package manifest

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// HashBlob reads r to its end and returns its size, sha256 and per-chunk
// sha256 list, holding one chunk in memory at a time. chunkSize 0 means
// DefaultChunkSize.
func HashBlob(r io.Reader, chunkSize int) (Blob, error) {
	if chunkSize == 0 {
		chunkSize = DefaultChunkSize
	}
	b := Blob{ChunkSize: chunkSize}
	whole := sha256.New()
	buf := make([]byte, chunkSize)
	for {
		n, err := io.ReadFull(r, buf)
		if n > 0 {
			sum := sha256.Sum256(buf[:n])
			b.Chunks = append(b.Chunks, hex.EncodeToString(sum[:]))
			whole.Write(buf[:n])
			b.Size += int64(n)
		}
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			break
		}
		if err != nil {
			return Blob{}, fmt.Errorf("manifest: read blob: %w", err)
		}
	}
	b.SHA256 = hex.EncodeToString(whole.Sum(nil))
	return b, nil
}

// HashFile is HashBlob of the file at path.
func HashFile(path string, chunkSize int) (Blob, error) {
	f, err := os.Open(path)
	if err != nil {
		return Blob{}, fmt.Errorf("manifest: open %s: %w", path, err)
	}
	defer f.Close()
	return HashBlob(f, chunkSize)
}

// FileSHA256 returns the hex sha256 of the file at path (streaming).
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("manifest: open %s: %w", path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", fmt.Errorf("manifest: read %s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Marshal returns the manifest's bytes, the exact bytes that are signed.
func (m *Manifest) Marshal() ([]byte, error) {
	if err := m.Validate(); err != nil {
		return nil, err
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("manifest: encode: %w", err)
	}
	return append(b, '\n'), nil
}

// Package delta makes and applies bsdiff (BSDIFF40) patches between two
// agent binaries. Patches are made with github.com/gabstv/go-bsdiff (pure
// Go, bzip2 via dsnet/compress) and applied with minio/selfupdate's BSDiff
// patcher, the one the design names; TestRoundTrip checks the two agree.
//
// bsdiff needs the old and the new binary in memory on both sides; the
// device only takes the delta path when it has that memory to spare (see
// docs/ota.md), and otherwise fetches the full artifact in chunks.
package delta

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gabstv/go-bsdiff/pkg/bsdiff"
	"github.com/minio/selfupdate"
)

// ErrPatch means a patch could not be made or applied.
var ErrPatch = errors.New("delta: patch failed")

// Create returns the bsdiff patch that turns old into new.
func Create(old, new []byte) ([]byte, error) {
	p, err := bsdiff.Bytes(old, new)
	if err != nil {
		return nil, fmt.Errorf("%w: create: %w", ErrPatch, err)
	}
	return p, nil
}

// CreateFiles is Create of the files at oldPath and newPath.
func CreateFiles(oldPath, newPath string) ([]byte, error) {
	old, err := os.ReadFile(oldPath)
	if err != nil {
		return nil, fmt.Errorf("delta: read old: %w", err)
	}
	nw, err := os.ReadFile(newPath)
	if err != nil {
		return nil, fmt.Errorf("delta: read new: %w", err)
	}
	return Create(old, nw)
}

// Apply writes to out the result of applying patch to old.
func Apply(old io.Reader, patch io.Reader, out io.Writer) error {
	return Patcher().Patch(old, out, patch)
}

// Patcher is selfupdate's BSDiff patcher made safe for corrupt input: its
// errors wrap ErrPatch, and a panic inside it (selfupdate's bspatch panics
// on some corrupt control blocks; found by FuzzApply) becomes an error.
func Patcher() selfupdate.Patcher { return safePatcher{selfupdate.NewBSDiffPatcher()} }

type safePatcher struct{ p selfupdate.Patcher }

func (s safePatcher) Patch(old io.Reader, out io.Writer, patch io.Reader) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: corrupt patch: %v", ErrPatch, r)
		}
	}()
	if err := s.p.Patch(old, out, patch); err != nil {
		return fmt.Errorf("%w: apply: %w", ErrPatch, err)
	}
	return nil
}

// ApplyBytes is Apply on byte slices, after CheckHeader: newSize is the
// expected size of the result.
func ApplyBytes(old, patch []byte, newSize int64) ([]byte, error) {
	if err := CheckHeader(bytes.NewReader(patch), int64(len(patch)), newSize); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := Apply(bytes.NewReader(old), bytes.NewReader(patch), &out); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

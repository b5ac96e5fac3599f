package delta

import (
	"encoding/binary"
	"fmt"
	"io"
)

// headerSize is the size of a BSDIFF40 header: magic, control block length,
// diff block length, new file size.
const headerSize = 32

// CheckHeader refuses a patch whose header declares blocks longer than the
// patch or a new file of another size than newSize: selfupdate's patcher
// allocates what the header says before reading, so a bad header would
// exhaust memory. size is the patch's length.
func CheckHeader(r io.ReaderAt, size, newSize int64) error {
	var h [headerSize]byte
	if _, err := r.ReadAt(h[:], 0); err != nil {
		return fmt.Errorf("%w: read header: %w", ErrPatch, err)
	}
	if string(h[:8]) != "BSDIFF40" {
		return fmt.Errorf("%w: not a BSDIFF40 patch", ErrPatch)
	}
	ctrl, diff, nsize := offtin(h[8:16]), offtin(h[16:24]), offtin(h[24:32])
	switch {
	case ctrl < 0 || diff < 0 || ctrl > size || diff > size-ctrl-headerSize:
		return fmt.Errorf("%w: block lengths exceed the patch", ErrPatch)
	case nsize != newSize:
		return fmt.Errorf("%w: patch makes %d bytes, want %d", ErrPatch, nsize, newSize)
	}
	return nil
}

// offtin decodes bsdiff's sign-magnitude little-endian integer.
func offtin(b []byte) int64 {
	v := binary.LittleEndian.Uint64(b)
	n := int64(v &^ (1 << 63))
	if v&(1<<63) != 0 {
		return -n
	}
	return n
}

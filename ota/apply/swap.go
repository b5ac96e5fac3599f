package apply

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/drover-iot/drover/internal/atomicfile"
)

// copyDurable copies src to dst (streaming), with mode 0755, and fsyncs it.
func copyDurable(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("%w: open %s: %w", ErrSwap, src, err)
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o755)
	if err != nil {
		return fmt.Errorf("%w: create %s: %w", ErrSwap, dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		_ = out.Close()
		return fmt.Errorf("%w: copy to %s: %w", ErrSwap, dst, err)
	}
	return syncClose(out)
}

func syncClose(f *os.File) error {
	if err := f.Chmod(0o755); err != nil {
		_ = f.Close()
		return fmt.Errorf("%w: chmod %s: %w", ErrSwap, f.Name(), err)
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return fmt.Errorf("%w: sync %s: %w", ErrSwap, f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%w: close %s: %w", ErrSwap, f.Name(), err)
	}
	return nil
}

// syncFile fsyncs an existing file (selfupdate writes without fsync).
func syncFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("%w: open %s: %w", ErrSwap, path, err)
	}
	return syncClose(f)
}

// replace renames the durable file src over dst and fsyncs the directory:
// at every instant dst is the old or the new file, never missing.
func replace(src, dst string) error {
	if err := os.Rename(src, dst); err != nil {
		return fmt.Errorf("%w: rename %s: %w", ErrSwap, src, err)
	}
	return atomicfile.SyncDir(filepath.Dir(dst))
}

// removeIfExists deletes path; a missing file is fine, and a stale
// candidate that cannot be removed is overwritten by the next update.
func removeIfExists(path string) { _ = os.Remove(path) }

package agent

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"syscall"
)

// lockFile is the data dir's lock, held by the running agent.
const lockFile = "agent.lock"

// dataLock is an exclusive, non-blocking flock on <data_dir>/agent.lock
// holding the owner's pid; the kernel releases it when the process ends.
type dataLock struct{ f *os.File }

// lockDataDir takes the data dir's lock, or fails with an error wrapping
// ErrDataDirLocked that names the dir and, when known, the holder's pid.
func lockDataDir(dir string) (*dataLock, error) {
	path := filepath.Join(dir, lockFile)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_CLOEXEC, 0o640)
	if err != nil {
		return nil, fmt.Errorf("agent: data dir lock: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		holder := holderOf(f)
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("%w: %s%s", ErrDataDirLocked, dir, holder)
		}
		return nil, fmt.Errorf("agent: data dir lock %s: %w", path, err)
	}
	if err := writePID(f); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("agent: data dir lock %s: %w", path, err)
	}
	return &dataLock{f: f}, nil
}

// holderOf returns " (pid N)" from the lock file, or "" when unknown.
func holderOf(f *os.File) string {
	buf := make([]byte, 32)
	n, _ := f.ReadAt(buf, 0)
	pid, err := strconv.Atoi(string(bytes.TrimSpace(buf[:n])))
	if err != nil || pid <= 0 {
		return ""
	}
	return fmt.Sprintf(" (pid %d)", pid)
}

func writePID(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	_, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return err
}

// unlock releases the lock; the file stays (its pid is stale then).
func (l *dataLock) unlock() error {
	if l == nil {
		return nil
	}
	return l.f.Close()
}

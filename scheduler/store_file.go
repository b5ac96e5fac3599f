package scheduler

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/drover-iot/drover/internal/atomicfile"
)

// FileStore is a Store that keeps the State as a JSON file. Each Save is
// atomic and durable (temporary file in the same directory, fsync, rename,
// fsync of the directory), and the file it replaces is kept as
// Path+".prev", the previous good copy that Load falls back to.
type FileStore struct {
	// Path is the state file.
	Path string
}

var _ Store = (*FileStore)(nil)

// NewFileStore returns a FileStore writing path.
func NewFileStore(path string) *FileStore { return &FileStore{Path: path} }

// Load reads the state file. A missing file gives an empty State. When the
// file is corrupt, truncated or of an unknown version, Load tries the
// previous copy: if that is valid it returns its State together with an
// error wrapping both ErrRecovered and the main file's error; otherwise it
// returns an error naming the file, wrapping ErrCorrupt or ErrVersion.
func (f *FileStore) Load(context.Context) (State, error) {
	st, err := f.loadFile(f.Path)
	if err == nil {
		return st, nil
	}
	if errors.Is(err, fs.ErrNotExist) {
		return State{Version: StateVersion}, nil
	}
	prev := f.Path + atomicfile.PrevSuffix
	pst, perr := f.loadFile(prev)
	if perr != nil {
		return State{}, fmt.Errorf("%w (previous copy: %v)", err, perr)
	}
	return pst, fmt.Errorf("%w; loaded previous copy %s: %w", err, prev, ErrRecovered)
}

// loadFile reads and decodes one file; the error names the file.
func (f *FileStore) loadFile(path string) (State, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return State{}, fmt.Errorf("load scheduler state %s: %w", path, err)
	}
	st, err := decodeState(data)
	if err != nil {
		return State{}, fmt.Errorf("load scheduler state %s: %w", path, err)
	}
	return st, nil
}

// Save writes st atomically, keeping the replaced file as the previous copy.
func (f *FileStore) Save(_ context.Context, st State) error {
	b, err := encodeState(st)
	if err != nil {
		return err
	}
	if err := atomicfile.Write(f.Path, b, 0o600); err != nil {
		return fmt.Errorf("save scheduler state: %w", err)
	}
	return nil
}

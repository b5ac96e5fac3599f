package journal

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/jonboulle/clockwork"
)

// DefaultDiskBytes is the default cap of the on-disk copy.
const DefaultDiskBytes = 4 << 20

// DiskOptions configures the on-disk copy of the journal: text lines as
// Record.AppendText renders them, appended to Path. When Path would grow
// past MaxBytes/2 it is renamed to Path+".1" (replacing the previous one)
// and a new Path is started, so the two files together stay within MaxBytes.
// Lines are written by a goroutine that follows the ring; if it falls a
// whole ring behind, the records it missed are counted in
// Stats.DiskDropped. Writes are buffered and flushed whenever the writer
// has caught up; files are not fsynced, to spare flash storage.
type DiskOptions struct {
	// Path is the file to write. Required.
	Path string
	// MaxBytes caps the disk use of Path and Path.1 together.
	// Default: DefaultDiskBytes (4 MiB); at least 4 KiB and 4 lines.
	MaxBytes int64
}

// diskCopy is the goroutine that writes the ring to disk.
type diskCopy struct {
	j       *Journal
	path    string
	half    int64
	f       *os.File
	w       *bufio.Writer
	size    int64
	line    []byte
	cur     cursor
	failing bool
	err     error // final flush or close error, read after done
	wake    chan struct{}
	done    chan struct{}
}

func openDisk(j *Journal, o DiskOptions) (*diskCopy, error) {
	if o.MaxBytes == 0 {
		o.MaxBytes = DefaultDiskBytes
	}
	minBytes := max(4096, 4*int64(j.ring.size+lineOverhead))
	if o.Path == "" || o.MaxBytes < minBytes {
		return nil, fmt.Errorf("%w: disk path %q, max bytes %d (min %d)", ErrBadOptions, o.Path, o.MaxBytes, minBytes)
	}
	d := &diskCopy{
		j: j, path: o.Path, half: o.MaxBytes / 2, line: make([]byte, 0, j.ring.size+lineOverhead),
		wake: make(chan struct{}, 1), done: make(chan struct{}),
	}
	d.cur.v.buf = make([]byte, 0, j.ring.size)
	d.cur.next = j.ring.head.Load() + 1
	if err := os.MkdirAll(filepath.Dir(o.Path), 0o750); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrDisk, err)
	}
	if err := d.open(os.O_APPEND); err != nil {
		return nil, err
	}
	return d, nil
}

// lineOverhead bounds the bytes a rendered line adds to the slot text:
// time, level, separators and the newline.
const lineOverhead = 64

func (d *diskCopy) open(flag int) error {
	f, err := os.OpenFile(d.path, os.O_WRONLY|os.O_CREATE|flag, 0o640)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrDisk, err)
	}
	st, err := f.Stat()
	if err != nil {
		return errors.Join(fmt.Errorf("%w: %w", ErrDisk, err), f.Close())
	}
	d.f, d.size = f, st.Size()
	if d.w == nil {
		d.w = bufio.NewWriterSize(f, 16<<10)
	} else {
		d.w.Reset(f)
	}
	return nil
}

func (d *diskCopy) run() {
	defer close(d.done)
	for {
		d.drain()
		select {
		case <-d.wake:
		case <-d.j.closing:
			d.drain()
			d.err = d.closeFile()
			return
		}
	}
}

// drain writes the records appended up to now, then flushes.
func (d *diskCopy) drain() {
	limit := d.j.ring.head.Load()
	for {
		lost, ok := d.cur.advance(d.j.ring, limit)
		if lost > 0 {
			d.j.diskDrops.Add(lost)
		}
		if !ok {
			break
		}
		d.line = append(d.cur.v.appendText(d.line[:0], d.j.loc), '\n')
		d.report(d.writeLine())
	}
	if d.f != nil {
		d.report(d.w.Flush())
	}
}

func (d *diskCopy) writeLine() error {
	if d.f != nil && d.size > 0 && d.size+int64(len(d.line)) > d.half {
		if err := d.rotate(); err != nil {
			return err
		}
	}
	if d.f == nil { // a failed rotation or write closed it: start afresh
		if err := d.open(os.O_APPEND); err != nil {
			return err
		}
	}
	n, err := d.w.Write(d.line)
	d.size += int64(n)
	if err != nil {
		return errors.Join(fmt.Errorf("%w: %w", ErrDisk, err), d.closeFile())
	}
	return nil
}

// rotate moves the full file to path.1 and starts an empty one.
func (d *diskCopy) rotate() error {
	if err := d.closeFile(); err != nil {
		return err
	}
	if err := os.Rename(d.path, d.path+".1"); err != nil {
		return fmt.Errorf("%w: %w", ErrDisk, err)
	}
	return d.open(os.O_TRUNC)
}

func (d *diskCopy) closeFile() error {
	if d.f == nil {
		return nil
	}
	ferr := d.w.Flush()
	cerr := d.f.Close()
	d.f = nil
	if err := errors.Join(ferr, cerr); err != nil {
		return fmt.Errorf("%w: %w", ErrDisk, err)
	}
	return nil
}

// report counts an error and logs the first one of a failure streak.
func (d *diskCopy) report(err error) {
	switch {
	case err != nil && !d.failing:
		d.failing = true
		d.j.log.Error("journal disk copy failing", "path", d.path, "err", err)
		fallthrough
	case err != nil:
		d.j.diskErrors.Add(1)
	case d.failing:
		d.failing = false
		d.j.log.Info("journal disk copy recovered", "path", d.path)
	}
}

// wait waits for the writer to finish, at most timeout on clock.
func (d *diskCopy) wait(clock clockwork.Clock, timeout time.Duration) error {
	select {
	case <-d.done:
		return d.err
	case <-clock.After(timeout):
		return fmt.Errorf("%w: disk copy %s not flushed after %s", ErrCloseTimeout, d.path, timeout)
	}
}

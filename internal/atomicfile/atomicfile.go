// Package atomicfile writes files so that a crash or power cut at any moment
// leaves either the old or the new content on disk, never a torn mix.
//
// Write puts the data in a temporary file in the same directory, fsyncs it,
// keeps the current file as path+".prev" (a hard link, so the previous good
// copy survives), renames the temporary file over path and fsyncs the
// directory so the renames are durable.
package atomicfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// PrevSuffix is appended to a path to name the previous good copy.
const PrevSuffix = ".prev"

// Write replaces the file at path with data, atomically and durably. The
// file it replaces, if any, is kept as path+PrevSuffix. perm is applied to
// the new file. Write is not safe for concurrent use on the same path: give
// each path a single writer.
func Write(path string, data []byte, perm fs.FileMode) error {
	if path == "" {
		return ErrEmptyPath
	}
	dir := filepath.Dir(path)
	tmp, err := writeTemp(dir, filepath.Base(path), data, perm)
	if err != nil {
		return err
	}
	if err := keepPrevious(path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("atomicfile: rename %s: %w", path, err)
	}
	return SyncDir(dir)
}

// writeTemp writes data to the temporary file "."+base+".tmp" in dir,
// synced to disk, and returns its name. The name is fixed so a crash leaves
// at most one stale temporary file, which the next Write overwrites.
func writeTemp(dir, base string, data []byte, perm fs.FileMode) (string, error) {
	name := filepath.Join(dir, "."+base+".tmp")
	f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return "", fmt.Errorf("atomicfile: create %s: %w", name, err)
	}
	fail := func(what string, err error) (string, error) {
		_ = f.Close()
		_ = os.Remove(name)
		return "", fmt.Errorf("atomicfile: %s %s: %w", what, name, err)
	}
	if _, err := f.Write(data); err != nil {
		return fail("write", err)
	}
	if err := f.Chmod(perm); err != nil {
		return fail("chmod", err)
	}
	if err := f.Sync(); err != nil {
		return fail("sync", err)
	}
	if err := f.Close(); err != nil {
		_ = os.Remove(name)
		return "", fmt.Errorf("atomicfile: close %s: %w", name, err)
	}
	return name, nil
}

// keepPrevious makes path+PrevSuffix a hard link to the current file at
// path, replacing any older copy. A missing path is not an error. The link
// is made under a temporary name and renamed, so .prev is never absent once
// it existed.
func keepPrevious(path string) error {
	prev := path + PrevSuffix
	tmp := prev + ".tmp"
	_ = os.Remove(tmp)
	if err := os.Link(path, tmp); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("atomicfile: link %s: %w", tmp, err)
	}
	if err := os.Rename(tmp, prev); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("atomicfile: rename %s: %w", prev, err)
	}
	return nil
}

// SyncDir fsyncs the directory dir, making renames and creations inside it
// durable.
func SyncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("atomicfile: open dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("atomicfile: sync dir %s: %w", dir, err)
	}
	return nil
}

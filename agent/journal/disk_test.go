package journal

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// lines returns the lines of a file, or none when it does not exist.
func lines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

func size(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Size()
}

func TestDiskRotationRespectsCap(t *testing.T) {
	tests := []struct {
		name     string
		maxBytes int64
		appends  int
		rotated  bool
	}{
		{"fits in one file", 64 << 10, 50, false},
		{"rotates", 8 << 10, 500, true},
		{"rotates many times", 4 << 10, 1000, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "journal.log")
			j, _ := newTest(t, Options{Records: 1024, RecordBytes: 128, Disk: &DiskOptions{Path: path, MaxBytes: tt.maxBytes}})
			for i := 1; i <= tt.appends; i++ {
				j.Append(slog.LevelInfo, "task:blink", fmt.Sprintf("record %04d", i), "pin=17 state=on padding=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx")
			}
			if err := j.Close(); err != nil {
				t.Fatal(err)
			}
			old, cur := lines(t, path+".1"), lines(t, path)
			if (old != nil) != tt.rotated {
				t.Fatalf("rotated file present = %v, want %v", old != nil, tt.rotated)
			}
			total := size(t, path)
			if old != nil {
				total += size(t, path+".1")
			}
			if total > tt.maxBytes {
				t.Errorf("disk use %d bytes, over the cap %d", total, tt.maxBytes)
			}
			all := append(old, cur...)
			first := tt.appends - len(all) + 1
			for k, line := range all { // consecutive records, the newest last
				want := fmt.Sprintf("2026-11-21 10:00:00.123 INFO  task:blink  record %04d pin=17", first+k)
				if !strings.HasPrefix(line, want) {
					t.Fatalf("line %d = %q, want prefix %q", k, line, want)
				}
			}
			if st := j.Stats(); st.DiskDropped != 0 || st.DiskErrors != 0 {
				t.Errorf("Stats = %+v, want no disk drops or errors", st)
			}
		})
	}
}

func TestDiskAppendsToExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "journal.log")
	if err := os.WriteFile(path, []byte("from before\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128, Disk: &DiskOptions{Path: path}})
	j.Append(slog.LevelInfo, "agent", "started", "")
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	got := lines(t, path)
	if len(got) != 2 || got[0] != "from before" || got[1] != "2026-11-21 10:00:00.123 INFO  agent  started" {
		t.Errorf("file = %q", got)
	}
}

// TestDiskDrops drives the disk copy by hand: the ring overtakes it.
func TestDiskDrops(t *testing.T) {
	j, _ := newTest(t, Options{Records: 16, RecordBytes: 128})
	d, err := openDisk(j, DiskOptions{Path: filepath.Join(t.TempDir(), "j.log")})
	if err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 40; i++ {
		j.Append(slog.LevelInfo, "agent", fmt.Sprint(i), "")
	}
	d.drain()
	if err := d.closeFile(); err != nil {
		t.Fatal(err)
	}
	got := lines(t, d.path)
	if len(got) != 16 || !strings.HasSuffix(got[0], " 25") || j.Stats().DiskDropped != 24 {
		t.Errorf("file has %d lines from %q, DiskDropped %d; want 16 from 25, 24 dropped", len(got), got[0], j.Stats().DiskDropped)
	}
}

func TestDiskOpenError(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(file, "j.log") // a file stands where the dir should be
	_, err := New(Options{Disk: &DiskOptions{Path: path}})
	if !errors.Is(err, ErrDisk) {
		t.Fatalf("New = %v, want ErrDisk", err)
	}
	// One prefix per layer: "journal: disk copy: mkdir <path>: not a directory".
	if msg := err.Error(); strings.Count(msg, "journal") != 1 || strings.Count(msg, "mkdir") != 1 {
		t.Errorf("error stutters: %q", msg)
	}
}

func TestDiskCreatesDir(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "deeper", "j.log")
	j, err := New(Options{Disk: &DiskOptions{Path: path}})
	if err != nil {
		t.Fatalf("New with a missing directory: %v", err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("journal file not created: %v", err)
	}
}

// TestCloseTimeout writes the disk copy into a FIFO nobody reads, so the
// writer blocks; Close must give up after CloseTimeout on the fake clock.
func TestCloseTimeout(t *testing.T) {
	path := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	reader, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	j, clock := newTest(t, Options{Records: 1024, RecordBytes: 256, Disk: &DiskOptions{Path: path, MaxBytes: 1 << 30}})
	for range 1000 { // ~250 KB: more than the pipe and the write buffer hold
		j.Append(slog.LevelInfo, "agent", strings.Repeat("z", 180), "")
	}
	errc := make(chan error, 1)
	go func() { errc <- j.Close() }()
	if err := clock.BlockUntilContext(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	clock.Advance(DefaultCloseTimeout)
	if err := <-errc; !errors.Is(err, ErrCloseTimeout) {
		t.Errorf("Close = %v, want ErrCloseTimeout", err)
	}
	n, err := io.Copy(io.Discard, bufio.NewReader(reader)) // unblock the writer; EOF when it closes
	if err != nil || n < 1000*200 {
		t.Errorf("read %d bytes from the FIFO, %v", n, err)
	}
	<-j.disk.done
}

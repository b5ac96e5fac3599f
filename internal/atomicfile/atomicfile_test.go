package atomicfile

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func readOrEmpty(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return "<none>"
	}
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	return string(b)
}

func TestWriteSequence(t *testing.T) {
	tests := []struct {
		name     string
		writes   []string
		wantCur  string
		wantPrev string
	}{
		{"first write has no prev", []string{"a"}, "a", "<none>"},
		{"second write keeps first", []string{"a", "b"}, "b", "a"},
		{"prev is the last but one", []string{"a", "b", "c"}, "c", "b"},
		{"empty data", []string{"a", ""}, "", "a"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "state.json")
			for _, w := range tt.writes {
				if err := Write(path, []byte(w), 0o600); err != nil {
					t.Fatalf("Write(%q): %v", w, err)
				}
			}
			if got := readOrEmpty(t, path); got != tt.wantCur {
				t.Errorf("current = %q, want %q", got, tt.wantCur)
			}
			if got := readOrEmpty(t, path+PrevSuffix); got != tt.wantPrev {
				t.Errorf("prev = %q, want %q", got, tt.wantPrev)
			}
		})
	}
}

func TestWriteLeavesNoTempFiles(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s")
	for _, w := range []string{"1", "2", "3"} {
		if err := Write(path, []byte(w), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) != 2 || names[0] != "s" || names[1] != "s.prev" {
		t.Errorf("dir holds %v, want [s s.prev]", names)
	}
}

func TestWritePerm(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s")
	if err := Write(path, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Errorf("perm = %v, want 0600", st.Mode().Perm())
	}
}

func TestWriteOverStaleTemp(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s")
	stale := filepath.Join(dir, ".s.tmp")
	if err := os.WriteFile(stale, []byte("torn garbage that is longer"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("ok"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := readOrEmpty(t, path); got != "ok" {
		t.Errorf("current = %q, want ok", got)
	}
	if got := readOrEmpty(t, stale); got != "<none>" {
		t.Errorf("stale temp still present: %q", got)
	}
}

func TestWriteErrors(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
		is   error
	}{
		{"empty path", func(*testing.T) string { return "" }, ErrEmptyPath},
		{"missing dir", func(t *testing.T) string {
			return filepath.Join(t.TempDir(), "nope", "s")
		}, fs.ErrNotExist},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := Write(tt.path(t), []byte("x"), 0o600)
			if !errors.Is(err, tt.is) {
				t.Errorf("err = %v, want %v", err, tt.is)
			}
		})
	}
}

func TestSyncDirMissing(t *testing.T) {
	err := SyncDir(filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v, want ErrNotExist", err)
	}
}

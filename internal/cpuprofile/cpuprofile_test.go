package cpuprofile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStartWritesAProfile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cpu.prof")
	var errw bytes.Buffer
	stop := Start(path, &errw)
	for i := range 1_000_000 {
		_ = strings.Repeat("x", i%7)
	}
	stop()
	st, err := os.Stat(path)
	if err != nil || st.Size() == 0 || errw.Len() > 0 {
		t.Fatalf("profile %v (%v), errors %q", st, err, errw.String())
	}
}

func TestStartReportsAnUnwritableFile(t *testing.T) {
	var errw bytes.Buffer
	stop := Start(filepath.Join(t.TempDir(), "missing", "cpu.prof"), &errw)
	stop()
	if !strings.Contains(errw.String(), "cpu profile:") {
		t.Fatalf("no error reported: %q", errw.String())
	}
}

func TestStartWithoutPathDoesNothing(t *testing.T) {
	var errw bytes.Buffer
	Start("", &errw)()
	if errw.Len() > 0 {
		t.Fatalf("unexpected output %q", errw.String())
	}
}

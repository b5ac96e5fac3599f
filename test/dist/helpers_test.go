package dist

import (
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/drover-iot/drover/test/internal/harness"
)

func need(t testing.TB, names ...string) {
	t.Helper()
	for _, n := range names {
		harness.Need(t, n)
	}
}

// run runs a command and returns its output, failing the test on error.
func run(t testing.TB, name string, args ...string) string {
	t.Helper()
	b, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, b)
	}
	return string(b)
}

func read(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// copyTree copies the files git knows of (tracked and new, not ignored) from
// src to dst: the source of a release, without .git, at another path.
func copyTree(t testing.TB, src, dst string) {
	t.Helper()
	list := run(t, "git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	for _, rel := range strings.Split(strings.TrimRight(list, "\x00"), "\x00") {
		if err := copyFile(filepath.Join(src, rel), filepath.Join(dst, rel)); err != nil {
			t.Fatal(err)
		}
	}
}

func copyFile(src, dst string) error {
	fi, err := os.Lstat(src)
	if os.IsNotExist(err) {
		return nil // deleted in the working tree
	}
	if err != nil || !fi.Mode().IsRegular() {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, fi.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// Package dist tests the release pipeline: `make dist` run twice, the second
// time from a copy of the tree at another path, gives byte-identical binaries
// and packages; SHA256SUMS is signed; the amd64 packages install, configure
// and purge cleanly with the real dpkg (deb_test.go).
package dist

import (
	"bytes"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// platforms keeps the test to two of the three release platforms: one
// 64-bit, one 32-bit ARM, which is where GOARM matters.
const platforms = "linux/amd64 linux/arm"

// release is the identity both builds get, as make would read it from git.
var release = []string{"VERSION=v1.2.3-4-gabcdef0", "COMMIT=abcdef0", "BUILD=42",
	"SOURCE_DATE_EPOCH=1767225600"}

var (
	once    sync.Once
	distDir string
	distErr error
	keyPub  string
)

// repoRoot is the module root, two levels up from this package.
func repoRoot(t testing.TB) string {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// makeDist runs `make dist` in dir into out, signing with key when given.
func makeDist(t testing.TB, dir, out, key string) {
	t.Helper()
	args := append([]string{"-C", dir, "dist", "DIST=" + out, "PLATFORMS=" + platforms,
		"MINISIGN_KEY=" + key}, release...)
	cmd := exec.Command("make", args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("make dist in %s: %v\n%s", dir, err, b)
	}
}

// firstDist is the signed build of the working tree, made once and shared.
func firstDist(t testing.TB) string {
	t.Helper()
	once.Do(func() {
		need(t, "make", "dpkg-deb", "minisign")
		tmp, err := os.MkdirTemp("", "drover-dist-")
		if err != nil {
			distErr = err
			return
		}
		keyPub = filepath.Join(tmp, "key.pub")
		sec := filepath.Join(tmp, "key.sec")
		gen := exec.Command("minisign", "-G", "-W", "-p", keyPub, "-s", sec)
		if b, err := gen.CombinedOutput(); err != nil {
			distErr = err
			t.Logf("minisign -G: %s", b)
			return
		}
		distDir = filepath.Join(tmp, "dist")
		makeDist(t, repoRoot(t), distDir, sec)
	})
	if distErr != nil || distDir == "" {
		t.Fatalf("first dist build failed: %v", distErr)
	}
	return distDir
}

func TestMain(m *testing.M) {
	code := m.Run()
	if distDir != "" {
		os.RemoveAll(filepath.Dir(distDir))
	}
	os.Exit(code)
}

func TestDistReproducible(t *testing.T) {
	a := firstDist(t)
	copyDir := filepath.Join(t.TempDir(), "elsewhere", "drover")
	copyTree(t, repoRoot(t), copyDir)
	b := filepath.Join(t.TempDir(), "dist")
	makeDist(t, copyDir, b, "")

	sumsA := read(t, filepath.Join(a, "SHA256SUMS"))
	sumsB := read(t, filepath.Join(b, "SHA256SUMS"))
	if !bytes.Equal(sumsA, sumsB) {
		t.Fatalf("two builds differ:\n--- first\n%s--- second (another path)\n%s", sumsA, sumsB)
	}
	for _, want := range []string{"agent_linux_amd64", "agent_linux_arm", "fleetctl_linux_amd64",
		"fleetctl_linux_arm", "drover-agent_1.2.3-4-gabcdef0-1_amd64.deb",
		"drover-agent_1.2.3-4-gabcdef0-1_armhf.deb", "drover-fleetctl_1.2.3-4-gabcdef0-1_armhf.deb"} {
		if !bytes.Contains(sumsA, []byte("  "+want+"\n")) {
			t.Errorf("SHA256SUMS lacks %s:\n%s", want, sumsA)
		}
	}
}

func TestDistBinaries(t *testing.T) {
	dir := firstDist(t)
	for name, want := range map[string]elf.Machine{
		"agent_linux_amd64": elf.EM_X86_64, "agent_linux_arm": elf.EM_ARM,
		"fleetctl_linux_arm": elf.EM_ARM,
	} {
		f, err := elf.Open(filepath.Join(dir, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if f.Machine != want {
			t.Errorf("%s is for %v, want %v", name, f.Machine, want)
		}
		f.Close()
	}
	out := run(t, filepath.Join(dir, "agent_linux_amd64"), "version")
	for _, want := range []string{"v1.2.3-4-gabcdef0", "commit abcdef0"} {
		if !strings.Contains(out, want) {
			t.Errorf("agent version %q lacks %q", out, want)
		}
	}
}

func TestDistSigned(t *testing.T) {
	dir := firstDist(t)
	sums := filepath.Join(dir, "SHA256SUMS")
	run(t, "minisign", "-V", "-p", keyPub, "-m", sums)
	run(t, "sh", "-c", "cd "+dir+" && sha256sum --check --quiet SHA256SUMS")

	tampered := filepath.Join(t.TempDir(), "SHA256SUMS")
	body := append(read(t, sums), []byte("0000  extra\n")...)
	if err := os.WriteFile(tampered, body, 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("minisign", "-V", "-p", keyPub, "-m", tampered, "-x", sums+".minisig")
	if b, err := cmd.CombinedOutput(); err == nil {
		t.Fatalf("a tampered SHA256SUMS verified:\n%s", b)
	}
}

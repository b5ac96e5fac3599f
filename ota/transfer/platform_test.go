package transfer_test

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/drover-iot/drover/ota/transfer"
)

// TestPrepareLabelsFromELF: a binary for another machine is labelled with
// its own platform, not the publisher's; flags win; a non-ELF file falls
// back to this machine's platform.
func TestPrepareLabelsFromELF(t *testing.T) {
	exe, _ := os.Executable()
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	b[18], b[19] = 0xB7, 0x00 // e_machine: EM_AARCH64 (little-endian header)
	arm := filepath.Join(t.TempDir(), "agent_linux_arm64")
	blob := filepath.Join(t.TempDir(), "blob")
	if os.WriteFile(arm, b, 0o755) != nil || os.WriteFile(blob, []byte("not elf"), 0o644) != nil {
		t.Fatal("write test files")
	}
	for _, tc := range []struct{ path, arch, want string }{
		{arm, "", "arm64"}, {arm, "riscv64", "riscv64"}, {blob, "", runtime.GOARCH},
	} {
		m, _, err := transfer.Prepare(transfer.PublishOptions{BinaryPath: tc.path, Arch: tc.arch,
			Version: "1", Build: 2, Topics: transfer.Topics{Prefix: "drover", Artifact: "agent"}})
		if err != nil {
			t.Fatalf("Prepare(%s): %v", tc.path, err)
		}
		if m.OS != "linux" || m.Arch != tc.want {
			t.Errorf("Prepare(%s, --arch %q) = %s/%s, want linux/%s", filepath.Base(tc.path), tc.arch, m.OS, m.Arch, tc.want)
		}
	}
}

package cli_test

import (
	"bytes"
	"context"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fakeELF writes a small file with a 64-bit little-endian ELF header for
// machine (what publish reads a platform from) and seeded padding.
func fakeELF(t *testing.T, name string, machine elf.Machine, seed byte) string {
	t.Helper()
	h := elf.Header64{Type: uint16(elf.ET_EXEC), Machine: uint16(machine), Version: uint32(elf.EV_CURRENT), Ehsize: 64}
	copy(h.Ident[:], elf.ELFMAG)
	h.Ident[elf.EI_CLASS], h.Ident[elf.EI_DATA], h.Ident[elf.EI_VERSION] = byte(elf.ELFCLASS64), byte(elf.ELFDATA2LSB), byte(elf.EV_CURRENT)
	var b bytes.Buffer
	if err := binary.Write(&b, binary.LittleEndian, h); err != nil {
		t.Fatal(err)
	}
	b.Write(bytes.Repeat([]byte{seed, 'x'}, 3000))
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b.Bytes(), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestPublishPlatforms publishes two builds as one artifact (each labelled
// by its ELF header, the arm64 one with a delta), and gc clears it.
func TestPublishPlatforms(t *testing.T) {
	e := newOTAEnv(t)
	dir := t.TempDir()
	e.ok("ota", "keygen", "--out", dir)
	key := filepath.Join(dir, "ota.key")
	amd, arm := fakeELF(t, "agent_amd64", elf.EM_X86_64, 1), fakeELF(t, "agent_arm64", elf.EM_AARCH64, 2)
	oldArm := fakeELF(t, "old_arm64", elf.EM_AARCH64, 3)
	out := e.ok("ota", "publish", amd, arm, "--version", "v2", "--build", "2", "--key", key, "--chunk-size", "1024",
		"--delta-from", oldArm)
	for _, want := range []string{"drover/ota/agent/manifest", "drover/ota/agent/linux-amd64/manifest",
		"drover/ota/agent/linux-arm64/manifest", "agent v2 (build 2)"} {
		if !strings.Contains(out, want) {
			t.Errorf("publish output lacks %q:\n%s", want, out)
		}
	}
	if lines := strings.Split(out, "\n"); !strings.Contains(out, "bytes from") || strings.Contains(lineWith(lines, "linux/amd64"), "bytes from") {
		t.Errorf("want a delta for linux/arm64 only:\n%s", out)
	}
	e.gcArtifact("cleared agent (v2 build 2)")
}

func lineWith(lines []string, s string) string {
	for _, l := range lines {
		if strings.Contains(l, s) {
			return l
		}
	}
	return ""
}

// TestPublishPlatformsRefuses: usage errors, nothing published.
func TestPublishPlatformsRefuses(t *testing.T) {
	e := newOTAEnv(t)
	dir := t.TempDir()
	e.ok("ota", "keygen", "--out", dir)
	key := filepath.Join(dir, "ota.key")
	amd, arm := fakeELF(t, "a", elf.EM_X86_64, 1), fakeELF(t, "b", elf.EM_AARCH64, 2)
	script := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(script, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"same platform", []string{amd, fakeELF(t, "c", elf.EM_X86_64, 3)}, "both built for linux/amd64"},
		{"not ELF", []string{amd, script}, "read platform of"},
		{"prepare", []string{amd, arm, "--prepare", filepath.Join(dir, "m.json")}, "take one binary"},
		{"arch flag", []string{amd, arm, "--arch", "arm"}, "take one binary"},
		{"two deltas for one binary", []string{amd, "--delta-from", arm, "--delta-from", amd}, "one --delta-from for one binary"},
		{"missing binary", []string{amd, amd + "x"}, "no such file"},
		{"unmatched delta", []string{amd, fakeELF(t, "d", elf.EM_RISCV, 4), "--delta-from", arm}, "no binary given is"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			args := append([]string{"ota", "publish", "--version", "v2", "--build", "2", "--key", key}, tt.args...)
			code, _, errOut := e.run(ctx, args...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, %q; want a failure saying %q", code, errOut, tt.want)
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if code, _, _ := e.run(ctx, "ota", "gc", "--artifact", "agent"); code == 0 {
		t.Error("a refused publish left something retained")
	}
}

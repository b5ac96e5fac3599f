package manifest

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

func TestPlatformOfThisTestBinary(t *testing.T) {
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	goos, goarch, err := Platform(exe)
	if err != nil || goos != runtime.GOOS || goarch != runtime.GOARCH {
		t.Fatalf("Platform(test binary) = %s/%s, %v; want %s/%s", goos, goarch, err, runtime.GOOS, runtime.GOARCH)
	}
}

func TestPlatformRefusesNonELF(t *testing.T) {
	p := filepath.Join(t.TempDir(), "script")
	if err := os.WriteFile(p, []byte("#!/bin/sh\necho hi\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Platform(p); err == nil {
		t.Fatal("a shell script has a platform")
	}
	if _, _, err := Platform(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Fatal("a missing file has a platform")
	}
}

func TestPlatformRefusesUnknownMachine(t *testing.T) {
	exe, _ := os.Executable()
	b, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	b[18], b[19] = 0x08, 0x00 // e_machine: EM_MIPS (little-endian header)
	p := filepath.Join(t.TempDir(), "mips")
	if err := os.WriteFile(p, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Platform(p); !errors.Is(err, ErrUnknownPlatform) {
		t.Fatalf("Platform(mips binary) err = %v, want ErrUnknownPlatform", err)
	}
}

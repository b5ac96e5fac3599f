package harness

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Binary is one program a suite builds before its tests run.
type Binary struct {
	// Name is the file name and the key in the map Main fills.
	Name string
	// Pkg is the package to build; LDFlags are passed as -ldflags.
	Pkg, LDFlags string
	// Env is added to the build's environment, e.g. GOARCH=arm64 to
	// cross-compile.
	Env []string
}

// Main builds bs into a temporary directory, recording each binary's
// path in bins under its name, runs the tests when every build succeeded,
// removes the directory and exits with the tests' code. It is a suite's
// TestMain.
func Main(m *testing.M, prefix string, bins map[string]string, bs []Binary) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := build(dir, bins, bs)
	if code == 0 {
		code = m.Run()
	}
	os.RemoveAll(dir)
	os.Exit(code)
}

func build(dir string, bins map[string]string, bs []Binary) int {
	for _, b := range bs {
		out := filepath.Join(dir, b.Name)
		cmd := exec.Command("go", "build", "-ldflags", b.LDFlags, "-o", out, b.Pkg)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		if len(b.Env) > 0 {
			cmd.Env = append(os.Environ(), b.Env...)
		}
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: build %s: %v\n", b.Name, err)
			return 1
		}
		bins[b.Name] = out
	}
	return 0
}

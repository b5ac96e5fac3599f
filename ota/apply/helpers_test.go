package apply_test

import (
	"os"
	"testing"
)

func writeBinary(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

// crashChild is replaced by the crash test's child mode.
func crashChild() bool { return crashChildMain() }

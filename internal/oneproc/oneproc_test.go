package oneproc

import (
	"os"
	"runtime"
	"testing"
)

// TestProcs: one processor unless GOMAXPROCS names a positive number.
func TestProcs(t *testing.T) {
	for env, want := range map[string]int{"": 1, "4": 4, "0": 1, "x": 1, "-2": 1} {
		got := Procs(func(k string) string {
			if k == "GOMAXPROCS" {
				return env
			}
			return ""
		})
		if got != want {
			t.Errorf("GOMAXPROCS=%q: got %d, want %d", env, got, want)
		}
	}
}

// TestInitSetsProcs: importing the package has set GOMAXPROCS.
func TestInitSetsProcs(t *testing.T) {
	if got, want := runtime.GOMAXPROCS(0), Procs(os.Getenv); got != want {
		t.Fatalf("GOMAXPROCS is %d, want %d", got, want)
	}
}

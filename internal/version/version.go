// Package version holds the build identity of Drover binaries, set at link
// time with -ldflags "-X".
package version

import (
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Version is the release version, e.g. "v0.3.0"; "dev" for local builds.
var Version = "dev"

// Commit is the short git commit the binary was built from.
var Commit = "unknown"

// Build is the monotonic build number used by OTA to refuse downgrades.
// It is a decimal string so that -ldflags -X can set it; see BuildNumber.
// The Makefile sets it to `git rev-list --count HEAD`.
var Build = "0"

// CrashAfter is a TEST HOOK, never set in a release: when -ldflags sets it
// to a duration ("2s"), the agent exits with status 70 that long after it
// started serving. The OTA end-to-end tests build a "new version that
// crashes after start" with it to exercise the trial's crash-loop rollback.
var CrashAfter = ""

// PanicAtStart is a TEST HOOK, never set in a release: when -ldflags sets
// it to any text, `agent` panics right after loading its configuration,
// before its OTA code runs (its selftest still passes). The OTA end-to-end
// tests build a "new version that crashes early" with it.
var PanicAtStart = ""

// Platform is a TEST HOOK, never set in a release: when -ldflags sets it
// to "<os>/<arch>" (e.g. "linux/arm64"), the agent reports that platform
// in its info document and asks multi-platform OTA artifacts for that
// platform's build, as if it ran there. The OTA end-to-end tests build
// agents that claim another platform with it (only amd64 runs there).
var Platform = ""

// GoVersion is the Go toolchain that built the binary.
func GoVersion() string { return runtime.Version() }

// BuildNumber is Build as a number; 0 when it is not a decimal number.
func BuildNumber() uint64 {
	n, err := strconv.ParseUint(Build, 10, 64)
	if err != nil {
		return 0
	}
	return n
}

// OSArch is the platform the agent reports and updates as: runtime.GOOS
// and runtime.GOARCH, unless the Platform test hook names another.
func OSArch() (goos, goarch string) {
	goos, goarch, ok := strings.Cut(Platform, "/")
	if !ok || goos == "" || goarch == "" || strings.Contains(goarch, "/") {
		return runtime.GOOS, runtime.GOARCH
	}
	return goos, goarch
}

// CrashDelay is CrashAfter parsed; 0 (no crash) when unset or invalid.
func CrashDelay() time.Duration {
	d, err := time.ParseDuration(CrashAfter)
	if err != nil || d <= 0 {
		return 0
	}
	return d
}

// Package version holds the build identity of Drover binaries, set at link
// time with -ldflags "-X".
package version

import "runtime"

// Version is the release version, e.g. "v0.3.0"; "dev" for local builds.
var Version = "dev"

// Commit is the short git commit the binary was built from.
var Commit = "unknown"

// Build is the monotonic build number used by OTA to refuse downgrades.
// It is a decimal string so that -ldflags -X can set it; see BuildNumber.
var Build = "0"

// GoVersion is the Go toolchain that built the binary.
func GoVersion() string { return runtime.Version() }

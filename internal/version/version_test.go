package version

import (
	"runtime"
	"testing"
)

func TestOSArch(t *testing.T) {
	defer func(p string) { Platform = p }(Platform)
	tests := []struct{ hook, os, arch string }{
		{"", runtime.GOOS, runtime.GOARCH},
		{"linux/arm64", "linux", "arm64"},
		{"linux", runtime.GOOS, runtime.GOARCH},
		{"linux/", runtime.GOOS, runtime.GOARCH},
		{"a/b/c", runtime.GOOS, runtime.GOARCH},
	}
	for _, tt := range tests {
		Platform = tt.hook
		if goos, goarch := OSArch(); goos != tt.os || goarch != tt.arch {
			t.Errorf("Platform %q: OSArch = %s/%s, want %s/%s", tt.hook, goos, goarch, tt.os, tt.arch)
		}
	}
}

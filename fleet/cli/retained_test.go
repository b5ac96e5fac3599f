package cli

import "testing"

func TestSplitManifestTopic(t *testing.T) {
	tests := []struct {
		topic, artifact, platform string
		ok                        bool
	}{
		{"drover/ota/agent/manifest", "agent", "", true},
		{"drover/ota/agent/linux-arm64/manifest", "agent", "linux-arm64", true},
		{"drover/ota/agent/a/b/manifest", "", "", false},
		{"drover/ota//manifest", "", "", false},
		{"drover/ota/agent/3", "", "", false},
		{"other/ota/agent/manifest", "", "", false},
	}
	for _, tt := range tests {
		a, p, ok := splitManifestTopic("drover/ota/", tt.topic)
		if ok != tt.ok || (ok && (a != tt.artifact || p != tt.platform)) {
			t.Errorf("%s: %q %q %v, want %q %q %v", tt.topic, a, p, ok, tt.artifact, tt.platform, tt.ok)
		}
	}
}

package client

import (
	"strings"
	"testing"
)

// splitMatches is the plain reading of the MQTT matching rules that
// topicMatches must agree with.
func splitMatches(filter, topic string) bool {
	fs, ts := strings.Split(filter, "/"), strings.Split(topic, "/")
	for i, f := range fs {
		if f == "#" {
			return true
		}
		if i >= len(ts) || (f != "+" && f != ts[i]) {
			return false
		}
	}
	return len(fs) == len(ts)
}

func TestTopicMatches(t *testing.T) {
	tests := []struct {
		filter, topic string
		want          bool
	}{
		{"drover/+/state", "drover/d1/state", true},
		{"drover/+/state", "drover/d1/info", false},
		{"drover/+/state", "drover/d1/state/x", false},
		{"drover/+/state", "drover/state", false},
		{"drover/d1/reply/#", "drover/d1/reply/me", true},
		{"drover/d1/reply/#", "drover/d1/reply", true},
		{"drover/+/reply/+", "drover/d1/reply", false},
		{"#", "anything/at/all", true},
		{"a", "a/b", false},
		{"a/b", "a", false},
		{"a//b", "a//b", true},
		{"+", "", true},
	}
	for _, tt := range tests {
		if got := topicMatches(tt.filter, tt.topic); got != tt.want {
			t.Errorf("topicMatches(%q, %q) = %v, want %v", tt.filter, tt.topic, got, tt.want)
		}
	}
}

func FuzzTopicMatches(f *testing.F) {
	f.Add("drover/+/state", "drover/d1/state")
	f.Add("a/#", "a")
	f.Add("a/+", "a")
	f.Add("+/+", "a//")
	f.Fuzz(func(t *testing.T, filter, topic string) {
		if got, want := topicMatches(filter, topic), splitMatches(filter, topic); got != want {
			t.Fatalf("topicMatches(%q, %q) = %v, the split reading says %v", filter, topic, got, want)
		}
	})
}

func BenchmarkTopicMatches(b *testing.B) {
	for b.Loop() {
		topicMatches("drover/+/status", "drover/sima-00042/info")
		topicMatches("drover/+/info", "drover/sima-00042/info")
	}
}

package fleet

import (
	"errors"
	"testing"
)

func TestTopicBuilders(t *testing.T) {
	d := Topics{}
	s := Topics{Prefix: "site1/drover"}
	tests := []struct{ got, want string }{
		{d.State("pi"), "drover/pi/state"},
		{d.Info("pi"), "drover/pi/info"},
		{d.Status("pi"), "drover/pi/status"},
		{d.Telemetry("pi"), "drover/pi/telemetry"},
		{d.Log("pi"), "drover/pi/log"},
		{d.Metrics("pi"), "drover/pi/metrics"},
		{d.Cmd("pi"), "drover/pi/cmd"},
		{d.Reply("pi", "ctl-1"), "drover/pi/reply/ctl-1"},
		{d.Reply("pi", ""), "drover/pi/reply"},
		{d.Reply("pi", "a/b"), "drover/pi/reply"},
		{d.Reply("pi", "#"), "drover/pi/reply"},
		{d.ReplyWildcard("ctl-1"), "drover/+/reply/ctl-1"},
		{d.All(KindState), "drover/+/state"},
		{d.OTAManifest("agent-arm64"), "drover/ota/agent-arm64/manifest"},
		{d.OTAChunk("agent-arm64", 12), "drover/ota/agent-arm64/12"},
		{s.Cmd("pi"), "site1/drover/pi/cmd"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("got %q, want %q", tt.got, tt.want)
		}
	}
}

func TestTopicsParse(t *testing.T) {
	tests := []struct {
		prefix, topic string
		want          Parsed
		wantErr       bool
	}{
		{"", "drover/pi/state", Parsed{Device: "pi", Kind: KindState}, false},
		{"", "drover/pi/info", Parsed{Device: "pi", Kind: KindInfo}, false},
		{"", "drover/pi/metrics", Parsed{Device: "pi", Kind: KindMetrics}, false},
		{"", "drover/pi/reply/ctl", Parsed{Device: "pi", Kind: KindReply, From: "ctl"}, false},
		{"", "drover/pi/reply", Parsed{Device: "pi", Kind: KindReply}, false},
		{"site1/drover", "site1/drover/gw.2/status", Parsed{Device: "gw.2", Kind: KindStatus}, false},
		{"", "drover/ota/agent/manifest", Parsed{}, true},
		{"", "drover/ota/state", Parsed{}, true},
		{"", "other/pi/state", Parsed{}, true},
		{"", "drover/pi", Parsed{}, true},
		{"", "drover/pi/state/x", Parsed{}, true},
		{"", "drover/Pi/state", Parsed{}, true},
		{"", "drover/pi/bogus", Parsed{}, true},
		{"", "drover//state", Parsed{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			got, err := Topics{Prefix: tt.prefix}.Parse(tt.topic)
			if tt.wantErr {
				if !errors.Is(err, ErrBadTopic) {
					t.Fatalf("Parse(%q) = %+v, %v; want ErrBadTopic", tt.topic, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Parse(%q) = %+v, %v; want %+v", tt.topic, got, err, tt.want)
			}
		})
	}
}

func FuzzTopicsParse(f *testing.F) {
	for _, s := range []string{"drover/pi/state", "drover/pi/reply/c", "drover/ota/a/1", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, topic string) {
		p, err := Topics{}.Parse(topic)
		if err != nil {
			return
		}
		if ValidDeviceID(p.Device) != nil || !isDeviceKind(p.Kind) {
			t.Fatalf("Parse(%q) accepted %+v", topic, p)
		}
	})
}

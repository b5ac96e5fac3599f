package mqttlink

import (
	"slices"
	"testing"
)

// TestSessionKeepsRequestsWhileAway: with a persistent session (the
// default) a QoS 1 request published while the device is away is delivered
// when it comes back; with clean_session it is not. A marker published
// after the reconnect bounds the wait: the broker delivers queued messages
// first.
func TestSessionKeepsRequestsWhileAway(t *testing.T) {
	tests := []struct {
		name  string
		clean bool
		want  bool // the request sent while away arrives
	}{
		{"persistent session", false, true},
		{"clean session", true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := startBroker(t, "")
			cfg := testConfig(b.url())
			cfg.CleanSession = tt.clean
			stop := runLink(t, newLink(t, cfg))
			if err := stop(); err != nil {
				t.Fatal(err)
			}
			b.publish(cmdTopic, "while-away")
			l := newLink(t, cfg)
			runLink(t, l)
			b.publish(cmdTopic, "marker")
			// The broker's resend of the queued request and the new marker
			// may arrive in either order: a persistent session waits for
			// both, a clean one for the marker alone.
			var got []string
			readUntil(t, l.Inbox(), "marker (and the queued request)", func(m Message) bool {
				got = append(got, string(m.Payload))
				return slices.Contains(got, "marker") && (!tt.want || slices.Contains(got, "while-away"))
			})
			if arrived := slices.Contains(got, "while-away"); arrived != tt.want {
				t.Errorf("received %q; want the request sent while away: %v", got, tt.want)
			}
		})
	}
}

package mqttlink

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/packets"
)

const replyTopic = "drover/dev1/reply/op1"

// holdAck is a broker hook that holds the PUBACK of the first publish on
// its topic until release is closed, and counts the publishes on it.
type holdAck struct {
	mqtt.HookBase
	topic   string
	held    chan struct{} // closed when the first publish is held
	release chan struct{}

	mu sync.Mutex
	n  int
}

func (h *holdAck) ID() string { return "hold-ack" }

func (h *holdAck) Provides(b byte) bool { return b == mqtt.OnPublish }

// OnPublish runs before the broker sends the PUBACK.
func (h *holdAck) OnPublish(_ *mqtt.Client, pk packets.Packet) (packets.Packet, error) {
	if pk.TopicName != h.topic {
		return pk, nil
	}
	h.mu.Lock()
	h.n++
	first := h.n == 1
	h.mu.Unlock()
	if first {
		close(h.held)
		<-h.release
	}
	return pk, nil
}

func (h *holdAck) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}

// logTap passes the messages of the records it handles to ch.
type logTap struct{ ch chan string }

func (h logTap) Enabled(context.Context, slog.Level) bool { return true }
func (h logTap) Handle(_ context.Context, r slog.Record) error {
	select {
	case h.ch <- r.Message:
	default:
	}
	return nil
}
func (h logTap) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h logTap) WithGroup(string) slog.Handler      { return h }

// TestStopDoesNotResendInflight stops the link while a reply awaits its
// PUBACK: the clean stop must wait for that acknowledgement, not publish
// the reply a second time (agent.restart's reply arrived twice).
func TestStopDoesNotResendInflight(t *testing.T) {
	hook := &holdAck{topic: replyTopic, held: make(chan struct{}), release: make(chan struct{})}
	b := startBroker(t, "", hook)
	replies := b.watch(replyTopic)
	tap := logTap{ch: make(chan string, 256)}
	l, err := New(testConfig(b.url()), WithLogger(slog.New(tap)))
	if err != nil {
		t.Fatal(err)
	}
	stop := runLink(t, l)
	mustPublish(t, l, Message{Topic: replyTopic, Payload: []byte("r1"), QoS: 1, Class: ClassReply})
	waitClosed(t, hook.held)
	done := make(chan error, 1)
	go func() { done <- stop() }()
	// Release the PUBACK once Run has given up waiting for it: the link
	// either requeued the reply (the bug) or awaits it in its stop.
	waitLog(t, tap.ch, "send failed; requeued", "awaiting the acknowledgement of an in-flight message")
	close(hook.release)
	if err := <-done; err != nil {
		t.Fatalf("stop: %v", err)
	}
	expect(t, replies, replyTopic, "r1")
	if n := hook.count(); n != 1 {
		t.Errorf("reply published %d times, want 1", n)
	}
}

func waitClosed(t *testing.T, c <-chan struct{}) {
	t.Helper()
	select {
	case <-c:
	case <-time.After(waitFor):
		t.Fatalf("not closed within %v", waitFor)
	}
}

// waitLog reads ch until one of msgs is logged.
func waitLog(t *testing.T, ch <-chan string, msgs ...string) {
	t.Helper()
	readUntil(t, ch, fmt.Sprintf("log of %q", msgs), func(m string) bool { return slices.Contains(msgs, m) })
}

package mqttlink

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	mqtt "github.com/mochi-mqtt/server/v2"
	"github.com/mochi-mqtt/server/v2/listeners"
	"github.com/mochi-mqtt/server/v2/packets"
)

func TestFailoverToNextBroker(t *testing.T) {
	a, b := startBroker(t, ""), startBroker(t, "")
	infosB := b.watch(infoTopic)
	cfg := testConfig(a.url())
	cfg.Brokers = []string{a.url(), b.url()}
	l := newLink(t, cfg)
	runLink(t, l)
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(waitFor)
		for !cond() {
			if time.Now().After(deadline) {
				t.Fatalf("not %s within %v", what, waitFor)
			}
			time.Sleep(10 * time.Millisecond) // polling a condition
		}
	}
	waitFor("on the first broker", func() bool { return l.Broker() == a.url() })
	a.stop()
	expect(t, infosB, infoTopic, `{"id":"dev1"}`) // the birth, on the second broker
	waitFor("on the second broker", func() bool { return l.Broker() == b.url() })
	if st := l.Stats(); st.Reconnects != 1 {
		t.Errorf("reconnects = %d, want 1", st.Reconnects)
	}
}

// denyHook refuses every CONNECT and counts them.
type denyHook struct {
	mqtt.HookBase
	connects atomic.Int64
}

func (h *denyHook) ID() string { return "deny" }

func (h *denyHook) Provides(b byte) bool { return b == mqtt.OnConnectAuthenticate }

func (h *denyHook) OnConnectAuthenticate(*mqtt.Client, packets.Packet) bool {
	h.connects.Add(1)
	return false
}

// syncBuffer is a log sink safe for concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestRefusalWarnedOncePerChange(t *testing.T) {
	deny := new(denyHook)
	srv := mqtt.New(&mqtt.Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err := srv.AddHook(deny, nil); err != nil {
		t.Fatal(err)
	}
	addr := freeAddr(t)
	if err := srv.AddListener(listeners.NewTCP(listeners.Config{ID: "t", Address: addr})); err != nil {
		t.Fatal(err)
	}
	if err := srv.Serve(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })

	logs := runRefused(t, "tcp://"+addr, &deny.connects) // three refusals: the first warned, the others not
	out := logs.String()
	if n := strings.Count(out, "level=WARN"); n != 1 {
		t.Errorf("%d warnings for one unchanged refusal, want 1:\n%s", n, out)
	}
	if !strings.Contains(out, "refused the connection") || !strings.Contains(out, "tcp://"+addr) {
		t.Errorf("the warning does not say which broker refused and why:\n%s", out)
	}
}

func TestClosedAfterConnectWarned(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var accepted atomic.Int64
	go func() { // reads the CONNECT and hangs up, as NATS does with a topic it refuses
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_, _ = c.Read(make([]byte, 512))
			accepted.Add(1)
			c.Close()
		}
	}()
	t.Cleanup(func() { ln.Close() })
	logs := runRefused(t, "tcp://"+ln.Addr().String(), &accepted)
	out := logs.String()
	if strings.Count(out, "level=WARN") != 1 || !strings.Contains(out, "closed the connection after CONNECT") {
		t.Errorf("want one warning that the broker closed the connection after CONNECT:\n%s", out)
	}
}

// runRefused runs a link, logging into the returned buffer, against a
// broker that turns it away, until attempts (counted by the broker side)
// reach three; the link is stopped when the test ends.
func runRefused(t *testing.T, broker string, attempts *atomic.Int64) *syncBuffer {
	t.Helper()
	logs := new(syncBuffer)
	cfg := testConfig(broker)
	cfg.ConnectRetryInterval = 50 * time.Millisecond // paho sleeps it out after Run returns
	l, err := New(cfg, WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	deadline := time.Now().Add(waitFor)
	for attempts.Load() < 3 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d connection attempts within %v", attempts.Load(), waitFor)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition
	}
	return logs
}

package mqttlink

import (
	"context"
	"errors"
	"fmt"
	"github.com/drover-iot/drover/agent/outbox"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const (
	stateTopic = "drover/dev1/state"
	infoTopic  = "drover/dev1/info"
	cmdTopic   = "drover/dev1/cmd"
	waitFor    = 20 * time.Second
)

func testConfig(broker string) Config {
	return Config{
		Brokers:    []string{broker},
		ClientID:   "drover-dev1",
		StateTopic: stateTopic,
		Subscribe:  []string{cmdTopic},
		Birth: func() []Message {
			return []Message{{Topic: infoTopic, Payload: []byte(`{"id":"dev1"}`), QoS: 1, Retained: true}}
		},
		KeepAlive:            2 * time.Second,
		MaxReconnectInterval: time.Second,
		StopTimeout:          5 * time.Second,
	}
}

// runLink starts l.Run and returns a stop function that cancels it and
// returns Run's error.
func runLink(t *testing.T, l *Link) func() error {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- l.Run(ctx) }()
	wctx, wcancel := context.WithTimeout(context.Background(), waitFor)
	defer wcancel()
	if err := l.WaitConnected(wctx); err != nil {
		cancel()
		<-done
		t.Fatal(err)
	}
	stopped := false
	stop := func() error {
		if stopped {
			return nil
		}
		stopped = true
		cancel()
		return <-done
	}
	t.Cleanup(func() { _ = stop() })
	return stop
}

// expect reads ch until a message on topic with payload arrives.
func expect(t *testing.T, ch <-chan Message, topic, payload string) Message {
	t.Helper()
	return readUntil(t, ch, fmt.Sprintf("%s = %q", topic, payload), func(m Message) bool {
		return m.Topic == topic && string(m.Payload) == payload
	})
}

// readUntil reads ch until a value matches, within waitFor; what names
// the awaited value in the failure.
func readUntil[T any](t *testing.T, ch <-chan T, what string, match func(T) bool) T {
	t.Helper()
	deadline := time.NewTimer(waitFor)
	defer deadline.Stop()
	for {
		select {
		case v := <-ch:
			if match(v) {
				return v
			}
		case <-deadline.C:
			t.Fatalf("no %s within %v", what, waitFor)
		}
	}
}

func waitOffline(t *testing.T, l *Link) {
	t.Helper()
	deadline := time.Now().Add(waitFor)
	for l.Connected() {
		if time.Now().After(deadline) {
			t.Fatal("link still connected")
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, not synchronising on time
	}
}

func newLink(t *testing.T, cfg Config) *Link {
	t.Helper()
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestBirthSubscribeAndCleanStop(t *testing.T) {
	b := startBroker(t, "")
	states := b.watch(stateTopic)
	infos := b.watch(infoTopic)
	l := newLink(t, testConfig(b.url()))
	stop := runLink(t, l)

	if m := expect(t, states, stateTopic, StateOnline); !m.Retained {
		t.Error("online state not retained")
	}
	expect(t, infos, infoTopic, `{"id":"dev1"}`)
	b.publish(cmdTopic, "hello")
	select {
	case m := <-l.Inbox():
		if string(m.Payload) != "hello" {
			t.Errorf("inbox payload %q", m.Payload)
		}
	case <-time.After(waitFor):
		t.Fatal("command not received")
	}
	if err := stop(); err != nil {
		t.Fatalf("clean stop: %v", err)
	}
	expect(t, states, stateTopic, StateOffline)
	if st := l.Stats(); st.Connected || st.Received != 1 || st.Connects != 1 {
		t.Errorf("stats after stop: %+v", st)
	}
}

func TestWillOnAbruptClose(t *testing.T) {
	b := startBroker(t, "")
	states := b.watch(stateTopic)
	p := startProxy(t, b.addr)
	l := newLink(t, testConfig(p.url()))
	runLink(t, l)
	expect(t, states, stateTopic, StateOnline)

	// No reconnection until the will is out: a session taken over by a
	// quick reconnect ends without its will.
	p.hold(true)
	p.cut()
	m := expect(t, states, stateTopic, StateLost)
	if m.QoS != 1 {
		t.Errorf("will QoS = %d, want 1", m.QoS)
	}
	p.hold(false)
	expect(t, states, stateTopic, StateOnline) // reconnected through the proxy
	if got := l.Stats().Reconnects; got < 1 {
		t.Errorf("reconnects = %d, want >= 1", got)
	}
}

func TestResubscribeAndFlushAfterBrokerRestart(t *testing.T) {
	b := startBroker(t, "")
	states := b.watch(stateTopic)
	tele := b.watch("drover/dev1/telemetry")
	replies := b.watch("drover/dev1/reply/+")
	l := newLink(t, testConfig(b.url()))
	runLink(t, l)
	expect(t, states, stateTopic, StateOnline)

	b.stop()
	waitOffline(t, l)
	const n = 20
	for i := range n {
		mustPublish(t, l, Message{Topic: "drover/dev1/telemetry", Payload: fmt.Appendf(nil, "t%d", i), QoS: 1})
		mustPublish(t, l, Message{Topic: "drover/dev1/reply/op", Payload: fmt.Appendf(nil, "r%d", i), QoS: 1, Class: ClassReply})
	}
	if q := l.Stats().Queued; q != 2*n {
		t.Fatalf("queued = %d, want %d", q, 2*n)
	}
	b.start()
	expect(t, states, stateTopic, StateOnline)
	for i := range n { // in order, none lost
		expect(t, tele, "drover/dev1/telemetry", fmt.Sprintf("t%d", i))
		expect(t, replies, "drover/dev1/reply/op", fmt.Sprintf("r%d", i))
	}
	b.publish(cmdTopic, "after-restart")
	select {
	case m := <-l.Inbox():
		if string(m.Payload) != "after-restart" {
			t.Errorf("inbox payload %q", m.Payload)
		}
	case <-time.After(waitFor):
		t.Fatal("not resubscribed after broker restart")
	}
}

func mustPublish(t *testing.T, l *Link, m Message) {
	t.Helper()
	if err := l.Publish(m); err != nil {
		t.Fatal(err)
	}
}

func TestPublishOfflinePolicy(t *testing.T) {
	cfg := testConfig("tcp://127.0.0.1:1")
	reply := Message{Topic: "r", QoS: 1, Class: ClassReply, Payload: []byte("reply")}
	cfg.Outbox = outbox.New(outbox.Options{MaxBytes: 2 * reply.record().Size()})
	l := newLink(t, cfg)
	if err := l.Publish(Message{Topic: "x", QoS: 0}); !errors.Is(err, ErrDropped) {
		t.Errorf("qos 0 offline: err = %v, want ErrDropped", err)
	}
	mustPublish(t, l, reply)
	mustPublish(t, l, reply)
	mustPublish(t, l, Message{Topic: "t", QoS: 1, Payload: []byte("tele")}) // the oldest telemetry: dropped
	st := l.Stats()
	if st.Dropped != 1 || st.Queued != 2 || st.Outbox.Dropped[outbox.ReasonBytes] != 1 {
		t.Errorf("stats = %+v, want 1 qos 0 dropped, 2 queued, 1 telemetry dropped by max_bytes", st)
	}
	big := Message{Topic: "t", QoS: 1, Payload: make([]byte, 1000)}
	if err := l.Publish(big); !errors.Is(err, ErrDropped) || !errors.Is(err, outbox.ErrTooLarge) {
		t.Errorf("oversized message: err = %v, want ErrDropped wrapping outbox.ErrTooLarge", err)
	}
}

func TestRunTwice(t *testing.T) {
	b := startBroker(t, "")
	l := newLink(t, testConfig(b.url()))
	runLink(t, l)
	if err := l.Run(context.Background()); !errors.Is(err, ErrRunning) {
		t.Errorf("second Run: %v, want ErrRunning", err)
	}
}

func TestProbe(t *testing.T) {
	b := startBroker(t, "")
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	if err := Probe(ctx, testConfig(b.url())); err != nil {
		t.Errorf("probe of a live broker: %v", err)
	}
	if err := newLink(t, testConfig(b.url())).Probe(ctx); err != nil {
		t.Errorf("Link.Probe of a live broker: %v", err)
	}
	cfg := testConfig("tcp://" + freeAddr(t))
	cfg.ConnectTimeout = time.Second
	if err := Probe(ctx, cfg); !errors.Is(err, ErrNotConnected) {
		t.Errorf("probe of a closed port: %v, want ErrNotConnected", err)
	}
}

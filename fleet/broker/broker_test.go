package broker

import (
	"context"
	"errors"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func startBroker(t *testing.T) *Broker {
	t.Helper()
	b := New(Options{Listen: "127.0.0.1:0"})
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Error(err)
		}
	})
	return b
}

func connect(t *testing.T, url, id string) paho.Client {
	t.Helper()
	c := paho.NewClient(paho.NewClientOptions().AddBroker(url).SetClientID(id).SetAutoReconnect(false))
	tok := c.Connect()
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("connect %s: %v", id, tok.Error())
	}
	t.Cleanup(func() { c.Disconnect(250) })
	return c
}

func TestRetainedMessageReachesLaterSubscriber(t *testing.T) {
	b := startBroker(t)
	pub := connect(t, b.URL(), "pub")
	tok := pub.Publish("drover/pi/state", 1, true, "online")
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("publish: %v", tok.Error())
	}
	got := make(chan paho.Message, 1)
	sub := connect(t, b.URL(), "sub")
	tok = sub.Subscribe("drover/+/state", 1, func(_ paho.Client, m paho.Message) { got <- m })
	if !tok.WaitTimeout(10*time.Second) || tok.Error() != nil {
		t.Fatalf("subscribe: %v", tok.Error())
	}
	select {
	case m := <-got:
		if m.Topic() != "drover/pi/state" || string(m.Payload()) != "online" || !m.Retained() {
			t.Fatalf("got %s %q retained=%v", m.Topic(), m.Payload(), m.Retained())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("retained message not delivered")
	}
}

func TestStartFailsOnBusyAddress(t *testing.T) {
	b := startBroker(t)
	other := New(Options{Listen: b.Addr()})
	if err := other.Start(); !errors.Is(err, ErrStart) {
		t.Fatalf("Start on busy address = %v, want ErrStart", err)
	}
	if err := other.Close(); !errors.Is(err, ErrNotStarted) {
		t.Fatalf("Close of unstarted broker = %v, want ErrNotStarted", err)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	b := New(Options{Listen: "127.0.0.1:0"})
	done := make(chan error, 1)
	go func() { done <- b.Run(ctx) }()
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run = %v", err)
	}
}

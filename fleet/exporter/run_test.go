package exporter

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/drover-iot/drover/fleet"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakeSub records the filters and hands the message callback to the test.
type fakeSub struct {
	filters map[string]byte
	fn      chan func(fleet.Message)
	err     error
}

func (f *fakeSub) WatchTopics(_ context.Context, filters map[string]byte, fn func(fleet.Message)) error {
	f.filters = filters
	if f.err == nil {
		f.fn <- fn
	}
	return f.err
}

func TestRunAppliesWatchedMessages(t *testing.T) {
	e, _ := newTest(t)
	sub := &fakeSub{fn: make(chan func(fleet.Message), 1)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx, sub) }()
	deliver := <-sub.fn
	for _, kind := range []string{"state", "info", "status", "telemetry", "metrics"} {
		if _, ok := sub.filters["drover/+/"+kind]; !ok {
			t.Errorf("Run does not subscribe to drover/+/%s: %v", kind, sub.filters)
		}
	}
	deliver(fleet.Message{Topic: "drover/pi1/state", Payload: []byte("online"), Retained: true})
	deadline := time.Now().Add(30 * time.Second)
	for !strings.Contains(scrape(t, e), `drover_device_up{device="pi1",site=""} 1`) {
		if time.Now().After(deadline) {
			t.Fatal("delivered state never applied")
		}
		time.Sleep(10 * time.Millisecond) // polling a condition with a deadline
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
}

func TestRunFailsWhenSubscribeFails(t *testing.T) {
	e, _ := newTest(t)
	boom := errors.New("refused")
	if err := e.Run(context.Background(), &fakeSub{err: boom}); !errors.Is(err, boom) {
		t.Fatalf("Run = %v, want the subscribe error", err)
	}
}

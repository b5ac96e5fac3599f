package sensors

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func TestArbiterFIFO(t *testing.T) {
	for _, n := range []int{2, 5, 20} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			a := NewArbiter("i2c:1", ArbiterOptions{Clock: clockwork.NewFakeClock()})
			release, err := a.Acquire(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			var order []int
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					rel, err := a.Acquire(t.Context())
					if err != nil {
						t.Error(err)
						return
					}
					mu.Lock()
					order = append(order, i)
					mu.Unlock()
					rel()
				})
				waitFor(t, "waiter queued", func() bool { return a.Stats().Waiting == i+1 })
			}
			release()
			wg.Wait()
			for i, got := range order {
				if got != i {
					t.Fatalf("grant order %v, want arrival order", order)
				}
			}
			if s := a.Stats(); s.Acquires != uint64(n+1) || s.Waiting != 0 {
				t.Fatalf("stats %+v", s)
			}
		})
	}
}

func TestArbiterHoldTimeoutReleasesBus(t *testing.T) {
	clock := clockwork.NewFakeClock()
	a := NewArbiter("i2c:1", ArbiterOptions{Clock: clock, HoldTimeout: time.Second})
	hung := make(chan struct{})
	errc := make(chan error, 1)
	go func() {
		errc <- a.Do(t.Context(), func(ctx context.Context) error {
			<-hung // ignores ctx, like a wedged driver
			return nil
		})
	}()
	waitFor(t, "holder", func() bool { return a.Stats().Acquires == 1 })
	next := make(chan error, 1)
	go func() {
		next <- a.Do(t.Context(), func(context.Context) error { return nil })
	}()
	waitFor(t, "second waiter", func() bool { return a.Stats().Waiting == 1 })
	clock.Advance(time.Second)
	if err := <-errc; !errors.Is(err, ErrHoldTimeout) {
		t.Fatalf("hung holder got %v, want ErrHoldTimeout", err)
	}
	if err := <-next; err != nil {
		t.Fatalf("next holder: %v", err)
	}
	close(hung) // its late release must not disturb the bus
	rel, err := a.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	rel()
	if s := a.Stats(); s.HoldTimeouts != 1 {
		t.Fatalf("hold timeouts %d, want 1", s.HoldTimeouts)
	}
}

func TestArbiterCancelWhileWaiting(t *testing.T) {
	a := NewArbiter("spi:0", ArbiterOptions{Clock: clockwork.NewFakeClock()})
	release, err := a.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() {
		_, err := a.Acquire(ctx)
		errc <- err
	}()
	waitFor(t, "waiter", func() bool { return a.Stats().Waiting == 1 })
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if w := a.Stats().Waiting; w != 0 {
		t.Fatalf("cancelled waiter still queued (%d)", w)
	}
	release()
	rel, err := a.Acquire(t.Context()) // the bus is free, not granted to the leaver
	if err != nil {
		t.Fatal(err)
	}
	rel()
}

func TestArbiterHooks(t *testing.T) {
	tests := []struct {
		name      string
		hookErr   error
		wantErr   error
		wantCalls string
	}{
		{"acquire then release", nil, nil, "acquire,use,release"},
		{"failing hook releases the bus", errors.New("mux"), ErrHook, "acquire,release"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var calls []string
			a := NewArbiter("i2c:1", ArbiterOptions{
				Clock: clockwork.NewFakeClock(),
				OnAcquire: func(context.Context) error {
					calls = append(calls, "acquire")
					return tt.hookErr
				},
				OnRelease: func() { calls = append(calls, "release") },
			})
			err := a.Do(t.Context(), func(context.Context) error {
				calls = append(calls, "use")
				return nil
			})
			if !errors.Is(err, tt.wantErr) || (tt.wantErr == nil) != (err == nil) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if got := fmt.Sprint(calls); got != fmt.Sprint(strings.Split(tt.wantCalls, ",")) {
				t.Fatalf("calls %v, want %s", calls, tt.wantCalls)
			}
			rel, err := a.Acquire(t.Context())
			if tt.hookErr == nil && err != nil {
				t.Fatalf("bus not free after use: %v", err)
			}
			if rel != nil {
				rel()
			}
		})
	}
}

func TestArbiterReleaseTwiceIsHarmless(t *testing.T) {
	a := NewArbiter("i2c:1", ArbiterOptions{Clock: clockwork.NewFakeClock()})
	first, _ := a.Acquire(t.Context())
	first()
	second, err := a.Acquire(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	first() // stale: must not free the bus held by second
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := a.Acquire(ctx); err == nil {
		t.Fatal("bus was freed by a stale release")
	}
	second()
}

func TestBuses(t *testing.T) {
	b := NewBuses(ArbiterOptions{Clock: clockwork.NewFakeClock()})
	if b.Get("i2c:1") != b.Get("i2c:1") {
		t.Fatal("Get must return the same arbiter for a bus")
	}
	c := b.Configure("spi:0", ArbiterOptions{HoldTimeout: time.Minute})
	if b.Get("spi:0") != c || c.opts.HoldTimeout != time.Minute || c.opts.Clock == nil {
		t.Fatal("Configure not applied")
	}
	if got := fmt.Sprint(b.Names()); got != "[i2c:1 spi:0]" {
		t.Fatal(got)
	}
}

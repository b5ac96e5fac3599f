package client_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/fleettest"
)

// TestFanOutConcurrencyBound: FanOutFunc never has more than
// Options.Concurrency requests in flight, and does reach it.
func TestFanOutConcurrencyBound(t *testing.T) {
	const bound, n = 3, 10
	url := fleettest.StartBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, client.Options{Brokers: []string{url}, ClientID: "ctl", Concurrency: bound})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var inflight, peak atomic.Int32
	started := make(chan struct{}, n)
	release := make(chan struct{})
	devs := make([]string, n)
	for i := range devs {
		devs[i] = fmt.Sprintf("d%d", i)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		c.FanOutFunc(ctx, devs, func(ctx context.Context, _ string) (fleet.Reply, error) {
			cur := inflight.Add(1)
			for p := peak.Load(); cur > p && !peak.CompareAndSwap(p, cur); p = peak.Load() {
			}
			started <- struct{}{}
			<-release
			inflight.Add(-1)
			return fleet.Reply{}, nil
		})
	})
	for i := range n {
		select {
		case <-started: // one more request began; let one finish
		case <-ctx.Done():
			t.Fatalf("only %d requests started", i)
		}
		if i >= bound-1 {
			release <- struct{}{}
		}
	}
	for range bound - 1 {
		release <- struct{}{}
	}
	wg.Wait()
	if got := peak.Load(); got != bound {
		t.Fatalf("peak in flight %d, want %d", got, bound)
	}
}

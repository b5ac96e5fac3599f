package e2e

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
)

// BenchmarkRoundTrip measures ping round trips from a fleet client through
// Mosquitto on loopback to the agent binary and back; it reports p50 and
// p99 besides ns/op.
func BenchmarkRoundTrip(b *testing.B) {
	m := startMosquitto(b)
	startAgent(b, m.url(), dev, b.TempDir(), "127.0.0.1:0")
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	c, err := client.Dial(ctx, client.Options{Brokers: []string{m.url()}, ClientID: "bench"})
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	waitPing(b, c)
	rtts := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for b.Loop() {
		rctx, rcancel := context.WithTimeout(context.Background(), 10*time.Second)
		start := time.Now()
		_, err := c.Request(rctx, dev, fleet.CmdPing, nil)
		rtts = append(rtts, time.Since(start))
		rcancel()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	slices.Sort(rtts)
	b.ReportMetric(float64(rtts[len(rtts)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(rtts[len(rtts)*99/100].Microseconds()), "p99-µs")
}

// waitPing retries ping until the agent answers (it may not be subscribed yet).
func waitPing(b *testing.B, c *client.Client) {
	deadline := time.Now().Add(waitFor)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := c.Request(ctx, dev, fleet.CmdPing, nil)
		cancel()
		if err == nil {
			return
		}
	}
	b.Fatal("agent never answered ping")
}

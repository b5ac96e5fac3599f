package client

import (
	"context"
	"encoding/json"
	"sync"
	"sync/atomic"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
)

// followBuffer is how many log records wait for a slow consumer before
// newer ones are dropped (and counted in the next record's Dropped).
const followBuffer = 1024

// Follow asks dev to forward its journal records matching args to
// drover/<dev>/log, renews the lease at half its TTL, and passes each record
// to fn (in the calling goroutine) until ctx ends, when it returns nil.
// It returns an error when the first log.follow request fails. A TTL
// outside [fleet.MinFollowTTL, fleet.MaxFollowTTL] is brought within it, as the device
// does, so that renewals come before the granted lease ends.
func (c *Client) Follow(ctx context.Context, dev string, args fleet.FollowArgs, fn func(fleet.LogRecord)) error {
	args.TTLSeconds = followTTLSeconds(args.TTLSeconds)
	f := &follower{records: make(chan fleet.LogRecord, followBuffer)}
	filters := map[string]byte{c.topics.Log(dev): 0}
	if err := c.subscribe(ctx, filters, f.handle); err != nil {
		return err
	}
	defer c.unsubscribe(filters)
	if err := c.renew(ctx, dev, args); err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); c.renewLoop(ctx, dev, args) }()
	defer wg.Wait()
	for {
		select {
		case rec := <-f.records:
			rec.Dropped += f.dropped.Swap(0)
			fn(rec)
		case <-ctx.Done():
			return nil
		}
	}
}

// followTTLSeconds is the lease to ask for: fleet.DefaultFollowTTL for 0 or less,
// else ttl clamped to [fleet.MinFollowTTL, fleet.MaxFollowTTL].
func followTTLSeconds(ttl int) int {
	if ttl <= 0 {
		return int(fleet.DefaultFollowTTL / time.Second)
	}
	return min(max(ttl, int(fleet.MinFollowTTL/time.Second)), int(fleet.MaxFollowTTL/time.Second))
}

// renew sends one log.follow request, bounded by half the lease.
func (c *Client) renew(ctx context.Context, dev string, args fleet.FollowArgs) error {
	ttl := time.Duration(args.TTLSeconds) * time.Second
	rctx, cancel := context.WithTimeout(ctx, ttl/2)
	defer cancel()
	_, err := c.Request(rctx, dev, fleet.CmdLogFollow, args)
	return err
}

func (c *Client) renewLoop(ctx context.Context, dev string, args fleet.FollowArgs) {
	ticker := c.clock.NewTicker(time.Duration(args.TTLSeconds) * time.Second / 2)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.Chan():
			if err := c.renew(ctx, dev, args); err != nil && ctx.Err() == nil {
				c.log.Warn("renewing log follow lease failed", "device", dev, "err", err)
			}
		case <-ctx.Done():
			return
		}
	}
}

// follower buffers log records without blocking paho's handler.
type follower struct {
	records chan fleet.LogRecord
	dropped atomic.Uint64
}

func (f *follower) handle(_ paho.Client, m paho.Message) {
	var rec fleet.LogRecord
	if json.Unmarshal(m.Payload(), &rec) != nil {
		return
	}
	select {
	case f.records <- rec:
	default:
		f.dropped.Add(1)
	}
}

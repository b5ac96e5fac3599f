package control

import (
	"fmt"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

func TestReplyCacheClaim(t *testing.T) {
	clock := clockwork.NewFakeClock()
	c := newReplyCache(clock, time.Minute, 3)
	if _, st := c.Claim("ctl", "1"); st != claimNew {
		t.Fatalf("first claim = %v, want claimNew", st)
	}
	if _, st := c.Claim("ctl", "1"); st != claimInFlight {
		t.Fatalf("second claim while running = %v, want claimInFlight", st)
	}
	c.Complete("ctl", "1", fleet.EncodeResult("1", "pong"))
	payload, st := c.Claim("ctl", "1")
	r, _ := fleet.DecodeReply(payload)
	if st != claimDone || string(r.Result) != `"pong"` {
		t.Fatalf("claim after complete = %v %s, want claimDone pong", st, r.Result)
	}
	if _, st := c.Claim("other", "1"); st != claimNew {
		t.Fatalf("same id from another sender = %v, want claimNew", st)
	}
}

func TestReplyCacheTTL(t *testing.T) {
	clock := clockwork.NewFakeClock()
	c := newReplyCache(clock, time.Minute, 10)
	c.Claim("ctl", "1")
	c.Complete("ctl", "1", fleet.EncodeResult("1", 1))
	clock.Advance(59 * time.Second)
	if _, st := c.Claim("ctl", "1"); st != claimDone {
		t.Fatalf("before TTL = %v, want claimDone", st)
	}
	clock.Advance(time.Second)
	if _, st := c.Claim("ctl", "1"); st != claimNew {
		t.Fatalf("after TTL = %v, want claimNew", st)
	}
}

func TestReplyCacheBounded(t *testing.T) {
	c := newReplyCache(clockwork.NewFakeClock(), 0, 3)
	for i := range 5 {
		id := fmt.Sprint(i)
		c.Claim("ctl", id)
		c.Complete("ctl", id, fleet.EncodeResult(id, i))
	}
	if n := c.Len(); n != 3 {
		t.Fatalf("Len = %d, want 3", n)
	}
	if _, st := c.Claim("ctl", "0"); st != claimNew {
		t.Fatalf("oldest id still cached: %v", st)
	}
	if _, st := c.Claim("ctl", "4"); st != claimDone {
		t.Fatalf("newest id evicted: %v", st)
	}
}

func TestReplyCacheCompleteAfterEviction(t *testing.T) {
	c := newReplyCache(clockwork.NewFakeClock(), 0, 1)
	c.Claim("ctl", "a")
	c.Claim("ctl", "b") // evicts a
	c.Complete("ctl", "a", fleet.EncodeResult("a", 1))
	if _, st := c.Claim("ctl", "a"); st != claimDone {
		t.Fatalf("completed id not stored: %v", st)
	}
	if n := c.Len(); n != 1 {
		t.Fatalf("Len = %d, want 1", n)
	}
}

func BenchmarkReplyCacheClaim(b *testing.B) {
	c := newReplyCache(clockwork.NewFakeClock(), 0, 0)
	ids := make([]string, 4096)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		id := ids[i%len(ids)]
		if _, st := c.Claim("ctl", id); st == claimNew {
			c.Complete("ctl", id, nil)
		}
	}
}

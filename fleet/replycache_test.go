package fleet

import (
	"fmt"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

func TestReplyCacheClaim(t *testing.T) {
	clock := clockwork.NewFakeClock()
	c := NewReplyCache(clock, time.Minute, 3)
	if _, st := c.Claim("ctl", "1"); st != ClaimNew {
		t.Fatalf("first claim = %v, want ClaimNew", st)
	}
	if _, st := c.Claim("ctl", "1"); st != ClaimInFlight {
		t.Fatalf("second claim while running = %v, want ClaimInFlight", st)
	}
	c.Complete("ctl", "1", ResultReply("1", "pong"))
	r, st := c.Claim("ctl", "1")
	if st != ClaimDone || string(r.Result) != `"pong"` {
		t.Fatalf("claim after complete = %v %s, want ClaimDone pong", st, r.Result)
	}
	if _, st := c.Claim("other", "1"); st != ClaimNew {
		t.Fatalf("same id from another sender = %v, want ClaimNew", st)
	}
}

func TestReplyCacheTTL(t *testing.T) {
	clock := clockwork.NewFakeClock()
	c := NewReplyCache(clock, time.Minute, 10)
	c.Claim("ctl", "1")
	c.Complete("ctl", "1", ResultReply("1", 1))
	clock.Advance(59 * time.Second)
	if _, st := c.Claim("ctl", "1"); st != ClaimDone {
		t.Fatalf("before TTL = %v, want ClaimDone", st)
	}
	clock.Advance(time.Second)
	if _, st := c.Claim("ctl", "1"); st != ClaimNew {
		t.Fatalf("after TTL = %v, want ClaimNew", st)
	}
}

func TestReplyCacheBounded(t *testing.T) {
	c := NewReplyCache(clockwork.NewFakeClock(), 0, 3)
	for i := range 5 {
		id := fmt.Sprint(i)
		c.Claim("ctl", id)
		c.Complete("ctl", id, ResultReply(id, i))
	}
	if n := c.Len(); n != 3 {
		t.Fatalf("Len = %d, want 3", n)
	}
	if _, st := c.Claim("ctl", "0"); st != ClaimNew {
		t.Fatalf("oldest id still cached: %v", st)
	}
	if _, st := c.Claim("ctl", "4"); st != ClaimDone {
		t.Fatalf("newest id evicted: %v", st)
	}
}

func TestReplyCacheCompleteAfterEviction(t *testing.T) {
	c := NewReplyCache(clockwork.NewFakeClock(), 0, 1)
	c.Claim("ctl", "a")
	c.Claim("ctl", "b") // evicts a
	c.Complete("ctl", "a", ResultReply("a", 1))
	if _, st := c.Claim("ctl", "a"); st != ClaimDone {
		t.Fatalf("completed id not stored: %v", st)
	}
	if n := c.Len(); n != 1 {
		t.Fatalf("Len = %d, want 1", n)
	}
}

func BenchmarkReplyCacheClaim(b *testing.B) {
	c := NewReplyCache(clockwork.NewFakeClock(), 0, 0)
	ids := make([]string, 4096)
	for i := range ids {
		ids[i] = fmt.Sprint(i)
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		id := ids[i%len(ids)]
		if _, st := c.Claim("ctl", id); st == ClaimNew {
			c.Complete("ctl", id, Reply{})
		}
	}
}

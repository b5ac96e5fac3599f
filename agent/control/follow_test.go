package control

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

func TestFollowLease(t *testing.T) {
	clock := clockwork.NewFakeClock()
	f := newFixture(t, WithClock(clock))
	defer f.d.follows.closeAll()
	ctx := context.Background()
	follow := func(id string) {
		t.Helper()
		r, _ := handle(ctx, f.d, request(id, "log.follow", map[string]any{"ttl_s": 10, "grep": "x"}))
		if r.Err() != nil {
			t.Fatal(r.Err())
		}
	}
	follow("f1")
	f.journal.feed <- fleet.LogRecord{Msg: "x1"}
	if rec := <-f.pub.logs; rec.Msg != "x1" {
		t.Fatalf("forwarded %q", rec.Msg)
	}
	clock.Advance(8 * time.Second)
	follow("f2") // renewal: expires 18 s after start
	if n := f.d.follows.active(); n != 1 {
		t.Fatalf("%d leases after renewal, want 1", n)
	}
	clock.Advance(5 * time.Second) // past the first expiry, before the renewed one
	f.journal.feed <- fleet.LogRecord{Msg: "x2"}
	if rec := <-f.pub.logs; rec.Msg != "x2" {
		t.Fatalf("forwarded %q after renewal", rec.Msg)
	}
	clock.Advance(6 * time.Second) // past the renewed expiry
	waitLeases(t, f.d, 0)
}

func TestFollowEndsWhenTheJournalClosesTheFeed(t *testing.T) {
	f := newFixture(t, WithClock(clockwork.NewFakeClock()))
	defer f.d.follows.closeAll()
	r, _ := handle(context.Background(), f.d, request("f1", "log.follow", map[string]any{"ttl_s": 10}))
	if r.Err() != nil {
		t.Fatal(r.Err())
	}
	close(f.journal.feed)
	waitLeases(t, f.d, 0)
	if n := len(f.pub.logs); n != 0 {
		t.Fatalf("%d records published from a closed feed, want 0", n)
	}
}

// waitLeases waits until the lease count is n, driven by the fake clock's
// timer events rather than by sleeping.
func waitLeases(t *testing.T, d *Dispatcher, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for d.follows.active() != n {
		select {
		case <-ctx.Done():
			t.Fatalf("%d leases, want %d", d.follows.active(), n)
		case <-time.After(time.Millisecond): // poll a condition
		}
	}
}

func TestFollowLimit(t *testing.T) {
	f := newFixture(t)
	defer f.d.follows.closeAll()
	for i := range DefaultMaxFollows {
		r, _ := handle(context.Background(), f.d, request(string(rune('a'+i)), "log.follow", map[string]any{"grep": string(rune('a' + i))}))
		if r.Err() != nil {
			t.Fatal(r.Err())
		}
	}
	r, _ := handle(context.Background(), f.d, request("over", "log.follow", map[string]any{"grep": "zz"}))
	if r.Error == nil || r.Error.Code != fleet.CodeConflict {
		t.Fatalf("reply %+v, want conflict beyond %d followers", r.Error, DefaultMaxFollows)
	}
}

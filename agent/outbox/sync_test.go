package outbox

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// armClock is a fake clock that knows which of its timers are armed and
// how many tickers were made: what would wake the process.
type armClock struct {
	*clockwork.FakeClock
	mu      sync.Mutex
	timers  []*armTimer
	tickers int
}

type armTimer struct {
	clockwork.Timer
	c  *armClock
	at time.Time // zero when stopped
}

func (c *armClock) NewTimer(d time.Duration) clockwork.Timer {
	t := &armTimer{Timer: c.FakeClock.NewTimer(d), c: c}
	t.set(c.Now().Add(d))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.timers = append(c.timers, t)
	return t
}

func (c *armClock) NewTicker(d time.Duration) clockwork.Ticker {
	c.mu.Lock()
	c.tickers++
	c.mu.Unlock()
	return c.FakeClock.NewTicker(d)
}

func (t *armTimer) set(at time.Time) {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	t.at = at
}

func (t *armTimer) Reset(d time.Duration) bool {
	t.set(t.c.Now().Add(d))
	return t.Timer.Reset(d)
}

func (t *armTimer) Stop() bool {
	t.set(time.Time{})
	return t.Timer.Stop()
}

// wakers counts the armed timers not yet due, and the tickers.
func (c *armClock) wakers() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.tickers
	for _, t := range c.timers {
		if t.at.After(c.Now()) {
			n++
		}
	}
	return n
}

// runT starts o.Run until the test ends.
func runT(t *testing.T, o *Outbox) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- o.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		<-done
	})
}

// runningT opens an outbox in a new directory with a one-second interval on
// clock and runs it until the test ends (then closes it). base is its
// write count after Open.
func runningT(t *testing.T, clock clockwork.Clock) (o *Outbox, path string, base uint64) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "outbox.db")
	o = openT(t, path, Options{SyncInterval: time.Second, Clock: clock})
	t.Cleanup(func() { o.Close() }) // after runT's cleanup has stopped Run
	base = o.Stats().Writes
	runT(t, o)
	return o, path, base
}

// blockUntil waits until n of clock's timers are waiting.
func blockUntil(t *testing.T, clock interface {
	BlockUntilContext(context.Context, int) error
}, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := clock.BlockUntilContext(ctx, n); err != nil {
		t.Fatal(err)
	}
}

// waitWrites waits until o made n write transactions.
func waitWrites(t *testing.T, o *Outbox, n uint64) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for o.Stats().Writes < n {
		if time.Now().After(deadline) {
			t.Fatalf("%d write transactions, waited for %d", o.Stats().Writes, n)
		}
		time.Sleep(time.Millisecond) // polling a condition with a deadline
	}
	if w := o.Stats().Writes; w != n {
		t.Fatalf("%d write transactions, want %d", w, n)
	}
}

// crashCopy opens a copy of the outbox file as it is now: what a SIGKILL
// would leave.
func crashCopy(t *testing.T, path string, opts Options) (*Outbox, string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := filepath.Join(t.TempDir(), "outbox.db")
	if err := os.WriteFile(cp, b, 0o640); err != nil {
		t.Fatal(err)
	}
	o := openT(t, cp, opts)
	t.Cleanup(func() { o.Close() })
	return o, cp
}

func payloads(t *testing.T, o *Outbox) string { t.Helper(); return strings.Join(drain(t, o), ",") }

// An idle reading costs one write: it is written at once (the last write
// is older than the interval), and its deletion, once acknowledged, rides
// with the next reading's write.
func TestAckedDeletionRidesWithNextWrite(t *testing.T) {
	clock := clockwork.NewFakeClock()
	o, path, base := runningT(t, clock)
	clock.Advance(10 * time.Second)
	if err := o.Append(tele(1)); err != nil {
		t.Fatal(err)
	}
	waitWrites(t, o, base+1)
	r, _ := o.Front()
	if err := o.Ack(r.ID); err != nil {
		t.Fatal(err)
	}
	if c, _ := crashCopy(t, path, Options{}); payloads(t, c) != "reading-001" {
		t.Fatal("the acknowledged reading's deletion was written at once, want it to wait for the next write")
	}
	clock.Advance(10 * time.Second)
	if err := o.Append(tele(2)); err != nil {
		t.Fatal(err)
	}
	waitWrites(t, o, base+2)
	if c, _ := crashCopy(t, path, Options{}); payloads(t, c) != "reading-002" {
		t.Fatal("after the second write the file does not hold exactly reading-002")
	}
}

// A deletion with no write to ride with is written after lazyDeleteDelay,
// and an outbox with nothing pending arms no timer.
func TestIdleOutboxArmsNoTimer(t *testing.T) {
	clock := &armClock{FakeClock: clockwork.NewFakeClock()}
	o, path, base := runningT(t, clock)
	if err := o.Append(tele(1)); err != nil {
		t.Fatal(err)
	}
	blockUntil(t, clock, 1) // within the interval of Open's write
	clock.Advance(time.Second)
	waitWrites(t, o, base+1)
	r, _ := o.Front()
	if err := o.Ack(r.ID); err != nil {
		t.Fatal(err)
	}
	blockUntil(t, clock, 1)
	clock.Advance(lazyDeleteDelay)
	waitWrites(t, o, base+2)
	if c, _ := crashCopy(t, path, Options{}); payloads(t, c) != "" {
		t.Fatal("the acknowledged reading is still in the file after lazyDeleteDelay")
	}
	if n := clock.wakers(); n != 0 {
		t.Fatalf("idle outbox holds %d timers or tickers, want none", n)
	}
}

// A record read from the file was sent before the restart: once
// acknowledged, its deletion is written within the interval, so that
// another crash does not send it a third time.
func TestLoadedRecordDeletionWrittenWithinInterval(t *testing.T) {
	path := filepath.Join(t.TempDir(), "outbox.db")
	o := openT(t, path, Options{SyncInterval: time.Hour})
	defer o.Close()
	if err := o.Append(tele(1)); err != nil {
		t.Fatal(err)
	}
	if err := o.Sync(); err != nil {
		t.Fatal(err)
	}
	clock := clockwork.NewFakeClock()
	again, cp := crashCopy(t, path, Options{SyncInterval: time.Second, Clock: clock})
	base := again.Stats().Writes
	runT(t, again)
	r, _ := again.Front()
	if err := again.Ack(r.ID); err != nil {
		t.Fatal(err)
	}
	blockUntil(t, clock, 1)
	clock.Advance(time.Second)
	waitWrites(t, again, base+1)
	if c, _ := crashCopy(t, cp, Options{}); payloads(t, c) != "" {
		t.Fatal("the resent record is still in the file one interval after its acknowledgement")
	}
}

// A reply is sent before it is written, so appending one does not write at
// once: it is written only if not acknowledged within the interval.
func TestReplyWrittenOnlyIfNotAcknowledgedInTime(t *testing.T) {
	clock := clockwork.NewFakeClock()
	o, path, base := runningT(t, clock)
	clock.Advance(10 * time.Second) // Open's write is long past
	reply := func(p string) Record {
		return Record{Topic: "drover/pi/reply/me", Payload: []byte(p), QoS: 1, Class: ClassReply}
	}
	if err := o.Append(reply("pong-1")); err != nil {
		t.Fatal(err)
	}
	blockUntil(t, clock, 1) // Run armed a timer for it
	if w := o.Stats().Writes; w != base {
		t.Fatalf("a reply just appended caused %d writes, want none", w-base)
	}
	drain(t, o)
	if err := o.Append(reply("pong-2")); err != nil {
		t.Fatal(err)
	}
	clock.Advance(time.Second)
	waitWrites(t, o, base+1)
	if c, _ := crashCopy(t, path, Options{}); payloads(t, c) != "pong-2" {
		t.Fatal("after the interval the file does not hold exactly the unacknowledged reply")
	}
}

package sensors

import (
	"context"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// specItem is a sensor sampled on a schedule in the scheduler's text form.
func specItem(t *testing.T, s Sensor, text string) Scheduled {
	t.Helper()
	spec, err := ParseSchedule(text)
	if err != nil {
		t.Fatal(err)
	}
	return Scheduled{Sensor: s, Schedule: spec, ScheduleText: text, Timeout: time.Second}
}

// TestSamplerHonoursTimes: "times 3" gives exactly three reads, then the
// sensor's loop ends and Run returns by itself.
func TestSamplerHonoursTimes(t *testing.T) {
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	h = startSampler(t, []Scheduled{specItem(t, counting("a", h.clock), "every 1s times 3")}, SamplerOptions{})
	for want := 1.0; want <= 3; want++ {
		if b := h.next(); b[0].Value != want {
			t.Fatalf("read %v, want %v", b[0].Value, want)
		}
		if want < 3 {
			h.settle()
			h.clock.Advance(time.Second)
		}
	}
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
	h.cancel()
	h.cancel = nil
	if st := h.sampler.Status()[0]; st.Reads != 3 || st.NextRead != nil {
		t.Errorf("status %+v, want 3 reads and no next read", st)
	}
}

// TestSamplerHonoursUntil: a schedule whose end has passed takes no read.
func TestSamplerHonoursUntil(t *testing.T) {
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	past := h.clock.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
	h = startSampler(t, []Scheduled{specItem(t, counting("a", h.clock), "every 1s until "+past)}, SamplerOptions{})
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
	h.cancel()
	h.cancel = nil
	if st := h.sampler.Status()[0]; st.Reads != 0 {
		t.Errorf("%d reads after until, want 0", st.Reads)
	}
}

// TestSamplerHonoursJitter: each read waits a random [0, jitter) past its
// due instant, drawn from SamplerOptions.Rand, and the grid does not move.
func TestSamplerHonoursJitter(t *testing.T) {
	const seed = 7
	ref := rand.New(rand.NewPCG(seed, seed))
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	var clock clockwork.Clock // the new harness's, set below before Run reads
	var mu sync.Mutex
	stamp := &funcSensor{name: "a", read: func(context.Context) ([]Reading, error) {
		mu.Lock()
		defer mu.Unlock()
		return []Reading{NewReading("a", "n", 1, "", clock.Now())}, nil
	}}
	mu.Lock()
	h = startSampler(t, []Scheduled{specItem(t, stamp, "every 10s jitter 2s")},
		SamplerOptions{Rand: rand.New(rand.NewPCG(seed, seed))})
	clock = h.clock
	mu.Unlock()
	start := h.clock.Now() // the fake clock stands still: the first due instant
	for i := range 3 {
		due := start.Add(time.Duration(i) * 10 * time.Second)
		at := due.Add(time.Duration(ref.Int64N(int64(2 * time.Second))))
		h.idle(1) // the loop waits for its jittered instant
		if d := at.Sub(h.clock.Now()); d > 0 {
			h.clock.Advance(d - time.Nanosecond)
			select {
			case b := <-h.batches:
				t.Fatalf("read %d at %v, before its jittered instant %v", i, b[0].Time, at)
			default:
			}
			h.clock.Advance(time.Nanosecond)
		}
		if b := h.next(); !b[0].Time.Equal(at) {
			t.Fatalf("read %d at %v, want %v (due %v)", i, b[0].Time, at, due)
		}
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
}

// TestReadNowDuringShutdown: ReadNow calls racing with the end of Run
// (sensors.read arriving while the agent stops) neither panic nor race
// (it once tripped a sync.WaitGroup misuse), and Run still returns.
func TestReadNowDuringShutdown(t *testing.T) {
	clock := clockwork.NewFakeClock()
	for range 50 {
		s := NewSampler([]Scheduled{item(counting("a", clock), time.Hour)}, nil, SamplerOptions{Clock: clock})
		ctx, cancel := context.WithCancel(context.Background())
		var wg, running sync.WaitGroup
		stop := make(chan struct{})
		for range 4 {
			running.Add(1)
			wg.Go(func() {
				_, _ = s.ReadNow(context.Background(), "a")
				running.Done()
				for {
					select {
					case <-stop:
						return
					default:
						_, _ = s.ReadNow(context.Background(), "a")
					}
				}
			})
		}
		done := make(chan error, 1)
		go func() { done <- s.Run(ctx) }()
		running.Wait() // every reader has read once and goes on reading
		cancel()
		if err := <-done; err != nil {
			t.Fatalf("Run: %v", err)
		}
		close(stop)
		wg.Wait()
		if s.Status()[0].Reads == 0 {
			t.Fatal("no read counted")
		}
	}
}

// TestReadNowWaitsForRunningRead: sensors.read arriving during a scheduled
// read waits for it and then reads, instead of failing with ErrBusy.
func TestReadNowWaitsForRunningRead(t *testing.T) {
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	entered, release := make(chan struct{}), make(chan struct{})
	var calls int
	var mu sync.Mutex
	s := &funcSensor{name: "a", read: func(context.Context) ([]Reading, error) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n == 1 {
			close(entered)
			<-release
		}
		return []Reading{NewReading("a", "n", float64(n), "", time.Time{})}, nil
	}}
	h = startSampler(t, []Scheduled{item(s, time.Hour)}, SamplerOptions{})
	<-entered // the scheduled first read is running
	got := make(chan []Reading, 1)
	go func() {
		b, err := h.sampler.ReadNow(context.Background(), "a")
		if err != nil {
			t.Error(err)
		}
		got <- b
	}()
	h.idle(2) // the running read's timeout timer and ReadNow's: ReadNow waits
	close(release)
	if b := <-got; len(b) != 1 || b[0].Value != 2 {
		t.Fatalf("ReadNow gave %+v, want the second read", b)
	}
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
}

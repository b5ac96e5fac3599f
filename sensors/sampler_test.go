package sensors

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// funcSensor is a Sensor made of a function.
type funcSensor struct {
	name string
	read func(ctx context.Context) ([]Reading, error)
}

func (f *funcSensor) Name() string                                { return f.name }
func (f *funcSensor) Read(ctx context.Context) ([]Reading, error) { return f.read(ctx) }

// counting returns a sensor whose n-th read gives the value n.
func counting(name string, clock clockwork.Clock) *funcSensor {
	var n atomic.Int64
	return &funcSensor{name: name, read: func(context.Context) ([]Reading, error) {
		return []Reading{NewReading(name, "n", float64(n.Add(1)), "", clock.Now())}, nil
	}}
}

// harness runs a Sampler on a fake clock and collects its batches.
type harness struct {
	t       *testing.T
	clock   *clockwork.FakeClock
	sampler *Sampler
	batches chan []Reading
	cancel  context.CancelFunc
	done    chan error
}

func startSampler(t *testing.T, items []Scheduled, opts SamplerOptions) *harness {
	t.Helper()
	h := &harness{t: t, clock: clockwork.NewFakeClock(), batches: make(chan []Reading, 100), done: make(chan error, 1)}
	opts.Clock = h.clock
	h.sampler = NewSampler(items, func(b []Reading) { h.batches <- b }, opts)
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go func() { h.done <- h.sampler.Run(ctx) }()
	t.Cleanup(func() {
		if h.cancel != nil { // a failed test: end Run whatever it waits for
			h.cancel()
			h.cancel = nil
			for {
				select {
				case <-h.done:
					return
				default:
					h.clock.Advance(time.Hour)
					runtime.Gosched()
				}
			}
		}
	})
	return h
}

func (h *harness) stop() error {
	if h.cancel == nil {
		return nil
	}
	h.cancel()
	h.cancel = nil
	return <-h.done
}

// next returns the next batch.
func (h *harness) next() []Reading {
	h.t.Helper()
	select {
	case b := <-h.batches:
		return b
	case <-time.After(10 * time.Second):
		buf := make([]byte, 1<<20)
		n := runtime.Stack(buf, true)
		h.t.Fatalf("no batch delivered; now %v status %+v\n%s", h.clock.Now(), h.sampler.Status(), buf[:n])
		return nil
	}
}

// idle waits until n fake-clock timers are armed.
func (h *harness) idle(n int) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.clock.BlockUntilContext(ctx, n); err != nil {
		h.t.Fatalf("waiting for %d timers: %v", n, err)
	}
}

// settle waits until every sampling loop is parked on its timer for an
// instant after now: nothing is due or running, so Advance is deterministic.
func (h *harness) settle() {
	h.t.Helper()
	var all []int
	for i := range h.sampler.slots {
		all = append(all, i)
	}
	h.settleSlots(all...)
}

// settleSlots is settle for the loops with the given indexes only.
func (h *harness) settleSlots(idx ...int) {
	h.t.Helper()
	waitFor(h.t, "sampler to settle", func() bool {
		now := h.clock.Now()
		for _, i := range idx {
			sl := h.sampler.slots[i]
			sl.mu.Lock()
			ok := sl.parked && sl.status.NextRead != nil && sl.status.NextRead.After(now)
			sl.mu.Unlock()
			if !ok {
				return false
			}
		}
		return true
	})
}

func item(s Sensor, every time.Duration) Scheduled {
	return Scheduled{Sensor: s, Schedule: Period(every), Timeout: time.Second}
}

func TestSamplerFollowsSchedule(t *testing.T) {
	h := startSampler(t, nil, SamplerOptions{})
	clock := h.clock
	_ = h.stop()
	h = startSampler(t, []Scheduled{item(counting("a", clock), 100*time.Millisecond)}, SamplerOptions{})
	for want := 1.0; want <= 5; want++ {
		b := h.next()
		if b[0].Value != want || b[0].Sensor != "a" {
			t.Fatalf("batch %v, want value %v", b, want)
		}
		h.settle()
		h.clock.Advance(100 * time.Millisecond)
	}
	st := h.sampler.Status()[0]
	if st.Reads < 5 || st.Failures != 0 || st.NextRead == nil {
		t.Fatalf("status %+v", st)
	}
}

func TestSamplerFailingSensorBacksOffOthersUnaffected(t *testing.T) {
	var failReads atomic.Int64
	bad := &funcSensor{name: "bad", read: func(context.Context) ([]Reading, error) {
		failReads.Add(1)
		return nil, errors.New("i2c: no ack")
	}}
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	good := counting("good", h.clock)
	h = startSampler(t, []Scheduled{item(bad, time.Second), item(good, time.Second)},
		SamplerOptions{BackoffBase: 2 * time.Second, BackoffMax: 8 * time.Second})
	// Backoff after 1, 2, 3, 4 failures: 2s, 4s, 8s, 8s (capped). Step one
	// second at a time and record when the bad sensor was retried.
	var retriedAt []int
	for sec := 0; sec <= 22; sec++ {
		if b := h.next(); b[0].Sensor != "good" || b[0].Value != float64(sec+1) {
			t.Fatalf("second %d: good sensor batch %v", sec, b)
		}
		h.settle()
		if n := int(failReads.Load()); n > len(retriedAt) {
			retriedAt = append(retriedAt, sec)
		}
		h.clock.Advance(time.Second)
	}
	want := []int{0, 2, 6, 14, 22}
	if len(retriedAt) != len(want) {
		t.Fatalf("bad sensor read at seconds %v, want %v", retriedAt, want)
	}
	for i := range want {
		if retriedAt[i] != want[i] {
			t.Fatalf("bad sensor read at seconds %v, want %v", retriedAt, want)
		}
	}
	st := h.sampler.Status()[0]
	if st.Failures != 5 || st.ConsecutiveFailures != 5 || st.LastError == "" {
		t.Fatalf("bad status %+v", st)
	}
}

func TestSamplerHangingSensorTimesOut(t *testing.T) {
	unblock := make(chan struct{})
	called := make(chan struct{}, 10)
	hang := &funcSensor{name: "hang", read: func(context.Context) ([]Reading, error) {
		called <- struct{}{}
		<-unblock // ignores its context
		return []Reading{{Sensor: "hang"}}, nil
	}}
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	good := counting("good", h.clock)
	h = startSampler(t, []Scheduled{item(hang, time.Second), item(good, time.Second)},
		SamplerOptions{BackoffBase: time.Second})
	<-called // hang's read runs, its timeout armed
	h.next()
	h.settleSlots(1)
	h.clock.Advance(time.Second) // hang's read times out; good reads again
	if b := h.next(); b[0].Value != 2 {
		t.Fatalf("good sensor delayed by the hanging one: %v", b)
	}
	h.settle()
	if st := h.sampler.Status()[0]; st.Failures != 1 || !strings.Contains(st.LastError, ErrReadTimeout.Error()) {
		t.Fatalf("hang status %+v", st)
	}
	h.clock.Advance(time.Second) // hang due again while still stuck: ErrBusy
	h.next()
	h.settle()
	st := h.sampler.Status()[0]
	if st.Failures != 2 || !strings.Contains(st.LastError, ErrBusy.Error()) || len(called) != 0 {
		t.Fatalf("hang status %+v, extra calls %d", st, len(called))
	}
	close(unblock)
	if err := h.stop(); err != nil {
		t.Fatal(err)
	}
}

func TestSamplerStopTimeout(t *testing.T) {
	unblock := make(chan struct{})
	started := make(chan struct{})
	hang := &funcSensor{name: "hang", read: func(context.Context) ([]Reading, error) {
		close(started)
		<-unblock
		return nil, nil
	}}
	h := startSampler(t, []Scheduled{item(hang, time.Second)}, SamplerOptions{StopTimeout: 3 * time.Second})
	<-started
	h.idle(1)                    // the read timeout
	h.clock.Advance(time.Second) // read times out; loop waits for the backoff
	h.idle(1)
	h.cancel()
	waitFor(t, "loop to end", func() bool { return !h.sampler.slots[0].isParked() })
	h.idle(1) // Run waits for the hung read, bounded by StopTimeout
	h.clock.Advance(3 * time.Second)
	if err := <-h.done; !errors.Is(err, ErrStopTimeout) {
		t.Fatalf("Run = %v, want ErrStopTimeout", err)
	}
	h.cancel = nil
	close(unblock)
}

func TestSamplerPartialReadDeliversAndDoesNotBackOff(t *testing.T) {
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	clock := h.clock
	partial := &funcSensor{name: "sys", read: func(context.Context) ([]Reading, error) {
		return []Reading{NewReading("sys", "load1", 0.5, "", clock.Now())}, errors.New("hwmon: garbage")
	}}
	h = startSampler(t, []Scheduled{item(partial, time.Second)}, SamplerOptions{BackoffBase: time.Hour})
	for range 3 {
		if b := h.next(); len(b) != 1 {
			t.Fatalf("batch %v", b)
		}
		h.settle()
		h.clock.Advance(time.Second)
	}
	if st := h.sampler.Status()[0]; st.ConsecutiveFailures != 0 || st.Failures < 3 || len(st.Latest) != 1 {
		t.Fatalf("status %+v", st)
	}
}

func TestSamplerPanickingDriverIsAReadError(t *testing.T) {
	clock := clockwork.NewFakeClock()
	boom := &funcSensor{name: "boom", read: func(context.Context) ([]Reading, error) { panic("bad register") }}
	s := NewSampler([]Scheduled{item(boom, time.Second)}, nil, SamplerOptions{Clock: clock})
	if _, err := s.ReadNow(t.Context(), "boom"); !errors.Is(err, ErrPanic) {
		t.Fatalf("err = %v, want ErrPanic", err)
	}
}

func TestSamplerReadNowAndLatest(t *testing.T) {
	clock := clockwork.NewFakeClock()
	s := NewSampler([]Scheduled{item(counting("a", clock), time.Second)}, nil, SamplerOptions{Clock: clock})
	if _, err := s.ReadNow(t.Context(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
	b, err := s.ReadNow(t.Context(), "a")
	if err != nil || len(b) != 1 || b[0].Value != 1 {
		t.Fatalf("ReadNow = %v, %v", b, err)
	}
	if l := s.Latest(); len(l) != 1 || l[0].Value != 1 {
		t.Fatalf("Latest = %v", l)
	}
}

// Run from many goroutines reading status while sampling, for -race.
func TestSamplerConcurrentStatus(t *testing.T) {
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	var items []Scheduled
	for _, n := range []string{"a", "b", "c", "d"} {
		items = append(items, item(counting(n, h.clock), time.Second))
	}
	h = startSampler(t, items, SamplerOptions{})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
				_ = h.sampler.Status()
				_ = h.sampler.Latest()
			}
		}
	})
	for range 3 {
		for range items {
			h.next()
		}
		h.settle()
		h.clock.Advance(time.Second)
	}
	close(stop)
	wg.Wait()
}

// endAfter is a schedule that ends after n due instants.
type endAfter struct {
	n    *atomic.Int64
	step time.Duration
}

func (e endAfter) Next(prev, now time.Time) time.Time {
	if e.n.Add(-1) < 0 {
		return time.Time{}
	}
	return now.Add(e.step)
}

func TestSamplerStopsAnEndedSchedule(t *testing.T) {
	h := startSampler(t, nil, SamplerOptions{})
	_ = h.stop()
	var left atomic.Int64
	left.Store(1)
	it := Scheduled{Sensor: counting("a", h.clock), Schedule: endAfter{&left, time.Second}, Timeout: time.Second}
	h = startSampler(t, []Scheduled{it}, SamplerOptions{})
	h.next()
	h.settle()
	h.clock.Advance(time.Second)
	h.next() // the last read; then the loop ends and Run returns by itself
	if err := <-h.done; err != nil {
		t.Fatal(err)
	}
	h.cancel()
	h.cancel = nil
}

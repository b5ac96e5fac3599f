package control

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
)

func (d *Dispatcher) logs(_ context.Context, _ fleet.Request, a fleet.LogsArgs) (fleet.LogsResult, error) {
	if a.N <= 0 {
		a.N = DefaultLogsN
	}
	recs, err := d.deps.Journal.Cat(a)
	if err != nil {
		return fleet.LogsResult{}, fmt.Errorf("logs: %w", err)
	}
	return fleet.LogsResult{Records: nonNil(recs)}, nil
}

// logFollow starts, or renews, a lease that forwards matching records to
// drover/<dev>/log until it is not renewed within its TTL.
func (d *Dispatcher) logFollow(_ context.Context, req fleet.Request, a fleet.FollowArgs) (fleet.FollowResult, error) {
	ttl := time.Duration(a.TTLSeconds) * time.Second
	if a.TTLSeconds <= 0 {
		ttl = fleet.DefaultFollowTTL
	}
	ttl = min(max(ttl, fleet.MinFollowTTL), fleet.MaxFollowTTL) // the protocol's bounds
	key := followKey{from: req.From, grep: a.Grep, level: a.Level}
	if err := d.follows.lease(key, ttl); err != nil {
		return fleet.FollowResult{}, err
	}
	return fleet.FollowResult{Topic: d.topics.Log(d.dev), Expires: d.clock.Now().Add(ttl).UTC()}, nil
}

type followKey struct{ from, grep, level string }

// followSet owns the active follow leases.
type followSet struct {
	d      *Dispatcher
	max    int
	mu     sync.Mutex
	leases map[followKey]*lease
	wg     sync.WaitGroup
}

type lease struct {
	expires time.Time // guarded by followSet.mu
	timer   clockwork.Timer
	stop    chan struct{}
}

func newFollowSet(d *Dispatcher, maxLeases int) *followSet {
	return &followSet{d: d, max: maxLeases, leases: map[followKey]*lease{}}
}

// lease renews the lease of key, or starts one.
func (s *followSet) lease(key followKey, ttl time.Duration) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.d.clock.Now()
	if l, ok := s.leases[key]; ok {
		l.expires = now.Add(ttl)
		l.timer.Reset(ttl)
		return nil
	}
	if len(s.leases) >= s.max {
		return fleet.Errorf(fleet.CodeConflict, "too many log followers (%d)", s.max)
	}
	f, err := s.d.deps.Journal.Follow(fleet.LogsArgs{Grep: key.grep, Level: key.level})
	if err != nil {
		return fmt.Errorf("log.follow: %w", err)
	}
	l := &lease{expires: now.Add(ttl), timer: s.d.clock.NewTimer(ttl), stop: make(chan struct{})}
	s.leases[key] = l
	s.wg.Add(1)
	go s.forward(key, l, f)
	return nil
}

// forward publishes f's records until the lease expires or is stopped.
func (s *followSet) forward(key followKey, l *lease, f Follower) {
	defer s.wg.Done()
	defer f.Close()
	defer l.timer.Stop()
	topic := s.d.topics.Log(s.d.dev)
	for {
		select {
		case rec, ok := <-f.C():
			if !ok { // the journal ended the follow: end the lease, publish nothing
				s.drop(key, l)
				s.d.log.Info("log follow ended by the journal", "from", key.from)
				return
			}
			s.publish(topic, rec)
		case <-l.timer.Chan():
			if s.expire(key, l) {
				s.d.log.Info("log follow lease expired", "from", key.from)
				return
			}
		case <-l.stop:
			return
		}
	}
}

func (s *followSet) publish(topic string, rec fleet.LogRecord) {
	payload, err := encode(rec)
	if err != nil {
		return
	}
	_ = s.d.deps.Publisher.PublishLog(topic, payload) // QoS 0: lost while offline by design
}

// expire ends the lease when it was not renewed since its timer was set,
// and reports whether it ended.
func (s *followSet) expire(key followKey, l *lease) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if left := l.expires.Sub(s.d.clock.Now()); left > 0 {
		l.timer.Reset(left) // renewed while the timer fired
		return false
	}
	s.forget(key, l)
	return true
}

// drop removes lease l of key from the set, unless it was replaced.
func (s *followSet) drop(key followKey, l *lease) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forget(key, l)
}

// forget is drop with s.mu held.
func (s *followSet) forget(key followKey, l *lease) {
	if s.leases[key] == l {
		delete(s.leases, key)
	}
}

// active returns the number of leases.
func (s *followSet) active() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.leases)
}

// closeAll ends every lease and waits for their goroutines.
func (s *followSet) closeAll() {
	s.mu.Lock()
	for k, l := range s.leases {
		close(l.stop)
		delete(s.leases, k)
	}
	s.mu.Unlock()
	s.wg.Wait()
}

// encode is json.Marshal without HTML escaping: a log line's '<', '>' and
// '&' reach the operator as written.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

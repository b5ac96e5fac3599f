package transfer

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
)

// subOp is one queued subscription change.
type subOp struct {
	topic string
	add   bool
}

// subscriptions applies a download's subscription changes off its hot
// path: the fetch loop queues them without waiting, and one worker sends
// them to the broker in order, consecutive unsubscribes batched into one
// request. The worker tracks what it subscribed and, when stopped, drops
// all of it in one request.
type subscriptions struct {
	sub     Subscriber
	handler func(topic string, payload []byte)
	log     *slog.Logger

	mu    sync.Mutex
	queue []subOp
	wake  chan struct{}
	live  map[string]bool // worker only
}

func newSubscriptions(sub Subscriber, handler func(string, []byte), log *slog.Logger) *subscriptions {
	return &subscriptions{sub: sub, handler: handler, log: log, wake: make(chan struct{}, 1), live: map[string]bool{}}
}

func (s *subscriptions) subscribe(topic string)   { s.push(subOp{topic, true}) }
func (s *subscriptions) unsubscribe(topic string) { s.push(subOp{topic, false}) }

func (s *subscriptions) push(op subOp) {
	s.mu.Lock()
	s.queue = append(s.queue, op)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// run applies queued changes until ctx ends, then unsubscribes whatever
// is still subscribed. It blocks; the download starts it with go.
func (s *subscriptions) run(ctx context.Context) {
	var ops []subOp
	for {
		select {
		case <-ctx.Done():
			s.drop()
			return
		case <-s.wake:
		}
		s.mu.Lock()
		ops, s.queue = s.queue, ops[:0]
		s.mu.Unlock()
		s.apply(ops)
	}
}

// apply sends ops in order; runs of unsubscribes go in one request.
func (s *subscriptions) apply(ops []subOp) {
	var remove []string
	for _, op := range ops {
		if !op.add {
			if s.live[op.topic] {
				remove = append(remove, op.topic)
				delete(s.live, op.topic)
			}
			continue
		}
		s.unsubscribeAll(remove)
		remove = remove[:0]
		if err := s.sub.Subscribe(op.topic, 1, s.handler); err != nil {
			s.log.Warn("ota: subscribe chunk", "topic", op.topic, "err", err)
			continue
		}
		s.live[op.topic] = true
	}
	s.unsubscribeAll(remove)
}

func (s *subscriptions) unsubscribeAll(topics []string) {
	if len(topics) == 0 {
		return
	}
	if err := s.sub.Unsubscribe(topics...); err != nil {
		s.log.Debug("ota: unsubscribe chunks", "topics", len(topics), "err", err)
	}
}

// drop unsubscribes every topic the worker holds.
func (s *subscriptions) drop() {
	topics := slices.Collect(maps.Keys(s.live))
	clear(s.live)
	s.unsubscribeAll(topics)
}

// Package otatest provides fakes for OTA tests: an in-memory broker with
// retained messages that implements transfer.Publisher and
// transfer.Subscriber, and helpers to make keys and binaries.
package otatest

import (
	"errors"
	"sync"
)

// ErrOffline is returned by a Broker that was set offline.
var ErrOffline = errors.New("otatest: broker offline")

// Broker is an in-memory MQTT-like store of retained messages. Subscribing
// to a topic delivers its retained message at once (exact topics only).
type Broker struct {
	mu       sync.Mutex
	retained map[string][]byte
	subs     map[string]func(string, []byte)
	offline  bool
	// Subscribes counts Subscribe calls; MaxSubs is the most subscriptions
	// held at once.
	Subscribes, MaxSubs int
}

// NewBroker returns an empty broker.
func NewBroker() *Broker {
	return &Broker{retained: map[string][]byte{}, subs: map[string]func(string, []byte){}}
}

// Publish stores a retained message (an empty one clears it) and delivers
// it to a subscriber of the topic.
func (b *Broker) Publish(topic string, _ byte, retained bool, payload []byte) error {
	b.mu.Lock()
	if b.offline {
		b.mu.Unlock()
		return ErrOffline
	}
	if retained && len(payload) == 0 {
		delete(b.retained, topic)
	} else if retained {
		b.retained[topic] = payload
	}
	h := b.subs[topic]
	b.mu.Unlock()
	if h != nil && len(payload) > 0 {
		h(topic, payload)
	}
	return nil
}

// Subscribe registers handler and delivers the retained message, if any.
func (b *Broker) Subscribe(topic string, _ byte, handler func(string, []byte)) error {
	b.mu.Lock()
	if b.offline {
		b.mu.Unlock()
		return ErrOffline
	}
	b.Subscribes++
	b.subs[topic] = handler
	b.MaxSubs = max(b.MaxSubs, len(b.subs))
	msg, ok := b.retained[topic]
	b.mu.Unlock()
	if ok {
		handler(topic, msg)
	}
	return nil
}

// Unsubscribe drops the subscriptions of topics.
func (b *Broker) Unsubscribe(topics ...string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, t := range topics {
		delete(b.subs, t)
	}
	return nil
}

// SetOffline makes the broker refuse (true) or accept (false) calls; going
// offline drops every subscription, like a broker restart without sessions.
func (b *Broker) SetOffline(off bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.offline = off
	if off {
		b.subs = map[string]func(string, []byte){}
	}
}

// Retained returns the retained message of topic.
func (b *Broker) Retained(topic string) ([]byte, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	m, ok := b.retained[topic]
	return m, ok
}

// SetRetained replaces a retained message without delivering it (to
// tamper with a chunk).
func (b *Broker) SetRetained(topic string, payload []byte) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.retained[topic] = payload
}

// Count returns the number of retained messages.
func (b *Broker) Count() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return len(b.retained)
}

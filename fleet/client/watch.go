package client

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"

	"github.com/drover-iot/drover/fleet"
	paho "github.com/eclipse/paho.mqtt.golang"
)

// Watch subscribes to the state, info and status (retained) and the
// telemetry of every device and passes what arrives to fn, in batches in
// arrival order, in the calling goroutine, until ctx ends, when it returns
// nil. After the retained messages present at subscription it passes an
// Event with Synced set, found with the same end marker as Devices. A
// payload that cannot be read gives an Event with Err set; Watch goes on.
func (c *Client) Watch(ctx context.Context, fn func([]fleet.Event)) error {
	q := &watchQueue{notify: make(chan struct{}, 1)}
	// QoS 0: after a reconnect the broker sends the retained messages of
	// the renewed subscriptions again, and QoS 1 would cost a PUBACK for
	// each of the thousands of retained messages at start.
	syncTopic := c.syncTopic()
	filters := map[string]byte{
		c.topics.All(fleet.KindState): 0, c.topics.All(fleet.KindInfo): 0, c.topics.All(fleet.KindStatus): 0,
		c.topics.All(fleet.KindTelemetry): 0, c.topics.All(fleet.KindReported): 0, syncTopic: 1,
	}
	if err := c.subscribe(ctx, filters, q.handle); err != nil {
		return err
	}
	defer c.unsubscribe(filters)
	marker := rand.Text()
	if err := waitToken(ctx, c.mqtt.Publish(syncTopic, 1, false, marker)); err != nil {
		return fmt.Errorf("%w: publish end marker: %w", ErrUnreachable, err)
	}
	for {
		select {
		case <-q.notify:
			if evs := c.events(q.take(), syncTopic, marker); len(evs) > 0 {
				fn(evs)
			}
		case <-ctx.Done():
			return nil
		}
	}
}

// events decodes messages; the end marker on syncTopic becomes Synced.
func (c *Client) events(msgs []paho.Message, syncTopic, marker string) []fleet.Event {
	evs := make([]fleet.Event, 0, len(msgs))
	for _, m := range msgs {
		if m.Topic() == syncTopic {
			if string(m.Payload()) == marker {
				evs = append(evs, fleet.Event{Synced: true})
			}
			continue
		}
		p, err := c.topics.Parse(m.Topic())
		if err != nil {
			continue
		}
		evs = append(evs, fleet.DecodeEvent(p.Device, p.Kind, m.Payload()))
	}
	return evs
}

// watchQueue keeps messages in order without blocking paho's handler.
type watchQueue struct {
	notify chan struct{}
	mu     sync.Mutex
	msgs   []paho.Message
}

func (q *watchQueue) handle(_ paho.Client, m paho.Message) {
	q.mu.Lock()
	q.msgs = append(q.msgs, m)
	q.mu.Unlock()
	select {
	case q.notify <- struct{}{}:
	default:
	}
}

func (q *watchQueue) take() []paho.Message {
	q.mu.Lock()
	defer q.mu.Unlock()
	msgs := q.msgs
	q.msgs = nil
	return msgs
}

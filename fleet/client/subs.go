package client

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// onConnect (re)subscribes every active subscription. Paho runs it in its
// own goroutine, so waiting for the token here is allowed.
func (c *Client) onConnect(m paho.Client) {
	c.mu.Lock()
	filters := make(map[string]byte, len(c.subs))
	for f, s := range c.subs {
		filters[f] = s.qos
	}
	c.mu.Unlock()
	tok := m.SubscribeMultiple(filters, nil)
	var err error
	if !tok.WaitTimeout(30 * time.Second) {
		err = fmt.Errorf("%w: subscribe", ErrTimeout)
	} else {
		err = tok.Error()
	}
	if err != nil {
		c.log.Error("subscribe after connect failed", "err", err)
	}
	select {
	case c.ready <- err:
	default:
	}
}

// dispatch routes a message to the handler of the first matching filter.
func (c *Client) dispatch(m paho.Client, msg paho.Message) {
	c.mu.Lock()
	var h paho.MessageHandler
	for f, s := range c.subs {
		if topicMatches(f, msg.Topic()) {
			h = s.handler
			break
		}
	}
	c.mu.Unlock()
	if h != nil {
		h(m, msg)
	}
}

// subscribe adds filters, all routed to handler, and remembers them so that
// a reconnect subscribes them again.
func (c *Client) subscribe(ctx context.Context, filters map[string]byte, handler paho.MessageHandler) error {
	c.mu.Lock()
	for f, qos := range filters {
		c.subs[f] = subscription{qos: qos, handler: handler}
	}
	c.mu.Unlock()
	if err := waitToken(ctx, c.mqtt.SubscribeMultiple(filters, nil)); err != nil {
		c.forget(filters)
		return fmt.Errorf("%w: subscribe: %w", ErrUnreachable, err)
	}
	return nil
}

// unsubscribe removes filters added by subscribe. It waits at most a second
// so that it can run after ctx has ended.
func (c *Client) unsubscribe(filters map[string]byte) {
	c.forget(filters)
	names := slices.Collect(maps.Keys(filters))
	if !c.mqtt.Unsubscribe(names...).WaitTimeout(time.Second) {
		c.log.Warn("unsubscribe timed out", "filters", names)
	}
}

func (c *Client) forget(filters map[string]byte) {
	c.mu.Lock()
	for f := range filters {
		delete(c.subs, f)
	}
	c.mu.Unlock()
}

// waitToken waits for a paho token or the end of ctx; never a bare Wait.
func waitToken(ctx context.Context, tok paho.Token) error {
	select {
	case <-tok.Done():
		return tok.Error()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// topicMatches reports whether topic matches the MQTT filter. It runs for
// every message received, so it walks both strings without allocating.
func topicMatches(filter, topic string) bool {
	for {
		f, frest, fmore := strings.Cut(filter, "/")
		if f == "#" {
			return true
		}
		t, trest, tmore := strings.Cut(topic, "/")
		if f != "+" && f != t {
			return false
		}
		if !fmore || !tmore {
			next, _, _ := strings.Cut(frest, "/")
			return fmore == tmore || (fmore && next == "#")
		}
		filter, topic = frest, trest
	}
}

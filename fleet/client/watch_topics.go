package client

import (
	"context"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/fleet"
)

// WatchTopics subscribes to filters (MQTT filters with their QoS) for as
// long as the client lives, again after every reconnect, and calls fn for
// every message. fn runs in the MQTT client's goroutine: it must not block
// (hand the message to a bounded queue). It fails with ErrUnreachable when
// the subscription is refused or ctx ends first.
func (c *Client) WatchTopics(ctx context.Context, filters map[string]byte, fn func(fleet.Message)) error {
	return c.subscribe(ctx, filters, func(_ paho.Client, m paho.Message) {
		fn(fleet.Message{Topic: m.Topic(), Payload: m.Payload(), Retained: m.Retained()})
	})
}

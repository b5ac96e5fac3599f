package client

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Groups returns the retained group documents, raw, by group name (see
// fleet/groups.Decode); cleared ones are left out. It ends like Devices.
func (c *Client) Groups(ctx context.Context, settle time.Duration) (map[string][]byte, error) {
	_, gs, err := c.Fleet(ctx, settle, Reads{Groups: true})
	return gs, err
}

// Fleet reads, in one pass, the devices as DevicesWith does and, when
// reads.Groups is set, the retained group documents as Groups does.
func (c *Client) Fleet(ctx context.Context, settle time.Duration, reads Reads) ([]Device, map[string][]byte, error) {
	col, err := c.list(ctx, settle, reads)
	if err != nil {
		return nil, nil, err
	}
	return col.devices(), col.groupDocs(), nil
}

// PublishRetained publishes payload retained with QoS 1 on topic and waits
// for the broker's acknowledgement until ctx ends; an empty payload clears
// the topic.
func (c *Client) PublishRetained(ctx context.Context, topic string, payload []byte) error {
	if err := waitToken(ctx, c.mqtt.Publish(topic, 1, true, payload)); err != nil {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return fmt.Errorf("%w: publish to %s: %w", ErrTimeout, topic, err)
		}
		return fmt.Errorf("%w: publish to %s: %w", ErrUnreachable, topic, err)
	}
	return nil
}

package mqttlink

import (
	"context"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// inflight is a published message whose acknowledgement is still awaited.
type inflight struct {
	m    Message
	tok  mqtt.Token
	lost <-chan struct{}
}

// flush sends queued messages while online, oldest first. When a send
// fails while still online, it schedules another attempt. When ctx ends
// while a message awaits its acknowledgement, the message is kept as
// in flight, not requeued: it was sent, and stop awaits its acknowledgement
// rather than sending it twice.
func (l *Link) flush(ctx context.Context) {
	for l.online.Load() && ctx.Err() == nil {
		l.mu.Lock()
		m, ok := l.q.front()
		if ok {
			l.q.pop()
		}
		l.mu.Unlock()
		if !ok {
			return
		}
		p, err := l.publish(m)
		if err == nil {
			err = l.await(ctx, p)
		}
		if err == nil {
			continue
		}
		if p != nil && ctx.Err() != nil && !isClosed(p.lost) {
			l.inflight = p
			return
		}
		l.requeue(m)
		l.log.Debug("send failed; requeued", "topic", m.Topic, "err", err)
		if l.online.Load() && ctx.Err() == nil {
			time.AfterFunc(retryDelay, l.signal)
		}
		return
	}
}

func (l *Link) requeue(m Message) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.q.unshift(m)
}

// send publishes m and waits for its acknowledgement (PUBACK for QoS 1,
// the write for QoS 0). Any failure, a lost connection included, is an
// error and the caller keeps the message.
func (l *Link) send(ctx context.Context, m Message) error {
	p, err := l.publish(m)
	if err != nil {
		return err
	}
	return l.await(ctx, p)
}

// publish hands m to paho on the current connection.
func (l *Link) publish(m Message) (*inflight, error) {
	l.mu.Lock()
	lost := l.lost
	l.mu.Unlock()
	if !l.client.IsConnectionOpen() {
		return nil, fmt.Errorf("%w: publish %s", ErrNotConnected, m.Topic)
	}
	return &inflight{m: m, tok: l.client.Publish(m.Topic, m.QoS, m.Retained, m.Payload), lost: lost}, nil
}

// await waits for p's acknowledgement and counts it sent.
func (l *Link) await(ctx context.Context, p *inflight) error {
	if err := l.waitToken(ctx, p.tok, p.lost); err != nil {
		return fmt.Errorf("publish %s: %w", p.m.Topic, err)
	}
	l.ctr.sent.Add(1)
	return nil
}

// waitToken waits for tok within the write timeout, until the connection
// is lost or ctx ends, and returns the token's error.
func (l *Link) waitToken(ctx context.Context, tok mqtt.Token, lost <-chan struct{}) error {
	t := time.NewTimer(l.cfg.WriteTimeout)
	defer t.Stop()
	select {
	case <-tok.Done():
		return tok.Error()
	case <-lost:
		return fmt.Errorf("%w: connection lost", ErrNotConnected)
	case <-t.C:
		return fmt.Errorf("%w: no acknowledgement within %v", ErrNotConnected, l.cfg.WriteTimeout)
	case <-ctx.Done():
		return ctx.Err()
	}
}

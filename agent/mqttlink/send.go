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

// flush sends the outbox's records, then the queued QoS 0 messages, while
// online, oldest first. A record leaves the outbox only on its PUBACK.
// When a send fails while still online, it schedules another attempt. When
// ctx ends while a message awaits its acknowledgement, the message is kept
// as in flight: it was sent, and stop awaits its acknowledgement rather
// than sending it twice.
func (l *Link) flush(ctx context.Context) {
	for l.online.Load() && ctx.Err() == nil {
		m, ok := l.next()
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
		l.log.Debug("send failed; kept", "topic", m.Topic, "err", err)
		if l.online.Load() && ctx.Err() == nil {
			time.AfterFunc(retryDelay, l.signal)
		}
		return
	}
}

// next is the oldest outbox record, else the oldest QoS 0 message (taken
// out of its queue).
func (l *Link) next() (Message, bool) {
	if r, ok := l.cfg.Outbox.Front(); ok {
		return messageOf(r), true
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.q.front()
	if ok {
		l.q.pop()
	}
	return m, ok
}

// requeue puts a QoS 0 message back; an outbox record never left.
func (l *Link) requeue(m Message) {
	if m.id != 0 {
		return
	}
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
	if p.m.id != 0 {
		if err := l.cfg.Outbox.Ack(p.m.id); err != nil {
			l.log.Warn("outbox: removing an acknowledged record failed; it may be sent again", "err", err)
		}
	}
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

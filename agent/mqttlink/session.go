package mqttlink

import (
	"context"
	"fmt"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// onConnect runs in its own goroutine (paho starts it) after every
// successful (re)connect: subscriptions first, so that a retained "online"
// means commands are heard, then the online state and the birth; then
// Run's loop flushes the queued messages. When a step fails while the
// connection stays open (no acknowledgement in time), it tries again after
// retryDelay until the connection is lost or the link stops, so that the
// link never stays connected but offline.
func (l *Link) onConnect(c mqtt.Client) {
	l.mu.Lock()
	l.lost = make(chan struct{})
	lost := l.lost
	l.mu.Unlock()
	l.conn.set(func(c *connInfo) { c.broker = c.trying })
	n := l.ctr.connects.Add(1)
	if n > 1 {
		l.ctr.reconnects.Add(1)
	}
	for {
		err := l.establish(c, lost)
		if err == nil {
			break
		}
		l.log.Warn("subscribe or birth failed; retrying", "err", err)
		t := time.NewTimer(retryDelay)
		select {
		case <-t.C:
		case <-lost:
			t.Stop()
			return
		case <-l.quit:
			t.Stop()
			return
		}
	}
	l.conn.set(func(c *connInfo) { c.warned = "" })
	l.setOnline(true)
	l.log.Info("connected", "broker", l.Broker(), "connects", n)
	l.signal()
}

// establish subscribes and publishes the online state and the birth.
func (l *Link) establish(c mqtt.Client, lost <-chan struct{}) error {
	ctx, cancel := context.WithTimeout(context.Background(), l.cfg.WriteTimeout)
	defer cancel()
	for _, topic := range l.cfg.Subscribe {
		if err := l.waitToken(ctx, c.Subscribe(topic, 1, l.onMessage), lost); err != nil {
			return fmt.Errorf("subscribe %s: %w", topic, err)
		}
	}
	msgs := []Message{{Topic: l.cfg.StateTopic, Payload: []byte(StateOnline), QoS: 1, Retained: true}}
	if l.cfg.Birth != nil {
		msgs = append(msgs, l.cfg.Birth()...)
	}
	for _, m := range msgs {
		if err := l.send(ctx, m); err != nil {
			return fmt.Errorf("birth: %w", err)
		}
	}
	return nil
}

func (l *Link) onLost(c mqtt.Client, err error) {
	if c.IsConnectionOpen() {
		return // paho already reconnected and onConnect ran first
	}
	l.mu.Lock()
	select {
	case <-l.lost:
	default:
		close(l.lost)
	}
	l.mu.Unlock()
	wasOnline := l.online.Load()
	var broker string
	l.conn.set(func(c *connInfo) { broker, c.broker = c.broker, "" })
	l.setOnline(false)
	if !wasOnline {
		l.warnOnce(fmt.Sprintf("broker %s closed the connection before subscriptions and birth were done: %v", broker, err))
		return
	}
	l.log.Warn("connection lost", "broker", broker, "err", err)
}

func (l *Link) setOnline(on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.online.Swap(on) == on {
		return
	}
	if on {
		close(l.up)
	} else {
		l.up = make(chan struct{})
	}
}

// onMessage hands a received message to the inbox and never blocks.
func (l *Link) onMessage(_ mqtt.Client, msg mqtt.Message) {
	l.ctr.received.Add(1)
	m := Message{Topic: msg.Topic(), Payload: msg.Payload(), QoS: msg.Qos(), Retained: msg.Retained()}
	select {
	case l.inbox <- m:
	default:
		l.ctr.inboxDropped.Add(1)
		l.log.Warn("inbox full, message dropped", "topic", m.Topic)
	}
}

// stop flushes what it can, publishes the retained offline state and
// disconnects, all within Config.StopTimeout.
func (l *Link) stop() error {
	ctx, cancel := context.WithTimeout(context.Background(), l.cfg.StopTimeout)
	defer cancel()
	// A connection whose onConnect has not finished yet may already have
	// published "online": the offline state goes out whenever it is open.
	wasOnline := l.client.IsConnectionOpen()
	l.awaitInflight(ctx, wasOnline)
	var err error
	if wasOnline {
		l.flush(ctx)
		offline := Message{Topic: l.cfg.StateTopic, Payload: []byte(StateOffline), QoS: 1, Retained: true}
		if e := l.send(ctx, offline); e != nil {
			err = fmt.Errorf("%w: %w", ErrStopTimeout, e)
		}
	}
	l.setOnline(false)
	close(l.quit)
	l.client.Disconnect(quiesceMillis(ctx))
	if err != nil {
		l.log.Warn("disconnected", "was_online", wasOnline, "err", err)
	} else {
		l.log.Info("disconnected", "was_online", wasOnline)
	}
	return err
}

// awaitInflight waits for the acknowledgement of the message Run's flush
// left in flight, if any, and requeues it only when that fails: a message
// already sent is not sent again on a clean stop.
func (l *Link) awaitInflight(ctx context.Context, open bool) {
	p := l.inflight
	if p == nil {
		return
	}
	l.inflight = nil
	if open {
		l.log.Debug("awaiting the acknowledgement of an in-flight message", "topic", p.m.Topic)
		if l.await(ctx, p) == nil {
			return
		}
	}
	l.requeue(p.m)
}

// quiesceMillis is what is left of ctx's deadline for paho's Disconnect,
// capped at 250 ms.
func quiesceMillis(ctx context.Context) uint {
	const maxQuiesce = 250
	d, ok := ctx.Deadline()
	if !ok {
		return maxQuiesce
	}
	return uint(min(max(time.Until(d).Milliseconds(), 0), maxQuiesce))
}

package mqttlink

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	mqtt "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/internal/mqttopts"
)

// retryDelay is the pause before retrying a send that failed while online.
const retryDelay = time.Second

// Link is the device's MQTT connection. Create it with New, start it with
// Run; Publish and Inbox may be used before Run and from any goroutine.
type Link struct {
	cfg    Config
	log    *slog.Logger
	client mqtt.Client
	inbox  chan Message
	wake   chan struct{}
	quit   chan struct{} // closed when Run stops

	mu   sync.Mutex
	q    *queue
	up   chan struct{} // closed while online; replaced when the connection is lost
	lost chan struct{} // closed when the current connection is lost

	// inflight is the message Run's flush handed to paho but stopped
	// waiting for when its context ended; stop awaits it instead of
	// sending it again. Only Run's goroutine uses it.
	inflight *inflight

	conn connInfo

	running atomic.Bool
	online  atomic.Bool
	ctr     counters
}

// Option configures a Link.
type Option func(*Link)

// WithLogger sets the logger. Default: a discard logger.
func WithLogger(l *slog.Logger) Option {
	return func(k *Link) { k.log = l.With("component", "mqttlink") }
}

// New validates cfg and builds a Link. It does not connect.
func New(cfg Config, opts ...Option) (*Link, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg.applyDefaults()
	l := &Link{
		cfg:   cfg,
		log:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		inbox: make(chan Message, cfg.InboxSize),
		wake:  make(chan struct{}, 1),
		quit:  make(chan struct{}),
		q:     newQueue(cfg.QueueSize),
		up:    make(chan struct{}),
		lost:  closedChan(),
	}
	for _, o := range opts {
		o(l)
	}
	po, err := l.clientOptions()
	if err != nil {
		return nil, err
	}
	l.client = mqtt.NewClient(po)
	cfg.Outbox.SetNotify(l.signal) // telemetry becomes ready once written
	return l, nil
}

// clientOptions are the link's paho options: the shared connection
// settings, plus a last will, reconnection that also retries the first
// connect, and the link's own handlers and (null) store. Messages go to
// onMessage also before Subscribe has set their route: a resumed session's
// queued messages can arrive right after CONNACK, and paho leaves a message
// with no handler unacknowledged and undelivered until the next session.
func (l *Link) clientOptions() (*mqtt.ClientOptions, error) {
	mo := l.cfg.mqttOptions()
	mo.Will = &mqttopts.Will{Topic: l.cfg.StateTopic, Payload: StateLost, QoS: 1, Retained: true}
	mo.Reconnect, mo.RetryFirstConnect, mo.RetryInterval = true, true, l.cfg.ConnectRetryInterval
	mo.WriteTimeout = l.cfg.WriteTimeout
	o, err := mo.ClientOptions()
	if err != nil {
		return nil, err
	}
	return o.SetStore(nullStore{}).SetResumeSubs(false).
		SetOnConnectHandler(l.onConnect).SetConnectionLostHandler(l.onLost).
		SetConnectionNotificationHandler(l.onNotify).SetDefaultPublishHandler(l.onMessage), nil
}

// Inbox is the channel of messages received on the subscribed topics. It is
// bounded (Config.InboxSize); when it is full new messages are dropped and
// counted, so the MQTT client is never blocked. It is never closed.
func (l *Link) Inbox() <-chan Message { return l.inbox }

// Connected reports whether the link is connected and subscribed.
func (l *Link) Connected() bool { return l.online.Load() }

// WaitConnected blocks until the link is connected and subscribed, or ctx ends.
func (l *Link) WaitConnected(ctx context.Context) error {
	l.mu.Lock()
	up := l.up
	l.mu.Unlock()
	select {
	case <-up:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %w", ErrNotConnected, ctx.Err())
	}
}

// Publish queues m for sending and never waits for the network. QoS 1
// messages are appended to the outbox (on disk when it is attached) and
// sent in order while connected, each removed on its PUBACK; a QoS 0
// message published while disconnected is dropped. It returns ErrDropped
// when m itself was not queued.
func (l *Link) Publish(m Message) error { return l.PublishSeq(m, nil) }

// PublishSeq is Publish for a QoS 1 message whose payload carries the
// next telemetry sequence number of the outbox: build gets it and returns
// the payload.
func (l *Link) PublishSeq(m Message, build func(seq uint64) ([]byte, error)) error {
	if m.Class == "" {
		m.Class = ClassTelemetry
	}
	if m.QoS == 0 {
		return l.publishQoS0(m)
	}
	err := l.cfg.Outbox.AppendSeq(m.record(), build)
	l.signal()
	if err != nil {
		l.ctr.dropped.Add(1)
		l.log.Warn("outbox append failed, message dropped", "topic", m.Topic, "class", m.Class, "err", err)
		return fmt.Errorf("%w: %w", ErrDropped, err)
	}
	return nil
}

func (l *Link) publishQoS0(m Message) error {
	if !l.online.Load() {
		l.ctr.dropped.Add(1)
		return fmt.Errorf("%w: qos 0 while offline", ErrDropped)
	}
	l.mu.Lock()
	res, dropped := l.q.push(m)
	l.mu.Unlock()
	l.signal()
	switch res {
	case evicted, rejected:
		l.ctr.dropped.Add(1)
		l.log.Warn("queue full, message dropped", "topic", dropped.Topic, "class", dropped.Class)
	}
	if res == rejected {
		return fmt.Errorf("%w: queue full", ErrDropped)
	}
	return nil
}

func (l *Link) signal() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

// Run connects (retrying until it succeeds), sends queued messages while
// connected, and blocks until ctx ends. Then it stops cleanly within
// Config.StopTimeout: it flushes the queue, publishes the retained offline
// state and disconnects. It returns ErrStopTimeout when that did not finish
// in time.
func (l *Link) Run(ctx context.Context) error {
	if !l.running.CompareAndSwap(false, true) {
		return ErrRunning
	}
	l.log.Info("connecting", "brokers", strings.Join(l.cfg.Brokers, " "), "client_id", l.cfg.ClientID)
	l.client.Connect() // completes asynchronously; onConnect reports success
	for {
		select {
		case <-ctx.Done():
			return l.stop()
		case <-l.wake:
			l.flush(ctx)
		}
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

func closedChan() chan struct{} {
	c := make(chan struct{})
	close(c)
	return c
}

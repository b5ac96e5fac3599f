// Package client is the operator's side of the fleet protocol: an MQTT
// client that sends requests to devices and waits for their replies
// (Request, RequestProgress, FanOut), lists devices from their retained
// topics (Devices) and follows their journals (Follow). fleetctl uses it.
package client

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
	"github.com/jonboulle/clockwork"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/internal/mqttopts"
)

// DefaultBroker is the broker a client dials when none is given.
const DefaultBroker = "tcp://127.0.0.1:1883"

// ReplyQoS is the QoS of the client's reply subscription. Devices publish
// replies with QoS 1; the broker delivers them to the client with the lower
// of the two. The client's session is clean, so a reply the broker has not
// delivered when the connection drops is lost at either QoS; at QoS 0 the
// broker does not hold each reply until the client's PUBACK, within its
// window of unacknowledged messages per client (Mosquitto: 20), which
// capped a fan-out to 10,000 devices at about 1,300 replies a second.
const ReplyQoS = 0

// DefaultConcurrency bounds FanOut.
const DefaultConcurrency = 64

// TLSOptions configure TLS to the broker. The zero value means no TLS
// unless the broker URL's scheme asks for it (ssl://, tls://, mqtts://).
type TLSOptions = mqttopts.TLS

// Options configure Dial.
type Options struct {
	// Brokers are the broker URLs (tcp://, ssl://, ws://), tried in order
	// at every (re)connect. Default: DefaultBroker.
	Brokers []string
	// ClientID is the MQTT client id and the "from" of requests.
	// Default: "fleetctl-" followed by a random suffix.
	ClientID string
	// Username and Password authenticate to the broker when set.
	Username string
	Password string
	// TLS configures TLS to the broker.
	TLS TLSOptions
	// Prefix is the topic prefix. Default: "drover".
	Prefix string
	// Logger receives the client's logs. Default: discard.
	Logger *slog.Logger
	// Clock is used for settle windows, lease renewal and round-trip times.
	// Default: the real clock.
	Clock clockwork.Clock
	// Concurrency bounds the requests FanOut has in flight. Default: 64.
	Concurrency int
	// Signer, when set, signs every request (for devices configured with
	// control keys). Default: nil (requests are not signed).
	Signer fleet.Signer
}

// Client is a controller connected to the broker. It is safe for concurrent use.
type Client struct {
	opts   Options
	topics fleet.Topics
	mqtt   paho.Client
	log    *slog.Logger
	clock  clockwork.Clock

	mu      sync.Mutex
	pending map[string]*pendingRequest
	subs    map[string]subscription
	ready   chan error // first OnConnect's subscription result
	closed  bool
}

type subscription struct {
	qos     byte
	handler paho.MessageHandler
}

// Dial connects to the broker and subscribes to the client's reply topic.
// It fails with ErrUnreachable when the broker cannot be reached before ctx ends.
func Dial(ctx context.Context, opts Options) (*Client, error) {
	opts = opts.withDefaults()
	if err := fleet.ValidClientID(opts.ClientID); err != nil {
		return nil, err
	}
	c := &Client{
		opts: opts, topics: fleet.Topics{Prefix: opts.Prefix}, log: opts.Logger, clock: opts.Clock,
		pending: map[string]*pendingRequest{}, subs: map[string]subscription{}, ready: make(chan error, 1),
	}
	c.subs[c.topics.ReplyWildcard(opts.ClientID)] = subscription{qos: ReplyQoS, handler: c.onReply}
	po, err := c.pahoOptions(ctx)
	if err != nil {
		return nil, err
	}
	c.mqtt = paho.NewClient(po)
	if err := c.connect(ctx); err != nil {
		c.mqtt.Disconnect(0)
		return nil, err
	}
	return c, nil
}

func (o Options) withDefaults() Options {
	if len(o.Brokers) == 0 {
		o.Brokers = []string{DefaultBroker}
	}
	if o.ClientID == "" {
		o.ClientID = "fleetctl-" + strings.ToLower(rand.Text()[:10])
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if o.Clock == nil {
		o.Clock = clockwork.NewRealClock()
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultConcurrency
	}
	return o
}

// MQTT returns the connection settings of o (broker, credentials, TLS)
// for an MQTT connection with the given client id: a clean session that
// reconnects by itself. Dial uses it, and so may another connection of the
// same operator (fleetctl's artifact publisher).
func (o Options) MQTT(clientID string) mqttopts.Options {
	return mqttopts.Options{Brokers: o.Brokers, ClientID: clientID, Username: o.Username, Password: o.Password,
		TLS: o.TLS, CleanSession: true, Reconnect: true, ReadBuffer: ReadBuffer}
}

// ReadBuffer buffers the reads of an operator's connection: a listing or a
// fan-out receives thousands of small packets at once.
const ReadBuffer = 64 << 10

func (c *Client) pahoOptions(ctx context.Context) (*paho.ClientOptions, error) {
	mo := c.opts.MQTT(c.opts.ClientID)
	if deadline, ok := ctx.Deadline(); ok {
		mo.ConnectTimeout = time.Until(deadline)
	}
	po, err := mo.ClientOptions()
	if err != nil {
		return nil, err
	}
	// Every message goes to dispatch as paho's default handler: the
	// subscriptions register no paho route, so paho does not match each
	// topic against each filter (splitting both), and a message that arrives
	// before its Subscribe returns is still delivered.
	po.SetDefaultPublishHandler(c.dispatch)
	return po.SetOnConnectHandler(c.onConnect).SetConnectionLostHandler(func(_ paho.Client, err error) {
		c.log.Warn("connection to broker lost", "err", err)
	}), nil
}

// connect waits for the connection and the first reply subscription.
func (c *Client) connect(ctx context.Context) error {
	tok := c.mqtt.Connect()
	if err := waitToken(ctx, tok); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrUnreachable, c.brokers(), err)
	}
	select {
	case err := <-c.ready:
		if err != nil {
			return fmt.Errorf("%w: subscribe to replies: %w", ErrUnreachable, err)
		}
		return nil
	case <-ctx.Done():
		return fmt.Errorf("%w: %s: %w", ErrUnreachable, c.brokers(), ctx.Err())
	}
}

// brokers names the brokers for messages.
func (c *Client) brokers() string { return strings.Join(c.opts.Brokers, " ") }

// ID is the client id, which is also the "from" of its requests.
func (c *Client) ID() string { return c.opts.ClientID }

// Topics returns the topic builder for the client's prefix.
func (c *Client) Topics() fleet.Topics { return c.topics }

// Close disconnects from the broker, allowing 250 ms for in-flight work.
// A second Close returns ErrClosed.
func (c *Client) Close() error {
	c.mu.Lock()
	closed := c.closed
	c.closed = true
	c.mu.Unlock()
	if closed {
		return ErrClosed
	}
	c.mqtt.Disconnect(250)
	return nil
}

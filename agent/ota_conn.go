package agent

import (
	"fmt"
	"log/slog"
	"sync"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"

	"github.com/drover-iot/drover/ota/transfer"
)

// otaTimeout bounds the OTA connection's connect and each acknowledgement.
const otaTimeout = 20 * time.Second

// otaConn is the OTA download's own MQTT connection (transfer.Subscriber):
// dialled on the first subscription and closed when an update ends, so an
// idle agent holds one connection only. It subscribes again to every topic
// it holds after a reconnect, so a broker restart does not wait for the
// fetcher's stall timeout.
type otaConn struct {
	opts func() (*paho.ClientOptions, error)
	log  *slog.Logger

	mu     sync.Mutex
	client paho.Client
	subs   map[string]func(topic string, payload []byte)
}

var _ transfer.Subscriber = (*otaConn)(nil)

func newOTAConn(opts func() (*paho.ClientOptions, error), log *slog.Logger) *otaConn {
	return &otaConn{opts: opts, log: log, subs: map[string]func(string, []byte){}}
}

// connected returns the client, dialling it when needed.
func (c *otaConn) connected() (paho.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.client != nil {
		return c.client, nil
	}
	po, err := c.opts()
	if err != nil {
		return nil, err
	}
	po.SetOnConnectHandler(c.resubscribe)
	client := paho.NewClient(po)
	if err := wait("connect", client.Connect()); err != nil {
		return nil, err
	}
	c.client = client
	return client, nil
}

// resubscribe runs on paho's goroutine after every (re)connect.
func (c *otaConn) resubscribe(client paho.Client) {
	c.mu.Lock()
	filters := make(map[string]byte, len(c.subs))
	for t := range c.subs {
		filters[t] = 1
	}
	c.mu.Unlock()
	if len(filters) == 0 {
		return
	}
	if err := wait("resubscribe", client.SubscribeMultiple(filters, c.deliver)); err != nil {
		c.log.Warn("ota: resubscribe after reconnect", "err", err)
	}
}

// deliver routes a message to the handler of its topic; handlers never block.
func (c *otaConn) deliver(_ paho.Client, m paho.Message) {
	c.mu.Lock()
	h := c.subs[m.Topic()]
	c.mu.Unlock()
	if h != nil {
		h(m.Topic(), m.Payload())
	}
}

// Subscribe implements transfer.Subscriber.
func (c *otaConn) Subscribe(topic string, qos byte, handler func(topic string, payload []byte)) error {
	client, err := c.connected()
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.subs[topic] = handler
	c.mu.Unlock()
	return wait("subscribe "+topic, client.Subscribe(topic, qos, c.deliver))
}

// Unsubscribe implements transfer.Subscriber.
func (c *otaConn) Unsubscribe(topics ...string) error {
	c.mu.Lock()
	for _, t := range topics {
		delete(c.subs, t)
	}
	client := c.client
	c.mu.Unlock()
	if client == nil || !client.IsConnectionOpen() {
		return nil
	}
	return wait("unsubscribe", client.Unsubscribe(topics...))
}

// Close disconnects; the next Subscribe dials again.
func (c *otaConn) Close() {
	c.mu.Lock()
	client := c.client
	c.client = nil
	clear(c.subs)
	c.mu.Unlock()
	if client != nil {
		client.Disconnect(250)
	}
}

func wait(what string, tok paho.Token) error {
	if !tok.WaitTimeout(otaTimeout) {
		return fmt.Errorf("agent: ota: %s: %w", what, transfer.ErrTimeout)
	}
	if err := tok.Error(); err != nil {
		return fmt.Errorf("agent: ota: %s: %w", what, err)
	}
	return nil
}

// otaClientOptions are the agent's broker settings for the OTA connection:
// a clean session that reconnects by itself.
func (a *Agent) otaClientOptions() (*paho.ClientOptions, error) {
	mo, err := a.brokerOptions(fmt.Sprintf("drover-%s-ota", a.cfg.ID))
	if err != nil {
		return nil, err
	}
	mo.CleanSession, mo.Reconnect, mo.ConnectTimeout = true, true, otaTimeout
	po, err := mo.ClientOptions()
	if err != nil {
		return nil, err
	}
	return po.SetOrderMatters(false), nil
}

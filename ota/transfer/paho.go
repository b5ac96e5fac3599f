package transfer

import (
	"errors"
	"fmt"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// ErrTimeout means the broker did not acknowledge in time.
var ErrTimeout = errors.New("transfer: broker did not acknowledge in time")

// Paho adapts a connected paho client to Publisher and Subscriber, waiting
// for each acknowledgement at most Timeout (default 10s).
type Paho struct {
	Client  paho.Client
	Timeout time.Duration
}

var (
	_ Publisher  = Paho{}
	_ Subscriber = Paho{}
)

func (p Paho) wait(what string, tok paho.Token) error {
	timeout := p.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	if !tok.WaitTimeout(timeout) {
		return fmt.Errorf("%w: %s", ErrTimeout, what)
	}
	if err := tok.Error(); err != nil {
		return fmt.Errorf("transfer: %s: %w", what, err)
	}
	return nil
}

// Publish publishes one message and waits for the broker's acknowledgement.
func (p Paho) Publish(topic string, qos byte, retained bool, payload []byte) error {
	return p.wait("publish "+topic, p.Client.Publish(topic, qos, retained, payload))
}

// Subscribe subscribes handler to topic; paho calls it on its own goroutine.
func (p Paho) Subscribe(topic string, qos byte, handler func(topic string, payload []byte)) error {
	tok := p.Client.Subscribe(topic, qos, func(_ paho.Client, m paho.Message) {
		handler(m.Topic(), m.Payload())
	})
	return p.wait("subscribe "+topic, tok)
}

// Unsubscribe removes the subscriptions of topics.
func (p Paho) Unsubscribe(topics ...string) error {
	return p.wait("unsubscribe", p.Client.Unsubscribe(topics...))
}

package e2e

import (
	"fmt"
	"maps"
	"strings"
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// message is one message seen by a watcher.
type message struct {
	topic, payload string
}

// watcher is an MQTT client recording what it receives on its filters.
type watcher struct {
	t *testing.T
	c paho.Client
	n int
	m chan message
}

func watch(t *testing.T, broker string, filters ...string) *watcher {
	t.Helper()
	return watchWith(t, broker, nil, filters...)
}

// watchWith is watch with extra client options (credentials, TLS, a
// persistent session) set by configure, which may be nil.
func watchWith(t *testing.T, broker string, configure func(*paho.ClientOptions), filters ...string) *watcher {
	t.Helper()
	w := &watcher{t: t, m: make(chan message, 10000)}
	subscribed := make(chan struct{}, 1)
	o := paho.NewClientOptions().AddBroker(broker).SetClientID(fmt.Sprintf("e2e-watch-%d", time.Now().UnixNano())).
		SetAutoReconnect(true).SetConnectRetry(true).SetConnectRetryInterval(200 * time.Millisecond).
		SetOnConnectHandler(func(c paho.Client) {
			toks := make([]paho.Token, 0, len(filters))
			for _, f := range filters {
				toks = append(toks, c.Subscribe(f, 1, func(_ paho.Client, m paho.Message) { w.m <- message{m.Topic(), string(m.Payload())} }))
			}
			go func() { // the SUBACKs arrive after this handler returns
				for _, tok := range toks {
					tok.WaitTimeout(waitFor)
				}
				select {
				case subscribed <- struct{}{}:
				default:
				}
			}()
		})
	if configure != nil {
		configure(o)
	}
	w.c = paho.NewClient(o)
	if !w.c.Connect().WaitTimeout(waitFor) {
		t.Fatal("watcher did not connect")
	}
	select { // subscribed (or refused by the broker's ACL) before the test goes on
	case <-subscribed:
	case <-time.After(waitFor):
		t.Fatal("watcher did not subscribe")
	}
	t.Cleanup(func() { w.c.Disconnect(50) })
	return w
}

// expect waits for a message on topic whose payload contains want.
func (w *watcher) expect(topic, want string) string {
	w.t.Helper()
	deadline := time.After(waitFor)
	for {
		select {
		case m := <-w.m:
			if m.topic == topic && strings.Contains(m.payload, want) {
				return m.payload
			}
		case <-deadline:
			w.t.Fatalf("no message on %s containing %q within %v", topic, want, waitFor)
		}
	}
}

// expectAll waits, in any order, for a message on each topic of want
// whose payload contains the topic's string.
func (w *watcher) expectAll(want map[string]string) {
	w.t.Helper()
	left := maps.Clone(want)
	deadline := time.After(waitFor)
	for len(left) > 0 {
		select {
		case m := <-w.m:
			if s, ok := left[m.topic]; ok && strings.Contains(m.payload, s) {
				delete(left, m.topic)
			}
		case <-deadline:
			w.t.Fatalf("no messages %q within %v", left, waitFor)
		}
	}
}

// publish sends payload to topic with QoS 1.
func (w *watcher) publish(topic string, payload []byte) {
	w.t.Helper()
	if tok := w.c.Publish(topic, 1, false, payload); !tok.WaitTimeout(waitFor) || tok.Error() != nil {
		w.t.Fatalf("publish %s: %v", topic, tok.Error())
	}
}

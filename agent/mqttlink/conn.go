package mqttlink

import (
	"errors"
	"fmt"
	"io"
	"net/url"
	"sync"
	"syscall"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// connInfo follows paho's connection notifications: the broker being tried,
// the broker the link is on, and the last connection problem warned about,
// so that a broker refusing the link again and again is reported once per
// change of reason, never as a silent loop.
type connInfo struct {
	mu     sync.Mutex
	trying string // broker of the attempt under way
	broker string // broker of the current connection; "" when there is none
	warned string // the last problem logged at WARN; "" after a good connection
}

// onNotify is paho's connection notification handler.
func (l *Link) onNotify(_ mqtt.Client, n mqtt.ConnectionNotification) {
	switch n := n.(type) {
	case mqtt.ConnectionNotificationBroker:
		l.conn.set(func(c *connInfo) { c.trying = redact(n.Broker) })
	case mqtt.ConnectionNotificationBrokerFailed:
		l.warnOnce(fmt.Sprintf("cannot reach broker %s: %v", redact(n.Broker), n.Reason))
	case mqtt.ConnectionNotificationFailed:
		l.warnOnce(refusal(l.conn.get().trying, n.Reason))
	}
}

// refusal says why broker did not take the connection: the CONNACK code,
// or that it closed the connection after CONNECT (as NATS does with a
// topic it does not support).
func refusal(broker string, err error) string {
	if closedByPeer(err) {
		return fmt.Sprintf("broker %s closed the connection after CONNECT: %v", broker, err)
	}
	return fmt.Sprintf("broker %s refused the connection: %v", broker, err)
}

func closedByPeer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}

// warnOnce logs problem at WARN unless it is the one logged last.
func (l *Link) warnOnce(problem string) {
	var repeat bool
	l.conn.set(func(c *connInfo) { repeat, c.warned = c.warned == problem, problem })
	if repeat {
		l.log.Debug("connection problem persists", "problem", problem)
		return
	}
	l.log.Warn("connection problem", "problem", problem)
}

func (c *connInfo) set(f func(*connInfo)) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f(c)
}

func (c *connInfo) get() connInfo {
	c.mu.Lock()
	defer c.mu.Unlock()
	return connInfo{trying: c.trying, broker: c.broker, warned: c.warned}
}

// Broker is the URL (without credentials) of the broker the link is
// connected to, or "" while it has no connection. The birth messages
// already carry it.
func (l *Link) Broker() string { return l.conn.get().broker }

// redact drops the user information of a broker URL.
func redact(u *url.URL) string {
	if u == nil {
		return ""
	}
	r := *u
	r.User = nil
	return r.String()
}

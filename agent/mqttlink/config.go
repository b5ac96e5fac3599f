// Package mqttlink is the device's MQTT connection: a paho client (MQTT
// 3.1.1) with a persistent session (unless Config.CleanSession), a last
// will, birth messages and resubscription on every (re)connect, an outbox
// (agent/outbox) for QoS 1 replies and telemetry that keeps them until
// their PUBACK, and a clean, bounded stop.
package mqttlink

import (
	"fmt"
	"time"

	"github.com/drover-iot/drover/agent/outbox"
	"github.com/drover-iot/drover/internal/mqttopts"
)

// Defaults of Config.
const (
	DefaultKeepAlive      = mqttopts.DefaultKeepAlive
	DefaultQueueSize      = 1000
	DefaultInboxSize      = 64
	DefaultStopTimeout    = 5 * time.Second
	DefaultWriteTimeout   = 10 * time.Second
	DefaultConnectTimeout = mqttopts.DefaultConnectTimeout
	// DefaultMaxReconnect caps the pause between reconnection attempts, so
	// that a link reconnects within about 10 s of its broker coming back.
	DefaultMaxReconnect = mqttopts.DefaultMaxReconnect
	// DefaultConnectRetry is the pause between failed first connection attempts.
	DefaultConnectRetry = 2 * time.Second
)

// State payloads published on the retained state topic.
const (
	StateOnline  = "online"
	StateOffline = "offline"
	StateLost    = "lost"
)

// Config is what the link needs to connect. Zero durations and sizes take
// the Default* values.
type Config struct {
	// Brokers are the broker URLs (tcp://, ssl://, tls://, ws:// or
	// wss://), tried in order at every (re)connect.
	Brokers []string
	// ClientID is stable across restarts so the broker keeps the session.
	ClientID string
	Username string
	Password string
	TLS      mqttopts.TLS
	// KeepAlive is the MQTT keepalive. Default: DefaultKeepAlive.
	KeepAlive time.Duration
	// CleanSession true starts a fresh session on every connect; false
	// (the default) keeps a persistent session, so the broker queues the
	// QoS 1 requests sent while the device is away.
	CleanSession bool
	// StateTopic receives the retained online/offline state and the LWT lost.
	StateTopic string
	// Subscribe lists the topics subscribed with QoS 1 on every connect.
	Subscribe []string
	// Birth returns the retained messages published after "online" on every
	// connect (the info document). May be nil.
	Birth func() []Message
	// QueueSize bounds the queue of QoS 0 messages. Default: DefaultQueueSize.
	QueueSize int
	// Outbox keeps the QoS 1 messages until their PUBACK; its owner opens
	// (Attach) and closes it. Default: an outbox in memory only.
	Outbox *outbox.Outbox
	// InboxSize bounds the channel of received messages. Default: DefaultInboxSize.
	InboxSize int
	// StopTimeout bounds the clean stop. Default: DefaultStopTimeout.
	StopTimeout time.Duration
	// WriteTimeout bounds each wait on a paho token. Default: DefaultWriteTimeout.
	WriteTimeout time.Duration
	// ConnectTimeout bounds one connection attempt. Default: DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// MaxReconnectInterval caps the pause between reconnection attempts
	// (paho's backoff starts at 1 s and doubles up to it), which bounds how
	// long after the broker comes back the link reconnects.
	// Default: DefaultMaxReconnect (10 s).
	MaxReconnectInterval time.Duration
	// ConnectRetryInterval is the pause between failed attempts of the
	// first connection. Default: DefaultConnectRetry.
	ConnectRetryInterval time.Duration
}

func (c *Config) applyDefaults() {
	setDur(&c.KeepAlive, DefaultKeepAlive)
	setDur(&c.StopTimeout, DefaultStopTimeout)
	setDur(&c.WriteTimeout, DefaultWriteTimeout)
	setDur(&c.ConnectTimeout, DefaultConnectTimeout)
	setDur(&c.MaxReconnectInterval, DefaultMaxReconnect)
	setDur(&c.ConnectRetryInterval, DefaultConnectRetry)
	if c.QueueSize <= 0 {
		c.QueueSize = DefaultQueueSize
	}
	if c.Outbox == nil {
		c.Outbox = outbox.New(outbox.Options{})
	}
	if c.InboxSize <= 0 {
		c.InboxSize = DefaultInboxSize
	}
}

func setDur(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

// Validate checks the fields that have no default.
func (c *Config) Validate() error {
	if c.ClientID == "" {
		return fmt.Errorf("%w: empty client id", ErrConfig)
	}
	if c.StateTopic == "" {
		return fmt.Errorf("%w: empty state topic", ErrConfig)
	}
	if err := mqttopts.CheckURLs(c.Brokers); err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	return nil
}

// mqttOptions are the connection settings shared with the probe.
func (c *Config) mqttOptions() mqttopts.Options {
	return mqttopts.Options{
		Brokers: c.Brokers, ClientID: c.ClientID, Username: c.Username, Password: c.Password, TLS: c.TLS,
		KeepAlive: c.KeepAlive, ConnectTimeout: c.ConnectTimeout, CleanSession: c.CleanSession,
		MaxReconnectInterval: c.MaxReconnectInterval,
	}
}

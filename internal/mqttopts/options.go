// Package mqttopts builds the paho client options of every Drover MQTT
// client — the agent's link and its probe, the agent's OTA connection,
// fleetctl's client and its artifact publisher — from one description, so
// that TLS, authentication, keep-alive, reconnection, will and session
// choices are made in one place.
package mqttopts

import (
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// Defaults of Options.
const (
	// DefaultKeepAlive is the MQTT keep-alive.
	DefaultKeepAlive = 30 * time.Second
	// DefaultConnectTimeout bounds one connection attempt.
	DefaultConnectTimeout = 10 * time.Second
	// DefaultMaxReconnect caps the pause between reconnection attempts, so
	// that a client reconnects within about 10 s of its broker coming back
	// (paho's own cap is 10 minutes).
	DefaultMaxReconnect = 10 * time.Second
)

// Options describe one MQTT client. Zero durations take the Default* values.
type Options struct {
	// Brokers are the broker URLs (tcp://, ssl://, tls://, mqtts://, ws://
	// or wss://), tried in order at every (re)connect: the first that
	// accepts the connection is used.
	Brokers []string
	// ClientID is the MQTT client id.
	ClientID string
	// Username and Password authenticate to the broker when Username is set.
	Username, Password string
	// TLS configures TLS to the broker; the zero value adds nothing (an
	// ssl:// URL still gets paho's default TLS).
	TLS TLS
	// KeepAlive is the MQTT keep-alive. Default: DefaultKeepAlive.
	KeepAlive time.Duration
	// ConnectTimeout bounds one connection attempt. Default: DefaultConnectTimeout.
	ConnectTimeout time.Duration
	// CleanSession false asks the broker to keep the session (subscriptions
	// and queued QoS 1 messages) while the client is away.
	CleanSession bool
	// Reconnect turns on paho's automatic reconnection after a lost
	// connection, pausing at most MaxReconnectInterval between attempts.
	Reconnect bool
	// MaxReconnectInterval caps the pause between reconnection attempts.
	// Default: DefaultMaxReconnect.
	MaxReconnectInterval time.Duration
	// RetryFirstConnect makes the first Connect keep trying every
	// RetryInterval until it succeeds, instead of failing.
	RetryFirstConnect bool
	RetryInterval     time.Duration
	// WriteTimeout bounds each write to the broker; 0 leaves paho's (none).
	WriteTimeout time.Duration
	// Will is the last will, published by the broker when the connection
	// is lost; nil for none.
	Will *Will
	// ReadBuffer, when > 0 and every broker URL is plain TCP (tcp://,
	// mqtt://), buffers the connection's reads in that many bytes: a client
	// that receives bursts of small messages (fleetctl's listings and
	// fan-outs) then makes a few system calls instead of three or four per
	// packet. 0 leaves paho's unbuffered reads.
	ReadBuffer int
}

// Will is a last-will message.
type Will struct {
	Topic    string
	Payload  string
	QoS      byte
	Retained bool
}

// ClientOptions builds paho's options. The caller adds its own handlers
// (on connect, connection lost), store and ordering on the result. A TLS
// file that cannot be loaded gives an error wrapping ErrTLS.
func (o Options) ClientOptions() (*paho.ClientOptions, error) {
	o = o.withDefaults()
	po := paho.NewClientOptions().SetClientID(o.ClientID).
		SetCleanSession(o.CleanSession).SetKeepAlive(o.KeepAlive).
		SetConnectTimeout(o.ConnectTimeout).
		SetAutoReconnect(o.Reconnect).SetMaxReconnectInterval(o.MaxReconnectInterval).
		SetConnectRetry(o.RetryFirstConnect).SetWriteTimeout(o.WriteTimeout)
	for _, b := range o.Brokers {
		po.AddBroker(b)
	}
	if o.RetryInterval > 0 {
		po.SetConnectRetryInterval(o.RetryInterval)
	}
	if o.Username != "" {
		po.SetUsername(o.Username).SetPassword(o.Password)
	}
	if o.ReadBuffer > 0 && plainOnly(o.Brokers) {
		po.SetCustomOpenConnectionFn(openBuffered(o.ReadBuffer))
	}
	if o.Will != nil {
		po.SetWill(o.Will.Topic, o.Will.Payload, o.Will.QoS, o.Will.Retained)
	}
	cfg, err := o.TLS.Config()
	if err != nil {
		return nil, err
	}
	if cfg != nil {
		po.SetTLSConfig(cfg)
	}
	return po, nil
}

func (o Options) withDefaults() Options {
	setDur(&o.KeepAlive, DefaultKeepAlive)
	setDur(&o.ConnectTimeout, DefaultConnectTimeout)
	setDur(&o.MaxReconnectInterval, DefaultMaxReconnect)
	return o
}

func setDur(d *time.Duration, def time.Duration) {
	if *d <= 0 {
		*d = def
	}
}

package agent

import (
	"fmt"
	"os"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/agent/mqttlink"
	"github.com/drover-iot/drover/agent/outbox"
	"github.com/drover-iot/drover/internal/mqttopts"
)

// brokerOptions are the config's broker settings (URL, credentials, TLS,
// keep-alive) for a connection with the given client id; the link and the
// OTA connection add their own session and reconnection choices.
func (a *Agent) brokerOptions(clientID string) (mqttopts.Options, error) {
	b := a.cfg.Broker
	password, err := brokerPassword(b)
	if err != nil {
		return mqttopts.Options{}, err
	}
	return mqttopts.Options{
		Brokers: a.brokerURLs, ClientID: clientID, Username: b.Username, Password: password,
		TLS: mqttopts.TLS{CA: b.TLS.CA, Cert: b.TLS.Cert, Key: b.TLS.Key, ServerName: b.TLS.ServerName,
			Insecure: b.TLS.InsecureSkipVerify},
		KeepAlive: b.Keepalive.D(),
	}, nil
}

// linkConfig is the configuration of the device's MQTT link: the broker
// settings, broker.clean_session, the state topic for the will, the
// command subscription, the birth messages, the QoS 0 queue and the outbox.
func (a *Agent) linkConfig() (mqttlink.Config, error) {
	b := a.cfg.Broker
	mo, err := a.brokerOptions(b.ClientID)
	if err != nil {
		return mqttlink.Config{}, err
	}
	return mqttlink.Config{
		Brokers: mo.Brokers, ClientID: mo.ClientID, Username: mo.Username, Password: mo.Password, TLS: mo.TLS,
		KeepAlive: mo.KeepAlive, CleanSession: b.CleanSession, StateTopic: a.topics.State(a.cfg.ID),
		Subscribe: []string{a.topics.Cmd(a.cfg.ID), a.topics.Groups()}, Birth: a.births, QueueSize: b.OfflineQueue,
		StopTimeout: a.stopTimeout, Outbox: a.outbox,
	}, nil
}

func brokerPassword(b config.Broker) (string, error) {
	if b.PasswordFile == "" {
		return b.Password, nil
	}
	data, err := os.ReadFile(b.PasswordFile)
	if err != nil {
		return "", fmt.Errorf("%w: broker password file: %w", ErrConfig, err)
	}
	return string(trimNewline(data)), nil
}

func trimNewline(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

// outboxOptions are the config's outbox bounds; a nil sync interval (a
// config built without defaults) takes the outbox's default.
func (a *Agent) outboxOptions() outbox.Options {
	oc := a.cfg.Outbox
	sync := outbox.DefaultSyncInterval
	if oc.SyncInterval != nil {
		sync = oc.SyncInterval.D()
	}
	return outbox.Options{MaxBytes: int64(oc.MaxBytes), MaxAge: oc.MaxAge.D(), SyncInterval: sync,
		Clock: a.clock, Logger: a.log}
}

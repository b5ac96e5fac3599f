package mqttlink

import (
	"context"
	"fmt"
	"strings"

	mqtt "github.com/eclipse/paho.mqtt.golang"
)

// Probe connects once to the first of cfg.Brokers that accepts, with a throw-away clean session (the
// client id gets a "-probe" suffix, no will) and disconnects. It is the
// broker check of `agent selftest`.
func Probe(ctx context.Context, cfg Config) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	cfg.applyDefaults()
	mo := cfg.mqttOptions()
	mo.ClientID, mo.CleanSession = cfg.ClientID+"-probe", true
	o, err := mo.ClientOptions()
	if err != nil {
		return err
	}
	c := mqtt.NewClient(o)
	tok := c.Connect()
	select {
	case <-tok.Done():
	case <-ctx.Done():
		return fmt.Errorf("%w: probe %s: %w", ErrNotConnected, strings.Join(cfg.Brokers, " "), ctx.Err())
	}
	if err := tok.Error(); err != nil {
		return fmt.Errorf("%w: probe %s: %w", ErrNotConnected, strings.Join(cfg.Brokers, " "), err)
	}
	c.Disconnect(100)
	return nil
}

// Probe is the package-level Probe with the link's own configuration
// (broker, credentials, TLS).
func (l *Link) Probe(ctx context.Context) error { return Probe(ctx, l.cfg) }

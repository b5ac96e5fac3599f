package mqttlink

import (
	"errors"
	"testing"
	"time"
)

func TestConfigValidate(t *testing.T) {
	ok := Config{Brokers: []string{"tcp://127.0.0.1:1883"}, ClientID: "c", StateTopic: "s"}
	tests := []struct {
		name   string
		mutate func(*Config)
		ok     bool
	}{
		{"tcp", func(*Config) {}, true},
		{"ssl", func(c *Config) { c.Brokers = []string{"ssl://h:8883"} }, true},
		{"tls", func(c *Config) { c.Brokers = []string{"tls://h:8883"} }, true},
		{"ws", func(c *Config) { c.Brokers = []string{"ws://h:80/mqtt"} }, true},
		{"bad scheme", func(c *Config) { c.Brokers = []string{"http://h"} }, false},
		{"no host", func(c *Config) { c.Brokers = []string{"tcp://"} }, false},
		{"not a url", func(c *Config) { c.Brokers = []string{"::"} }, false},
		{"no client id", func(c *Config) { c.ClientID = "" }, false},
		{"no state topic", func(c *Config) { c.StateTopic = "" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mutate(&c)
			err := c.Validate()
			if (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrConfig) {
				t.Errorf("error %v is not ErrConfig", err)
			}
		})
	}
}

// TestReconnectIntervalReachesPaho checks the pause between reconnection
// attempts that paho is given: at most 10 s by default, or the configured one.
func TestReconnectIntervalReachesPaho(t *testing.T) {
	tests := []struct {
		name       string
		configured time.Duration
		want       time.Duration
	}{
		{"default", 0, 10 * time.Second},
		{"configured", 3 * time.Second, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Config{Brokers: []string{"tcp://127.0.0.1:1883"}, ClientID: "c", StateTopic: "s", MaxReconnectInterval: tt.configured}
			l, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			o := l.client.OptionsReader()
			if got := o.MaxReconnectInterval(); got != tt.want {
				t.Errorf("paho MaxReconnectInterval = %v, want %v", got, tt.want)
			}
			if !o.AutoReconnect() || o.ConnectRetryInterval() > tt.want {
				t.Errorf("paho AutoReconnect = %v, ConnectRetryInterval = %v; want true and at most %v",
					o.AutoReconnect(), o.ConnectRetryInterval(), tt.want)
			}
		})
	}
}

// TestCleanSessionReachesPaho: the link keeps a persistent session unless
// Config.CleanSession asks for a clean one; the probe is always clean.
func TestCleanSessionReachesPaho(t *testing.T) {
	for _, clean := range []bool{false, true} {
		cfg := Config{Brokers: []string{"tcp://127.0.0.1:1883"}, ClientID: "c", StateTopic: "s", CleanSession: clean}
		l, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if got := l.client.OptionsReader(); got.CleanSession() != clean {
			t.Errorf("CleanSession %v: paho CleanSession = %v", clean, got.CleanSession())
		}
	}
}

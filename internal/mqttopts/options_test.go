package mqttopts

import (
	"testing"
	"time"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// TestClientOptionsReachPaho checks each setting in the options paho is given.
func TestClientOptionsReachPaho(t *testing.T) {
	tests := []struct {
		name  string
		opts  Options
		check func(t *testing.T, o *paho.ClientOptionsReader)
	}{
		{"defaults", Options{Brokers: []string{"tcp://h:1883"}, ClientID: "c"}, func(t *testing.T, o *paho.ClientOptionsReader) {
			if o.CleanSession() || o.AutoReconnect() || o.ConnectRetry() || o.WillEnabled() || o.Username() != "" ||
				o.KeepAlive() != DefaultKeepAlive || o.ConnectTimeout() != DefaultConnectTimeout ||
				o.MaxReconnectInterval() != DefaultMaxReconnect || o.TLSConfig() != nil {
				t.Errorf("defaults not applied: %+v", o)
			}
		}},
		{"clean session", Options{Brokers: []string{"tcp://h:1883"}, CleanSession: true}, func(t *testing.T, o *paho.ClientOptionsReader) {
			if !o.CleanSession() {
				t.Error("CleanSession not set")
			}
		}},
		{"reconnect and will", Options{Brokers: []string{"tcp://h:1883"}, Reconnect: true, RetryFirstConnect: true,
			RetryInterval: 2 * time.Second, MaxReconnectInterval: 3 * time.Second,
			Will: &Will{Topic: "d/x/state", Payload: "lost", QoS: 1, Retained: true}}, func(t *testing.T, o *paho.ClientOptionsReader) {
			if !o.AutoReconnect() || !o.ConnectRetry() || o.ConnectRetryInterval() != 2*time.Second ||
				o.MaxReconnectInterval() != 3*time.Second {
				t.Errorf("reconnection settings lost: %+v", o)
			}
			if !o.WillEnabled() || o.WillTopic() != "d/x/state" || string(o.WillPayload()) != "lost" || o.WillQos() != 1 || !o.WillRetained() {
				t.Errorf("will lost: %s %q", o.WillTopic(), o.WillPayload())
			}
		}},
		{"auth and tls", Options{Brokers: []string{"ssl://h:8883"}, Username: "u", Password: "p", KeepAlive: time.Minute,
			TLS: TLS{ServerName: "broker"}}, func(t *testing.T, o *paho.ClientOptionsReader) {
			if o.Username() != "u" || o.Password() != "p" || o.KeepAlive() != time.Minute ||
				o.TLSConfig() == nil || o.TLSConfig().ServerName != "broker" {
				t.Errorf("auth, keep-alive or TLS lost: %+v", o)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			po, err := tt.opts.ClientOptions()
			if err != nil {
				t.Fatal(err)
			}
			r := paho.NewOptionsReader(po)
			tt.check(t, &r)
		})
	}
}

func TestClientOptionsRefuseBadTLS(t *testing.T) {
	_, err := Options{Brokers: []string{"ssl://h:8883"}, TLS: TLS{CA: "/nonexistent/ca.pem"}}.ClientOptions()
	if err == nil {
		t.Fatal("a missing CA file was accepted")
	}
}

package agent

import (
	"testing"

	paho "github.com/eclipse/paho.mqtt.golang"
)

// TestBrokerSettingsReachTheLink: broker.clean_session (documented in
// docs/configuration.md) and the other broker keys reach the link's and
// the OTA connection's options; mqttlink's tests show the link passes
// them on to paho.
func TestBrokerSettingsReachTheLink(t *testing.T) {
	for _, clean := range []bool{false, true} {
		cfg := testConfig(t, "tcp://127.0.0.1:1", t.TempDir())
		cfg.Broker.CleanSession = clean
		cfg.Broker.Username = "dev1"
		cfg.Broker.TLS.ServerName = "broker.example"
		a, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		lc, err := a.linkConfig()
		if err != nil {
			t.Fatal(err)
		}
		if lc.CleanSession != clean || lc.Username != "dev1" || lc.TLS.ServerName != "broker.example" {
			t.Errorf("clean_session %v: link config %+v", clean, lc)
		}
		po, err := a.otaClientOptions()
		if err != nil {
			t.Fatal(err)
		}
		if r := paho.NewOptionsReader(po); r.Username() != "dev1" || r.TLSConfig() == nil || !r.CleanSession() {
			t.Errorf("OTA connection options lost the broker settings")
		}
	}
}

package agent

import (
	"fmt"
	"strings"
	"testing"

	"github.com/drover-iot/drover/agent/config"
	"github.com/drover-iot/drover/fleet"
)

// TestDiscoveryBounded: series that come and go cannot grow the announced
// map past its bound; the series read longest ago is forgotten and its
// Home Assistant entity removed, the ones still read are kept.
func TestDiscoveryBounded(t *testing.T) {
	a := &Agent{cfg: &config.Config{ID: "pi", HomeAssistant: config.HomeAssistant{Prefix: "homeassistant"}}}
	o := a.newSensorOutput()
	o.max = 3
	read := func(iface string) fleet.Reading {
		return fleet.Reading{Sensor: "system", Metric: "network_receive", Unit: "bytes", Labels: map[string]string{"interface": iface}}
	}
	if got := o.discover([]fleet.Reading{read("eth0"), read("wlan0"), read("usb0")}); len(got) != 3 {
		t.Fatalf("first read announced %d series, want 3", len(got))
	}
	o.discover([]fleet.Reading{read("eth0"), read("wlan0")}) // usb0 gone
	var removed []string
	for i := range 20 { // churning interfaces
		for _, m := range o.discover([]fleet.Reading{read("eth0"), read("wlan0"), read(fmt.Sprint("veth", i))}) {
			if len(m.Payload) == 0 {
				removed = append(removed, m.Topic)
			}
		}
	}
	if len(o.announced) != 3 {
		t.Errorf("%d series remembered, want the bound 3", len(o.announced))
	}
	if len(removed) != 20 {
		t.Errorf("%d entities removed, want 20 (usb0 and 19 veths)", len(removed))
	}
	for _, iface := range []string{"eth0", "wlan0", "veth19"} {
		found := false
		for topic := range o.announced {
			found = found || strings.Contains(topic, iface)
		}
		if !found {
			t.Errorf("%s, still read, was forgotten", iface)
		}
	}
}

package agent

import (
	"strings"
	"testing"

	"periph.io/x/conn/v3/i2c/i2creg"

	"github.com/drover-iot/drover/fleet/statustext"
)

func TestOpenI2CNamesTheBus(t *testing.T) {
	_, err := openI2C("/dev/i2c-42")
	if err == nil {
		t.Skip("this machine has an I2C bus named /dev/i2c-42")
	}
	if msg := err.Error(); !strings.Contains(msg, `"/dev/i2c-42"`) || !strings.Contains(msg, "I2C") {
		t.Errorf("error %q does not name the bus", msg)
	}
}

func TestBusList(t *testing.T) {
	tests := []struct {
		refs []*i2creg.Ref
		want string
	}{
		{nil, "no I2C bus"},
		{[]*i2creg.Ref{{Name: "I2C1", Aliases: []string{"/dev/i2c-1"}}, {Name: "I2C2"}}, "available: I2C1 (/dev/i2c-1), I2C2"},
	}
	for _, tt := range tests {
		if got := busList(tt.refs); !strings.Contains(got, tt.want) {
			t.Errorf("busList = %q, want %q", got, tt.want)
		}
	}
}

// TestFailingSensorInStatus: a bme280 whose bus does not exist shows in
// the status with its error (naming the bus), not missing.
func TestFailingSensorInStatus(t *testing.T) {
	url := startBroker(t)
	yml := "sensors:\n  - {name: air, driver: bme280, bus: /dev/i2c-42, schedule: every 50ms}\n"
	a, stop := startSensorAgent(t, sensorConfig(t, url, yml))
	defer func() {
		if err := stop(); err != nil {
			t.Error(err)
		}
	}()
	awaitJournal(t, a, `sensor read failed sensor=air`)
	snap := a.snapshot()
	if len(snap.SensorErrors) != 1 || snap.SensorErrors[0].Sensor != "air" || !strings.Contains(snap.SensorErrors[0].Error, `"/dev/i2c-42"`) {
		t.Errorf("status sensor errors %+v, want air with an error naming /dev/i2c-42", snap.SensorErrors)
	}
	var b strings.Builder
	if err := statustext.RenderText(&b, snap, statustext.TextOptions{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "× air: error: ") {
		t.Errorf("rendered status lacks the failing sensor:\n%s", b.String())
	}
}

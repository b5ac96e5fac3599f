package sensors

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestMetricName(t *testing.T) {
	tests := []struct{ metric, unit, want string }{
		{"temperature", UnitCelsius, "drover_sensor_temperature_celsius"},
		{"humidity", UnitRatio, "drover_sensor_humidity_ratio"},
		{"load1", UnitNone, "drover_sensor_load1"},
		{"Thermal Zone0/CPU-temp", UnitCelsius, "drover_sensor_thermal_zone0_cpu_temp_celsius"},
		{"memory_available_bytes", UnitBytes, "drover_sensor_memory_available_bytes"},
		{"__weird..name__", "Seconds", "drover_sensor_weird_name_seconds"},
		{"", UnitBytes, "drover_sensor_bytes"},
	}
	for _, tt := range tests {
		if got := MetricName(tt.metric, tt.unit); got != tt.want {
			t.Errorf("MetricName(%q, %q) = %q, want %q", tt.metric, tt.unit, got, tt.want)
		}
	}
}

func TestHADiscovery(t *testing.T) {
	tests := []struct {
		name, dev, sensor, metric, unit, state string
		wantTopic, wantUnit, wantClass         string
		wantAvail                              string
		wantInTemplate                         string
	}{
		{"temperature", "pi-1", "env", "temperature", UnitCelsius, "drover/pi-1/telemetry",
			"homeassistant/sensor/pi-1_env_temperature/config", "°C", "temperature",
			"drover/pi-1/state", "r[0].value if r"},
		{"humidity in percent", "pi-1", "env", "humidity", UnitRatio, "drover/pi-1/telemetry",
			"homeassistant/sensor/pi-1_env_humidity/config", "%", "humidity",
			"drover/pi-1/state", "* 100"},
		{"odd chars, custom topic", "gw.2", "sys", "fs/root size", UnitBytes, "custom/topic",
			"homeassistant/sensor/gw_2_sys_fs_root_size/config", "B", "data_size", "", `"fs/root size"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			topic, payload := HADiscovery(tt.dev, tt.sensor, tt.metric, tt.unit, tt.state)
			if topic != tt.wantTopic {
				t.Fatalf("topic %q, want %q", topic, tt.wantTopic)
			}
			var doc haConfig
			if err := json.Unmarshal(payload, &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Unit != tt.wantUnit || doc.DeviceClass != tt.wantClass || doc.StateTopic != tt.state {
				t.Fatalf("unit %q class %q state %q", doc.Unit, doc.DeviceClass, doc.StateTopic)
			}
			if !strings.HasPrefix(doc.UniqueID, "drover_") || doc.Device.Name != tt.dev {
				t.Fatalf("ids: %+v", doc)
			}
			if !strings.Contains(doc.ValueTemplate, tt.wantInTemplate) {
				t.Fatalf("template %q lacks %q", doc.ValueTemplate, tt.wantInTemplate)
			}
			gotAvail := ""
			if len(doc.Availability) > 0 {
				gotAvail = doc.Availability[0].Topic
			}
			if gotAvail != tt.wantAvail {
				t.Fatalf("availability %q, want %q", gotAvail, tt.wantAvail)
			}
		})
	}
}

// TestHADiscoveryLabels: each labelled series (a network interface) is its
// own entity, under the configured prefix, and its template matches the label.
func TestHADiscoveryLabels(t *testing.T) {
	tests := []struct {
		prefix, iface, wantTopic string
	}{
		{"", "eth0", "homeassistant/sensor/pi-1_system_network_receive_bytes_eth0/config"},
		{"ha", "wlan0", "ha/sensor/pi-1_system_network_receive_bytes_wlan0/config"},
	}
	for _, tt := range tests {
		r := Reading{Sensor: "system", Metric: "network_receive_bytes", Unit: UnitBytes,
			Labels: map[string]string{"interface": tt.iface}}
		topic, payload := HADiscoveryFor(tt.prefix, "pi-1", r, "drover/pi-1/telemetry")
		if topic != tt.wantTopic {
			t.Errorf("topic %q, want %q", topic, tt.wantTopic)
		}
		var doc haConfig
		if err := json.Unmarshal(payload, &doc); err != nil {
			t.Fatal(err)
		}
		if want := `selectattr("labels.interface", 'eq', "` + tt.iface + `")`; !strings.Contains(doc.ValueTemplate, want) {
			t.Errorf("template %q lacks %q", doc.ValueTemplate, want)
		}
		if !strings.HasSuffix(doc.Name, " "+tt.iface) || !strings.HasSuffix(doc.UniqueID, "_"+tt.iface) {
			t.Errorf("name %q / id %q do not name %s", doc.Name, doc.UniqueID, tt.iface)
		}
	}
}

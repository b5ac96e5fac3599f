package sensors

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// HAPrefix is Home Assistant's default MQTT discovery prefix.
const HAPrefix = "homeassistant"

// haUnit maps a Drover unit to Home Assistant's unit, device class and the
// factor that converts the value.
var haUnit = map[string]struct {
	unit, class string
	scale       float64
}{
	UnitCelsius: {"°C", "temperature", 1},
	UnitPascals: {"Pa", "pressure", 1},
	UnitRatio:   {"%", "", 100},
	UnitBytes:   {"B", "data_size", 1},
	UnitSeconds: {"s", "duration", 1},
}

type haDevice struct {
	Identifiers  []string `json:"identifiers"`
	Name         string   `json:"name"`
	Manufacturer string   `json:"manufacturer"`
}

type haAvailability struct {
	Topic         string `json:"topic"`
	ValueTemplate string `json:"value_template"`
}

type haConfig struct {
	Name          string           `json:"name"`
	UniqueID      string           `json:"unique_id"`
	StateTopic    string           `json:"state_topic"`
	ValueTemplate string           `json:"value_template"`
	Unit          string           `json:"unit_of_measurement,omitempty"`
	DeviceClass   string           `json:"device_class,omitempty"`
	StateClass    string           `json:"state_class"`
	Availability  []haAvailability `json:"availability,omitempty"`
	Device        haDevice         `json:"device"`
}

// HADiscovery returns the retained Home Assistant MQTT discovery message for
// one metric of one sensor of device dev: the topic
// homeassistant/sensor/<dev>_<sensor>_<metric>/config and its JSON payload.
//
// stateTopic is the topic carrying the readings, normally the device's
// telemetry topic; the value template picks this sensor's metric out of the
// telemetry document's readings and keeps the previous state when a message
// does not contain it. Ratios are shown in percent. When stateTopic ends in
// "/telemetry", the sibling ".../state" topic gives availability.
func HADiscovery(dev, sensorName, metric, unit, stateTopic string) (topic string, payload []byte) {
	return HADiscoveryFor(HAPrefix, dev, Reading{Sensor: sensorName, Metric: metric, Unit: unit}, stateTopic)
}

// HADiscoveryFor is HADiscovery for the series of reading r (its sensor,
// metric, unit and labels) under the discovery prefix (HAPrefix when
// empty). The label values, in key order, extend the object id and the
// name, and the value template also matches the labels, so each network
// interface or mount is its own Home Assistant entity.
func HADiscoveryFor(prefix, dev string, r Reading, stateTopic string) (topic string, payload []byte) {
	if prefix == "" {
		prefix = HAPrefix
	}
	keys := slices.Sorted(maps.Keys(r.Labels))
	subject, name := r.Metric, r.Sensor+" "+strings.ReplaceAll(r.Metric, "_", " ")
	for _, k := range keys {
		subject += "_" + r.Labels[k]
		name += " " + r.Labels[k]
	}
	id := haID(dev) + "_" + haID(r.Sensor) + "_" + haID(subject)
	metric, unit := r.Metric, r.Unit
	u := haUnit[unit]
	if u.scale == 0 {
		u.unit, u.scale = unit, 1
	}
	if unit == UnitRatio && strings.Contains(metric, "humidity") {
		u.class = "humidity"
	}
	cfg := haConfig{
		Name:          name,
		UniqueID:      "drover_" + id,
		StateTopic:    stateTopic,
		ValueTemplate: haTemplate(r, keys, u.scale),
		Unit:          u.unit,
		DeviceClass:   u.class,
		StateClass:    "measurement",
		Device:        haDevice{Identifiers: []string{"drover_" + haID(dev)}, Name: dev, Manufacturer: "Drover"},
	}
	if base, ok := strings.CutSuffix(stateTopic, "/telemetry"); ok {
		cfg.Availability = []haAvailability{{
			Topic:         base + "/state",
			ValueTemplate: "{{ 'online' if value == 'online' else 'offline' }}",
		}}
	}
	payload, _ = json.Marshal(cfg) // cannot fail: plain strings and numbers
	return prefix + "/sensor/" + id + "/config", payload
}

// haTemplate selects one reading (sensor, metric, and the labels keys) from
// a telemetry document.
func haTemplate(r Reading, keys []string, scale float64) string {
	value := "r[0].value"
	if scale != 1 {
		value = fmt.Sprintf("(r[0].value * %g) | round(2)", scale)
	}
	filter := fmt.Sprintf("selectattr('sensor', 'eq', %s) | selectattr('metric', 'eq', %s)",
		jinjaString(r.Sensor), jinjaString(r.Metric))
	for _, k := range keys {
		filter += fmt.Sprintf(" | selectattr(%s, 'eq', %s)", jinjaString("labels."+k), jinjaString(r.Labels[k]))
	}
	return fmt.Sprintf("{%% set r = value_json.readings | %s | list %%}{{ %s if r else this.state }}", filter, value)
}

// jinjaString quotes s as a Jinja string literal.
func jinjaString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// haID keeps the characters Home Assistant allows in object ids.
func haID(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '-' {
			return r
		}
		return '_'
	}, s)
}

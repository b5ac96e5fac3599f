package agent

import (
	"encoding/json"
	"maps"
	"slices"
	"sync"

	"github.com/drover-iot/drover/agent/mqttlink"
	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/sensors"
)

// sensorOutput publishes the readings of every sampler: one telemetry
// document per read of a sensor (QoS 1, numbered, kept in the on-disk
// outbox across outages and restarts, oldest dropped first when it is full) and, when configured, the
// Home Assistant discovery of each new series.
type sensorOutput struct {
	a *Agent

	mu        sync.Mutex
	announced map[string]*announcement // by discovery topic, at most maxAnnounced
	reads     uint64                   // batches seen: the clock of announcement.seen
	max       int
}

// maxAnnounced bounds the series announced to Home Assistant: series that
// come and go (network interfaces, USB devices) cannot grow the map forever.
const maxAnnounced = 1024

// announcement is a discovery message and when its series was last read.
type announcement struct {
	msg  mqttlink.Message
	seen uint64
}

func (a *Agent) newSensorOutput() *sensorOutput {
	return &sensorOutput{a: a, announced: map[string]*announcement{}, max: maxAnnounced}
}

// deliver is the samplers' DeliverFunc; it never blocks.
func (o *sensorOutput) deliver(batch []fleet.Reading) {
	a := o.a
	doc := telemetryOf(batch)
	numbered := func(seq uint64) ([]byte, error) {
		doc.Seq = seq
		return json.Marshal(doc)
	}
	// A drop is counted and logged by the link.
	_ = a.link.PublishSeq(mqttlink.Message{Topic: a.topics.Telemetry(a.cfg.ID), QoS: 1,
		Class: mqttlink.ClassTelemetry}, numbered)
	if a.cfg.HomeAssistant.Discovery {
		for _, m := range o.discover(batch) {
			_ = a.link.Publish(m)
		}
	}
}

// telemetryOf is the telemetry document of one read: its time and readings.
func telemetryOf(batch []fleet.Reading) fleet.Telemetry {
	t := fleet.Telemetry{Readings: make([]fleet.TelemetryReading, len(batch))}
	for i, r := range batch {
		t.Readings[i] = fleet.TelemetryReading{Sensor: r.Sensor, Metric: r.Metric, Value: r.Value, Unit: r.Unit, Labels: r.Labels}
		if r.Time.After(t.TS) {
			t.TS = r.Time
		}
	}
	t.TS = t.TS.UTC()
	return t
}

// discover returns the discovery messages of the series of batch not
// announced yet, and remembers them for the next connection's birth. Past
// max series, the one read longest ago is forgotten and its entity removed
// from Home Assistant (an empty retained discovery message).
func (o *sensorOutput) discover(batch []fleet.Reading) []mqttlink.Message {
	a := o.a
	o.mu.Lock()
	defer o.mu.Unlock()
	o.reads++
	var out []mqttlink.Message
	for _, r := range batch {
		topic, payload := sensors.HADiscoveryFor(a.cfg.HomeAssistant.Prefix, a.cfg.ID, r, a.topics.Telemetry(a.cfg.ID))
		if an, done := o.announced[topic]; done {
			an.seen = o.reads
			continue
		}
		if len(o.announced) >= o.max {
			out = append(out, o.forgetOldest())
		}
		m := mqttlink.Message{Topic: topic, Payload: payload, QoS: 1, Retained: true, Class: mqttlink.ClassLatest}
		o.announced[topic] = &announcement{msg: m, seen: o.reads}
		out = append(out, m)
	}
	return out
}

// forgetOldest drops the series read longest ago and returns the message
// that removes its entity.
func (o *sensorOutput) forgetOldest() mqttlink.Message {
	var oldest string
	for topic, an := range o.announced {
		if oldest == "" || an.seen < o.announced[oldest].seen || (an.seen == o.announced[oldest].seen && topic < oldest) {
			oldest = topic
		}
	}
	delete(o.announced, oldest)
	return mqttlink.Message{Topic: oldest, Payload: []byte{}, QoS: 1, Retained: true, Class: mqttlink.ClassLatest}
}

// births are the birth document and, with Home Assistant discovery on,
// every discovery message announced so far: published again on each
// connection, so a broker that lost its retained messages gets them back.
func (a *Agent) births() []mqttlink.Message {
	msgs := a.birth()
	if a.sensors == nil {
		return msgs
	}
	o := a.sensors.out
	o.mu.Lock()
	defer o.mu.Unlock()
	for _, topic := range slices.Sorted(maps.Keys(o.announced)) {
		msgs = append(msgs, o.announced[topic].msg)
	}
	return msgs
}

package top

import (
	"fmt"
	"strings"
	"time"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/fleet/client"
	"github.com/drover-iot/drover/fleet/statustext"
)

// device is one row of the table: what the retained topics and the
// telemetry stream said about a device, with the counts the table shows.
type device struct {
	client.Device
	snap         *fleet.StatusResult
	failingUnits int
	failingJobs  int
	ota          string
	seen         time.Time // newest status or telemetry time
}

// devices holds every device seen, by id.
type devices map[string]*device

// apply folds one event into the set; it reports whether anything changed.
func (ds devices) apply(ev fleet.Event) bool {
	if ev.Device == "" || ev.Err != nil {
		return false
	}
	if ev.Kind == fleet.KindState && ev.Cleared {
		_, known := ds[ev.Device]
		delete(ds, ev.Device)
		return known
	}
	d := ds[ev.Device]
	if d == nil {
		d = &device{Device: client.Device{ID: ev.Device}}
		ds[ev.Device] = d
	}
	d.apply(ev)
	return true
}

func (d *device) apply(ev fleet.Event) {
	switch ev.Kind {
	case fleet.KindState:
		d.State = ev.State
	case fleet.KindInfo:
		d.Info = ev.Info
	case fleet.KindStatus:
		d.setStatus(ev.Status)
	case fleet.KindTelemetry:
		d.addTelemetry(ev.Telemetry)
	case fleet.KindReported:
		d.Reported, d.Sync = ev.Reported, ""
		if ev.Reported != nil {
			d.Sync = ev.Reported.Sync
		}
	}
}

func (d *device) setStatus(s *fleet.StatusResult) {
	d.snap = s
	d.failingUnits, d.failingJobs, d.ota = 0, 0, ""
	if s == nil {
		d.LastSeen, d.UptimeS = nil, 0
		return
	}
	ts := s.Time
	d.LastSeen, d.UptimeS = &ts, s.Uptime
	d.seeAt(ts)
	d.failingUnits = failing(s.Tasks) + failing(s.Services)
	for _, j := range s.Jobs {
		if jobFailing(j) {
			d.failingJobs++
		}
	}
	d.ota = otaText(s.OTA)
}

func failing(units []fleet.Unit) int {
	n := 0
	for _, u := range units {
		if unitFailing(u) {
			n++
		}
	}
	return n
}

func unitFailing(u fleet.Unit) bool {
	return u.State == fleet.UnitFailed || u.State == fleet.UnitBackoff
}

func jobFailing(j fleet.Job) bool { return j.Broken != "" || j.LastError != "" }

// addTelemetry updates the sensor readings of the last status with newer values.
func (d *device) addTelemetry(t *fleet.Telemetry) {
	d.seeAt(t.TS)
	if d.snap == nil {
		d.snap = &fleet.StatusResult{Device: d.ID}
	}
	for _, r := range t.Readings {
		d.snap.Sensors = upsertReading(d.snap.Sensors, fleet.Reading{Sensor: r.Sensor, Metric: r.Metric,
			Value: r.Value, Unit: r.Unit, Time: t.TS, Labels: r.Labels})
	}
}

func upsertReading(rs []fleet.Reading, r fleet.Reading) []fleet.Reading {
	key := readingKey(r)
	for i := range rs {
		if readingKey(rs[i]) == key {
			rs[i] = r
			return rs
		}
	}
	return append(rs, r)
}

func readingKey(r fleet.Reading) string {
	return r.Sensor + "/" + r.Metric + statustext.LabelText(r.Labels)
}

func (d *device) seeAt(t time.Time) {
	if t.After(d.seen) {
		d.seen = t
	}
}

// otaText reads the OTA part of a status ("downloading 45%", "trial"),
// which the ota package owns; "" when there is none.
func otaText(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return ""
	}
	state, _ := m["state"].(string)
	if p, ok := m["progress"].(map[string]any); ok && state == "downloading" {
		done, _ := p["done"].(float64)
		total, _ := p["total"].(float64)
		if total > 0 {
			return fmt.Sprintf("%s %d%%", state, int(100*done/total))
		}
	}
	return strings.ReplaceAll(state, "_", " ")
}

package metrics

import (
	"slices"
	"strings"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/drover-iot/drover/fleet"
	"github.com/drover-iot/drover/sensors"
)

// sensorLabel is the label naming the sensor of a reading.
const sensorLabel = "sensor"

var (
	sensorReadsDesc = prometheus.NewDesc("drover_sensor_reads_total",
		"Reads of a sensor that gave readings.", []string{sensorLabel}, nil)
	sensorErrorsDesc = prometheus.NewDesc("drover_sensor_read_errors_total",
		"Reads of a sensor that failed or were partial.", []string{sensorLabel}, nil)
)

// sensorCollector is unchecked: its gauge names depend on the readings.
type sensorCollector struct{ src SensorSource }

func (c sensorCollector) Describe(chan<- *prometheus.Desc) {}

func (c sensorCollector) Collect(ch chan<- prometheus.Metric) {
	for _, n := range c.src.SensorCounts() {
		ch <- prometheus.MustNewConstMetric(sensorReadsDesc, prometheus.CounterValue, float64(n.Reads), n.Sensor)
		ch <- prometheus.MustNewConstMetric(sensorErrorsDesc, prometheus.CounterValue, float64(n.Errors), n.Sensor)
	}
	for _, f := range gaugeFamilies(c.src.Readings()) {
		f.collect(ch)
	}
}

// family is the readings of one gauge name, with the union of their label
// keys: Prometheus wants one label set per metric name, so a reading that
// lacks a key gets it with an empty value.
type family struct {
	name, help string
	keys       []string // sanitised label keys, sorted, without sensor
	series     map[string]series
	order      []string
}

type series struct {
	values []string
	value  float64
}

// gaugeFamilies groups readings by gauge name; of two readings of one
// series (same sensor and labels) the later one wins. Readings whose name
// is one of the counters above are left out.
func gaugeFamilies(rs []fleet.Reading) []*family {
	byName := map[string]*family{}
	var names []string
	for _, r := range rs {
		name := sensors.MetricName(r.Metric, r.Unit)
		if name == "drover_sensor_reads_total" || name == "drover_sensor_read_errors_total" {
			continue
		}
		f, ok := byName[name]
		if !ok {
			f = &family{name: name, help: "Sensor reading of " + r.Metric + " in " + unitOrNone(r.Unit) + ".", series: map[string]series{}}
			byName[name], names = f, append(names, name)
		}
		for k := range r.Labels {
			if lk := labelKey(k); !slices.Contains(f.keys, lk) {
				f.keys = append(f.keys, lk)
			}
		}
	}
	for _, f := range byName {
		slices.Sort(f.keys)
	}
	for _, r := range rs {
		if f := byName[sensors.MetricName(r.Metric, r.Unit)]; f != nil {
			f.add(r)
		}
	}
	out := make([]*family, len(names))
	for i, n := range names {
		out[i] = byName[n]
	}
	return out
}

func (f *family) add(r fleet.Reading) {
	values := make([]string, 0, len(f.keys)+1)
	values = append(values, r.Sensor)
	byKey := make(map[string]string, len(r.Labels))
	for k, v := range r.Labels {
		byKey[labelKey(k)] = v
	}
	for _, k := range f.keys {
		values = append(values, byKey[k])
	}
	id := strings.Join(values, "\xff")
	if _, seen := f.series[id]; !seen {
		f.order = append(f.order, id)
	}
	f.series[id] = series{values: values, value: r.Value}
}

func (f *family) collect(ch chan<- prometheus.Metric) {
	desc := prometheus.NewDesc(f.name, f.help, append([]string{sensorLabel}, f.keys...), nil)
	for _, id := range f.order {
		s := f.series[id]
		m, err := prometheus.NewConstMetric(desc, prometheus.GaugeValue, s.value, s.values...)
		if err != nil {
			m = prometheus.NewInvalidMetric(desc, err)
		}
		ch <- m
	}
}

// labelKey makes a reading's label key a valid Prometheus label name that
// cannot clash with sensor or the reserved "__" prefix.
func labelKey(k string) string {
	k = sensors.Sanitize(k)
	if k == "" || k == sensorLabel || k[0] >= '0' && k[0] <= '9' {
		return "label_" + k
	}
	return k
}

func unitOrNone(u string) string {
	if u == "" {
		return "no unit"
	}
	return u
}

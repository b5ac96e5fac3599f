// Package metrics exposes the agent on Prometheus' /metrics: Go and process
// collectors plus Drover's own metrics (units, jobs, MQTT, journal,
// sensors). Drover's collectors read snapshots from small source
// interfaces at scrape time; only the job histograms are observed as runs
// happen.
package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/drover-iot/drover/fleet"
)

// DefaultListen is the default address of the metrics HTTP server.
const DefaultListen = "127.0.0.1:9110"

// UnitSource gives the status of supervised tasks and services.
type UnitSource interface{ Units() []fleet.Unit }

// JobSource gives the status of scheduled jobs.
type JobSource interface{ Jobs() []fleet.Job }

// SensorSource gives the latest sensor readings and the read counters of
// every sensor.
type SensorSource interface {
	Readings() []fleet.Reading
	SensorCounts() []SensorCount
}

// SensorCount is the read accounting of one sensor.
type SensorCount struct {
	Sensor string
	// Reads counts reads that gave readings; Errors counts failed reads
	// (a partial read counts in both).
	Reads  uint64
	Errors uint64
}

// MQTTStats is a snapshot of the MQTT link.
type MQTTStats struct {
	Connected bool
	// Broker is the URL of the broker the link is on; "" when offline.
	Broker     string
	Reconnects uint64
	Received   uint64
	Sent       uint64
	Dropped    uint64
	Queued     int
}

// MQTTSource gives MQTT link snapshots.
type MQTTSource interface{ MQTTStats() MQTTStats }

// JournalStats is a snapshot of the journal's counters.
type JournalStats struct {
	// Records counts the records appended, by level name (debug, info,
	// warn, error).
	Records map[string]uint64
	Dropped uint64
}

// JournalSource gives journal snapshots.
type JournalSource interface{ JournalStats() JournalStats }

// Metrics owns the agent's Prometheus registry.
type Metrics struct {
	reg      *prometheus.Registry
	lateness *prometheus.HistogramVec
	duration *prometheus.HistogramVec
	success  *prometheus.GaugeVec
	groups   groupGauges
}

// Option adds a source or a label to Metrics.
type Option func(*Metrics)

// WithUnits adds drover_unit_state and drover_unit_restarts_total.
func WithUnits(s UnitSource) Option { return withCollector(unitCollector{s}) }

// WithJobs adds drover_job_runs_total, _failures_total and _skips_total.
func WithJobs(s JobSource) Option { return withCollector(jobCollector{s}) }

// WithMQTT adds the drover_mqtt_* metrics.
func WithMQTT(s MQTTSource) Option { return withCollector(mqttCollector{s}) }

// WithJournal adds drover_journal_records_total{level} and _dropped_total.
func WithJournal(s JournalSource) Option { return withCollector(journalCollector{s}) }

// WithSensors adds one gauge per reading, drover_sensor_<metric>_<unit>
// with the label sensor and the reading's own labels, and the counters
// drover_sensor_reads_total and drover_sensor_read_errors_total{sensor}.
func WithSensors(s SensorSource) Option { return withCollector(sensorCollector{s}) }

// WithInfo adds drover_agent_info{device,version,commit} = 1.
func WithInfo(device, version, commit string) Option {
	return func(m *Metrics) {
		g := prometheus.NewGauge(prometheus.GaugeOpts{
			Name:        "drover_agent_info",
			Help:        "Identity of the agent; always 1.",
			ConstLabels: prometheus.Labels{"device": device, "version": version, "commit": commit},
		})
		g.Set(1)
		m.reg.MustRegister(g)
	}
}

// WithBuild adds drover_agent_build: the monotonic build number OTA
// compares (0 for an unnumbered build), so a dashboard can tell which
// devices an update has not reached.
func WithBuild(n uint64) Option {
	return func(m *Metrics) {
		g := prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "drover_agent_build",
			Help: "Monotonic build number of the running agent (OTA refuses lower ones); 0 when unnumbered.",
		})
		g.Set(float64(n))
		m.reg.MustRegister(g)
	}
}

func withCollector(c prometheus.Collector) Option {
	return func(m *Metrics) { m.reg.MustRegister(c) }
}

// New builds the registry with the Go and process collectors, the job
// histograms and the given sources.
func New(opts ...Option) *Metrics {
	m := &Metrics{reg: prometheus.NewRegistry()}
	m.lateness = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "drover_job_lateness_seconds",
		Help:    "How late job runs started after their due time.",
		Buckets: []float64{.0001, .0005, .001, .005, .01, .05, .1, .5, 1, 5},
	}, []string{"job"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "drover_job_duration_seconds",
		Help:    "How long job runs took.",
		Buckets: prometheus.ExponentialBuckets(.001, 4, 10),
	}, []string{"job"})
	m.success = prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "drover_job_last_success_timestamp_seconds",
		Help: "When the last successful run of a job ended, in Unix seconds.",
	}, []string{"job"})
	m.groups = newGroupGauges()
	m.reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.lateness, m.duration, m.success, m.groups.inSync, m.groups.applied,
	)
	for _, o := range opts {
		o(m)
	}
	return m
}

// Registry returns the registry, for extra collectors.
func (m *Metrics) Registry() *prometheus.Registry { return m.reg }

// ObserveJobRun records one run of job: its lateness and its duration.
func (m *Metrics) ObserveJobRun(job string, lateness, duration time.Duration) {
	m.lateness.WithLabelValues(job).Observe(max(lateness, 0).Seconds())
	m.duration.WithLabelValues(job).Observe(duration.Seconds())
}

// MarkJobSuccess records that a run of job succeeded, ending at end.
func (m *Metrics) MarkJobSuccess(job string, end time.Time) {
	m.success.WithLabelValues(job).Set(float64(end.UnixNano()) / 1e9)
}

// ForgetJob removes the histograms and the last success of a removed job.
func (m *Metrics) ForgetJob(job string) {
	m.success.DeleteLabelValues(job)
	m.lateness.DeleteLabelValues(job)
	m.duration.DeleteLabelValues(job)
}

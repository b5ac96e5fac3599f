package metrics

import (
	"maps"
	"slices"

	"github.com/prometheus/client_golang/prometheus"
)

// OutboxStats is a snapshot of the on-disk outbox.
type OutboxStats struct {
	Records int
	Bytes   int64
	// OldestAgeSeconds is the age of the oldest record; 0 when empty.
	OldestAgeSeconds float64
	Appended         uint64
	Acked            uint64
	Writes           uint64
	WriteErrors      uint64
	// Dropped counts records dropped, by reason (max_bytes, max_age,
	// expired, corrupt).
	Dropped map[string]uint64
	// Seq is the last telemetry sequence number given out.
	Seq uint64
}

// OutboxSource gives outbox snapshots.
type OutboxSource interface{ OutboxStats() OutboxStats }

// WithOutbox adds the drover_outbox_* metrics.
func WithOutbox(s OutboxSource) Option { return withCollector(outboxCollector{s}) }

var (
	outboxRecordsDesc = prometheus.NewDesc("drover_outbox_records",
		"QoS 1 messages in the outbox, not yet acknowledged by the broker.", nil, nil)
	outboxBytesDesc = prometheus.NewDesc("drover_outbox_bytes",
		"Size of the records in the outbox.", nil, nil)
	outboxOldestDesc = prometheus.NewDesc("drover_outbox_oldest_age_seconds",
		"Age of the oldest record in the outbox; 0 when empty.", nil, nil)
	outboxAppendedDesc = prometheus.NewDesc("drover_outbox_appended_total",
		"Records appended to the outbox.", nil, nil)
	outboxAckedDesc = prometheus.NewDesc("drover_outbox_acked_total",
		"Records removed from the outbox on their PUBACK.", nil, nil)
	outboxWritesDesc = prometheus.NewDesc("drover_outbox_writes_total",
		"Fsynced write transactions of the outbox file.", nil, nil)
	outboxWriteErrorsDesc = prometheus.NewDesc("drover_outbox_write_errors_total",
		"Failed write transactions of the outbox file.", nil, nil)
	outboxSeqDesc = prometheus.NewDesc("drover_outbox_telemetry_sequence",
		"Last telemetry sequence number given out (the seq of telemetry documents).", nil, nil)
	outboxDroppedDesc = prometheus.NewDesc("drover_outbox_dropped_total",
		"Records dropped from the outbox, by reason.", []string{"reason"}, nil)
)

// outboxReasons are always exported, zero included, so that rates work.
var outboxReasons = []string{"max_bytes", "max_age", "expired", "corrupt"}

type outboxCollector struct{ src OutboxSource }

func (c outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{outboxRecordsDesc, outboxBytesDesc, outboxOldestDesc, outboxAppendedDesc,
		outboxAckedDesc, outboxWritesDesc, outboxWriteErrorsDesc, outboxSeqDesc, outboxDroppedDesc} {
		ch <- d
	}
}

func (c outboxCollector) Collect(ch chan<- prometheus.Metric) {
	s := c.src.OutboxStats()
	gauge := func(d *prometheus.Desc, v float64) { ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v) }
	counter := func(d *prometheus.Desc, v uint64) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v))
	}
	gauge(outboxRecordsDesc, float64(s.Records))
	gauge(outboxBytesDesc, float64(s.Bytes))
	gauge(outboxOldestDesc, s.OldestAgeSeconds)
	counter(outboxAppendedDesc, s.Appended)
	counter(outboxAckedDesc, s.Acked)
	counter(outboxWritesDesc, s.Writes)
	counter(outboxWriteErrorsDesc, s.WriteErrors)
	gauge(outboxSeqDesc, float64(s.Seq))
	reasons := maps.Clone(s.Dropped)
	if reasons == nil {
		reasons = map[string]uint64{}
	}
	for _, r := range outboxReasons {
		reasons[r] += 0
	}
	for _, r := range slices.Sorted(maps.Keys(reasons)) {
		ch <- prometheus.MustNewConstMetric(outboxDroppedDesc, prometheus.CounterValue, float64(reasons[r]), r)
	}
}

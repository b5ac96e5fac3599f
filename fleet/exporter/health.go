package exporter

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	dto "github.com/prometheus/client_model/go"
)

// health is the exporter's own metrics.
type health struct {
	reg       *prometheus.Registry
	store     *store
	messages  *prometheus.CounterVec
	bad       *prometheus.CounterVec
	dropped   prometheus.Counter
	conflicts prometheus.Counter
}

func newHealth(s *store) *health {
	h := &health{reg: prometheus.NewRegistry(), store: s,
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "drover_exporter_messages_total",
			Help: "Messages received from devices, by topic kind."}, []string{"kind"}),
		bad: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "drover_exporter_bad_messages_total",
			Help: "Messages ignored because they could not be decoded, by topic kind."}, []string{"kind"}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "drover_exporter_dropped_messages_total",
			Help: "Messages dropped because the exporter's queue was full."}),
		conflicts: prometheus.NewCounter(prometheus.CounterOpts{Name: "drover_exporter_type_conflicts_total",
			Help: "Device families left out of a scrape because another device sent the name with another type."}),
	}
	devices := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "drover_exporter_devices",
		Help: "Devices the exporter knows."}, func() float64 { return float64(s.count()) })
	h.reg.MustRegister(h.messages, h.bad, h.dropped, h.conflicts, devices,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return h
}

// gather returns the health families, then the fleet's.
func (h *health) gather() ([]*dto.MetricFamily, error) {
	fleetFams, conflicts := h.store.gather()
	h.conflicts.Add(float64(conflicts))
	own, err := h.reg.Gather()
	return append(own, fleetFams...), err
}

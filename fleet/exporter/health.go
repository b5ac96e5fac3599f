package exporter

import (
	"io"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
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
			Help: "Device families left out of scrapes because the name was first seen with another type (shown from the next scrape)."}),
	}
	devices := prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "drover_exporter_devices",
		Help: "Devices the exporter knows."}, func() float64 { return float64(s.count()) })
	h.reg.MustRegister(h.messages, h.bad, h.dropped, h.conflicts, devices,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return h
}

// write writes the health families and the fleet's in the text format.
func (h *health) write(w io.Writer) error {
	own, err := h.reg.Gather()
	if err != nil {
		return err
	}
	conflicts, err := h.store.write(w, own)
	h.conflicts.Add(float64(conflicts))
	return err
}

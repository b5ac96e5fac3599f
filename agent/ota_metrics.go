package agent

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/drover-iot/drover/ota/state"
)

// otaMetrics are drover_ota_state{state} (1 for the current state) and
// drover_ota_updates_total{result} (committed, rolled_back, failed).
type otaMetrics struct {
	state   *prometheus.GaugeVec
	updates *prometheus.CounterVec
}

// newOTAMetrics starts the counters from rec's life-long counts of ended
// updates (the trial supervisor records commits and rollbacks there).
func newOTAMetrics(reg prometheus.Registerer, rec state.Record) *otaMetrics {
	current := rec.State
	m := &otaMetrics{
		state: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "drover_ota_state", Help: "OTA state machine: 1 for the current state, 0 for the others.",
		}, []string{"state"}),
		updates: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "drover_ota_updates_total", Help: "OTA updates that ended, by result (committed, rolled_back, failed).",
		}, []string{"result"}),
	}
	for _, s := range state.All {
		m.state.WithLabelValues(string(s)).Set(0)
	}
	for _, r := range []state.State{state.Committed, state.RolledBack, state.Failed} {
		m.updates.WithLabelValues(string(r)).Add(float64(rec.Ended[r]))
	}
	m.state.WithLabelValues(string(current)).Set(1)
	reg.MustRegister(m.state, m.updates)
	return m
}

// transition moves the state gauge and counts an update that ended.
func (m *otaMetrics) transition(prev, next state.State) {
	m.state.WithLabelValues(string(prev)).Set(0)
	m.state.WithLabelValues(string(next)).Set(1)
	if next.Ends() {
		m.updates.WithLabelValues(string(next)).Inc()
	}
}

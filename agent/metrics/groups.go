package metrics

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/drover-iot/drover/fleet"
)

// groupGauges are drover_group_in_sync and drover_group_applied_generation.
type groupGauges struct {
	inSync  *prometheus.GaugeVec
	applied *prometheus.GaugeVec
}

func newGroupGauges() groupGauges {
	return groupGauges{
		inSync: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "drover_group_in_sync",
			Help: "1 when the device runs the latest generation of a group that matches it, 0 while applying or after a refusal.",
		}, []string{"group"}),
		applied: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "drover_group_applied_generation",
			Help: "Generation of a group in effect on the device (0: none).",
		}, []string{"group"}),
	}
}

// SetGroups sets the group gauges from the device's reported state; groups
// no longer reported disappear.
func (m *Metrics) SetGroups(r fleet.Reported) {
	m.groups.inSync.Reset()
	m.groups.applied.Reset()
	for name, g := range r.Groups {
		v := 0.0
		if g.State == fleet.SyncInSync {
			v = 1
		}
		m.groups.inSync.WithLabelValues(name).Set(v)
		m.groups.applied.WithLabelValues(name).Set(float64(g.Applied))
	}
}

package metrics

import (
	"testing"

	"github.com/drover-iot/drover/fleet/metricspayload"
)

// TestPayloadCarriesRegistry: the published payload decodes to the same
// families the registry gathers, histograms included.
func TestPayloadCarriesRegistry(t *testing.T) {
	m := newTestMetrics()
	payload, err := m.Payload()
	if err != nil {
		t.Fatal(err)
	}
	fams, err := metricspayload.Decode(payload, metricspayload.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]bool{}
	for _, f := range fams {
		byName[f.GetName()] = true
	}
	for _, want := range []string{"drover_unit_state", "drover_job_duration_seconds", "drover_sensor_temperature_celsius", "go_goroutines"} {
		if !byName[want] {
			t.Errorf("payload lacks %s", want)
		}
	}
}

// BenchmarkPayload measures one publish's encoding: bytes and CPU.
func BenchmarkPayload(b *testing.B) {
	m := newTestMetrics()
	var n int
	for b.Loop() {
		p, err := m.Payload()
		if err != nil {
			b.Fatal(err)
		}
		n = len(p)
	}
	b.ReportMetric(float64(n), "bytes/publish")
}

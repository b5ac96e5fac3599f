package exporter

import (
	"strings"
	"testing"

	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/drover-iot/drover/fleet"
)

// FuzzApply: whatever a device sends on any of its topics, the exporter
// does not panic and its exposition stays valid text format.
func FuzzApply(f *testing.F) {
	f.Add("metrics", []byte("\x1f\x8b\x08\x00"))
	f.Add("state", []byte("online"))
	f.Add("info", []byte(`{"id":"x","labels":{"site":"a\nb"}}`))
	f.Add("status", []byte(`{"ts":"2026-01-02T03:04:05Z"}`))
	f.Fuzz(func(t *testing.T, kind string, payload []byte) {
		e, _ := newTest(t)
		online(e, "pi1", t)
		e.Apply(fleet.Message{Topic: "drover/pi2/" + kind, Payload: payload, Retained: true})
		e.Apply(fleet.Message{Topic: "drover/pi1/" + kind, Payload: payload})
		p := expfmt.NewTextParser(model.LegacyValidation)
		if _, err := p.TextToMetricFamilies(strings.NewReader(scrape(t, e))); err != nil {
			t.Fatalf("exposition no longer parses: %v", err)
		}
	})
}

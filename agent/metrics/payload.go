package metrics

import (
	"fmt"

	"github.com/drover-iot/drover/fleet/metricspayload"
)

// Payload gathers the registry (the families /metrics serves) and encodes
// it for drover/<dev>/metrics: gzip-compressed delimited protobuf.
func (m *Metrics) Payload() ([]byte, error) {
	fams, err := m.reg.Gather()
	if err != nil {
		return nil, fmt.Errorf("metrics: gather: %w", err)
	}
	return metricspayload.Marshal(fams)
}

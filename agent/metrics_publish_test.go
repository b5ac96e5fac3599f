package agent

import (
	"testing"
	"time"
)

// TestMetricsPhaseSpreadsOverInterval: the first payload's delay is within
// the interval and spread over it, not at its end for every device.
func TestMetricsPhaseSpreadsOverInterval(t *testing.T) {
	const every = time.Minute
	lo, hi := every, time.Duration(0)
	for range 1000 {
		d := metricsPhase(every)
		if d < 0 || d >= every {
			t.Fatalf("first payload after %v, want within [0, %v)", d, every)
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	if lo > every/10 || hi < every*9/10 {
		t.Fatalf("1,000 first payloads between %v and %v, want them spread over the %v interval", lo, hi, every)
	}
}

package sensors

import "strings"

// Base units used by the drivers. Prometheus metric names end in the unit.
const (
	UnitCelsius = "celsius"
	UnitPascals = "pascals"
	UnitRatio   = "ratio" // 0..1, for relative humidity and fractions
	UnitBytes   = "bytes"
	UnitSeconds = "seconds"
	UnitNone    = ""
)

// MetricName returns the Prometheus gauge name of a reading:
// drover_sensor_<metric>_<unit>, lower case, every character outside
// [a-z0-9_] replaced by '_', runs of '_' collapsed. The unit suffix is
// omitted when unit is empty or when the metric already ends with it.
func MetricName(metric, unit string) string {
	m := Sanitize(metric)
	u := Sanitize(unit)
	var b strings.Builder
	b.WriteString("drover_sensor")
	if m != "" {
		b.WriteString("_" + m)
	}
	if u != "" && !strings.HasSuffix(m, "_"+u) && m != u {
		b.WriteString("_" + u)
	}
	return b.String()
}

// Sanitize lowers s and maps every character outside [a-z0-9_] to '_',
// collapsing runs and trimming '_' at both ends.
func Sanitize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	under := true // suppresses leading and repeated '_'
	for _, r := range strings.ToLower(s) {
		ok := r >= 'a' && r <= 'z' || r >= '0' && r <= '9'
		switch {
		case ok:
			b.WriteRune(r)
			under = false
		case !under:
			b.WriteByte('_')
			under = true
		}
	}
	return strings.TrimSuffix(b.String(), "_")
}

package delta_test

import (
	"os"
	"testing"

	"github.com/drover-iot/drover/ota/delta"
)

// BenchmarkCreate makes the delta between two real binaries named by
// DROVER_DELTA_OLD and DROVER_DELTA_NEW (see docs/PERFORMANCE.md, "OTA") and reports
// the patch size against the full size.
func BenchmarkCreate(b *testing.B) {
	oldPath, newPath := os.Getenv("DROVER_DELTA_OLD"), os.Getenv("DROVER_DELTA_NEW")
	if oldPath == "" || newPath == "" {
		b.Skip("set DROVER_DELTA_OLD and DROVER_DELTA_NEW to two builds of a program")
	}
	nw, err := os.ReadFile(newPath)
	if err != nil {
		b.Fatal(err)
	}
	var patch []byte
	for b.Loop() {
		if patch, err = delta.CreateFiles(oldPath, newPath); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(patch)), "patch-bytes")
	b.ReportMetric(float64(len(nw)), "full-bytes")
	b.ReportMetric(100*float64(len(patch))/float64(len(nw)), "patch-%")
}

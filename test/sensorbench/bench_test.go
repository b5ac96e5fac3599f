package sensorbench

import (
	"context"
	"errors"
	"testing"

	"github.com/jonboulle/clockwork"
	"github.com/prometheus/procfs"
	"github.com/prometheus/procfs/sysfs"

	"github.com/drover-iot/drover/sensors/system"
)

// droverRead benchmarks one Read of a system sensor limited to sources.
func droverRead(b *testing.B, sources ...string) {
	s, err := system.New("sys", system.Config{Include: sources}, clockwork.NewRealClock(), nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	if _, err := s.Read(ctx); err != nil {
		b.Skipf("source unavailable here: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Read(ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func procFS(b *testing.B) procfs.FS {
	fs, err := procfs.NewFS("/proc")
	if err != nil {
		b.Skip(err)
	}
	return fs
}

// procfsLoop benchmarks fn, node_exporter's way of reading the same file.
func procfsLoop(b *testing.B, fn func() error) {
	if err := fn(); err != nil {
		b.Skipf("unavailable here: %v", err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if err := fn(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoadavg(b *testing.B) {
	b.Run("impl=drover", func(b *testing.B) { droverRead(b, system.Load) })
	b.Run("impl=procfs", func(b *testing.B) {
		fs := procFS(b)
		procfsLoop(b, func() error { _, err := fs.LoadAvg(); return err })
	})
}

func BenchmarkMeminfo(b *testing.B) {
	b.Run("impl=drover", func(b *testing.B) { droverRead(b, system.Memory) })
	b.Run("impl=procfs", func(b *testing.B) {
		fs := procFS(b)
		procfsLoop(b, func() error { _, err := fs.Meminfo(); return err })
	})
}

func BenchmarkNetDev(b *testing.B) {
	b.Run("impl=drover", func(b *testing.B) { droverRead(b, system.Network) })
	b.Run("impl=procfs", func(b *testing.B) {
		fs := procFS(b)
		procfsLoop(b, func() error { _, err := fs.NetDev(); return err })
	})
}

// node_exporter derives uptime from /proc/stat's btime (procfs Stat);
// Drover reads /proc/uptime. Same information, different files.
func BenchmarkUptime(b *testing.B) {
	b.Run("impl=drover", func(b *testing.B) { droverRead(b, system.Uptime) })
	b.Run("impl=procfs", func(b *testing.B) {
		fs := procFS(b)
		procfsLoop(b, func() error { _, err := fs.Stat(); return err })
	})
}

func BenchmarkThermal(b *testing.B) {
	b.Run("impl=drover", func(b *testing.B) { droverRead(b, system.Thermal) })
	b.Run("impl=procfs", func(b *testing.B) {
		fs, err := sysfs.NewFS("/sys")
		if err != nil {
			b.Skip(err)
		}
		procfsLoop(b, func() error { _, err := fs.ClassThermalZoneStats(); return err })
	})
}

// BenchmarkRound is one sampling round of every system source.
func BenchmarkRound(b *testing.B) {
	b.Run("impl=drover", func(b *testing.B) { droverRead(b) })
	b.Run("impl=procfs", func(b *testing.B) {
		fs := procFS(b)
		procfsLoop(b, func() error {
			_, err1 := fs.LoadAvg()
			_, err2 := fs.Meminfo()
			_, err3 := fs.NetDev()
			_, err4 := fs.Stat()
			return errors.Join(err1, err2, err3, err4)
		})
	})
}

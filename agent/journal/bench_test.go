package journal

import (
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// benchJournal returns a journal with the default size (4096 x 256 B).
func benchJournal(b *testing.B) *Journal {
	b.Helper()
	j, err := New(Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = j.Close() })
	return j
}

func reportRate(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkAppend is the direct hot path, as an exec service's stdout
// lines use it.
func BenchmarkAppend(b *testing.B) {
	j := benchJournal(b)
	b.ReportAllocs()
	for b.Loop() {
		j.Append(slog.LevelInfo, "svc:modbus", "read 12 registers from unit 3", "")
	}
	reportRate(b)
}

// BenchmarkAppendParallel appends from GOMAXPROCS goroutines at once.
func BenchmarkAppendParallel(b *testing.B) {
	j := benchJournal(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			j.Append(slog.LevelInfo, "svc:modbus", "read 12 registers from unit 3", "")
		}
	})
	reportRate(b)
}

// BenchmarkAppendReaders appends while the disk copy writes every record
// to a file and a follower drains its channel, to show what readers cost
// the writer (on 2 cores they also compete for the CPU).
func BenchmarkAppendReaders(b *testing.B) {
	j, err := New(Options{Disk: &DiskOptions{Path: filepath.Join(b.TempDir(), "j.log"), MaxBytes: 64 << 20}})
	if err != nil {
		b.Fatal(err)
	}
	f := j.Follow(Query{}, 1024)
	drained := make(chan struct{})
	go func() {
		for range f.C() {
		}
		close(drained)
	}()
	b.ReportAllocs()
	for b.Loop() {
		j.Append(slog.LevelInfo, "svc:modbus", "read 12 registers from unit 3", "")
	}
	reportRate(b)
	b.StopTimer()
	if err := j.Close(); err != nil {
		b.Fatal(err)
	}
	<-drained
	st := j.Stats()
	b.ReportMetric(float64(st.FollowerDropped)/float64(st.Appended), "follower-drop-ratio")
	b.ReportMetric(float64(st.DiskDropped)/float64(st.Appended), "disk-drop-ratio")
}

// BenchmarkLog compares the same slog call through the journal's handler
// and through slog's own JSON (to a file) and text (to io.Discard) handlers.
func BenchmarkLog(b *testing.B) {
	for _, bc := range []struct {
		name string
		h    func(b *testing.B) slog.Handler
	}{
		{"journal", func(b *testing.B) slog.Handler { return benchJournal(b).Handler(nil) }},
		{"slog-json-file", func(b *testing.B) slog.Handler { return slog.NewJSONHandler(benchFile(b), nil) }},
		{"slog-text-discard", func(b *testing.B) slog.Handler { return slog.NewTextHandler(io.Discard, nil) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			logger := slog.New(bc.h(b)).With("component", "task:blink")
			b.ReportAllocs()
			for b.Loop() {
				logger.Info("msg", "k", 1)
			}
			reportRate(b)
		})
		b.Run(bc.name+"-parallel", func(b *testing.B) {
			logger := slog.New(bc.h(b)).With("component", "task:blink")
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					logger.Info("msg", "k", 1)
				}
			})
			reportRate(b)
		})
	}
}

func benchFile(b *testing.B) *os.File {
	f, err := os.Create(filepath.Join(b.TempDir(), "log.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = f.Close() })
	return f
}

// BenchmarkCat greps a full default-size journal for the last 10 hits.
func BenchmarkCat(b *testing.B) {
	j := benchJournal(b)
	for i := range DefaultRecords {
		level := slog.LevelInfo
		if i%100 == 0 {
			level = slog.LevelError
		}
		j.Append(level, "svc:modbus", "read 12 registers from unit 3", "took=3ms")
	}
	q := Query{N: 10, MinLevel: slog.LevelWarn, Grep: regexp.MustCompile(`unit \d`)}
	b.ReportAllocs()
	for b.Loop() {
		if len(j.Cat(q)) != 10 {
			b.Fatal("want 10 records")
		}
	}
}

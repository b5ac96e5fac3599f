package schedule

import (
	"testing"
	"time"
)

// benchSpecs are the forms the benchmarks parse and schedule.
var benchSpecs = []string{
	"every 10s", "rate 10hz", "every 2h at :30 Europe/Berlin", "every day at 03:00 Europe/Berlin",
	"every monday,friday at 04:10,16:10 Europe/Berlin", "cron */15 9-17 * * mon-fri Europe/Berlin",
	"cron 0 0 29 2 * UTC",
}

func BenchmarkParse(b *testing.B) {
	for _, text := range benchSpecs {
		b.Run(text, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNext schedules each spec forward from its previous run.
func BenchmarkNext(b *testing.B) {
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, text := range benchSpecs {
		b.Run(text, func(b *testing.B) {
			s := MustParse(text)
			prev := s.Next(time.Time{}, start, nil)
			b.ReportAllocs()
			for b.Loop() {
				prev = s.Next(prev, prev, nil)
				if prev.Year() > 2200 {
					prev = s.Next(time.Time{}, start, nil)
				}
			}
		})
	}
}

package schedule

import (
	"testing"
	"time"
)

func TestResolve(t *testing.T) {
	cases := []struct {
		name, zone string
		y          int
		m          time.Month
		d, tod     int
		want       string
	}{
		{"plain", "Europe/Berlin", 2026, 5, 1, 10 * 3600, "2026-05-01T10:00:00+02:00"},
		{"berlin gap start", "Europe/Berlin", 2026, 3, 29, 2 * 3600, "2026-03-29T03:00:00+02:00"},
		{"berlin gap middle", "Europe/Berlin", 2026, 3, 29, 2*3600 + 59*60 + 59, "2026-03-29T03:00:00+02:00"},
		{"berlin gap end", "Europe/Berlin", 2026, 3, 29, 3 * 3600, "2026-03-29T03:00:00+02:00"},
		{"berlin repeat", "Europe/Berlin", 2026, 10, 25, 2*3600 + 30*60, "2026-10-25T02:30:00+02:00"},
		{"berlin repeat start", "Europe/Berlin", 2026, 10, 25, 2 * 3600, "2026-10-25T02:00:00+02:00"},
		{"berlin after repeat", "Europe/Berlin", 2026, 10, 25, 3 * 3600, "2026-10-25T03:00:00+01:00"},
		{"ny gap", "America/New_York", 2026, 3, 8, 2*3600 + 30*60, "2026-03-08T03:00:00-04:00"},
		{"ny repeat", "America/New_York", 2026, 11, 1, 3600 + 30*60, "2026-11-01T01:30:00-04:00"},
		{"ny repeat end", "America/New_York", 2026, 11, 1, 2 * 3600, "2026-11-01T02:00:00-05:00"},
		{"midnight gap (Havana)", "America/Havana", 2026, 3, 8, 0, "2026-03-08T01:00:00-04:00"},
		{"utc", "UTC", 2026, 3, 29, 2*3600 + 30*60, "2026-03-29T02:30:00Z"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			loc, err := time.LoadLocation(tc.zone)
			if err != nil {
				t.Fatal(err)
			}
			got := resolve(tc.y, tc.m, tc.d, tc.tod, loc)
			if want := mustTime(t, tc.want); !got.Equal(want) {
				t.Fatalf("resolve = %v, want %v", got, want)
			}
		})
	}
}

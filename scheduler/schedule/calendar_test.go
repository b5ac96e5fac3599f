package schedule

import (
	"testing"
	"time"
)

// mustTime parses an RFC 3339 time for tests.
func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// nextCase is one row of a Next table: the spec, prev, now and the wanted
// next run ("" for exhausted).
type nextCase struct {
	name, spec, prev, now, want string
}

// runNextTable checks Spec.Next for each row.
func runNextTable(t *testing.T, cases []nextCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := MustParse(tc.spec)
			var prev time.Time
			if tc.prev != "" {
				prev = mustTime(t, tc.prev)
			}
			got := s.Next(prev, mustTime(t, tc.now), nil)
			if tc.want == "" {
				if !got.IsZero() {
					t.Fatalf("%s: Next = %v, want exhausted", tc.spec, got)
				}
				return
			}
			if want := mustTime(t, tc.want); !got.Equal(want) {
				t.Fatalf("%s: Next(%s) = %v, want %v", tc.spec, tc.now, got, want)
			}
		})
	}
}

func TestCalendarNext(t *testing.T) {
	runNextTable(t, []nextCase{
		{"daily later today", "every day at 15:00 UTC", "", "2026-05-01T10:00:00Z", "2026-05-01T15:00:00Z"},
		{"daily exactly at run", "every day at 15:00 UTC", "", "2026-05-01T15:00:00Z", "2026-05-02T15:00:00Z"},
		{"daily sub-second after", "every day at 15:00 UTC", "", "2026-05-01T14:59:59.999Z", "2026-05-01T15:00:00Z"},
		{"daily default midnight", "every day Europe/Berlin", "", "2026-05-01T10:00:00+02:00", "2026-05-02T00:00:00+02:00"},
		{"two times", "every day at 03:00,15:00 UTC", "", "2026-05-01T15:00:00Z", "2026-05-02T03:00:00Z"},
		{"seconds", "every day at 03:00:30 UTC", "", "2026-05-01T03:00:00Z", "2026-05-01T03:00:30Z"},
		{"year end", "every day at 00:00 UTC", "", "2026-12-31T12:00:00Z", "2027-01-01T00:00:00Z"},
		{"leap day", "every day at 12:00 UTC", "", "2028-02-28T13:00:00Z", "2028-02-29T12:00:00Z"},
		{"weekdays", "every monday,friday at 04:10 Europe/Berlin", "", "2026-03-27T05:00:00+01:00", "2026-03-30T04:10:00+02:00"},
		{"weekday same day", "every friday at 04:10 Europe/Berlin", "", "2026-03-27T04:00:00+01:00", "2026-03-27T04:10:00+01:00"},
		{"weekday next week", "every friday at 04:10 Europe/Berlin", "", "2026-03-27T04:10:00+01:00", "2026-04-03T04:10:00+02:00"},
		// Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST; 2026-10-25 03:00 CEST -> 02:00 CET.
		{"berlin spring gap", "every day at 02:30 Europe/Berlin", "", "2026-03-28T12:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"berlin spring gap start", "every day at 02:00 Europe/Berlin", "", "2026-03-29T01:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"berlin after gap run", "every day at 02:30 Europe/Berlin", "", "2026-03-29T03:00:00+02:00", "2026-03-30T02:30:00+02:00"},
		{"berlin fall first", "every day at 02:30 Europe/Berlin", "", "2026-10-24T12:00:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"berlin fall once", "every day at 02:30 Europe/Berlin", "", "2026-10-25T02:30:00+02:00", "2026-10-26T02:30:00+01:00"},
		{"berlin fall inside repeat", "every day at 02:30 Europe/Berlin", "", "2026-10-25T02:10:00+01:00", "2026-10-26T02:30:00+01:00"},
		{"berlin fall 03:00", "every day at 03:00 Europe/Berlin", "", "2026-10-25T02:30:00+02:00", "2026-10-25T03:00:00+01:00"},
		{"berlin sunday gap", "every sunday at 02:15 Europe/Berlin", "", "2026-03-22T03:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		// America/New_York: 2026-03-08 02:00 EST -> 03:00 EDT; 2026-11-01 02:00 EDT -> 01:00 EST.
		{"ny spring gap", "every day at 02:30 America/New_York", "", "2026-03-07T12:00:00-05:00", "2026-03-08T03:00:00-04:00"},
		{"ny fall first", "every day at 01:30 America/New_York", "", "2026-10-31T12:00:00-04:00", "2026-11-01T01:30:00-04:00"},
		{"ny fall once", "every day at 01:30 America/New_York", "", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"},
		{"ny weekday gap", "every sunday at 02:30 America/New_York", "", "2026-03-01T12:00:00-05:00", "2026-03-08T03:00:00-04:00"},
		{"ny weekday fall", "every sunday at 01:30 America/New_York", "", "2026-11-01T01:30:00-04:00", "2026-11-08T01:30:00-05:00"},
		{"until passed", "every day at 03:00 UTC until 2026-05-01T12:00:00Z", "", "2026-05-01T04:00:00Z", ""},
	})
}

// TestBerlinYear simulates a year of `every day at 02:30 Europe/Berlin`: one
// run per local day, at 02:30, except on the spring-forward day (03:00 CEST)
// and on the fall-back day only the first 02:30 (CEST).
func TestBerlinYear(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	s := MustParse("every day at 02:30 Europe/Berlin")
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, berlin)
	var prev time.Time
	runs := 0
	for day := now; ; day = day.AddDate(0, 0, 1) {
		next := s.Next(prev, now, nil)
		if next.In(berlin).Year() != 2026 {
			break
		}
		want := time.Date(day.Year(), day.Month(), day.Day(), 2, 30, 0, 0, berlin)
		switch {
		case day.Month() == time.March && day.Day() == 29:
			want = time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC) // 03:00 CEST
		case day.Month() == time.October && day.Day() == 25:
			want = time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC) // 02:30 CEST
		}
		if !next.Equal(want) {
			t.Fatalf("run %d: got %v, want %v", runs+1, next, want)
		}
		prev, now = next, next
		runs++
	}
	if runs != 365 {
		t.Fatalf("runs = %d, want 365", runs)
	}
}

package schedule

import (
	"testing"
	"time"

	"github.com/robfig/cron/v3"
)

func TestCronNext(t *testing.T) {
	runNextTable(t, []nextCase{
		{"every 15 min", "cron */15 * * * * UTC", "", "2026-05-01T10:07:00Z", "2026-05-01T10:15:00Z"},
		{"names", "cron 0 4 * * mon,fri UTC", "", "2026-05-01T05:00:00Z", "2026-05-04T04:00:00Z"},
		{"month range", "cron 0 0 1 jan-mar * UTC", "", "2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z"},
		{"six fields", "cron */10 * * * * * UTC", "", "2026-05-01T10:00:05Z", "2026-05-01T10:00:10Z"},
		{"sunday as 7", "cron 0 12 * * 7 UTC", "", "2026-05-01T00:00:00Z", "2026-05-03T12:00:00Z"},
		{"31st skips short months", "cron 0 12 31 * * UTC", "", "2026-01-31T13:00:00Z", "2026-03-31T12:00:00Z"},
		{"31st after march", "cron 0 12 31 * * UTC", "", "2026-03-31T12:00:00Z", "2026-05-31T12:00:00Z"},
		{"feb 29 next leap year", "cron 0 0 29 2 * UTC", "", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"feb 29 skips 2100", "cron 0 0 29 2 * UTC", "", "2096-03-01T00:00:00Z", "2104-02-29T00:00:00Z"},
		{"dom or dow", "cron 0 0 13 * fri UTC", "", "2026-05-02T00:00:00Z", "2026-05-08T00:00:00Z"},
		{"dom and star dow", "cron 0 0 13 * * UTC", "", "2026-05-02T00:00:00Z", "2026-05-13T00:00:00Z"},
		{"stepped dow is no star", "cron 0 0 13 * */2 UTC", "", "2026-05-02T00:00:00Z", "2026-05-03T00:00:00Z"},
		{"feb 29, weekday */1 counts as *", "cron 0 0 29 2 */1 UTC", "", "2026-01-01T00:00:00Z", "2028-02-29T00:00:00Z"},
		{"berlin gap", "cron 30 2 * * * Europe/Berlin", "", "2026-03-29T00:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"berlin gap several", "cron */15 2 * * * Europe/Berlin", "", "2026-03-29T03:00:00+02:00", "2026-03-30T02:00:00+02:00"},
		{"berlin repeat first", "cron 0,30 2 * * * Europe/Berlin", "", "2026-10-25T02:00:00+02:00", "2026-10-25T02:30:00+02:00"},
		{"berlin repeat once", "cron 0,30 2 * * * Europe/Berlin", "", "2026-10-25T02:30:00+02:00", "2026-10-26T02:00:00+01:00"},
		{"berlin weekday gap", "cron 30 2 * * sun Europe/Berlin", "", "2026-03-28T00:00:00+01:00", "2026-03-29T03:00:00+02:00"},
		{"ny hourly gap", "cron 0 * * * * America/New_York", "", "2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00"},
		{"ny hourly after gap", "cron 0 * * * * America/New_York", "", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"},
		{"ny hourly repeat", "cron 0 * * * * America/New_York", "", "2026-11-01T01:00:00-04:00", "2026-11-01T02:00:00-05:00"},
		{"ny 01:30 fall", "cron 30 1 * * * America/New_York", "", "2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"},
		{"ny march 8", "cron 30 2 8 3 * America/New_York", "", "2026-01-01T00:00:00-05:00", "2026-03-08T03:00:00-04:00"},
	})
}

// TestCronMatchesRobfig checks cron Next against robfig/cron in UTC, where
// no DST rule applies, over many consecutive runs.
func TestCronMatchesRobfig(t *testing.T) {
	exprs := []string{
		"*/7 * * * *", "0 4 * * mon,fri", "30 2 1,15 * *", "0 0 29 2 *", "15 10 * jan-mar,oct *",
		"0 */5 * * 1-5", "0 12 31 * *", "5-50/9 3 * * sun", "0 0 13 * fri", "0 0 1 */2 *",
		"*/20 */3 * * * *", "0 0 0 L? * *", "0 0 13 * */2", "0 0 29 2 */3",
	}
	parser := cron.NewParser(cron.SecondOptional | cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow)
	for _, expr := range exprs {
		t.Run(expr, func(t *testing.T) {
			theirs, err := parser.Parse(expr)
			ours, ourErr := Parse("cron " + expr + " UTC")
			if (err != nil) != (ourErr != nil) {
				t.Fatalf("robfig err %v, ours %v", err, ourErr)
			}
			if err != nil {
				return
			}
			now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
			for i := 0; i < 500; i++ {
				want, got := theirs.Next(now), ours.Next(time.Time{}, now, nil)
				if want.IsZero() {
					return // robfig gives up after five years; we do not
				}
				if !got.Equal(want) {
					t.Fatalf("run %d after %v: got %v, robfig %v", i, now, got, want)
				}
				now = got
			}
		})
	}
}

func TestCronErrors(t *testing.T) {
	runErrorTable(t, []errCase{
		{"cron 0 0 30 2 *", 9, "a day of month that exists", "30"},
		{"cron 0 0 31 4,6,9,11 *", 9, "a day of month that exists", "31"},
		{"cron 61 * * * *", 5, "a minute from 0 to 59", "61"},
		{"cron * * * *", 12, "5 or 6 cron fields", endOfInput},
		{"cron 0 4 * * mon,fxi", 17, "a weekday from 0 to 7 or a name", "fxi"},
		{"cron 0 4 * 13 *", 11, "a month from 1 to 12", "13"},
		{"cron 0 4-2 * * *", 7, "low <= high", "4-2"},
		{"cron */0 * * * *", 7, "a step from 1 to 59", "0"},
		{"cron 0 ? * * *", 7, "an hour from 0 to 23", "?"},
		{"cron 0 4 * * * Mars/Base", 15, "a known IANA time zone", "Mars/Base"},
		{"cron 0 0 4 * * * Mars/Base", 17, "a known IANA time zone", "Mars/Base"},
		{"cron 0,,5 * * * *", 7, "a minute from 0 to 59", ""},
	})
}

func TestCronText(t *testing.T) {
	cases := []struct{ in, want string }{
		{"cron 0 4 * * MON,FRI", "cron 0 4 * * mon,fri"},
		{"CRON   0  4 * *   1,5   Europe/Berlin", "cron 0 4 * * 1,5 Europe/Berlin"},
		{"cron 0 0 4 * * mon", "cron 0 0 4 * * mon"},
		{"cron 0 4 * * mon UTC jitter 1m", "cron 0 4 * * mon UTC jitter 1m"},
	}
	for _, tc := range cases {
		if got := MustParse(tc.in).String(); got != tc.want {
			t.Errorf("String(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

package schedule

import (
	"errors"
	"testing"
	"time"
)

// TestFluentEqualsText checks that each builder gives the spec of its text.
func TestFluentEqualsText(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 1, 11, 0, 0, 0, berlin)
	until := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		b    Builder
		text string
	}{
		{Every(10 * time.Second), "every 10s"},
		{Every(2 * time.Hour).AtMinute(30), "every 2h at :30"},
		{Every(time.Minute).Offset(15 * time.Second).In(time.UTC), "every 1m at :00:15 UTC"},
		{Daily().At(3, 0).In(berlin), "every day at 03:00 Europe/Berlin"},
		{Daily().At(15, 0).AtClock(3, 0, 30), "every day at 03:00:30,15:00"},
		{Daily(), "every day"},
		{Weekly(time.Monday, time.Friday).At(4, 10).In(berlin), "every monday,friday at 04:10 Europe/Berlin"},
		{Weekly(time.Sunday).At(0, 0).In(time.Local), "every sunday at 00:00"},
		{Cron("0 4 * * mon,fri"), "cron 0 4 * * mon,fri"},
		{Cron("0 4 * * 1,5").In(berlin), "cron 0 4 * * 1,5 Europe/Berlin"},
		{Rate(10), "rate 10hz"},
		{Rate(0.5), "rate 0.5hz"},
		{RatePer(1, 300*time.Millisecond), "rate 1/300ms"},
		{After(30 * time.Second), "in 30s"},
		{On(at), "at 2026-12-01T10:00:00Z"},
		{Between(5*time.Minute, 10*time.Minute), "between 5m and 10m"},
		{Every(time.Hour).Jitter(5 * time.Second).Until(until).Times(3), "every 1h jitter 5s until 2026-12-31T00:00:00Z times 3"},
	}
	for _, tc := range cases {
		t.Run(tc.text, func(t *testing.T) {
			got, err := tc.b.Spec()
			if err != nil {
				t.Fatal(err)
			}
			if want := MustParse(tc.text); got != want {
				t.Fatalf("builder gave %q, want %q", got, want)
			}
		})
	}
}

// TestFluentErrors checks that invalid builders report ErrBadSpec.
func TestFluentErrors(t *testing.T) {
	cases := map[string]Builder{
		"negative interval":     Every(-time.Second),
		"zero interval":         Every(0),
		"no weekday":            Weekly(),
		"offset too large":      Every(time.Hour).AtMinute(60),
		"bad clock":             Daily().At(24, 0),
		"minute on daily":       Daily().AtMinute(5),
		"clock on interval":     Every(time.Hour).At(3, 0),
		"zone on plain every":   Every(time.Hour).In(time.UTC),
		"fixed zone":            Daily().In(time.FixedZone("X", 3600)),
		"bad cron":              Cron("0 0 30 2 *"),
		"cron with modifier":    Cron("0 4 * * * jitter 5s"),
		"rate zero":             Rate(0),
		"jitter over period":    Every(time.Second).Jitter(time.Minute),
		"times on one-shot":     After(time.Second).Times(2),
		"between reversed":      Between(time.Hour, time.Minute),
		"negative times":        Every(time.Hour).Times(-1),
		"nan rate":              Rate(0 / zero()),
		"rate per zero":         RatePer(0, time.Second),
		"interval overflowing ": Every(time.Duration(1 << 62)).Jitter(time.Duration(1<<62) + 1),
	}
	for name, b := range cases {
		t.Run(name, func(t *testing.T) {
			if _, err := b.Spec(); !errors.Is(err, ErrBadSpec) {
				t.Fatalf("Spec() err = %v, want ErrBadSpec", err)
			}
		})
	}
}

// zero returns 0 at run time, to build a NaN.
func zero() float64 { return 0 }

func TestMustSpecPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustSpec did not panic")
		}
	}()
	Every(0).MustSpec()
}

package schedule

import (
	"encoding/json"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// canonicalSpecs are specs already in canonical form, one per form and
// modifier, used by the round-trip tests and as fuzz seeds.
var canonicalSpecs = []string{
	"every 10s", "every 5m", "every 1h30m", "every 2w", "every 1s500ms", "every 2h at :30",
	"every 2h at :30 Europe/Berlin", "every 1m at :00:15 UTC", "every day at 03:00",
	"every day at 03:00,15:00:30 America/New_York", "every monday,friday at 04:10 Europe/Berlin",
	"every sunday at 00:00", "cron 0 4 * * mon,fri", "cron 0 4 * * 1,5 Europe/Berlin",
	"cron */10 * * * * *", "cron 0 0 29 2 *", "rate 10hz", "rate 0.5hz", "rate 1/300ms",
	"in 30s", "at 2026-12-01T10:00:00Z", "at 2026-12-01T10:00:00.5Z", "between 5m and 10m",
	"every 10s jitter 5s", "every 1h until 2026-12-31T00:00:00Z", "every 1h times 3",
	"cron 0 4 * * * UTC jitter 1m until 2027-01-01T00:00:00Z times 10",
}

func TestStringRoundTrip(t *testing.T) {
	for _, text := range canonicalSpecs {
		t.Run(text, func(t *testing.T) {
			s := MustParse(text)
			if s.String() != text {
				t.Fatalf("String = %q, want %q", s, text)
			}
			back, err := Parse(s.String())
			if err != nil || back != s || !back.Equal(s) {
				t.Fatalf("Parse(String) = %v, %v; want equal spec", back, err)
			}
		})
	}
}

// TestMarshal checks that JSON and YAML store the text form and read it back.
func TestMarshal(t *testing.T) {
	type doc struct {
		Spec Spec `json:"spec" yaml:"spec"`
	}
	in := doc{MustParse("every monday,friday at 04:10 Europe/Berlin jitter 5s")}
	j, err := json.Marshal(in)
	if err != nil || string(j) != `{"spec":"every monday,friday at 04:10 Europe/Berlin jitter 5s"}` {
		t.Fatalf("json = %s, %v", j, err)
	}
	var out doc
	if err := json.Unmarshal(j, &out); err != nil || out != in {
		t.Fatalf("json back = %v, %v", out, err)
	}
	y, err := yaml.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	out = doc{}
	if err := yaml.Unmarshal(y, &out); err != nil || out != in {
		t.Fatalf("yaml %s back = %v, %v", y, out, err)
	}
	if err := json.Unmarshal([]byte(`{"spec":"every 10 parsecs"}`), &out); err == nil {
		t.Fatal("bad spec in JSON accepted")
	}
	if err := json.Unmarshal([]byte(`{"spec":""}`), &out); err != nil || !out.Spec.IsZero() || out.Spec.String() != "" {
		t.Fatalf("empty spec: %v %v", out, err)
	}
}

func TestAccessors(t *testing.T) {
	until := time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		spec    string
		period  time.Duration
		jitter  time.Duration
		times   int
		until   time.Time
		oneShot bool
		zone    string
	}{
		{"every 10s jitter 2s times 3 until 2026-12-31T00:00:00Z", 10 * time.Second, 2 * time.Second, 3, until, false, ""},
		{"rate 10hz", 100 * time.Millisecond, 0, 0, time.Time{}, false, ""},
		{"rate 3hz", 333333333 * time.Nanosecond, 0, 0, time.Time{}, false, ""},
		{"every day at 03:00 Europe/Berlin", 0, 0, 0, time.Time{}, false, "Europe/Berlin"},
		{"cron 0 4 * * * UTC", 0, 0, 0, time.Time{}, false, "UTC"},
		{"in 30s", 0, 0, 0, time.Time{}, true, ""},
		{"at 2026-12-01T10:00:00Z", 0, 0, 0, time.Time{}, true, ""},
		{"between 1m and 2m", 0, 0, 0, time.Time{}, false, ""},
	}
	for _, tc := range cases {
		s := MustParse(tc.spec)
		if s.Period() != tc.period || s.Jitter() != tc.jitter || s.Times() != tc.times ||
			!s.Until().Equal(tc.until) || s.OneShot() != tc.oneShot || s.Zone() != tc.zone || s.IsZero() {
			t.Errorf("%q: period %v jitter %v times %d until %v oneshot %v zone %q", tc.spec,
				s.Period(), s.Jitter(), s.Times(), s.Until(), s.OneShot(), s.Zone())
		}
	}
	var zero Spec
	if !zero.IsZero() || !zero.Next(time.Time{}, time.Now(), nil).IsZero() || zero.String() != "" {
		t.Fatal("zero Spec is not empty")
	}
}

func TestMustParsePanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("MustParse did not panic")
		}
	}()
	MustParse("every 10 parsecs")
}
